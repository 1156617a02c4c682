import { closeSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { BusyError } from '../errors.js';

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
    const pid = Number(readFileSync(path, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Takes a stale lock out of the way. Renaming is atomic, so of several processes that found the
 * same dead holder only one moves the file; if what it moved turns out to be a live holder's
 * fresh lock, it is put back.
 */
function clearStale(path: string, deadPid: number): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = holder(aside);
  if (moved !== undefined && moved !== deadPid && pidAlive(moved)) {
    try {
      renameSync(aside, path);
    } catch {
      /* the holder's lock is lost; it still finishes its rename */
    }
    return;
  }
  try {
    unlinkSync(aside);
  } catch {
    /* already gone */
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
    if (tryCreate(path)) return () => releaseLock(path);
    const pid = holder(path);
    if (pid === undefined) {
      // Being written this instant, or left empty by a crash between create and write.
      if (staleEmpty(path)) continue;
    } else if (!pidAlive(pid)) {
      clearStale(path, pid);
      continue;
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
    if (Date.now() - lstatSync(path).mtimeMs < 1000) return false;
    clearStale(path, -1);
    return true;
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
