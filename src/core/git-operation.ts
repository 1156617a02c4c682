/**
 * Git operations during which the daemon must not repair: a merge, rebase, cherry-pick or
 * revert leaves the working tree half-way, and the ledger may be mid-resolution. Each leaves a
 * marker in the worktree's git dir (in a linked worktree, `.git/worktrees/<name>/`).
 */
export const OPERATION_MARKERS = [
  { file: 'MERGE_HEAD', operation: 'merge' },
  { file: 'rebase-merge', operation: 'rebase' },
  { file: 'rebase-apply', operation: 'rebase' },
  { file: 'CHERRY_PICK_HEAD', operation: 'cherry-pick' },
  { file: 'REVERT_HEAD', operation: 'revert' },
] as const;

export type GitOperation = (typeof OPERATION_MARKERS)[number]['operation'];

/** The git dir named by a `.git` file (`gitdir: <path>`), or undefined when the text is not one. */
export function gitDirFromFile(text: string): string | undefined {
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  return m?.[1];
}
