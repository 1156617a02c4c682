import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GOOD_SPEC, goodPlan } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, LEDGER, message, setPhase, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, json, makeRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
// Each test makes a dozen real commits or pushes through the installed hooks.
vi.setConfig({ testTimeout: 120_000 });

const PLAN = `${F12_DIR}/plan.md`;
const BAD_PLAN = goodPlan({ omit: 'Failure modes' });

describe('pre-commit', () => {
  it('refuses a phase advance the committed plan does not support, and lets the fixed plan through', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write(PLAN, BAD_PLAN);
    setPhase(repo, 'F-12', 'plan');
    const refused = commit(repo, 'F-12: plan', { expect: 1 });
    expect(refused.stderr).toContain('specflow: commit refused');
    expect(refused.stderr).toContain('F-12 ① specify → ② plan');
    expect(refused.stderr).toMatch(/plan\.md: error F-12 plan\.md has no "Failure modes" section \[plan\.section\.missing\]/);
    expect(refused.stderr).toContain('SPECFLOW_SKIP=1');
    repo.write(PLAN, goodPlan());
    commit(repo, 'F-12: plan', { expect: 0 });
    expect(message(repo)).toContain('Specflow-Phase: F-12 specify -> plan');
    // The note pre-commit leaves for commit-msg is gone once the commit is made.
    expect(existsSync(join(repo.dir, '.git', 'specflow-commit-note'))).toBe(false);
  });

  it('reads the documents from the index: a bad plan staged with a good one only in the working tree is refused', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write(PLAN, BAD_PLAN);
    repo.git(['add', PLAN]);
    repo.write(PLAN, goodPlan());
    setPhase(repo, 'F-12', 'plan');
    repo.git(['add', LEDGER]);
    const r = commit(repo, 'F-12: plan', { add: false, expect: 1 });
    expect(r.stderr).toContain('plan.section.missing');
    // …and the other way round: a good plan staged, a bad one in the working tree, passes.
    repo.git(['add', PLAN]);
    repo.write(PLAN, BAD_PLAN);
    commit(repo, 'F-12: plan', { add: false, expect: 0 });
    expect(repo.git(['show', `HEAD:${PLAN}`]).stdout).toBe(goodPlan());
  });

  it('follows `commit -a`, which commits a temporary index built from the working tree', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write(PLAN, goodPlan());
    repo.git(['add', PLAN]);
    commit(repo, 'plan draft', { add: false, expect: 0 });
    repo.write(PLAN, BAD_PLAN);
    setPhase(repo, 'F-12', 'plan');
    expect(commit(repo, 'F-12: plan', { add: false, args: ['-a'], expect: 1 }).stderr).toContain('plan.section.missing');
    // The real index still holds nothing new; `commit -a` with the good plan back passes.
    repo.write(PLAN, goodPlan());
    commit(repo, 'F-12: plan', { add: false, args: ['-a'], expect: 0 });
  });

  it('follows `commit <path>`, which commits those paths from the working tree and nothing else staged', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write(PLAN, goodPlan());
    repo.git(['add', PLAN]);
    setPhase(repo, 'F-12', 'plan');
    // Only the ledger goes into this commit: the plan staged in the real index is not part of it.
    expect(commit(repo, 'F-12: plan', { add: false, args: ['--', LEDGER], expect: 1 }).stderr).toContain('plan.missing');
    commit(repo, 'F-12: plan', { add: false, args: ['--', LEDGER, PLAN], expect: 0 });
  });

  it('works for the first commit of a repository', () => {
    const repo = gateRepo({ noCommit: true });
    expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-12']).code).toBe(0);
    repo.write(`${F12_DIR}/spec.md`, '# Vector Configuration\n\n[NEEDS CLARIFICATION: which metric?]\n');
    setPhase(repo, 'F-12', 'specify');
    expect(commit(repo, 'initial', { expect: 1 }).stderr).toContain('spec.needs-clarification');
    repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
    commit(repo, 'initial', { expect: 0 });
    expect(message(repo)).toContain('Specflow-Phase: F-12 none -> specify');
  });

  it('lets a phase move back without a gate', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    setPhase(repo, 'F-12', 'none');
    commit(repo, 'F-12: back to none', { expect: 0 });
    expect(message(repo)).toContain('Specflow-Phase: F-12 specify -> none');
  });

  it('never commits an unparsable ledger or one with conflict markers', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    const good = repo.read(LEDGER);
    repo.write(LEDGER, `${good}  F-13: [unclosed\n`);
    const broken = commit(repo, 'broken', { expect: 1 });
    expect(broken.stderr).toMatch(/\.maestro\/ledger\.yaml:\d+(:\d+)?: error .*\[ledger\.unparsable\]/);
    repo.write(LEDGER, good.replace('  F-12:', '<<<<<<< HEAD\n  F-12:'));
    expect(commit(repo, 'conflicted', { expect: 1 }).stderr).toMatch(/ledger\.yaml:\d+:1: error the ledger has git conflict markers \[ledger\.conflict\]/);
  });

  it('follows a symlinked document that stays inside the repository, and refuses one that leaves it', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    setPhase(repo, 'F-12', 'plan');
    symlinkSync('../../../../outside-plan.md', join(repo.dir, PLAN));
    expect(commit(repo, 'F-12: plan (link out)', { expect: 1 }).stderr).toContain('path.outside');
    rmSync(join(repo.dir, PLAN));
    repo.write('docs/shared-plan.md', goodPlan());
    symlinkSync('../../../docs/shared-plan.md', join(repo.dir, PLAN));
    commit(repo, 'F-12: plan (linked)', { expect: 0 });
    // The commit's own tree is judged the same way (verify and pre-push read through git's symlink resolution).
    expect(repo.cli(['verify', '--range', 'HEAD~1..HEAD']).code).toBe(0);
  });

  it('blocks an unknown phase written into the ledger', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    setPhase(repo, 'F-12', 'planned');
    expect(commit(repo, 'typo', { expect: 1 }).stderr).toContain('ledger.phase.unknown');
  });

  it('judges with the parent commit config: loosening a gate and passing it in one commit is refused', () => {
    const repo = gateRepo();
    expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-12']).code).toBe(0);
    repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
    expect(repo.cli(['specify', 'F-12']).code).toBe(0);
    commit(repo, 'F-12: specify', { expect: 0 });
    repo.write('.maestro/config.yaml', `${repo.read('.maestro/config.yaml')}\nrequire_approval: false\n`.replace(/^require_approval: true\n/m, ''));
    repo.write(PLAN, goodPlan());
    setPhase(repo, 'F-12', 'plan');
    expect(commit(repo, 'loosen and pass', { expect: 1 }).stderr).toContain('spec.not-approved');
    setPhase(repo, 'F-12', 'specify');
    commit(repo, 'loosen the gate', { expect: 0 });
    setPhase(repo, 'F-12', 'plan');
    commit(repo, 'F-12: plan', { expect: 0 });
  });

  it('SPECFLOW_SKIP=1 skips the check, and verify still reports the commit', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write(PLAN, BAD_PLAN);
    setPhase(repo, 'F-12', 'plan');
    const skipped = commit(repo, 'F-12: plan (skipped)', { env: { SPECFLOW_SKIP: '1' }, expect: 0 });
    expect(skipped.stderr).toContain('SPECFLOW_SKIP=1');
    expect(message(repo)).not.toContain('Specflow-Phase');
    const v = repo.cli(['verify', '--range', 'HEAD~1..HEAD', '--json']);
    expect(v.code).toBe(1);
    const report = json<{ ok: boolean; commits: { commit: string; ok: boolean; moves: { id: string; gate: string; trailer: boolean }[] }[] }>(v);
    expect(report.ok).toBe(false);
    expect(report.commits).toMatchObject([{ commit: head(repo), ok: false, moves: [{ id: 'F-12', gate: 'failed', trailer: false }] }]);
  });

  it('judges a document edit in every root the config names, wherever the config lists it', () => {
    const repo = gateRepo();
    // A sub-project's root listed after specs_dir, as a person may write it.
    const config = repo.read('.maestro/config.yaml').replace(/^specs_dir: .*$/m, (line) => `${line}\nroots:\n  - path: packages/api/.specify/specs\n    qualifier: api`);
    repo.write('.maestro/config.yaml', config);
    const SPEC = 'packages/api/.specify/specs/f-1-tags/spec.md';
    repo.write(SPEC, GOOD_SPEC);
    expect(repo.cli(['doctor', '--fix']).code).toBe(0);
    expect(repo.cli(['specify', 'api/F-1']).code).toBe(0);
    commit(repo, 'api/F-1: specify', { expect: 0 });
    // The spec emptied while api/F-1 stays at specify: the regression gate refuses it at pre-commit.
    repo.write(SPEC, '');
    const refused = commit(repo, 'empty the spec');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('api/F-1');
    // Moving the phase back in the same commit records the regression.
    expect(repo.cli(['phase', 'api/F-1', 'none']).code).toBe(0);
    commit(repo, 'api/F-1 back to none', { expect: 0 });
  });

  it('costs nothing and needs no specflow when the ledger is not staged; fails closed with a one-line fix when it is', () => {
    const repo = gateRepo({ via: 'none', noCommit: true });
    repo.env.PATH = '/usr/bin:/bin';
    commit(repo, 'Set up specflow', { env: { SPECFLOW_SKIP: '1' }, expect: 0 });
    repo.write('src/app.txt', 'code\n');
    commit(repo, 'just code', { expect: 0 });
    expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-12']).code).toBe(0);
    const r = commit(repo, 'register F-12', { expect: 1 });
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^specflow: cannot check this pre-commit: specflow is not installed\. Fix: npm install --save-dev specflowd \(or skip once: SPECFLOW_SKIP=1/);
  });
});

