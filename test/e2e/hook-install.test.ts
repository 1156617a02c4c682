import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GOOD_SPEC, goodPlan } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, installSpecflow, LEDGER, message, pushToNewRemote, setPhase, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, json, makeRepo, PROJECT_ROOT, tempDir, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
// Each test makes a dozen real commits or pushes through the installed hooks.
vi.setConfig({ testTimeout: 120_000 });

const PLAN = `${F12_DIR}/plan.md`;
const HOOKS = ['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push'];

function badAdvance(repo: TestRepo): void {
  repo.write(PLAN, goodPlan({ omit: 'Failure modes' }));
  setPhase(repo, 'F-12', 'plan');
}

/** Sets husky 9 up the way `npm install` does (its `prepare` script), with the real husky. */
function useHusky(repo: TestRepo, userHooks: Record<string, string> = {}): void {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  for (const [hook, text] of Object.entries(userHooks)) repo.write(`.husky/${hook}`, text);
}

describe('specflow init in a plain repository', () => {
  it('installs the shims into git’s hooks directory, idempotently, without touching core.hooksPath', () => {
    const repo = gateRepo();
    for (const hook of HOOKS) expect(statSync(join(repo.dir, '.git', 'hooks', hook)).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'hooks', 'specflow.sh'), 'utf8')).toBe(readFileSync(join(PROJECT_ROOT, 'hooks', 'specflow.sh'), 'utf8'));
    expect(repo.git(['config', '--get', 'core.hooksPath'], { allowFail: true }).code).toBe(1);
    const again = repo.cli(['init', '--json']);
    expect(json<{ steps: string[] }>(again).steps).toEqual([]);
  });

  it('keeps a hook the user already had and still runs it, stdin included', () => {
    const repo = gateRepo({
      before: (r) => {
        r.write('.git/hooks/pre-commit', '#!/bin/sh\necho "user pre-commit ran" > user-hook.log\n');
        r.write('.git/hooks/pre-push', '#!/bin/sh\ncat > pushed.log\n');
        chmodSync(join(r.dir, '.git/hooks/pre-commit'), 0o755);
        chmodSync(join(r.dir, '.git/hooks/pre-push'), 0o755);
        r.write('.gitignore', 'node_modules/\n*.log\n');
      },
    });
    expect(existsSync(join(repo.dir, '.git/hooks/pre-commit.local'))).toBe(true);
    expect(repo.read('user-hook.log')).toBe('user pre-commit ran\n');
    withApprovedSpec(repo);
    badAdvance(repo);
    commit(repo, 'bad', { expect: 1 });
    repo.write(PLAN, goodPlan());
    commit(repo, 'good', { expect: 0 });
    pushToNewRemote(repo);
    expect(repo.read('pushed.log')).toBe(`refs/heads/main ${head(repo)} refs/heads/main ${'0'.repeat(40)}\n`);
    // Running init again neither moves the user's hook a second time nor duplicates anything.
    expect(json<{ steps: string[] }>(repo.cli(['init', '--json'])).steps).toEqual([]);
    expect(readFileSync(join(repo.dir, '.git/hooks/pre-commit.local'), 'utf8')).toContain('user pre-commit ran');
  });

  it('guards commits made in a linked worktree (the hooks live in the common git directory)', () => {
    const repo = gateRepo({ via: 'path' });
    withApprovedSpec(repo);
    const wt = join(tempDir('specflow-wt-'), 'wt');
    repo.git(['worktree', 'add', '-q', '-b', 'wt-branch', wt]);
    const inWt = (args: string[]) => spawnSync('git', args, { cwd: wt, env: repo.env, encoding: 'utf8' });
    mkdirSync(join(wt, F12_DIR), { recursive: true });
    writeFileSync(join(wt, PLAN), goodPlan({ omit: 'Failure modes' }));
    writeFileSync(join(wt, LEDGER), readFileSync(join(wt, LEDGER), 'utf8').replace('phase: specify', 'phase: plan'));
    inWt(['add', '-A']);
    const r = inWt(['commit', '-q', '-m', 'F-12: plan']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('plan.section.missing');
  });
});

