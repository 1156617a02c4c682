import { ledgerDelta, PreparedLedger, type LedgerDelta } from '../core/ledger-delta.js';
import { startStagedReads, STAGED_LEDGER, type StagedReads } from './staged-reads.js';

/**
 * Only what the staged ledger changes, `HEAD` against the index (for commit-msg): no config,
 * no documents, no gates — so this path never loads the markdown parser.
 */
export async function stagedDelta(root: string, env: NodeJS.ProcessEnv = process.env, started?: StagedReads): Promise<{ delta: LedgerDelta; head: PreparedLedger | undefined }> {
  const reads = started ?? startStagedReads(root, env, { changes: false });
  const prepared = (text: string | undefined) => (text === undefined ? undefined : new PreparedLedger(text));
  try {
    const [parentText, ownText] = await Promise.all([reads.parentLedger ?? reads.objects.text(`HEAD:${STAGED_LEDGER}`), reads.ownLedger]);
    const head = prepared(parentText);
    return { delta: ledgerDelta(head, prepared(ownText)), head };
  } finally {
    reads.objects.close();
  }
}