describe('commit-msg', () => {
  it('adds one trailer per phase change and none twice on amend', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    expect(repo.cli(['add', 'Export', '--id', 'F-13']).code).toBe(0);
    repo.write('.specify/specs/f-13-export/spec.md', GOOD_SPEC.replace('Vector Configuration', 'Export'));
    repo.write(PLAN, goodPlan());
    setPhase(repo, 'F-12', 'plan');
    setPhase(repo, 'F-13', 'specify');
    commit(repo, 'two moves', { expect: 0 });
    const trailers = () => message(repo).split('\n').filter((l) => l.startsWith('Specflow-Phase:'));
    expect(trailers()).toEqual(['Specflow-Phase: F-12 specify -> plan', 'Specflow-Phase: F-13 none -> specify']);
    repo.git(['commit', '-q', '--amend', '--no-edit']);
    expect(trailers()).toHaveLength(2);
  });

  it('adds nothing to a commit that does not touch the ledger, and never turns an empty message into a commit', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write('notes.txt', 'x\n');
    commit(repo, 'notes', { expect: 0 });
    expect(message(repo)).toBe('notes\n\n');
    setPhase(repo, 'F-12', 'none');
    repo.git(['add', '-A']);
    const r = repo.git(['commit', '-q', '--cleanup=strip', '-m', '# only a comment'], { allowFail: true });
    expect(r.code).not.toBe(0);
  });
});

