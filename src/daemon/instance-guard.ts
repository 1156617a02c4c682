import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { parseHolder } from '../store/lock.js';
import { RUN_DIR } from '../store/run-dir.js';
import type { DaemonPaths } from './paths.js';

/**
 * A daemon whose instance lock is gone (a `git clean -fdx`, an `rm -rf .maestro`) can no longer
 * be found by `status`, `stop` or the next `start`, which would start a second daemon for the
 * same worktree. So the daemon watches its lock and exits once it disappears or names another
 * process (DESIGN §6). A watch on `.maestro/run/` notices at once; a slow poll covers a watch
 * that cannot be set up or that stops reporting (its folder deleted and made again).
 */
export interface InstanceGuard {
  close(): void;
}

/** Between a file event in `.maestro/run/` and the check: events come in bunches (log lines, status writes). */
const CHECK_DELAY_MS = 50;
const POLL_MS = 2_000;

/** Why this daemon no longer holds its instance lock, or undefined while it does. */
export function lostInstance(paths: DaemonPaths, pid = process.pid): string | undefined {
  let text: string;
  try {
    text = readFileSync(paths.pid, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    if (!existsSync(dirname(dirname(paths.pid)))) return '.maestro/ was removed';
    return existsSync(dirname(paths.pid)) ? `its lock ${RUN_DIR}/specflowd.pid was removed` : `${RUN_DIR}/ was removed`;
  }
  const holder = parseHolder(text);
  // Empty or half-written: someone is writing it this instant; the next check decides.
  if (holder === undefined) return undefined;
  return holder.pid === pid ? undefined : `its lock now names process ${holder.pid}`;
}

export function guardInstance(paths: DaemonPaths, onLost: (why: string) => void): InstanceGuard {
  let closed = false;
  let pending: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const check = () => {
    pending = undefined;
    if (closed) return;
    const why = lostInstance(paths);
    if (why === undefined) return;
    close();
    onLost(why);
  };
  const soon = () => {
    pending ??= setTimeout(check, CHECK_DELAY_MS);
  };
  try {
    watcher = watch(dirname(paths.pid), { persistent: false }, soon);
    watcher.on('error', soon);
  } catch {
    /* the poll below still covers it */
  }
  const poll = setInterval(check, POLL_MS);
  function close(): void {
    closed = true;
    clearInterval(poll);
    if (pending) clearTimeout(pending);
    watcher?.close();
  }
  return { close };
}
