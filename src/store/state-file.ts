import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../core/errors.js';
import { error } from '../core/finding.js';
import type { FindingCode } from '../core/finding-codes.js';

/**
 * `.maestro/`, the ledger and the config are a directory and regular files (DESIGN §2). Anything
 * else there — a symlink, a FIFO, a socket, a device — is unreadable state: it is never followed,
 * never waited on and never replaced, and every reader and writer inherits that from here.
 *
 * A file is opened with O_NOFOLLOW (a symlink fails the open itself, so a swap between a check
 * and the open cannot slip one in) and O_NONBLOCK (opening a FIFO returns at once instead of
 * waiting for a writer), then judged by fstat of what was opened.
 */
export const MAESTRO_DIR = '.maestro';

const NO_FOLLOW = constants.O_NOFOLLOW;
const NON_BLOCK = constants.O_NONBLOCK;

function kind(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** `.maestro/` itself: absent, or a real directory (not a symlink to one); else exit 3 naming it. */
export function checkMaestroDir(root: string): void {
  const st = lstatSync(join(root, MAESTRO_DIR), { throwIfNoEntry: false });
  if (!st || st.isDirectory()) return;
  const message = `${MAESTRO_DIR} is ${kind(st)}, not a directory; specflow never follows it`;
  throw new StateError(message, 'maestro.not-a-directory', `Make ${MAESTRO_DIR} a plain directory again (restore it from git); nothing was read or written.`, [
    error('maestro.not-a-directory', message, { file: MAESTRO_DIR }),
  ]);
}

/** How a state file that is not a regular file is named and reported. */
export interface StateFileCodes {
  /** Repo-relative path, named in every message. */
  rel: string;
  /** Its code when it is a symlink, FIFO, socket or device (`ledger.not-a-file`). */
  notAFile: FindingCode;
  /** Its code when it exists but cannot be read (`ledger.unreadable`). */
  unreadable: FindingCode;
}

function notAFile(codes: StateFileCodes, what: string): StateError {
  const message = `${codes.rel} is ${what}, not a regular file; specflow never follows or waits on it`;
  return new StateError(message, codes.notAFile, `Replace ${codes.rel} with a regular file (restore it from git); nothing was read or written.`, [
    error(codes.notAFile, message, { file: codes.rel }),
  ]);
}

function cannotRead(codes: StateFileCodes, reason: string): StateError {
  return new StateError(`${codes.rel}: cannot be read (${reason})`, codes.unreadable);
}

/**
 * The text of a state file under `.maestro/`, undefined when it does not exist. A symlink, FIFO,
 * socket or device there, or a `.maestro` that is no directory, is a StateError (exit 3) naming it.
 */
export function readStateFile(root: string, codes: StateFileCodes): string | undefined {
  checkMaestroDir(root);
  const abs = join(root, codes.rel);
  if (NO_FOLLOW === undefined || NON_BLOCK === undefined) return readWithoutFlags(abs, codes);
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | NO_FOLLOW | NON_BLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // ELOOP (EMLINK on some BSDs): the last component is a symlink. ENXIO: a socket.
    if (code === 'ELOOP' || code === 'EMLINK' || code === 'ENXIO') {
      const st = lstatSync(abs, { throwIfNoEntry: false });
      throw notAFile(codes, st ? kind(st) : 'a symlink');
    }
    throw cannotRead(codes, (e as Error).message);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw cannotRead(codes, 'it is a directory');
    if (!st.isFile()) throw notAFile(codes, kind(st));
    return readAll(fd, st.size).toString('utf8');
  } catch (e) {
    if (e instanceof StateError) throw e;
    throw cannotRead(codes, (e as Error).message);
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end (the size is a hint: the file may grow while it is read). */
function readAll(fd: number, size: number): Buffer {
  const chunks: Buffer[] = [];
  let buf = Buffer.alloc(Math.max(size, 4096));
  let off = 0;
  for (;;) {
    if (off === buf.length) {
      chunks.push(buf);
      buf = Buffer.alloc(buf.length);
      off = 0;
    }
    const n = readSync(fd, buf, off, buf.length - off, null);
    if (n === 0) break;
    off += n;
  }
  chunks.push(buf.subarray(0, off));
  return Buffer.concat(chunks);
}

/** Where O_NOFOLLOW or O_NONBLOCK do not exist (Windows): lstat first, then read. */
function readWithoutFlags(abs: string, codes: StateFileCodes): string | undefined {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isDirectory()) throw cannotRead(codes, 'it is a directory');
  if (!st.isFile()) throw notAFile(codes, kind(st));
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotRead(codes, (e as Error).message);
  }
}

/** Does a state file exist at all (as anything, a dangling symlink included)? Never follows it. */
export function stateFileExists(root: string, rel: string): boolean {
  return lstatSync(join(root, rel), { throwIfNoEntry: false }) !== undefined;
}
