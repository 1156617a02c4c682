import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../store/atomic-write.js';

/**
 * The daemon's report of itself, for `specflowd status` and for `start` (which waits for the
 * child's pid to appear here with a running state before it returns).
 */
export type DaemonState = 'starting' | 'running' | 'paused' | 'stopped';

export interface ReconcileSummary {
  at: string;
  reason: string;
  durationMs: number;
  features: number;
  repairs: number;
  problems: number;
}

export interface DaemonStatus {
  pid: number;
  root: string;
  startedAt: string;
  state: DaemonState;
  /** The git operation repairs wait for (`merge`, `rebase`, …), or why they wait. */
  pausedFor: string | null;
  lastReconcile: ReconcileSummary | null;
  reconciles: number;
  /** Repairs applied since the daemon started. */
  repairs: number;
  /** Problems that need a human, as of the last reconcile. */
  problems: number;
  lastError: { at: string; message: string } | null;
  /** The board's address while it is served (DESIGN §10). */
  board: string | null;
}

export function writeStatus(path: string, status: DaemonStatus): void {
  // Rewritten after every reconcile and worthless after a crash: never a mix, but no flush.
  writeFileAtomic(path, `${JSON.stringify(status, null, 2)}\n`, { durable: false });
}

export function readStatus(path: string): DaemonStatus | undefined {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as DaemonStatus;
    return typeof s.pid === 'number' ? s : undefined;
  } catch {
    return undefined;
  }
}
