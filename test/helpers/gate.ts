import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { GOOD_SPEC } from './docs.js';
import { CLI, LEDGER, makeRepo, PROJECT_ROOT, tempDir, type RunResult, type TestRepo } from './repo.js';

/**
 * Repositories with the git gate installed by the real `specflow init`, for hook tests.
 * `via` says how the hooks find specflow: `node_modules` (a local install: the shim runs the
 * bundled `dist/hook.cjs` with node), `path` (a `specflow` on PATH), or `none` (not installed).
 */
export const F12_DIR = '.specify/specs/f-12-vector-configuration';
export { LEDGER };

export interface GateRepoOptions {
  via?: 'node_modules' | 'path' | 'none';
  objectFormat?: 'sha1' | 'sha256';
  /** Run before `specflow init` (e.g. set up husky or a hook of the user's). */
  before?: (repo: TestRepo) => void;
  /** Leave the repository without any commit. */
  noCommit?: boolean;
}

/** Makes `specflow` resolvable the way a real installation would. */
export function installSpecflow(repo: TestRepo, via: 'node_modules' | 'path' | 'none'): void {
  if (via === 'node_modules') {
    mkdirSync(join(repo.dir, 'node_modules'), { recursive: true });
    symlinkSync(PROJECT_ROOT, join(repo.dir, 'node_modules', 'specflowd'), 'dir');
  } else if (via === 'path') {
    const bin = join(repo.dir, '..', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'specflow'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'specflow'), 0o755);
    repo.env.PATH = `${bin}:${repo.env.PATH ?? ''}`;
  }
}

export function gateRepo(options: GateRepoOptions = {}): TestRepo {
  const repo = makeRepo(options.objectFormat ? { objectFormat: options.objectFormat } : {});
  installSpecflow(repo, options.via ?? 'node_modules');
  repo.files({ '.gitignore': 'node_modules/\n', 'README.md': '# app\n' });
  options.before?.(repo);
  const init = repo.cli(['init']);
  expect(init.code, init.stderr).toBe(0);
  if (!options.noCommit) {
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '-m', 'Set up specflow']);
  }
  return repo;
}

/** Sets a feature's phase by editing the ledger text, as an agent or a person might. */
export function setPhase(repo: TestRepo, id: string, phase: string): void {
  const lines = repo.read(LEDGER).split('\n');
  const at = lines.findIndex((l) => l.trim() === `${id}:`);
  if (at < 0) throw new Error(`no ${id} in the ledger`);
  const phaseAt = lines.findIndex((l, i) => i > at && /^\s+phase:/.test(l));
  lines[phaseAt] = lines[phaseAt]!.replace(/phase:.*/, `phase: ${phase}`);
  repo.write(LEDGER, lines.join('\n'));
}

/** F-12 registered, its spec written and approved, at `specify`, committed. */
export function withApprovedSpec(repo: TestRepo): void {
  for (const args of [['add', 'Vector Configuration', '--id', 'F-12']]) expect(repo.cli(args).code).toBe(0);
  repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
  for (const args of [['specify', 'F-12'], ['approve', 'F-12']]) {
    const r = repo.cli(args);
    expect(r.code, r.stderr + r.stdout).toBe(0);
  }
  commit(repo, 'F-12: specify', { expect: 0 });
}

/** `git add -A && git commit`; asserts the exit code when `expect` is given. */
export function commit(repo: TestRepo, message: string, opts: { expect?: number; args?: string[]; env?: NodeJS.ProcessEnv; add?: boolean } = {}): RunResult {
  if (opts.add !== false) repo.git(['add', '-A']);
  const r = repo.git(['commit', '-q', '-m', message, ...(opts.args ?? [])], { allowFail: true, ...(opts.env ? { env: opts.env } : {}) });
  if (opts.expect !== undefined) expect(r.code, `${r.stderr}${r.stdout}`).toBe(opts.expect);
  return r;
}

export const head = (repo: TestRepo, rev = 'HEAD') => repo.git(['rev-parse', rev]).stdout.trim();
export const message = (repo: TestRepo, rev = 'HEAD') => repo.git(['log', '-1', '--format=%B', rev]).stdout;

/** A bare `origin` remote with `main` pushed to it (through the installed pre-push hook); returns its path. */
export function pushToNewRemote(repo: TestRepo, name = 'origin.git'): string {
  const bare = join(tempDir('specflow-remote-'), name);
  repo.git(['init', '-q', '--bare', bare]);
  repo.git(['remote', 'add', 'origin', bare]);
  repo.git(['push', '-q', 'origin', 'main']);
  return bare;
}
