import { gateConfig } from '../core/commit-gate.js';
import { CONFIG_PATH } from '../core/config.js';
import { PreparedLedger } from '../core/ledger-delta.js';
import { LEDGER_PATH } from '../core/ledger.js';
import { checkCommit, type CommitCheck } from '../io/commit-check.js';
import { indexDocuments } from '../io/git-documents.js';
import { GitObjects } from '../io/git-objects.js';

/**
 * The commit being made: `HEAD`'s ledger against the index's, documents read from the index.
 * Git points `GIT_INDEX_FILE` at the index it is about to commit (a temporary one for
 * `commit -a` and `commit <path>`); every git process started here inherits it, so the check
 * sees exactly what will be committed — not the working tree.
 */
export interface StagedCheck extends CommitCheck {
  /** Whether there is a `HEAD` (false for the first commit). */
  hasHead: boolean;
}

const prepared = (text: string | undefined) => (text === undefined ? undefined : new PreparedLedger(text));

export async function checkStaged(root: string, env: NodeJS.ProcessEnv = process.env): Promise<StagedCheck> {
  const objects = new GitObjects(root, env);
  try {
    const [head, parentText, ownText, parentConfig, ownConfig] = await Promise.all([
      objects.oid('HEAD'),
      objects.text(`HEAD:${LEDGER_PATH}`),
      objects.text(`:${LEDGER_PATH}`),
      objects.text(`HEAD:${CONFIG_PATH}`),
      objects.text(`:${CONFIG_PATH}`),
    ]);
    const hasHead = head !== undefined;
    const check = await checkCommit({
      root,
      parentLedger: prepared(parentText),
      ownLedger: prepared(ownText),
      config: () => gateConfig({ hasParent: hasHead, parentText: parentConfig, ownText: ownConfig }),
      configChanged: parentConfig !== ownConfig,
      readDocuments: indexDocuments(objects, root, env),
    });
    return { ...check, hasHead };
  } finally {
    objects.close();
  }
}
