import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { fileURLToPath } from 'node:url';
import { LEDGER_PATH } from '../core/ledger.js';
import { runGit } from './run.js';
import { detectHookManager, installThroughManager, MANAGED_SHIM } from './hook-managers.js';

/**
 * `specflow init`'s git step: installs the hook shims and registers the ledger merge driver.
 * Idempotent, and never destroys a user's hook:
 * - with husky (`core.hooksPath` pointing into `.husky`, or a `.husky/` folder), one line —
 *   `. "${0%/*}/specflow.sh"` — goes near the top of each `.husky/<hook>`, and the
 *   shim is copied beside them (committed with them, so every clone has it);
 * - with lefthook or the pre-commit framework (their config file at the root), a `specflow`
 *   entry goes into that config beside the user's, running the shim kept at
 *   `.maestro/hooks/specflow.sh` (hook-managers.ts);
 * - otherwise the shims go into git's hooks directory (`git rev-parse --git-path hooks`, shared
 *   by linked worktrees); a hook already there is kept as `<hook>.local` and run after ours.
 * It never writes `core.hooksPath`.
 */
export const GATE_HOOKS = ['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push'] as const;
export const SHIM = 'specflow.sh';
/** Sources the shim beside the hook; `${0%/*}` rather than `$(dirname "$0")` saves a process per hook. */
export const HUSKY_LINE = '. "${0%/*}/specflow.sh"';
const MARKER = 'specflow-hook';
export const MERGE_DRIVER_NAME = 'specflow-ledger';
export const ATTRIBUTES_LINE = `${LEDGER_PATH} merge=${MERGE_DRIVER_NAME}`;
/**
 * The merge driver runs the shim as a command, so it finds specflow the way the hooks do (git
 * runs drivers without node_modules/.bin on PATH) and falls back to git's line merge when
 * specflow is not installed. `shim` is how to reach specflow.sh from any worktree's root.
 */
export function mergeDriver(shim: string): string {
  return `sh ${shim} merge-ledger %O %A %B`;
}
const PLAIN_SHIM = `"$(git rev-parse --git-path hooks)/${SHIM}"`;

/** The package's `hooks/` folder, found from this module (source or bundle). */
export function packageHooksDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'hooks', SHIM)) && existsSync(join(dir, 'package.json'))) return join(dir, 'hooks');
    const up = dirname(dir);
    if (up === dir) throw new Error('the specflow package has no hooks/ folder; reinstall specflow');
    dir = up;
  }
}

const gitOut = (root: string, args: string[]) => {
  const r = runGit(root, args);
  return r.code === 0 ? r.stdout.trim() : undefined;
};

export function installGitGate(root: string): string[] {
  if (gitOut(root, ['rev-parse', '--git-dir']) === undefined) return ['git hooks not installed: not a git repository (run `git init`, then `specflow init` again)'];
  const hooks = packageHooksDir();
  const shim = readFileSync(join(hooks, SHIM), 'utf8');
  const husky = huskyDir(root);
  const manager = husky ? undefined : detectHookManager(root);
  if (manager) return [...installThroughManager(root, manager, (path) => writeOwn(path, shim, 0o644)), ...registerMergeDriver(root, mergeDriver(MANAGED_SHIM))];
  refuseOutside(root, husky ?? resolve(root, gitOut(root, ['rev-parse', '--git-path', 'hooks']) ?? '.git/hooks'));
  const done = husky ? installHusky(root, husky, shim) : installPlain(root, shim, readFileSync(join(hooks, 'pre-commit'), 'utf8'));
  const driverShim = husky ? shellQuote(`${relative(root, husky) || '.'}/${SHIM}`) : PLAIN_SHIM;
  return [...done, ...registerMergeDriver(root, mergeDriver(driverShim))];
}

/** The line a shared hooks folder (outside this repository) needs to run specflow's check. */
export const SHARED_HOOK_LINE = `specflow_shim="$(git rev-parse --show-toplevel)/node_modules/specflowd/hooks/${SHIM}"; [ -f "$specflow_shim" ] && . "$specflow_shim"`;

/**
 * `init` writes only inside the repository: its worktree or its git directory. A
 * `core.hooksPath` that points elsewhere is shared with other repositories (a global hooks
 * folder): nothing is installed there, and the user gets the line to add themselves.
 */
function refuseOutside(root: string, dir: string): void {
  const common = resolve(root, gitOut(root, ['rev-parse', '--git-common-dir']) ?? '.git');
  const inside = (base: string) => {
    const rel = relative(realpathOr(base), realpathOr(dir));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  if (inside(root) || inside(common)) return;
  throw new UsageError(
    `core.hooksPath points outside this repository (${dir}); specflow installs nothing there, since other repositories share that folder`,
    `Add this line near the top of each of ${GATE_HOOKS.join(', ')} in that folder (it does nothing where specflow is not installed):\n  ${SHARED_HOOK_LINE}\nor point core.hooksPath back inside the repository and run specflow init again.`,
    'hooks.outside',
  );
}

/** The real path of a folder, or of its nearest existing parent joined with the rest. */
function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const up = dirname(path);
    return up === path ? path : join(realpathOr(up), basename(path));
  }
}

