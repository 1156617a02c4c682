import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Document } from 'yaml';
import { hasErrors, type Finding } from '../core/finding.js';
import { LEDGER_PATH, LedgerSyntaxError, type ParsedLedger, parseLedger, renderLedger, unreadableValues, LEDGER_FIX } from '../core/ledger.js';
import { SpecflowError, StateError } from '../core/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { acquireLock } from './lock.js';
import { checkMaestroDir, readStateFile, stateFileExists } from './state-file.js';

/**
 * Reading and writing `.maestro/ledger.yaml`. Every write — `updateLedger` (the CLI, doctor,
 * the daemon's full path), `replaceLedgerText` (the daemon's fast path) and
 * `createLedgerIfMissing` — takes the same lock, writes atomically, and turns what the file
 * system refuses into a StateError (exit 3) with a hint; a busy lock is a BusyError (exit 4).
 */
export function ledgerFile(root: string): string {
  return join(root, LEDGER_PATH);
}

export function lockFile(root: string): string {
  return `${ledgerFile(root)}.lock`;
}

const LEDGER_CODES = { rel: LEDGER_PATH, notAFile: 'ledger.not-a-file', unreadable: 'ledger.unreadable' } as const;

/**
 * The ledger's text, undefined when there is none. A ledger that is a symlink, FIFO or device
 * (or a `.maestro` that is no directory) is exit 3 naming it: never followed, never waited on.
 */
export function readLedgerText(root: string): string | undefined {
  return readStateFile(root, LEDGER_CODES);
}

/** Takes the ledger lock, once `.maestro` is known to be a real directory (the lock is created in it). */
function lockLedger(root: string): () => void {
  checkMaestroDir(root);
  return writing(() => acquireLock(lockFile(root), { what: LEDGER_PATH }));
}

/** Parses ledger text, turning a syntax problem into exit 3 with file:line:column. */
export function parseLedgerOrThrow(text: string): ParsedLedger {
  try {
    return parseLedger(text);
  } catch (e) {
    if (e instanceof LedgerSyntaxError)
      // The finding carries the place and the detail; the error says what, once.
      throw new StateError(`${LEDGER_PATH} cannot be parsed`, e.code, LEDGER_FIX, [e.toFinding()]);
    throw e;
  }
}

export function loadLedger(root: string): ParsedLedger {
  const text = readLedgerText(root);
  if (text === undefined)
    throw new StateError(`${LEDGER_PATH} not found`, 'ledger.missing', 'Run `specflow init` to create it.');
  return parseLedgerOrThrow(text);
}

/**
 * A ledger the user made read-only stays as it is. The mode bits count as well as access(2),
 * since for root (containers, CI) access(2) grants writing to any file.
 */
function readOnly(file: string): boolean {
  try {
    if ((statSync(file).mode & 0o222) === 0) return true;
    accessSync(file, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/**
 * Runs one step of a write; a step the file system refuses (a full disk, a read-only mount, no
 * permission on `.maestro/`) becomes exit 3 with what happened. The atomic write leaves the
 * ledger as it was, so nothing was written.
 */
function writing<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof SpecflowError || typeof code !== 'string') throw e;
    if (code === 'ENOENT') throw new StateError(`${LEDGER_PATH} not found`, 'ledger.missing', 'Run `specflow init` to create it.');
    throw new StateError(
      `cannot write ${LEDGER_PATH}: ${WRITE_FAILURES[code] ?? (e as Error).message} (${code}); nothing was written`,
      'ledger.unwritable',
      code === 'ENOSPC' || code === 'EDQUOT' ? 'Free some space and try again.' : 'Check the permissions of .maestro/ and try again.',
    );
  }
}

/** Problems that make a rewrite unsafe: the entry to change could be the wrong one of two. */
function blocksWrite(findings: readonly Finding[]): Finding[] {
  return unreadableValues(findings);
}

export interface LedgerUpdate<T> {
  result: T;
  changed: boolean;
  before: string;
  after: string;
}

/**
 * Locks the ledger, reads and parses it afresh, lets `change` edit the document, and writes it
 * back atomically when the text changed. Nothing is written when the ledger cannot be parsed.
 */
export function updateLedger<T>(root: string, change: (ledger: ParsedLedger, doc: Document, text: string) => T): LedgerUpdate<T> {
  const file = ledgerFile(root);
  const release = lockLedger(root);
  try {
    const before = readLedgerText(root);
    if (before === undefined) throw new StateError(`${LEDGER_PATH} not found`, 'ledger.missing', 'Run `specflow init` to create it.');
    const parsed = parseLedgerOrThrow(before);
    const blocking = blocksWrite(parsed.findings);
    if (hasErrors(blocking))
      throw new StateError(`${LEDGER_PATH}: ${blocking[0]!.message}; refusing to rewrite it`, 'ledger.unsafe', 'Fix the ledger by hand first; nothing was written.', blocking);
    const result = change(parsed, parsed.doc, before);
    const after = renderLedger(parsed.doc);
    if (after === before) return { result, changed: false, before, after };
    if (readOnly(file)) throw new StateError(`${LEDGER_PATH} is read-only; nothing was written`, 'ledger.read-only', 'Make it writable (chmod u+w) and try again.');
    writing(() => writeFileAtomic(file, after));
    return { result, changed: true, before, after };
  } finally {
    release();
  }
}

/**
 * Writes `next` over the ledger if, under the lock, it still reads `expected`; the daemon's
 * fast path decided on `expected`, so any other text (a write that landed meanwhile) means it
 * must decide again (false). A read-only ledger is left to `updateLedger`, which refuses it with
 * a message (false as well).
 */
export function replaceLedgerText(root: string, expected: string, next: string): boolean {
  const file = ledgerFile(root);
  const release = lockLedger(root);
  try {
    if (readLedgerText(root) !== expected || readOnly(file)) return false;
    writing(() => writeFileAtomic(file, next));
    return true;
  } finally {
    release();
  }
}

/** Creates the ledger when it does not exist yet (under the lock); returns whether it did. */
export function createLedgerIfMissing(root: string, text: string): boolean {
  checkMaestroDir(root);
  writing(() => mkdirSync(join(root, '.maestro'), { recursive: true }));
  const release = lockLedger(root);
  try {
    // Anything already there, a dangling symlink included, is left as it is.
    if (stateFileExists(root, LEDGER_PATH)) return false;
    writing(() => writeFileAtomic(ledgerFile(root), text));
    return true;
  } finally {
    release();
  }
}
