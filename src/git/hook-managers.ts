import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { addToLefthook, addToPreCommit, HookConfigError } from '../core/hook-manager-config.js';

/**
 * Hook managers that keep their own config and write git's hooks themselves — lefthook and the
 * pre-commit framework. Plain shims in `.git/hooks` would be overwritten by their next install,
 * so specflow adds its commands to their config instead, and keeps the shim those commands run
 * in the repository (committed, so every clone has it).
 */
export const MANAGED_SHIM = '.maestro/hooks/specflow.sh';

export const LEFTHOOK_FILES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'];
export const PRE_COMMIT_FILE = '.pre-commit-config.yaml';

export type HookManager = { kind: 'lefthook'; file: string } | { kind: 'pre-commit'; file: string };

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The hook manager whose config this repository holds, if any (lefthook first). */
export function detectHookManager(root: string): HookManager | undefined {
  const lefthook = LEFTHOOK_FILES.find((f) => isFile(join(root, f)));
  if (lefthook) return { kind: 'lefthook', file: lefthook };
  if (isFile(join(root, PRE_COMMIT_FILE))) return { kind: 'pre-commit', file: PRE_COMMIT_FILE };
  return undefined;
}

/**
 * Adds specflow to the manager's config and writes the shim its commands run. `writeShim` writes
 * specflow's own file when missing or outdated and says what it did ('foreign': someone else's).
 */
export function installThroughManager(root: string, manager: HookManager, writeShim: (path: string) => 'created' | 'updated' | 'same' | 'foreign'): string[] {
  const done: string[] = [];
  const shimPath = join(root, MANAGED_SHIM);
  mkdirSync(dirname(shimPath), { recursive: true });
  const own = writeShim(shimPath);
  if (own === 'foreign') return [`git hooks not installed: ${MANAGED_SHIM} exists and is not specflow's`];
  if (own !== 'same') done.push(`${own} ${MANAGED_SHIM}`);
  const path = join(root, manager.file);
  const text = readFileSync(path, 'utf8');
  let changed: { text: string; what: string } | undefined;
  try {
    if (manager.kind === 'lefthook') {
      const r = addToLefthook(text, MANAGED_SHIM, manager.file);
      if (r) changed = { text: r.text, what: `added specflow's commands to ${manager.file} (${r.hooks.join(', ')}); your entries are kept` };
    } else {
      const r = addToPreCommit(text, MANAGED_SHIM, manager.file);
      if (r) changed = { text: r.text, what: `added specflow's hooks to ${manager.file} (a repo: local entry; default_install_hook_types: ${r.types.join(', ')})` };
    }
  } catch (e) {
    if (e instanceof HookConfigError) throw new UsageError(e.message, undefined, 'hooks.manager-config');
    throw e;
  }
  if (changed) {
    writeFileSync(path, changed.text);
    done.push(changed.what);
    done.push(
      manager.kind === 'lefthook'
        ? 'run `npx lefthook install` so git runs them (a clone gets them from lefthook\'s own set-up)'
        : 'run `pre-commit install` so git runs them (each clone runs it once, as with any pre-commit hook)',
    );
  }
  return done;
}
