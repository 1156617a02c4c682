import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { GOOD_SPEC, goodPlan } from './docs.js';
import { F12_DIR, setPhase } from './gate.js';
import { makeRepo, PROJECT_ROOT, tempDir, type RunResult, type TestRepo } from './repo.js';

/**
 * The package as a user gets it: `npm pack`ed, installed from the tarball into a fresh npm
 * project with the user's own npm cache and config (the repositories get their own HOME), and
 * run from the project's node_modules, never from the checkout.
 */
/** The npm cache and user config of whoever runs the tests (the repositories get their own HOME). */
const npmConfig = (key: string) => spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' }).stdout.trim();
let npmEnv: NodeJS.ProcessEnv | undefined;
const npmEnvironment = () => (npmEnv ??= { npm_config_cache: npmConfig('cache'), npm_config_userconfig: npmConfig('userconfig'), npm_config_update_notifier: 'false' });

/** Packs the project (once per test file: call from beforeAll) and returns the tarball's path. */
export function packTarball(): string {
  const out = tempDir('specflow-pack-');
  const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return join(out, (JSON.parse(r.stdout) as { filename: string }[])[0]!.filename);
}

/** husky as pinned by this project's lockfile, so the install is served from the cache. */
/** lefthook from npm, pinned (its binary comes in a per-platform optional dependency). */
export const LEFTHOOK = 'lefthook@2.2.2';

export const HUSKY = `husky@${(JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', 'husky', 'package.json'), 'utf8')) as { version: string }).version}`;

export function sh(repo: TestRepo, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(cmd, args, { cwd: repo.dir, env: { ...repo.env, ...npmEnvironment(), ...env }, encoding: 'utf8' });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export function ok(r: RunResult, what: string): RunResult {
  expect(r.code, `${what}:\n${r.stderr}${r.stdout}`).toBe(0);
  return r;
}

/** A fresh npm project in a new git repository, with `packages` installed as dev dependencies. */
export function userProject(packages: string[], files: Record<string, string> = {}): TestRepo {
  const repo = makeRepo();
  repo.files({ 'package.json': `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, scripts: {} }, null, 2)}\n`, '.gitignore': 'node_modules/\n', ...files });
  npmInstall(repo, packages);
  return repo;
}

export function npmInstall(repo: TestRepo, packages: string[]): void {
  ok(sh(repo, 'npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', ...packages]), `npm install ${packages.join(' ')}`);
}

/** The installed `specflow`, as `npx specflow` finds it. */
export function specflow(repo: TestRepo, args: string[]): RunResult {
  return sh(repo, join(repo.dir, 'node_modules', '.bin', 'specflow'), args);
}

export function commit(repo: TestRepo, message: string): RunResult {
  repo.git(['add', '-A']);
  return repo.git(['commit', '-q', '-m', message], { allowFail: true });
}

/** F-12 specified and approved, committed; then a plan move refused for a missing section, and accepted once it is written. */
export function walkPhaseCommits(repo: TestRepo): void {
  ok(specflow(repo, ['add', 'Vector Configuration', '--id', 'F-12']), 'add');
  repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
  ok(specflow(repo, ['specify', 'F-12']), 'specify');
  ok(specflow(repo, ['approve', 'F-12']), 'approve');
  ok(commit(repo, 'F-12: specify'), 'the specify commit');
  expect(repo.git(['log', '-1', '--format=%B']).stdout).toContain('Specflow-Phase: F-12 none -> specify');

  // An agent edits the ledger by hand past a plan that lacks a section: the hook refuses.
  repo.write(`${F12_DIR}/plan.md`, goodPlan({ omit: 'Failure modes' }));
  setPhase(repo, 'F-12', 'plan');
  const refused = commit(repo, 'F-12: plan');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('plan.section.missing');
  expect(refused.stderr).toContain('Failure modes');

  repo.write(`${F12_DIR}/plan.md`, goodPlan());
  ok(commit(repo, 'F-12: plan'), 'the plan commit');
  expect(repo.git(['log', '-1', '--format=%B']).stdout).toContain('Specflow-Phase: F-12 specify -> plan');
}

