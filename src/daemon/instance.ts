import { readFileSync, unlinkSync } from 'node:fs';
import { BusyError } from '../core/errors.js';
import { acquireLock, holderAlive, parseHolder } from '../store/lock.js';
import { ensureRunDir } from '../store/run-dir.js';
import type { DaemonPaths } from './paths.js';

/**
 * One daemon per worktree: the pid file is an exclusive lock (same protocol as the ledger
 * lock), so of two daemons started at once exactly one runs, and a lock left by a daemon that
 * is gone (its pid dead, or reused by another process: the start time differs) is taken over.
 */
export interface Holder {
  pid: number;
  startedAt: string | undefined;
  /** The daemon's process start time as recorded in the lock (see store/lock.ts). */
  startTime: string | undefined;
}

export function readHolder(paths: DaemonPaths): Holder | undefined {
  try {
    const h = parseHolder(readFileSync(paths.pid, 'utf8'));
    return h && { pid: h.pid, startedAt: h.takenAt, startTime: h.startTime };
  } catch {
    return undefined;
  }
}

/** Is the daemon a lock names still that same process? */
export function daemonAlive(h: Holder): boolean {
  return holderAlive({ pid: h.pid, takenAt: h.startedAt, startTime: h.startTime });
}

/** The running daemon of this worktree, if any. */
export function runningDaemon(paths: DaemonPaths): Holder | undefined {
  const h = readHolder(paths);
  return h && daemonAlive(h) && looksLikeDaemon(h.pid) ? h : undefined;
}

/**
 * A live pid that is not a specflowd (the pid was reused after a crash) does not hold the lock.
 * Checked where the process table can be read; elsewhere a live pid is trusted.
 */
function looksLikeDaemon(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('specflowd');
  } catch {
    return true;
  }
}

/** Takes the instance lock, or returns the live holder. Returns the release function. */
export function acquireInstance(paths: DaemonPaths): { release: () => void } | { holder: Holder } {
  ensureRunDir(paths.root);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return { release: acquireLock(paths.pid, { timeoutMs: 250, what: 'specflowd' }) };
    } catch (e) {
      if (!(e instanceof BusyError)) throw e;
      const holder = runningDaemon(paths);
      if (holder) return { holder };
      // Alive but not a daemon: a reused pid. Its lock is as stale as a dead one's.
      const stale = readHolder(paths);
      if (stale) forceRemove(paths.pid, stale.pid);
    }
  }
  throw new BusyError('specflowd: could not take the instance lock', `Delete ${paths.pid} if no specflowd runs in this worktree.`);
}

function forceRemove(path: string, pid: number): void {
  try {
    // Written by a process that is not a specflowd (a reused pid): nobody will ever release it.
    if (Number(readFileSync(path, 'utf8').split('\n')[0]) === pid) unlinkSync(path);
  } catch {
    /* raced with another taker */
  }
}
