import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { goodPlan } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, setPhase, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, PROJECT_ROOT, tempDir, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
// Each test makes a dozen real commits or pushes through the installed hooks.
vi.setConfig({ testTimeout: 120_000 });

const PLAN = `${F12_DIR}/plan.md`;

/** A bare remote named origin, with main pushed. */
function withRemote(repo: TestRepo, objectFormat?: 'sha256'): string {
  const bare = join(tempDir('specflow-remote-'), 'origin.git');
  repo.git(['init', '-q', '--bare', ...(objectFormat ? [`--object-format=${objectFormat}`] : []), bare]);
  repo.git(['remote', 'add', 'origin', bare]);
  const r = repo.git(['push', '-q', 'origin', 'main'], { allowFail: true });
  expect(r.code, r.stderr).toBe(0);
  return bare;
}

/** Advances F-12 to plan with a plan missing a section, skipping the pre-commit hook. */
function badAdvance(repo: TestRepo, subject = 'F-12: plan (no hook)'): string {
  repo.write(PLAN, goodPlan({ omit: 'Failure modes' }));
  setPhase(repo, 'F-12', 'plan');
  commit(repo, subject, { args: ['--no-verify'], expect: 0 });
  return head(repo);
}

const push = (repo: TestRepo, ...args: string[]) => repo.git(['push', ...args], { allowFail: true });
const short = (repo: TestRepo, oid: string) => repo.git(['rev-parse', '--short', oid]).stdout.trim();

describe('pre-push', () => {
  it('refuses a --no-verify commit that advances a phase, naming the commit, feature, move and findings', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    const bare = withRemote(repo);
    const bad = badAdvance(repo);
    const r = push(repo, 'origin', 'main');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('specflow: push refused');
    expect(r.stderr).toContain(`${short(repo, bad)} "F-12: plan (no hook)" (refs/heads/main)`);
    expect(r.stderr).toContain('F-12 ① specify → ② plan');
    expect(r.stderr).toContain('plan.section.missing');
    expect(repo.git(['--git-dir', bare, 'rev-parse', 'main']).stdout.trim()).not.toBe(bad);
  });

  it('checks only what the remote lacks when a new branch is pushed', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    withRemote(repo);
    // An old bad commit already on the remote (pushed with the hook skipped) is not judged again.
    badAdvance(repo);
    expect(push(repo, 'origin', 'main', '-q').code).not.toBe(0);
    const skipped = repo.git(['push', '-q', 'origin', 'main'], { allowFail: true, env: { SPECFLOW_SKIP: '1' } });
    expect(skipped.code, skipped.stderr).toBe(0);
    repo.git(['checkout', '-q', '-b', 'topic']);
    repo.write('src/a.txt', 'a\n');
    commit(repo, 'topic work', { expect: 0 });
    const ok = push(repo, '-q', 'origin', 'topic');
    expect(ok.code, ok.stderr).toBe(0);
    // …but a bad commit new on the branch is.
    repo.write(PLAN, goodPlan({ omit: 'Dependencies' }));
    setPhase(repo, 'F-12', 'tasks');
    commit(repo, 'F-12: tasks (no hook)', { args: ['--no-verify'], expect: 0 });
    repo.git(['checkout', '-q', '-b', 'topic2']);
    const r = push(repo, 'origin', 'topic2');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('F-12 ② plan → ③ tasks');
    expect(r.stderr).not.toContain('specify → ② plan');
  });

  it('lets a deletion through, whatever the deleted branch holds', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    withRemote(repo);
    repo.git(['checkout', '-q', '-b', 'doomed']);
    badAdvance(repo);
    expect(repo.git(['push', '-q', 'origin', 'doomed'], { allowFail: true, env: { SPECFLOW_SKIP: '1' } }).code).toBe(0);
    const r = push(repo, '-q', 'origin', '--delete', 'doomed');
    expect(r.code, r.stderr).toBe(0);
  });

  it('checks the commits behind a pushed tag', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    withRemote(repo);
    badAdvance(repo);
    repo.git(['tag', '-a', '-m', 'release', 'v1']);
    repo.git(['tag', 'light']);
    for (const tag of ['v1', 'light']) {
      const r = push(repo, 'origin', tag);
      expect(r.code, tag).not.toBe(0);
      expect(r.stderr).toContain('F-12 ① specify → ② plan');
    }
  });

  it('checks every pushed ref: a bad commit on the second of two refs is found', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    withRemote(repo);
    repo.git(['checkout', '-q', '-b', 'good']);
    repo.write('src/ok.txt', 'fine\n');
    commit(repo, 'good work', { expect: 0 });
    repo.git(['checkout', '-q', '-b', 'bad', 'main']);
    const bad = badAdvance(repo);
    const r = push(repo, 'origin', 'good', 'bad');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${short(repo, bad)} "F-12: plan (no hook)" (refs/heads/bad)`);
  });

  it('follows a HEAD~1:ref refspec: only the commits of HEAD~1 are pushed and judged', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    withRemote(repo);
    repo.write('src/ok.txt', 'fine\n');
    commit(repo, 'good work', { expect: 0 });
    badAdvance(repo);
    const ok = push(repo, '-q', 'origin', 'HEAD~1:refs/heads/partial');
    expect(ok.code, ok.stderr).toBe(0);
    expect(push(repo, 'origin', 'HEAD:refs/heads/all').code).not.toBe(0);
  });

  it('works in a SHA-256 repository', () => {
    const repo = gateRepo({ objectFormat: 'sha256' });
    withApprovedSpec(repo);
    expect(head(repo)).toHaveLength(64);
    withRemote(repo, 'sha256');
    repo.write(PLAN, goodPlan({ omit: 'Failure modes' }));
    setPhase(repo, 'F-12', 'plan');
    expect(commit(repo, 'F-12: plan', { expect: 1 }).stderr).toContain('plan.section.missing');
    commit(repo, 'F-12: plan (no hook)', { args: ['--no-verify'], expect: 0 });
    repo.git(['checkout', '-q', '-b', 'fresh']);
    const r = push(repo, 'origin', 'fresh');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('plan.section.missing');
  });

  it('reads empty input, unknown remote ids and malformed lines as the bundled hook entry', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    withRemote(repo);
    const bad = badAdvance(repo);
    const hook = (input: string) =>
      spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist', 'hook.js'), 'pre-push', 'origin', 'url'], { cwd: repo.dir, env: repo.env, input, encoding: 'utf8' });
    expect(hook('').status).toBe(0);
    // The remote claims a commit this clone never saw: everything not on origin's refs is judged.
    const unknown = hook(`refs/heads/main ${bad} refs/heads/main ${'1'.repeat(40)}\n`);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('plan.section.missing');
    const garbage = hook('not what git sends\n');
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toContain('cannot read what git is pushing');
  });
});
