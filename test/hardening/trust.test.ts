import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GOOD_SPEC, GOOD_TASKS, goodPlan } from '../helpers/docs.js';
import { cleanupTempDirs, json, makeRepo, tempDir, type RunResult, type TestRepo } from '../helpers/repo.js';
import { F1_DIR, installTool, LEDGER, pushedRepo } from './support/hostile.js';

/**
 * The invariant, case by case: every commit of a pushed range either has each feature's phase
 * backed by that commit's own documents under the gates in force at that commit, or it is
 * refused by pre-push and failed by `specflow verify`. Each case below went through before.
 */
afterAll(cleanupTempDirs);

interface VerifyJson {
  ok: boolean;
  summary: { commits: number; violations: number };
  commits: { commit: string; ok: boolean; blocking: { code: string }[]; regressions: { id: string; findings: { code: string }[] }[]; moves: { gate: string; findings: { code: string }[] }[] }[];
}

const PLAN = `${F1_DIR}/plan.md`;
const F2_DIR = '.specify/specs/f-2-search-index';
const head = (repo: TestRepo, ref = 'HEAD') => repo.git(['rev-parse', ref]).stdout.trim();

function commitAll(repo: TestRepo, message: string, args: string[] = [], expectCode?: number): RunResult {
  repo.git(['add', '-A']);
  const r = repo.git(['commit', '-q', '-m', message, ...args], { allowFail: true });
  if (expectCode !== undefined) expect(r.code, r.stderr + r.stdout).toBe(expectCode);
  return r;
}

const setPhase = (repo: TestRepo, id: string, from: string, to: string) => {
  const text = repo.read(LEDGER);
  const at = text.indexOf(`  ${id}:\n`);
  const phaseAt = text.indexOf(`phase: ${from}`, at);
  expect(phaseAt, `${id} at ${from}`).toBeGreaterThan(at);
  repo.write(LEDGER, text.slice(0, phaseAt) + `phase: ${to}` + text.slice(phaseAt + `phase: ${from}`.length));
};

/** Both outer checks refuse: verify over origin/main..HEAD exits 1 naming `bad`, and pushing to the bare remote is refused. */
function refusedEverywhere(repo: TestRepo, bad: string, code?: string): VerifyJson {
  const v = repo.cli(['verify', '--range', 'origin/main..HEAD', '--json']);
  expect(v.code, v.stdout + v.stderr).toBe(1);
  const report = json<VerifyJson>(v);
  const offending = report.commits.find((c) => c.commit === bad);
  expect(offending?.ok, JSON.stringify(report.commits, null, 1)).toBe(false);
  if (code) {
    const codes = [...offending!.blocking, ...offending!.regressions.flatMap((r) => r.findings), ...offending!.moves.flatMap((m) => m.findings)].map((f) => f.code);
    expect(codes).toContain(code);
  }
  const push = repo.git(['push', 'origin', 'HEAD:main'], { allowFail: true });
  expect(push.code, push.stderr).not.toBe(0);
  expect(push.stderr).toContain('push refused');
  expect(push.stderr).toContain(bad.slice(0, 7));
  return report;
}

