import { ledgerDelta, PreparedLedger, type LedgerDelta } from '../core/ledger-delta.js';
import { LEDGER_PATH } from '../core/ledger.js';
import { GitObjects } from '../io/git-objects.js';

/**
 * Only what the staged ledger changes, `HEAD` against the index (for commit-msg): no config,
 * no documents, no gates — so this path never loads the markdown parser.
 */
export async function stagedDelta(root: string, env: NodeJS.ProcessEnv = process.env): Promise<LedgerDelta> {
  const objects = new GitObjects(root, env);
  const prepared = (text: string | undefined) => (text === undefined ? undefined : new PreparedLedger(text));
  try {
    const [parentText, ownText] = await Promise.all([objects.text(`HEAD:${LEDGER_PATH}`), objects.text(`:${LEDGER_PATH}`)]);
    return ledgerDelta(prepared(parentText), prepared(ownText));
  } finally {
    objects.close();
  }
}
