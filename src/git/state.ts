import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { gitDirFromFile, OPERATION_MARKERS, type GitOperation } from '../core/git-operation.js';

/**
 * The worktree's git dir, found from `.git` itself rather than from `GIT_DIR` (which a hook
 * sets for its own repository and which a daemon started from a hook inherits). `.git` is a
 * directory, or in a linked worktree a file naming the git dir.
 */
export function resolveGitDir(root: string): string | undefined {
  const dotGit = join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const named = gitDirFromFile(readFileSync(dotGit, 'utf8'));
    if (!named) return undefined;
    return isAbsolute(named) ? named : resolve(root, named);
  } catch {
    return undefined;
  }
}

/** The operation in progress in the worktree, if any. */
export function operationInProgress(gitDir: string | undefined): GitOperation | undefined {
  if (!gitDir) return undefined;
  for (const m of OPERATION_MARKERS) if (existsSync(join(gitDir, m.file))) return m.operation;
  return undefined;
}

/** Is git updating the index (and the working tree with it) right now? */
export function indexLocked(gitDir: string | undefined): boolean {
  return gitDir !== undefined && existsSync(join(gitDir, 'index.lock'));
}
