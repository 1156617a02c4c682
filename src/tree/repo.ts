import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

/**
 * The repository around `start`: the nearest ancestor holding `.git` (a directory, or a file
 * in a linked worktree), else the nearest holding `.maestro/`. Plain file-system walk: no git
 * process, so every command can afford it.
 */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  let maestro: string | undefined;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (!maestro && existsSync(join(dir, '.maestro'))) maestro = dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (maestro) return maestro;
  throw new UsageError(`not inside a git repository: ${resolve(start)}`, 'Run specflow inside your project (`git init` first if it has no repository).', 'repo.none');
}
