import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../core/errors.js';
import { checkMaestroDir } from './state-file.js';

/**
 * `.maestro/run/`: runtime state (daemon lock, status, log; doctor's cache). Never committed:
 * `.maestro/.gitignore` lists it, and the folder also ignores itself, so it stays out of git
 * even in a repository whose `.gitignore` was edited or not yet written.
 */
export const RUN_DIR = '.maestro/run';

export function runDir(root: string): string {
  return join(root, RUN_DIR);
}

/** Creates `.maestro/run/` if needed; never through a `.maestro` or `run` that is a symlink (exit 3). */
export function ensureRunDir(root: string): string {
  checkMaestroDir(root);
  const dir = runDir(root);
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory())
    throw new StateError(`${RUN_DIR} is not a directory; specflow never follows it`, 'run.not-a-directory', `Remove ${RUN_DIR}; specflowd recreates it.`);
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# runtime state of specflowd and specflow doctor; never committed\n*\n');
  return dir;
}