describe('specflow init with husky', () => {
  it('adds one line to each .husky hook, keeps the user’s lines, and both run', () => {
    const repo = gateRepo({
      before: (r) => {
        useHusky(r, { 'pre-commit': 'echo "lint ran" > lint.log\n', 'pre-push': 'cat > pushed.log\n' });
        r.write('.gitignore', 'node_modules/\n*.log\n');
      },
    });
    const preCommit = repo.read('.husky/pre-commit');
    expect(preCommit).toBe('. "${0%/*}/specflow.sh"\necho "lint ran" > lint.log\n');
    for (const hook of ['commit-msg', 'pre-merge-commit']) expect(repo.read(`.husky/${hook}`)).toBe('. "${0%/*}/specflow.sh"\n');
    expect(repo.read('.husky/specflow.sh')).toBe(readFileSync(join(PROJECT_ROOT, 'hooks', 'specflow.sh'), 'utf8'));
    expect(existsSync(join(repo.dir, '.git/hooks/pre-commit'))).toBe(false);
    expect(repo.git(['config', 'core.hooksPath']).stdout.trim()).toBe('.husky/_');
    expect(repo.read('lint.log')).toBe('lint ran\n');

    withApprovedSpec(repo);
    badAdvance(repo);
    expect(commit(repo, 'bad', { expect: 1 }).stderr).toContain('plan.section.missing');
    repo.write(PLAN, goodPlan());
    commit(repo, 'F-12: plan', { expect: 0 });
    expect(message(repo)).toContain('Specflow-Phase: F-12 specify -> plan');

    pushToNewRemote(repo);
    // Our line read git's push list first and handed it on to the user's line.
    expect(repo.read('pushed.log')).toBe(`refs/heads/main ${head(repo)} refs/heads/main ${'0'.repeat(40)}\n`);
    expect(json<{ steps: string[] }>(repo.cli(['init', '--json'])).steps).toEqual([]);
    expect(repo.read('.husky/pre-commit')).toBe(preCommit);
  });

  it('keeps husky 8’s header lines first', () => {
    const repo = gateRepo({
      before: (r) => {
        useHusky(r);
        r.write('.husky/pre-commit', '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\necho tests\n');
      },
    });
    expect(repo.read('.husky/pre-commit')).toBe('#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n. "${0%/*}/specflow.sh"\n\necho tests\n');
  });
});

describe('this repository', () => {
  it('uses its own shims through husky, and its copy of the shim is current', () => {
    const own = (rel: string) => readFileSync(join(PROJECT_ROOT, rel), 'utf8');
    expect(own('.husky/specflow.sh')).toBe(own('hooks/specflow.sh'));
    for (const hook of HOOKS) expect(own(`.husky/${hook}`)).toContain('. "${0%/*}/specflow.sh"');
    // No install-time script ships in the package: contributors turn the hooks on with `npx husky`, as the README says.
    expect((JSON.parse(own('package.json')) as { scripts: Record<string, string> }).scripts.prepare).toBeUndefined();
    expect(own('README.md')).toContain('npx husky');
  });
});

