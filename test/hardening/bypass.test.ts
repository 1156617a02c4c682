import { afterAll, describe, expect, it } from 'vitest';
import { goodPlan } from '../helpers/docs.js';
import { cleanupTempDirs, json, type RunResult, type TestRepo } from '../helpers/repo.js';
import { assertHookSane, F1_DIR, LEDGER, pushedRepo } from './support/hostile.js';

/**
 * Every way around the pre-commit hook — `--no-verify`, `SPECFLOW_SKIP=1`, a rebase, a
 * cherry-pick, a commit written with `git commit-tree` — leaves a commit that advances a phase
 * its own files do not support. Each is caught twice: by the pre-push hook, which refuses the
 * push, and by `specflow verify`, which CI runs over the pushed range.
 */
afterAll(cleanupTempDirs);

const PLAN = `${F1_DIR}/plan.md`;

/** Advances F-1 to plan in the working tree's ledger (the plan document is not there). */
function advanceLedger(repo: TestRepo): void {
  repo.write(LEDGER, repo.read(LEDGER).replace('phase: specify', 'phase: plan'));
}

const head = (repo: TestRepo, ref = 'HEAD') => repo.git(['rev-parse', ref]).stdout.trim();

/** A side branch with two good commits: T1 writes the plan, T2 advances F-1 to plan. Returns T1, T2. */
function goodTopic(repo: TestRepo): [string, string] {
  repo.git(['checkout', '-q', '-b', 'topic']);
  repo.write(PLAN, goodPlan());
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'F-1: the plan']);
  const t1 = head(repo);
  advanceLedger(repo);
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'F-1: advance to plan']);
  return [t1, head(repo)];
}

interface Bypass {
  name: string;
  /** Makes the offending commit on the current branch by going around pre-commit; returns the branch to push. */
  make(repo: TestRepo): string;
}

const BYPASSES: Bypass[] = [
  {
    name: 'git commit --no-verify',
    make(repo) {
      advanceLedger(repo);
      repo.git(['commit', '-q', '-am', 'F-1: plan (no verify)', '--no-verify']);
      return 'main';
    },
  },
  {
    name: 'SPECFLOW_SKIP=1 git commit',
    make(repo) {
      advanceLedger(repo);
      const r = repo.git(['commit', '-q', '-am', 'F-1: plan (skipped)'], { env: { SPECFLOW_SKIP: '1' } });
      expect(r.stderr).toMatch(/SPECFLOW_SKIP=1/);
      return 'main';
    },
  },
  {
    name: 'a rebase that drops the commit with the plan',
    make(repo) {
      const [t1] = goodTopic(repo);
      // Replays T2 alone onto main: no pre-commit hook runs for the rewritten commit.
      repo.git(['rebase', '-q', '--onto', 'main', t1, 'topic']);
      return 'topic';
    },
  },
  {
    name: 'a cherry-pick of the phase change without the plan',
    make(repo) {
      const [, t2] = goodTopic(repo);
      repo.git(['checkout', '-q', 'main']);
      repo.git(['cherry-pick', t2]);
      return 'main';
    },
  },
  {
    name: 'a commit written by hand with git commit-tree',
    make(repo) {
      advanceLedger(repo);
      repo.git(['add', LEDGER]);
      const tree = repo.git(['write-tree']).stdout.trim();
      const commit = repo.git(['commit-tree', tree, '-p', 'HEAD', '-m', 'F-1: plan (by hand)']).stdout.trim();
      repo.git(['update-ref', 'refs/heads/main', commit]);
      repo.git(['reset', '-q']);
      return 'main';
    },
  },
];

interface VerifyJson {
  ok: boolean;
  summary: { commits: number; violations: number };
  commits: { commit: string; ok: boolean; moves: unknown[] }[];
}

function push(repo: TestRepo, branch: string): RunResult {
  return repo.git(['push', 'origin', branch], { allowFail: true });
}

describe('going around the pre-commit hook', () => {
  it.each(BYPASSES.map((b) => [b.name, b] as const))('%s: caught by pre-push and by specflow verify', (_name, b) => {
    const repo = pushedRepo();
    const remoteBefore = repo.git(['ls-remote', 'origin']).stdout;
    const base = head(repo, 'origin/main');
    const branch = b.make(repo);
    const bad = head(repo, branch);
    // The bypass worked locally: the offending commit is there, advancing F-1 with no plan.
    expect(repo.git(['show', `${bad}:${LEDGER}`]).stdout).toMatch(/phase: plan/);
    expect(repo.git(['ls-tree', '-r', '--name-only', bad]).stdout).not.toContain(PLAN);

    const refused = push(repo, branch);
    assertHookSane(refused, { refused: true, says: /push refused[\s\S]*F-1/ });
    expect(refused.stderr).toContain(bad.slice(0, 7));
    expect(repo.git(['ls-remote', 'origin']).stdout).toBe(remoteBefore);

    const verify = repo.cli(['verify', '--range', `origin/main..${branch}`, '--json']);
    expect(verify.code, verify.stderr).toBe(1);
    const v = json<VerifyJson>(verify);
    expect(v.ok).toBe(false);
    expect(v.summary.violations).toBe(1);
    expect(v.commits.find((c) => c.commit === bad)?.ok).toBe(false);
    const human = repo.cli(['verify', '--range', `origin/main..${branch}`]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(bad.slice(0, 7));

    // Skipping the pre-push hook too gets the commit out, and verify in CI still catches it.
    const skipped = repo.git(['push', 'origin', branch], { env: { SPECFLOW_SKIP: '1' }, allowFail: true });
    expect(skipped.code, skipped.stderr).toBe(0);
    const ci = repo.cli(['verify', '--range', `${base}..origin/${branch}`, '--json']);
    expect(json<VerifyJson>(ci).summary.violations).toBeGreaterThanOrEqual(1);
  });

  it('the same phase change made through the hook, with its plan, pushes and verifies clean', () => {
    const repo = pushedRepo();
    goodTopic(repo);
    const r = push(repo, 'topic');
    assertHookSane(r, { refused: false });
    const verify = repo.cli(['verify', '--range', 'origin/main..topic', '--json']);
    expect(verify.code, verify.stdout).toBe(0);
    // Both commits are judged: the plan's (it changes F-1's documents) and the phase change.
    expect(json<VerifyJson>(verify).summary).toEqual({ commits: 2, violations: 0 });
  });
});