describe('pre-merge-commit', () => {
  it('refuses a merge that brings in a phase advance the merged documents do not support', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.write(PLAN, BAD_PLAN);
    setPhase(repo, 'F-12', 'plan');
    commit(repo, 'F-12: plan, unchecked', { args: ['--no-verify'], expect: 0 });
    repo.git(['checkout', '-q', 'main']);
    repo.write('other.txt', 'main moves on\n');
    commit(repo, 'main work', { expect: 0 });
    const before = head(repo);
    const merge = repo.git(['merge', '--no-edit', 'side'], { allowFail: true });
    expect(merge.code).not.toBe(0);
    expect(merge.stderr).toContain('specflow: merge refused');
    expect(merge.stderr).toContain('plan.section.missing');
    expect(head(repo)).toBe(before);
    repo.git(['merge', '--abort']);
  });

  it('lets a merge through when the merged documents support the advance', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.write(PLAN, goodPlan());
    setPhase(repo, 'F-12', 'plan');
    commit(repo, 'F-12: plan', { expect: 0 });
    repo.git(['checkout', '-q', 'main']);
    repo.write('other.txt', 'main moves on\n');
    commit(repo, 'main work', { expect: 0 });
    const merge = repo.git(['merge', '--no-edit', 'side'], { allowFail: true });
    expect(merge.code, merge.stderr).toBe(0);
    expect(repo.git(['rev-list', '--parents', '-n1', 'HEAD']).stdout.trim().split(' ')).toHaveLength(3);
  });
});

describe('validate --staged', () => {
  it('runs the gates on what is staged, not on the working tree', () => {
    const repo = gateRepo();
    withApprovedSpec(repo);
    repo.write(PLAN, BAD_PLAN);
    setPhase(repo, 'F-12', 'plan');
    repo.git(['add', '-A']);
    repo.write(PLAN, goodPlan());
    expect(repo.cli(['validate', 'F-12']).code).toBe(0);
    const staged = repo.cli(['validate', 'F-12', '--staged', '--json']);
    expect(staged.code).toBe(1);
    expect(json<{ findings: { code: string }[] }>(staged).findings.map((f) => f.code)).toContain('plan.section.missing');
  });

  it('says so when the ledger is not staged', () => {
    const repo = makeRepo();
    const r = repo.cli(['validate', '--staged', '--json']);
    expect(r.code).toBe(3);
    expect(json<{ error: { code: string } }>(r).error.code).toBe('ledger.missing');
  });
});
