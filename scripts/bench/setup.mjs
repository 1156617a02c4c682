// Benchmark workspaces: an isolated environment (git config, HOME), repositories built by the
// generator, specflow installed into them the way npm would, and husky activated.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedGitEnv } from '../lib/git-env.mjs';
import { generateRepo, git } from './generate.mjs';

/**
 * @typedef {{ root: string, cli: string, daemon: string }} Package
 * @typedef {{ base: string, env: NodeJS.ProcessEnv, pkg: Package }} Workspace
 */

export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The package as installed: a copy of what `npm pack` would ship (package.json and what its
 * `files` lists) with the project's node_modules beside it. Measuring a copy also keeps a
 * rebuild of dist/ during the run from pulling files out from under the benchmark.
 * @param {string} at
 * @returns {Package}
 */
function snapshotPackage(at) {
  const { files = [] } = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8'));
  for (const entry of ['package.json', ...files]) if (existsSync(join(PROJECT, entry))) cpSync(join(PROJECT, entry), join(at, entry), { recursive: true });
  for (const entry of ['hook.cjs', 'hook.js', 'specflow.js', 'specflowd.js'])
    if (!existsSync(join(at, 'dist', entry))) throw new Error(`dist/${entry} is missing: run npm run build (was dist/ being rebuilt?)`);
  symlinkSync(join(PROJECT, 'node_modules'), join(at, 'node_modules'), 'dir');
  return { root: at, cli: join(at, 'bin', 'specflow.js'), daemon: join(at, 'bin', 'specflowd.js') };
}

/**
 * A temporary workspace: a copy of the package, and an isolated environment for git, husky and specflow.
 * @returns {Workspace}
 */
export function workspace() {
  const base = mkdtempSync(join(tmpdir(), 'specflow-bench-'));
  const pkg = snapshotPackage(join(base, 'specflowd'));
  const env = isolatedGitEnv(join(base, 'home'), { name: 'Bench', email: 'bench@example.com' });
  return { base, env, pkg };
}

/**
 * Installs specflow into a repository as `npm install --save-dev specflowd` would lay it out.
 * @param {string} dir @param {Package} pkg
 */
export function installPackage(dir, pkg) {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(pkg.root, join(dir, 'node_modules', 'specflowd'), 'dir');
  symlinkSync('../specflowd/bin/specflow.js', join(dir, 'node_modules', '.bin', 'specflow'));
  symlinkSync('../specflowd/bin/specflowd.js', join(dir, 'node_modules', '.bin', 'specflowd'));
}

/**
 * A committed repository of `n` features with specflow installed and initialised.
 * `husky`: a `.husky/` folder exists before `specflow init`, and husky 9 is activated after it
 * (core.hooksPath = .husky/_), as `npm install` with `"prepare": "husky"` does.
 * @param {string} dir @param {number} n @param {Workspace} ws @param {{ husky?: boolean }} [options]
 */
export function benchRepo(dir, n, { env, pkg }, { husky = false } = {}) {
  generateRepo(dir, n, env);
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  installPackage(dir, pkg);
  if (husky) mkdirSync(join(dir, '.husky'));
  const init = spawnSync(process.execPath, [pkg.cli, 'init'], { cwd: dir, env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`specflow init failed in the bench repository:\n${init.stderr}${init.stdout}`);
  if (husky) {
    const huskyModule = join(PROJECT, 'node_modules', 'husky', 'index.js');
    execFileSync(process.execPath, ['--input-type=module', '-e', `import h from ${JSON.stringify(huskyModule)}; const r = h(); if (r) { console.error(r); process.exit(1); }`], {
      cwd: dir,
      env,
      stdio: 'inherit',
    });
  }
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '--no-verify', '--allow-empty', '-m', 'specflow init'], env);
}

/**
 * Runs a command and returns its wall time in milliseconds; throws when its exit code is not `expect`.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, input?: string, expect?: number }} [options]
 */
export function timed(cmd, args, { cwd, env, input, expect = 0 } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (expect !== undefined && r.status !== expect)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal} (expected ${expect}):\n${String(r.stderr).slice(0, 2000)}`);
  return ms;
}
