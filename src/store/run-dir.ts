import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `.maestro/run/`: runtime state (daemon lock, status, log; doctor's cache). Never committed:
 * `.maestro/.gitignore` lists it, and the folder also ignores itself, so it stays out of git
 * even in a repository whose `.gitignore` was edited or not yet written.
 */
export const RUN_DIR = '.maestro/run';

export function runDir(root: string): string {
  return join(root, RUN_DIR);
}

export function ensureRunDir(root: string): string {
  const dir = runDir(root);
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# runtime state of specflowd and specflow doctor; never committed\n*\n');
  return dir;
}