/** `.husky` (absolute) when the repository uses husky. */
function huskyDir(root: string): string | undefined {
  const hooksPath = gitOut(root, ['config', '--get', 'core.hooksPath']);
  if (hooksPath && /(^|[/\\])\.husky([/\\]_)?[/\\]?$/.test(hooksPath)) return resolve(root, hooksPath.replace(/[/\\]_[/\\]?$/, '').replace(/[/\\]$/, ''));
  const plain = join(root, '.husky');
  return existsSync(plain) && statSync(plain).isDirectory() ? plain : undefined;
}

/** Writes our own file when missing or outdated; leaves a foreign file of that name alone. */
function writeOwn(path: string, text: string, mode: number): 'created' | 'updated' | 'same' | 'foreign' {
  if (!existsSync(path)) {
    writeFileSync(path, text, { mode });
    chmodSync(path, mode);
    return 'created';
  }
  const current = readFileSync(path, 'utf8');
  if (!current.includes(MARKER)) return 'foreign';
  if (current === text) return 'same';
  writeFileSync(path, text);
  chmodSync(path, mode);
  return 'updated';
}

function installHusky(root: string, dir: string, shim: string): string[] {
  const rel = relative(root, dir) || '.';
  const done: string[] = [];
  mkdirSync(dir, { recursive: true });
  const own = writeOwn(join(dir, SHIM), shim, 0o644);
  if (own === 'foreign') done.push(`left ${rel}/${SHIM} alone: it is not specflow's; the hooks need specflow's shim there`);
  else if (own !== 'same') done.push(`${own} ${rel}/${SHIM}`);
  for (const hook of GATE_HOOKS) {
    const path = join(dir, hook);
    if (!existsSync(path)) {
      writeFileSync(path, `${HUSKY_LINE}\n`, { mode: 0o755 });
      done.push(`created ${rel}/${hook}`);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    if (text.includes(SHIM)) continue;
    const lines = text.split('\n');
    // Keep a shebang and husky 8's `. "$(dirname -- "$0")/_/husky.sh"` first.
    let at = 0;
    while (at < lines.length && (lines[at]!.startsWith('#!') || /_\/husky\.sh/.test(lines[at]!))) at++;
    lines.splice(at, 0, HUSKY_LINE);
    writeFileSync(path, lines.join('\n'));
    done.push(`added the specflow line to ${rel}/${hook}`);
  }
  if (done.length && !gitOut(root, ['config', '--get', 'core.hooksPath']))
    done.push('husky is not active in this clone yet: run `npx husky` (or npm install with "prepare": "husky")');
  return done;
}

function installPlain(root: string, shim: string, hookText: string): string[] {
  const where = gitOut(root, ['rev-parse', '--git-path', 'hooks']);
  if (!where) return ['git hooks not installed: git did not name a hooks directory'];
  const dir = resolve(root, where);
  const rel = relative(root, dir).startsWith('..') ? dir : relative(root, dir);
  mkdirSync(dir, { recursive: true });
  const done: string[] = [];
  const own = writeOwn(join(dir, SHIM), shim, 0o644);
  if (own === 'foreign') return [`git hooks not installed: ${rel}/${SHIM} exists and is not specflow's`];
  if (own !== 'same') done.push(`${own} ${rel}/${SHIM}`);
  for (const hook of GATE_HOOKS) {
    const path = join(dir, hook);
    const local = `${path}.local`;
    const state = writeOwn(path, hookText, 0o755);
    if (state === 'created' || state === 'updated') done.push(`${state === 'created' ? 'installed' : 'updated'} ${rel}/${hook}`);
    if (state !== 'foreign') continue;
    if (existsSync(local)) {
      done.push(`left ${rel}/${hook} alone: ${hook}.local exists too; merge them by hand, then run specflow init again`);
      continue;
    }
    renameSync(path, local);
    writeFileSync(path, hookText, { mode: 0o755 });
    chmodSync(path, 0o755);
    done.push(`installed ${rel}/${hook}; your previous hook is kept as ${hook}.local and runs after the phase check`);
  }
  return done;
}

function registerMergeDriver(root: string, driver: string): string[] {
  const done: string[] = [];
  const attributes = join(root, '.gitattributes');
  const text = existsSync(attributes) ? readFileSync(attributes, 'utf8') : '';
  if (!text.split('\n').some((l) => l.trim().split(/\s+/)[0] === LEDGER_PATH && l.includes(`merge=${MERGE_DRIVER_NAME}`))) {
    writeFileSync(attributes, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${ATTRIBUTES_LINE}\n`);
    done.push(`${text ? 'added the ledger merge driver to' : 'created'} .gitattributes`);
  }
  const settings: [string, string][] = [
    [`merge.${MERGE_DRIVER_NAME}.name`, 'specflow ledger: merges feature by feature'],
    [`merge.${MERGE_DRIVER_NAME}.driver`, driver],
  ];
  let changed = false;
  for (const [key, value] of settings) {
    if (gitOut(root, ['config', '--local', '--get', key]) === value) continue;
    runGit(root, ['config', '--local', key, value]);
    changed = true;
  }
  if (changed) done.push(`registered the ${MERGE_DRIVER_NAME} merge driver in the repository's git config`);
  return done;
}

const shellQuote = (s: string) => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
