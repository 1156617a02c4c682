import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BusyError } from '../core/errors.js';

/**
 * An exclusive lock file in the manner of git's lockfile: created with O_EXCL, holding the
 * owner's pid and start time. A lock whose pid is dead is stale and taken over.
 */
export interface LockOptions {
  /** How long to wait for a live holder, in ms. */
  timeoutMs?: number;
  /** What the user should be told when the wait times out. */
  what?: string;
}

const DEFAULT_TIMEOUT_MS = Number(process.env.SPECFLOW_LOCK_TIMEOUT_MS) || 10_000;

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(path: string): number | undefined {
  try {
    return pidOf(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Creates the lock holding our pid. When the pid cannot be written (a full disk), the empty file
 * is removed again: left behind, it would hold every other writer up until it looked stale.
 */
function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
  } catch (e) {
    closeSync(fd);
    safeUnlink(path);
    throw e;
  }
  closeSync(fd);
  return true;
}

/**
 * Removes a stale lock. Only the process holding `<lock>.break` (created exclusively) may remove
 * a lock it does not own, and it removes it only if, read again under that guard, the lock still
 * names the dead holder: a lock cannot change hands meanwhile, since its dead holder cannot
 * release it and every other remover waits for the guard. So a live holder's fresh lock is
 * never removed, however many processes find the same stale lock at once. Returns false when
 * another process holds the guard (the caller waits a moment and looks again).
 */
function clearStale(path: string, isStale: (content: string) => boolean): boolean {
  const guard = `${path}.break`;
  if (!tryCreate(guard)) {
    // A breaker killed within these few lines leaves its guard behind; the next one clears it.
    const breaker = holder(guard);
    if (breaker !== undefined ? !pidAlive(breaker) : olderThan(guard, 1000)) safeUnlink(guard);
    return false;
  }
  try {
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      return true;
    }
    if (isStale(content)) safeUnlink(path);
    return true;
  } finally {
    safeUnlink(guard);
  }
}

/** A takeover guard whose breaker was killed, found while nothing was stale, goes too. */
function removeDeadGuard(guard: string): void {
  if (!existsSync(guard)) return;
  const breaker = holder(guard);
  if (breaker !== undefined ? !pidAlive(breaker) : olderThan(guard, 1000)) safeUnlink(guard);
}

function pidOf(content: string): number | undefined {
  const pid = Number(content.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - lstatSync(path).mtimeMs >= ms;
  } catch {
    return false;
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/**
 * Removes `<path>.<pid>.<suffix>` files whose process is dead: what a writer killed between
 * creating such a file and renaming or removing it leaves behind. A live process's file is kept.
 */
export function removeDeadSiblings(path: string, suffix: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(`.${suffix}`)) continue;
    const pid = name.slice(prefix.length, -suffix.length - 1);
    if (/^\d+$/.test(pid) && Number(pid) !== process.pid && !pidAlive(Number(pid))) safeUnlink(join(dir, name));
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Takes the lock, waiting for a live holder up to the timeout. Returns the release function. */
export function acquireLock(path: string, options: LockOptions = {}): () => void {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let wait = 5;
  for (;;) {
    if (tryCreate(path)) {
      removeDeadGuard(`${path}.break`);
      return () => releaseLock(path);
    }
    const pid = holder(path);
    if (pid === undefined) {
      // Being written this instant, or left empty by a crash between create and write.
      if (staleEmpty(path)) continue;
    } else if (!pidAlive(pid)) {
      if (clearStale(path, (content) => pidOf(content) === pid)) continue;
    }
    if (Date.now() >= deadline)
      throw new BusyError(
        `${options.what ?? path} is locked by process ${pid ?? '?'}`,
        `Another specflow or specflowd is writing; try again. If no such process runs, delete ${path}.`,
      );
    sleep(wait);
    wait = Math.min(wait * 2, 50);
  }
}

/** An empty lock file older than a second was left by a crash between create and write. */
function staleEmpty(path: string): boolean {
  try {
    const content = readFileSync(path, 'utf8');
    if (content !== '') return false;
    if (!olderThan(path, 1000)) return false;
    return clearStale(path, (now) => now === '' && olderThan(path, 1000));
  } catch {
    return true;
  }
}

export function releaseLock(path: string): void {
  if (holder(path) !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
