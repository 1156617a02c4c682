// Benchmark workspaces: an isolated environment (git config, HOME), repositories built by the
// generator, specflow installed into them the way npm would, and husky activated.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRepo, git } from './generate.mjs';

export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The package as installed: a copy of what `npm pack` would ship (bin, dist, hooks, …) with the
 * project's node_modules beside it. Measuring a copy also keeps a rebuild of dist/ during the
 * run from pulling files out from under the benchmark.
 */
function snapshotPackage(at) {
  for (const entry of ['package.json', 'bin', 'dist', 'hooks', 'schemas', 'templates']) cpSync(join(PROJECT, entry), join(at, entry), { recursive: true });
  for (const entry of ['hook.cjs', 'hook.js', 'specflow.js', 'specflowd.js'])
    if (!existsSync(join(at, 'dist', entry))) throw new Error(`dist/${entry} is missing: run npm run build (was dist/ being rebuilt?)`);
  symlinkSync(join(PROJECT, 'node_modules'), join(at, 'node_modules'), 'dir');
  return { root: at, cli: join(at, 'bin', 'specflow.js'), daemon: join(at, 'bin', 'specflowd.js') };
}

/** A temporary workspace: a copy of the package, and an isolated environment for git, husky and specflow. */
export function workspace() {
  const base = mkdtempSync(join(tmpdir(), 'specflow-bench-'));
  const pkg = snapshotPackage(join(base, 'specflowd'));
  const home = join(base, 'home');
  mkdirSync(home);
  const globalConfig = join(home, '.gitconfig');
  writeFileSync(
    globalConfig,
    '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n',
  );
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !k.startsWith('SPECFLOW') && !k.startsWith('HUSKY')) env[k] = v;
  Object.assign(env, { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' });
  return { base, env, pkg };
}

/** Installs specflow into a repository as `npm install --save-dev specflowd` would lay it out. */
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

/** Runs a command and returns its wall time in milliseconds; throws when its exit code is not `expect`. */
export function timed(cmd, args, { cwd, env, input, expect = 0 } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (expect !== undefined && r.status !== expect)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal} (expected ${expect}):\n${String(r.stderr).slice(0, 2000)}`);
  return ms;
}
