import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { sarifErrors } from '../helpers/ci-formats.js';
import { GOOD_TASKS } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, installSpecflow, pushToNewRemote, setPhase, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, makeRepo, PROJECT_ROOT, tempDir, type RunResult, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 180_000 });

/**
 * The Action's script (action/verify.mjs) run the way GitHub runs it: in a fresh checkout of a
 * real repository, with GITHUB_EVENT_NAME, GITHUB_EVENT_PATH and the other variables a runner
 * sets, for push, new-branch, pull-request and shallow checkouts.
 */
const SCRIPT = join(PROJECT_ROOT, 'action', 'verify.mjs');
const ZERO = '0'.repeat(40);

interface Origin {
  dev: TestRepo;
  bare: string;
  /** main after an approved spec: passes. */
  good: string;
  /** main after a commit pushed with --no-verify that moves F-12 to complete with a task unchecked. */
  bad: string;
}

function origin(): Origin {
  const dev = gateRepo();
  const bare = pushToNewRemote(dev);
  withApprovedSpec(dev);
  const good = head(dev);
  setPhase(dev, 'F-12', 'complete');
  dev.write(`${F12_DIR}/tasks.md`, GOOD_TASKS);
  commit(dev, 'F-12: complete', { args: ['--no-verify'], expect: 0 });
  const bad = head(dev);
  dev.git(['push', '-q', '--no-verify', 'origin', 'main']);
  return { dev, bare, good, bad };
}

/** A runner's checkout of `ref` (`depth` for a shallow one), with the repository's dependencies installed. */
function checkout(o: Origin, ref: string, depth?: number): TestRepo {
  const ci = makeRepo({ git: false });
  ci.git(['clone', '-q', ...(depth ? ['--depth', String(depth)] : []), '--no-checkout', `file://${o.bare}`, '.']);
  ci.git(['checkout', '-q', '--detach', ref]);
  installSpecflow(ci, 'node_modules');
  return ci;
}

function runAction(ci: TestRepo, name: string, payload: object, env: Record<string, string> = {}): RunResult & { outputs: string } {
  const dir = tempDir('specflow-runner-');
  const eventPath = join(dir, 'event.json');
  const output = join(dir, 'output');
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(output, '');
  const r = spawnSync(process.execPath, [SCRIPT], {
    cwd: ci.dir,
    encoding: 'utf8',
    env: { ...ci.env, GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: eventPath, GITHUB_OUTPUT: output, GITHUB_WORKSPACE: ci.dir, ...env },
  });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, outputs: readFileSync(output, 'utf8') };
}

const repository = { default_branch: 'main' };
const annotationFor = /^::error file=\.specify\/specs\/f-12-vector-configuration\/tasks\.md,line=\d+,title=tasks\.unchecked::/m;

describe('the GitHub Action', () => {
  it('is a composite action that runs its script with the repository installed specflow', () => {
    const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; steps: { run: string }[] }; inputs: Record<string, unknown> };
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0]!.run).toContain('$GITHUB_ACTION_PATH/action/verify.mjs');
    expect(Object.keys(action.inputs)).toEqual(['range', 'sarif', 'fetch', 'working-directory']);
  });

  it('push: judges before..after, annotates the bypass and fails; a push of good commits passes', () => {
    const o = origin();
    const ci = checkout(o, o.bad);
    const r = runAction(ci, 'push', { before: o.good, after: o.bad, ref: 'refs/heads/main', repository }, { GITHUB_REF: 'refs/heads/main', GITHUB_SHA: o.bad });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(annotationFor);
    expect(r.outputs).toContain(`range=${o.good}..${o.bad}`);

    const first = o.dev.git(['rev-list', '--max-parents=0', 'HEAD']).stdout.trim();
    const ok = runAction(checkout(o, o.good), 'push', { before: first, after: o.good, repository }, { GITHUB_REF: 'refs/heads/main' });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    // A deletion brings nothing to judge.
    expect(runAction(ci, 'push', { before: o.bad, after: ZERO, deleted: true, repository }).code).toBe(0);
  });

  it('new branch (all-zero before): judges what the branch adds to the default branch', () => {
    const o = origin();
    // main is reset to the good commit on the server; the bypass lives on a new branch.
    o.dev.git(['push', '-q', '--no-verify', '--force', 'origin', `${o.good}:refs/heads/main`, `${o.bad}:refs/heads/feature`]);
    const ci = checkout(o, o.bad);
    const r = runAction(ci, 'push', { before: ZERO, after: o.bad, created: true, ref: 'refs/heads/feature', repository }, { GITHUB_REF: 'refs/heads/feature' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.outputs).toContain(`range=origin/main..${o.bad}`);
    expect(r.stdout).toMatch(annotationFor);
  });

  it('pull_request: judges base..head and writes SARIF that validates', () => {
    const o = origin();
    const ci = checkout(o, o.bad);
    const payload = { pull_request: { base: { sha: o.good, ref: 'main' }, head: { sha: o.bad, ref: 'feature' } }, repository };
    const r = runAction(ci, 'pull_request', payload, { INPUT_SARIF: 'specflow.sarif' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.outputs).toContain(`range=${o.good}..${o.bad}`);
    const log = JSON.parse(ci.read('specflow.sarif')) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toContain('tasks.unchecked');
  });

  it('shallow checkout: fetches the history it needs; with fetch: false it fails with the fix (exit 2)', () => {
    const o = origin();
    const payload = { before: o.good, after: o.bad, repository };
    const refused = runAction(checkout(o, 'main', 1), 'push', payload, { INPUT_FETCH: 'false', GITHUB_REF: 'refs/heads/main' });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/^::error title=specflow verify::.*fetch-depth: 0/m);

    const ci = checkout(o, 'main', 1);
    const r = runAction(ci, 'push', payload, { GITHUB_REF: 'refs/heads/main' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(annotationFor);
    expect(ci.git(['rev-parse', '--is-shallow-repository']).stdout.trim()).toBe('false');
  });

  it('fails with the fix when the repository has not installed specflow', () => {
    const o = origin();
    const ci = makeRepo({ git: false });
    ci.git(['clone', '-q', `file://${o.bare}`, '.']);
    const r = runAction(ci, 'push', { before: o.good, after: o.bad, repository });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('specflow is not installed in this repository');
  });
});