describe('what no sequence of commits may do', () => {
  it('1. .maestro made a symlink, then a phase moved through it: refused at the symlink commit', () => {
    const repo = pushedRepo();
    repo.git(['mv', '.maestro', 'meta']);
    symlinkSync('meta', join(repo.dir, '.maestro'));
    expect(commitAll(repo, 'move the ledger folder').code).not.toBe(0);
    commitAll(repo, 'move the ledger folder', ['--no-verify'], 0);
    const linked = head(repo);
    repo.write('meta/ledger.yaml', repo.read('meta/ledger.yaml').replace('phase: specify', 'phase: complete'));
    commitAll(repo, 'F-1: complete', ['--no-verify'], 0);
    const report = refusedEverywhere(repo, linked, 'maestro.not-a-directory');
    expect(report.commits.find((c) => c.commit === head(repo))?.ok).toBe(false);
  });

  it('1b. a ledger file committed as a symlink is a violation, never followed', () => {
    const repo = pushedRepo();
    repo.write('elsewhere.yaml', repo.read(LEDGER).replace('phase: specify', 'phase: complete'));
    repo.git(['rm', '-q', '--cached', LEDGER]);
    rmSync(join(repo.dir, LEDGER));
    symlinkSync('../elsewhere.yaml', join(repo.dir, LEDGER));
    commitAll(repo, 'ledger elsewhere', ['--no-verify'], 0);
    refusedEverywhere(repo, head(repo), 'ledger.not-a-file');
  });

  it('2. break the config in one commit, loosen it in the next: the gates before the break still judge', () => {
    const repo = pushedRepo();
    repo.write('.maestro/config.yaml', 'gates: [\n');
    commitAll(repo, 'oops', ['--no-verify'], 0);
    const broken = head(repo);
    repo.write('.maestro/config.yaml', 'version: 1\ngates:\n  plan:\n    file: spec.md\n    sections: []\n    principles: []\n');
    setPhase(repo, 'F-1', 'specify', 'plan');
    expect(commitAll(repo, 'loosen and advance').code).not.toBe(0);
    commitAll(repo, 'loosen and advance', ['--no-verify'], 0);
    const loosened = head(repo);
    const report = refusedEverywhere(repo, broken, 'config.unparsable');
    const second = report.commits.find((c) => c.commit === loosened)!;
    expect(second.ok).toBe(false);
    expect(second.moves[0]?.findings.map((f) => f.code)).toContain('plan.missing');
  });

  it('3. a spec_path pointed at another feature\'s folder cannot borrow its documents', () => {
    const repo = pushedRepo();
    expect(repo.cli(['add', 'Search Index', '--id', 'F-2']).code).toBe(0);
    repo.write(`${F2_DIR}/spec.md`, GOOD_SPEC);
    repo.write(`${F2_DIR}/plan.md`, goodPlan());
    commitAll(repo, 'F-2 folder', [], 0);
    repo.write(LEDGER, repo.read(LEDGER).replace(`spec_path: ${F1_DIR}`, `spec_path: ${F2_DIR}`));
    setPhase(repo, 'F-1', 'specify', 'plan');
    const refused = commitAll(repo, 'F-1: plan, borrowed');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('spec_path.foreign');
    commitAll(repo, 'F-1: plan, borrowed', ['--no-verify'], 0);
    refusedEverywhere(repo, head(repo), 'spec_path.foreign');
  });

  it('5. an amend that drops the plan from the commit that advanced the phase is refused', () => {
    const repo = pushedRepo();
    repo.write(PLAN, goodPlan());
    setPhase(repo, 'F-1', 'specify', 'plan');
    commitAll(repo, 'F-1: plan', [], 0);
    repo.git(['rm', '-q', PLAN]);
    const amend = repo.git(['commit', '-q', '--amend', '--no-edit'], { allowFail: true });
    expect(amend.code, amend.stderr).toBe(1);
    expect(amend.stderr).toContain('plan.missing');
    expect(amend.stderr).toContain('specflow phase F-1');
    repo.git(['commit', '-q', '--amend', '--no-edit', '--no-verify']);
    refusedEverywhere(repo, head(repo), 'plan.missing');
  });

  it('a document edit that breaks an earlier gate is refused; moving the phase back in the same commit records it', () => {
    const repo = pushedRepo();
    repo.write(`${F1_DIR}/spec.md`, '# Vector Configuration\n\n[NEEDS CLARIFICATION: which store?]\n');
    const refused = commitAll(repo, 'spec: open question');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('spec.needs-clarification');
    setPhase(repo, 'F-1', 'specify', 'none');
    commitAll(repo, 'spec: open question, back to none', [], 0);
    const v = repo.cli(['verify', '--range', 'origin/main..HEAD', '--json']);
    expect(v.code, v.stdout).toBe(0);
  });

  it('regression: warn reports and lets through; skipped features are exempt', () => {
    const repo = pushedRepo();
    repo.write('.maestro/config.yaml', `${repo.read('.maestro/config.yaml')}\nregression: warn\n`);
    commitAll(repo, 'regression: warn', [], 0);
    repo.write(`${F1_DIR}/spec.md`, '# Vector Configuration\n\nTODO\n');
    commitAll(repo, 'spec: todo', [], 0);
    const v = repo.cli(['verify', '--range', 'origin/main..HEAD', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toContain('spec.placeholder');
  });

  it('10. a trailer that lies about the commit is a violation', () => {
    const repo = pushedRepo();
    repo.write('notes.txt', 'hello\n');
    commitAll(repo, 'notes\n\nSpecflow-Phase: F-1 plan -> complete', ['--no-verify'], 0);
    refusedEverywhere(repo, head(repo), 'trailer.mismatch');
  });

  it('commit-msg replaces stale trailers: an amend that goes one phase further records the whole move', () => {
    const repo = pushedRepo();
    repo.write(PLAN, goodPlan());
    setPhase(repo, 'F-1', 'specify', 'plan');
    commitAll(repo, 'F-1: plan', [], 0);
    repo.write(`${F1_DIR}/tasks.md`, GOOD_TASKS);
    setPhase(repo, 'F-1', 'plan', 'tasks');
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '--amend', '--no-edit']);
    const message = repo.git(['log', '-1', '--format=%B']).stdout;
    expect(message.match(/Specflow-Phase: .*/g)).toEqual(['Specflow-Phase: F-1 specify -> tasks']);
    const v = repo.cli(['verify', '--range', 'origin/main..HEAD', '--json']);
    expect(v.code, v.stdout).toBe(0);
  });

  it('11. a range that reaches past a shallow boundary is exit 2 with the fix, never a pass', () => {
    const repo = pushedRepo();
    repo.write(PLAN, goodPlan());
    setPhase(repo, 'F-1', 'specify', 'plan');
    commitAll(repo, 'F-1: plan', [], 0);
    repo.git(['push', '-q', 'origin', 'main']);
    const clone = join(tempDir('specflow-shallow-'), 'clone');
    const origin = repo.git(['remote', 'get-url', 'origin']).stdout.trim();
    repo.git(['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    const r = repo.cli(['verify', '--range', 'HEAD~5..HEAD', '--json'], { cwd: clone });
    expect(r.code, r.stdout).toBe(2);
    const all = repo.cli(['verify', '--range', 'HEAD', '--json'], { cwd: clone });
    expect(all.code, all.stdout).toBe(2);
    expect(json<{ error: { code: string; hint: string } }>(all).error).toMatchObject({ code: 'history.shallow' });
    expect(all.stdout).toContain('fetch');
  });

  it('12. the commit that adopts specflow is judged by its own config', () => {
    const repo = makeRepo();
    installTool(repo);
    repo.write('specs/001-login/spec.md', GOOD_SPEC);
    repo.write('specs/001-login/plan.md', '# Plan\n\n## Summary\n\nLog in with a password.\n');
    repo.write('README.md', '# app\n');
    commitAll(repo, 'before specflow', [], 0);
    repo.write('.maestro/config.yaml', 'version: 1\nspecs_dir: specs\nid_scheme: spec-kit\nrequire_approval: false\ngates:\n  plan:\n    sections: [Summary]\n    principles: []\n');
    const init = repo.cli(['init', '--adopt-phases']);
    expect(init.code, init.stderr).toBe(0);
    expect(repo.read(LEDGER)).toContain('phase: plan');
    commitAll(repo, 'adopt specflow', [], 0);
    const v = repo.cli(['verify', '--range', 'HEAD~1..HEAD', '--json']);
    expect(v.code, v.stdout).toBe(0);
  });
});

describe('only inside the repository', () => {
  it('4. init with a core.hooksPath outside the repository writes nothing there, exits 2 and prints the line to add', () => {
    const repo = makeRepo();
    const shared = tempDir('specflow-shared-hooks-');
    writeFileSync(join(shared, 'pre-commit'), '#!/bin/sh\necho shared\n', { mode: 0o755 });
    const before = readdirSync(shared).map((f) => [f, readFileSync(join(shared, f), 'utf8')]);
    repo.git(['config', 'core.hooksPath', shared]);
    const r = repo.cli(['init']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('outside this repository');
    expect(r.stderr).toContain('node_modules/specflowd/hooks/specflow.sh');
    expect(readdirSync(shared).map((f) => [f, readFileSync(join(shared, f), 'utf8')])).toEqual(before);
  });
});
