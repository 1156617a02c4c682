import { statSync } from 'node:fs';
import { LEDGER_PATH } from '../core/ledger.js';
import { writeFileAtomic } from './atomic-write.js';
import { ledgerFile, lockFile, readLedgerText } from './ledger-store.js';
import { acquireLock } from './lock.js';

/**
 * Writes `next` over the ledger if, under the lock, it still reads `expected`; the daemon's
 * fast path decided on `expected`, so any other text (a write that landed meanwhile) means it
 * must decide again. Same lock and atomic write as every other writer.
 */
export function replaceLedgerText(root: string, expected: string, next: string): boolean {
  const release = acquireLock(lockFile(root), { what: LEDGER_PATH });
  try {
    if (readLedgerText(root) !== expected) return false;
    // A ledger made read-only is left to the full path, which refuses it with a message.
    if ((statSync(ledgerFile(root)).mode & 0o222) === 0) return false;
    writeFileAtomic(ledgerFile(root), next);
    return true;
  } finally {
    release();
  }
}
