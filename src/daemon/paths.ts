import { join } from 'node:path';
import { RUN_DIR } from '../store/run-dir.js';

/** The daemon's files, all in `.maestro/run/` (ignored by git and by the daemon's own watcher). */
export interface DaemonPaths {
  root: string;
  /** Lock and pid file: created exclusively, holding the pid and the start time. */
  pid: string;
  /** What `specflowd status` reports; rewritten atomically after every reconcile. */
  status: string;
  /** pino JSON lines. */
  log: string;
}

export const LOG_PATH = `${RUN_DIR}/specflowd.log`;

export function daemonPaths(root: string): DaemonPaths {
  return {
    root,
    pid: join(root, RUN_DIR, 'specflowd.pid'),
    status: join(root, RUN_DIR, 'specflowd.status.json'),
    log: join(root, LOG_PATH),
  };
}
