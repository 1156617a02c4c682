import { afterAll, describe, expect, it, vi } from 'vitest';
import { GOOD_TASKS, goodPlan } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, setPhase, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, json, makeRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
// Each test makes a dozen real commits or pushes through the installed hooks.
vi.setConfig({ testTimeout: 120_000 });

interface Change {
  commit: string;
  author: string;
  date: string;
  feature: string;
  from: string;
  to: string;
  gate: string;
  trailer: boolean;
  findings: { code: string }[];
}

describe('specflow log', () => {
  it('lists every phase change from the ledger history, with its gate verdict and whether the trailer is there', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    const specified = head(repo);
    repo.write(`${F12_DIR}/plan.md`, goodPlan());
    setPhase(repo, 'F-12', 'plan');
    commit(repo, 'F-12: plan', { expect: 0 });
    const planned = head(repo);
    // A commit that skips the hooks: no trailer, and a gate that does not hold.
    setPhase(repo, 'F-12', 'complete');
    repo.write(`${F12_DIR}/tasks.md`, GOOD_TASKS);
    commit(repo, 'F-12: complete', { args: ['--no-verify'], expect: 0 });
    const completed = head(repo);
    // A side branch moves it back; merged into main, the move is listed once, at its own commit.
    repo.git(['checkout', '-q', '-b', 'side']);
    setPhase(repo, 'F-12', 'tasks');
    commit(repo, 'F-12: back to tasks', { expect: 0 });
    const back = head(repo);
    repo.git(['checkout', '-q', 'main']);
    repo.write('other.txt', 'x\n');
    commit(repo, 'unrelated', { expect: 0 });
    repo.git(['merge', '-q', '--no-edit', 'side']);

    const r = repo.cli(['log', 'F-12', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { changes } = json<{ changes: Change[] }>(r);
    expect(changes.map((c) => [c.commit, c.from, c.to, c.gate, c.trailer])).toEqual([
      [specified, 'none', 'specify', 'held', true],
      [planned, 'specify', 'plan', 'held', true],
      [completed, 'plan', 'complete', 'failed', false],
      [back, 'complete', 'tasks', 'not-gated', true],
    ]);
    expect(changes[2]!.findings.map((f) => f.code)).toEqual(['tasks.unchecked', 'tasks.unchecked']);
    expect(changes[0]).toMatchObject({ author: 'Test User', date: '2026-11-24T10:00:00+00:00', feature: 'F-12' });

    const text = repo.cli(['log', 'f-12']);
    expect(text.stdout).toMatch(/F-12 +② plan → ● complete +GATE FAILED +no trailer/);
    // A feature neither the ledger nor the history knows is a usage error, as in every command.
    const unknown = repo.cli(['log', 'F-99', '--json']);
    expect(unknown.code).toBe(2);
    expect(json<{ ok: boolean; error: { code: string } }>(unknown)).toMatchObject({ ok: false, error: { code: 'feature.unknown' } });
  });

  it('answers for a repository without commits', () => {
    const repo = makeRepo();
    const r = repo.cli(['log', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toEqual({ ok: true, feature: null, changes: [], events: [] });
  });
});

describe('specflow verify', () => {
  it('passes a range whose phase changes all held, and fails one with a violation', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write(`${F12_DIR}/plan.md`, goodPlan());
    setPhase(repo, 'F-12', 'plan');
    commit(repo, 'F-12: plan', { expect: 0 });
    const ok = repo.cli(['verify', '--range', 'HEAD~2..HEAD']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('2 commit(s) in HEAD~2..HEAD judged; 0 violate a rule');

    setPhase(repo, 'F-12', 'tasks');
    commit(repo, 'F-12: tasks', { args: ['--no-verify'], expect: 0 });
    const bad = repo.cli(['verify', '--range', 'HEAD~1..HEAD']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/F-12 ② plan → ③ tasks +GATE FAILED/);
    expect(bad.stdout).toContain('tasks.missing');
  });

  it('refuses a range git does not know with exit 2 and one JSON document', () => {
    const repo = gateRepo();
    const r = repo.cli(['verify', '--range', 'nope..HEAD', '--json']);
    expect(r.code).toBe(2);
    expect(json<{ ok: boolean; error: { code: string } }>(r)).toMatchObject({ ok: false, error: { code: 'usage.range' } });
    expect(repo.cli(['verify']).code).toBe(2);
  });
});
