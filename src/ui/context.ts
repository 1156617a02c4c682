import type { OnProgress } from '../core/progress.js';
import { progressLine } from './progress.js';

/** What every command receives: where it runs, and how to show long work's progress. How its result is shown is not its business. */
export interface Context {
  cwd: string;
  /** A progress reporter for long work (`label done/total` on a terminal's stderr; nothing elsewhere). */
  progress?: (label: string) => OnProgress;
}

export function makeContext(): Context {
  return { cwd: process.cwd(), progress: progressLine };
}