describe('the ledger merge driver', () => {
  function twoBranches(): TestRepo {
    const repo = gateRepo();
    repo.write('.maestro/config.yaml', `${repo.read('.maestro/config.yaml')}`.replace(/^require_approval: true$/m, 'require_approval: false'));
    for (const [id, name] of [
      ['F-1', 'Search'],
      ['F-2', 'Export'],
    ])
      expect(repo.cli(['add', name!, '--id', id!]).code).toBe(0);
    commit(repo, 'two features', { expect: 0 });
    expect(repo.read('.gitattributes')).toContain('.maestro/ledger.yaml merge=specflow-ledger');
    return repo;
  }

  const specify = (repo: TestRepo, id: string, slug: string) => {
    repo.write(`.specify/specs/${slug}/spec.md`, GOOD_SPEC);
    const r = repo.cli(['specify', id]);
    expect(r.code, r.stderr).toBe(0);
  };

  it('merges branches that advance and add different features without a conflict', () => {
    const repo = twoBranches();
    expect(repo.git(['config', 'merge.specflow-ledger.driver']).stdout.trim()).toBe('sh "$(git rev-parse --git-path hooks)/specflow.sh" merge-ledger %O %A %B');
    repo.git(['checkout', '-q', '-b', 'a']);
    specify(repo, 'F-1', 'f-1-search');
    expect(repo.cli(['add', 'Import', '--id', 'F-3']).code).toBe(0);
    commit(repo, 'F-1: specify, F-3 added', { expect: 0 });
    repo.git(['checkout', '-q', '-b', 'b', 'main']);
    specify(repo, 'F-2', 'f-2-export');
    // Both branches append a feature at the end of the file: a line merge would conflict there.
    expect(repo.cli(['add', 'Audit', '--id', 'F-4']).code).toBe(0);
    commit(repo, 'F-2: specify, F-4 added', { expect: 0 });
    const merge = repo.git(['merge', '--no-edit', 'a'], { allowFail: true });
    expect(merge.code, merge.stderr + merge.stdout).toBe(0);
    const status = json<{ features: { id: string; phase: string }[] }>(repo.cli(['status', '--json']));
    expect(status.features.map((f) => [f.id, f.phase])).toEqual([
      ['F-1', 'specify'],
      ['F-2', 'specify'],
      ['F-3', 'none'],
      ['F-4', 'none'],
    ]);
  });

  it('writes a readable conflict when both branches change one feature differently', () => {
    const repo = twoBranches();
    repo.git(['checkout', '-q', '-b', 'a']);
    expect(repo.cli(['skip', 'F-1', '--reason', 'not needed']).code).toBe(0);
    commit(repo, 'skip F-1', { expect: 0 });
    repo.git(['checkout', '-q', '-b', 'b', 'main']);
    repo.write(LEDGER, repo.read(LEDGER).replace('phase: none\n    spec_path: .specify/specs/f-1', 'phase: none\n    status: blocked\n    reason: waiting for the index\n    spec_path: .specify/specs/f-1'));
    commit(repo, 'block F-1', { expect: 0 });
    const merge = repo.git(['merge', '--no-edit', 'a'], { allowFail: true });
    expect(merge.code).not.toBe(0);
    expect(merge.stdout).toContain('CONFLICT');
    const text = repo.read(LEDGER);
    expect(text).toMatch(/<<<<<<< ours \(F-1 changed on both sides\)\n {2}F-1:\n[\s\S]*status: blocked[\s\S]*=======\n {2}F-1:\n[\s\S]*status: skipped[\s\S]*>>>>>>> theirs\n/);
    // The other feature merged normally, outside the markers.
    expect(text).toMatch(/>>>>>>> theirs\n\n {2}F-2:/);
    expect(repo.cli(['status']).code).toBe(3);
  });
});

describe("a teammate's clone", () => {
  it('init puts `specflow setup` in the prepare script where package.json lists specflowd, once, after husky', () => {
    const repo = gateRepo({
      before: (r) => r.write('package.json', '{\n    "name": "app",\n    "scripts": { "prepare": "husky" },\n    "devDependencies": { "specflowd": "^0.1.0" }\n}\n'),
    });
    const pkg = repo.read('package.json');
    expect(JSON.parse(pkg)).toMatchObject({ name: 'app', scripts: { prepare: 'husky && specflow setup' } });
    expect(pkg).toContain('\n    "name"');
    const again = json<{ steps: string[]; next: string[] }>(repo.cli(['init', '--json']));
    expect(again.steps).toEqual([]);
    expect(again.next.join('\n')).not.toContain('teammates');
    expect(repo.read('package.json')).toBe(pkg);
  });

  it('without specflowd in package.json, init says what each clone runs, and `specflow setup` there installs hooks and merge driver', () => {
    const repo = gateRepo({ before: (r) => r.write('package.json', '{ "name": "app" }\n') });
    expect(repo.read('package.json')).toBe('{ "name": "app" }\n');
    const init = json<{ next: string[] }>(repo.cli(['init', '--json']));
    expect(init.next.join('\n')).toContain('each clone runs `specflow setup` once');
    const bare = pushToNewRemote(repo);
    const clone = makeRepo({ git: false });
    clone.git(['clone', '-q', bare, '.']);
    installSpecflow(clone, 'node_modules');
    expect(existsSync(join(clone.dir, '.git/hooks/pre-commit'))).toBe(false);
    const setup = clone.cli(['setup']);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('.git/hooks/pre-commit');
    expect(clone.git(['config', '--get', 'merge.specflow-ledger.driver']).stdout).toContain('merge-ledger');
    expect(clone.cli(['setup'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('setup does nothing, and exits 0, outside a repository or where specflow is not set up (an install must not fail)', () => {
    expect(makeRepo({ git: false }).cli(['setup'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const plain = makeRepo();
    expect(plain.cli(['setup'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(plain.dir, '.git/hooks/pre-commit'))).toBe(false);
  });
});
