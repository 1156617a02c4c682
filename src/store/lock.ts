import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BusyError } from '../core/errors.js';

/**
 * An exclusive lock file in the manner of git's lockfile: created with O_EXCL, holding the
 * owner's pid, the time it was taken, and the owner's process start time as the kernel records
 * it. A lock is stale, and taken over, when its holder is gone: its pid is dead, or alive but a
 * different process (pids are reused within minutes), told by a start time that differs from
 * the one recorded (DESIGN §7). Where the start time cannot be read (no /proc), a live pid is
 * trusted.
 *
 * Lock file: `<pid>\n<ISO time taken>\n<start time, or empty>\n`.
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

/**
 * A process's start time, in clock ticks since boot: field 22 of `/proc/<pid>/stat` (Linux).
 * The fields after the command name are read from its closing parenthesis, since the name may
 * hold spaces and parentheses itself. Undefined where there is no /proc or no such process.
 */
export function processStartTime(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 3, 4, … follow the name; field 22 is the 20th of them.
    const start = fields[19];
    return start && /^\d+$/.test(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/** What a lock file records of its holder. */
export interface LockHolder {
  pid: number;
  /** When the lock was taken (ISO), as written. */
  takenAt: string | undefined;
  /** The holder's process start time (see processStartTime), when it was recorded. */
  startTime: string | undefined;
}

export function parseHolder(content: string): LockHolder | undefined {
  const [pid, takenAt, startTime] = content.split('\n');
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return undefined;
  return { pid: n, takenAt: takenAt || undefined, startTime: startTime && /^\d+$/.test(startTime) ? startTime : undefined };
}

/** The text of a lock held by this process. */
export function holderText(): string {
  return `${process.pid}\n${new Date().toISOString()}\n${ownStartTime() ?? ''}\n`;
}

let ownStart: string | undefined | null = null;
function ownStartTime(): string | undefined {
  if (ownStart === null) ownStart = processStartTime(process.pid);
  return ownStart;
}

/**
 * Is the process a lock names still there? Dead pid: no. Live pid with a recorded start time
 * that differs from the live process's: no, that is another process with a reused pid. Exactly
 * equal, or not comparable (no /proc, an old lock without one): yes.
 */
export function holderAlive(h: LockHolder): boolean {
  if (!pidAlive(h.pid)) return false;
  if (h.startTime === undefined) return true;
  const now = processStartTime(h.pid);
  return now === undefined || now === h.startTime;
}

function holder(path: string): LockHolder | undefined {
  try {
    return parseHolder(readFileSync(path, 'utf8'));
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
    writeSync(fd, holderText());
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
    if (breaker !== undefined ? !holderAlive(breaker) : olderThan(guard, 1000)) safeUnlink(guard);
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
  if (breaker !== undefined ? !holderAlive(breaker) : olderThan(guard, 1000)) safeUnlink(guard);
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
    const h = holder(path);
    if (h === undefined) {
      // Being written this instant, or left empty by a crash between create and write.
      if (staleEmpty(path)) continue;
    } else if (!holderAlive(h)) {
      // Removed only if, under the guard, the lock still names this same gone holder.
      if (clearStale(path, (content) => sameHolder(parseHolder(content), h))) continue;
    }
    if (Date.now() >= deadline)
      throw new BusyError(
        `${options.what ?? path} is locked by process ${h?.pid ?? '?'}`,
        `Another specflow or specflowd is writing; try again. If no such process runs, delete ${path}.`,
      );
    sleep(wait);
    wait = Math.min(wait * 2, 50);
  }
}

function sameHolder(a: LockHolder | undefined, b: LockHolder): boolean {
  return a !== undefined && a.pid === b.pid && a.startTime === b.startTime && a.takenAt === b.takenAt;
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
  const h = holder(path);
  if (h?.pid !== process.pid || (h.startTime !== undefined && h.startTime !== ownStartTime())) return;
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
