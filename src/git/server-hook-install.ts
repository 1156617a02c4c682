import { chmodSync, existsSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { packageHooksDir } from './hook-install.js';
import { runGit } from './run.js';

/**
 * `specflow init --server <bare repo>`: installs the server-side check (hooks/server-hook of the
 * package) as the bare repository's pre-receive. It never overwrites a hook: where the server
 * runs a folder of hooks (`pre-receive.d/`, as Gitea does) it goes in there; a pre-receive of
 * someone else's is kept as `pre-receive.local` and runs after the check. Writes only inside
 * that repository.
 */
const MARKER = 'specflow-hook';
const HOOK = 'pre-receive';

export interface ServerInstall {
  repository: string;
  hook: string;
  steps: string[];
}

export function installServerHook(cwd: string, target: string): ServerInstall {
  const repository = resolve(cwd, target);
  const bare = runGit(repository, ['rev-parse', '--is-bare-repository']);
  if (!existsSync(repository) || bare.code !== 0 || bare.stdout.trim() !== 'true')
    throw new UsageError(
      `${target} is not a bare git repository`,
      'Give the path of the repository on the server (e.g. /srv/git/app.git); a clone with a working tree gets the client hooks from `specflow init`.',
      'usage.server',
    );
  const hooks = resolve(repository, runGit(repository, ['rev-parse', '--git-path', 'hooks']).stdout.trim() || 'hooks');
  const rel = relative(realpathSync(repository), realpathOr(hooks));
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new UsageError(
      `core.hooksPath of ${target} points outside it (${hooks}); specflow installs nothing there`,
      `Copy ${join(packageHooksDir(), 'server-hook')} into that folder as ${HOOK} yourself.`,
      'hooks.outside',
    );
  const text = readFileSync(join(packageHooksDir(), 'server-hook'), 'utf8');
  const folder = join(hooks, `${HOOK}.d`);
  if (existsSync(folder) && statSync(folder).isDirectory()) return { repository, hook: join(folder, 'specflow'), steps: [writeHook(join(folder, 'specflow'), text, `${HOOK}.d/specflow`)] };
  const path = join(hooks, HOOK);
  if (!existsSync(path) || readFileSync(path, 'utf8').includes(MARKER)) return { repository, hook: path, steps: [writeHook(path, text, HOOK)] };
  const local = `${path}.local`;
  if (existsSync(local)) return { repository, hook: path, steps: [`left hooks/${HOOK} alone: ${HOOK}.local exists too; merge them by hand, then run specflow init --server again`] };
  renameSync(path, local);
  writeHook(path, text, HOOK);
  return { repository, hook: path, steps: [`installed hooks/${HOOK}; the previous hook is kept as ${HOOK}.local and runs after the phase check`] };
}

function writeHook(path: string, text: string, name: string): string {
  const existed = existsSync(path);
  if (existed && readFileSync(path, 'utf8') === text) return `hooks/${name} is up to date`;
  writeFileSync(path, text, { mode: 0o755 });
  chmodSync(path, 0o755);
  return `${existed ? 'updated' : 'installed'} hooks/${name}`;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
