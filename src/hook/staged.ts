import { gateConfig } from '../core/commit-gate.js';
import { PreparedLedger } from '../core/ledger-delta.js';
import { checkCommit, type CommitCheck } from '../git/commit-check.js';
import { indexDocuments } from '../git/documents.js';
import { startStagedReads, type StagedReads } from './staged-reads.js';

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

export async function checkStaged(root: string, env: NodeJS.ProcessEnv = process.env, started?: StagedReads): Promise<StagedCheck> {
  const reads = started ?? startStagedReads(root, env);
  try {
    const [head, parentText, ownText, parentConfig, ownConfig] = await Promise.all([reads.head, reads.parentLedger, reads.ownLedger, reads.parentConfig, reads.ownConfig]);
    const hasHead = head !== undefined;
    const check = await checkCommit({
      root,
      parentLedger: prepared(parentText),
      ownLedger: prepared(ownText),
      config: () => gateConfig({ hasParent: hasHead, parentText: parentConfig, ownText: ownConfig }),
      configChanged: parentConfig !== ownConfig,
      readDocuments: indexDocuments(reads.objects, root, env),
    });
    return { ...check, hasHead };
  } finally {
    reads.objects.close();
  }
}
