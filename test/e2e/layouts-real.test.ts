import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, json, makeRepo, PROJECT_ROOT, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

interface InitReport {
  layout: { layout: string; specs_dir: string; id_scheme: string; roots: { path: string; qualifier?: string; archive?: boolean }[] };
  registered: { id: string; spec_path: string; phase: string; stopped_at: { phase: string; codes: string[] } | null }[];
  ignored: { path: string; reason: string }[];
  shared: { id: string; paths: string[] }[];
  approved_by_adoption: { by: string; ids: string[] } | null;
  findings: { code: string }[];
}

function fixtureRepo(name: string): TestRepo {
  const repo = makeRepo();
  cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'layouts', name), repo.dir, { recursive: true });
  return repo;
}

function adopt(repo: TestRepo): InitReport {
  const r = repo.cli(['init', '--adopt-phases', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return json<InitReport>(r);
}

const phases = (report: InitReport) => Object.fromEntries(report.registered.map((r) => [r.id, r.phase]));

/** The adoption commit must pass verify: adoption never records a phase above what the gates pass. */
function commitAndVerify(repo: TestRepo): void {
  repo.git(['add', '-A']);
  // The hooks need an installed specflow; verify judges the commit as CI would.
  repo.git(['commit', '-q', '--no-verify', '-m', 'adopt specflow']);
  const v = repo.cli(['verify', '--range', 'HEAD', '--json']);
  expect(v.code, v.stdout + v.stderr).toBe(0);
}

describe('Kiro and OpenSpec adopt in one command', () => {
  it('Kiro: folder names are ids, optional tasks do not hold back complete, [-] is work under way', () => {
    const repo = fixtureRepo('kiro');
    const report = adopt(repo);
    expect(report.layout).toMatchObject({ layout: 'kiro', specs_dir: '.kiro/specs', id_scheme: 'name' });
    expect(phases(report)).toEqual({ 'note-export': 'complete', 'note-search': 'implement', 'note-sharing': 'specify' });
    expect(repo.read('.maestro/config.yaml')).toMatch(/^layout: kiro$/m);
    commitAndVerify(repo);
    const status = json<{ features: { id: string; phase: string }[] }>(repo.cli(['status', '--json']));
    expect(status.features.map((f) => f.id)).toEqual(['note-export', 'note-search', 'note-sharing']);
    // Names from the folders: every Kiro requirements document is titled "Requirements Document".
    expect(repo.read('.maestro/ledger.yaml')).toContain('  note-sharing:\n    name: Note sharing\n');
  });

  it('Kiro: add names the feature by its folder, and specify writes the requirements document the profile asks for', () => {
    const repo = fixtureRepo('kiro');
    adopt(repo);
    const added = repo.cli(['add', 'Note Tagging', '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(json<{ id: string; spec_path: string }>(added)).toMatchObject({ id: 'note-tagging', spec_path: '.kiro/specs/note-tagging' });
    expect(repo.cli(['add', 'Note Tagging']).code).toBe(2);
    const numbered = repo.cli(['add', 'Other', '--id', 'F-3', '--json']);
    expect(numbered.code).toBe(2);
    expect(json<{ error: { code: string } }>(numbered).error.code).toBe('usage.id');
    const specify = repo.cli(['specify', 'note-tagging', '--json']);
    expect(specify.code).toBe(1);
    const template = repo.read('.kiro/specs/note-tagging/requirements.md');
    expect(template).toMatch(/^## Introduction$/m);
    expect(template).toMatch(/^## Requirements$/m);
    expect(template).not.toMatch(/^## Problem$/m);
  });

  it('OpenSpec: open changes by their tasks, archived changes complete, design.md optional', () => {
    const repo = fixtureRepo('openspec');
    const report = adopt(repo);
    expect(report.layout).toMatchObject({ layout: 'openspec', specs_dir: 'openspec/changes', roots: [{ path: 'openspec/changes/archive', archive: true }] });
    // An archived change keeps its change-id: the date in front of its folder's name says when.
    expect(phases(report)).toEqual({
      'add-recurring-events': 'complete',
      // Archived without a task list: finished where it is.
      'fix-leap-day': 'complete',
      'add-reminders': 'implement',
    });
    commitAndVerify(repo);
  });

  it('OpenSpec: archiving a change keeps its id, its phase and its history; the move to complete then passes', () => {
    const repo = fixtureRepo('openspec');
    adopt(repo);
    commitAndVerify(repo);
    // As `openspec archive add-reminders` does: the folder moves under archive/ with the date in front.
    repo.git(['mv', 'openspec/changes/add-reminders', 'openspec/changes/archive/2025-05-02-add-reminders']);
    const fixed = repo.cli(['doctor', '--fix', '--json']);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(repo.read('.maestro/ledger.yaml')).toContain('  add-reminders:\n    name: Add reminders\n    phase: implement\n    spec_path: openspec/changes/archive/2025-05-02-add-reminders\n');
    expect(repo.cli(['complete', 'add-reminders']).code).toBe(0);
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '--no-verify', '-m', 'archive add-reminders']);
    const v = repo.cli(['verify', '--range', 'HEAD~1..HEAD', '--json']);
    expect(v.code, v.stdout).toBe(0);
  });
});

describe('adoption on trees as real repositories have them', () => {
  it('records approval as adoption under require_approval, and never implement without a checked task', () => {
    const repo = makeRepo();
    const spec = (t: string) => `# ${t}\n\nWhat it does and why, in real words.\n`;
    const plan = [
      '# Plan',
      // SpecFlow's template marks the seed's principles in its Constitutional Compliance checklist.
      '## Constitutional Compliance',
      '- [x] **CLI-First:** a `tag` command\n- [x] **Deterministic:** no clock, no model\n- [x] **Code Before Prompts:** all of it is code',
      '## Data Model',
      'Rows of tags.',
      '## API Contracts',
      'A `tag` command.',
      '## Failure Mode Analysis',
      'A missing tag is reported.',
      '## Risk Assessment',
      'Low.',
      '## Dependencies',
      'None beyond the store.',
      '## Validation Checklist',
      'Tag, untag, list.',
      '',
    ].join('\n\n');
    repo.files({
      '.specify/specs/f-1-tags/spec.md': spec('Tags'),
      '.specify/specs/f-1-tags/plan.md': plan,
      '.specify/specs/f-1-tags/tasks.md': '- [ ] Store tags\n- [ ] List tags\n',
      '.specify/specs/f-2-labels/spec.md': spec('Labels'),
      '.specify/specs/f-2-labels/plan.md': plan,
      '.specify/specs/f-2-labels/tasks.md': '- [x] Store labels\n- [ ] List labels\n',
      '.specify/specs/f-3-export/spec.md': spec('Export'),
      '.specify/specs/f-3-export/plan.md': plan,
      '.specify/specs/f-3-export/tasks.md': '- [ ] Write the file\n',
      '.specify/specs/f-3-export/verify.md': '# Verification\n\nExported 200 notes by hand; all opened in the viewer.\n',
      '.specify/specs/004-import/spec.md': spec('Import'),
      '.specify/specs/f-5-sync/sync-spec.md': spec('Sync'),
    });
    const report = adopt(repo);
    expect(report.layout.layout).toBe('specflow');
    expect(phases(report)).toEqual({ 'F-1': 'tasks', 'F-2': 'implement', 'F-3': 'complete', 'F-004': 'specify', 'F-5': 'none' });
    expect(report.approved_by_adoption?.ids).toEqual(['F-1', 'F-2', 'F-3']);
    expect(repo.read('.maestro/ledger.yaml')).toMatch(/via: adopt/);
    const text = repo.cli(['validate', 'F-5']);
    expect(text.stdout + text.stderr).toMatch(/sync-spec\.md/);
    commitAndVerify(repo);
  });

  it('leaves principles no plan of the history marks out of the config it writes, and counts only a passed verify.md', () => {
    const spec = (t: string) => `# ${t}\n\nWhat it does and why, in real words.\n`;
    // Plans as a SpecFlow tree without a constitution writes them: every topic, no principle checklist.
    const plan = (extra = '') =>
      [
        '# Technical Plan',
        '## Architecture Overview', 'A command over a store.',
        '## Data Model', 'Rows of tides.',
        '## API Contracts', 'A `tides` command.',
        '## Failure Mode Analysis', 'A missing feed is reported.',
        '## Dependencies', 'None beyond the store.',
        '## Test Strategy', 'Fixtures of two feeds.',
        extra,
      ].join('\n\n');
    const files = {
      '.specify/specs/f-1-tides/spec.md': spec('Tides'),
      '.specify/specs/f-1-tides/plan.md': plan(),
      '.specify/specs/f-1-tides/tasks.md': '| Task | Status |\n|---|---|\n| T-1 Parse | ☐ |\n',
      '.specify/specs/f-1-tides/verify.md': '# Verification\n\n**Status:** ✅ PASS\n\n- [x] **Failure Test**: Confirmed [AI-evaluated]\n',
      '.specify/specs/f-2-feeds/spec.md': spec('Feeds'),
      '.specify/specs/f-2-feeds/plan.md': plan(),
      '.specify/specs/f-2-feeds/tasks.md': '| Task | Status |\n|---|---|\n| T-1 Fetch | ☐ |\n',
      '.specify/specs/f-2-feeds/verify.md': '# Verification\n\n**Status:** ❌ FAIL — the fetcher is not wired\n',
    };
    // A history: five plans, none marking a principle (fewer say too little of a practice).
    const history = Object.fromEntries(
      ['f-3-ports', 'f-4-moons', 'f-5-winds'].flatMap((folder) => [
        [`.specify/specs/${folder}/spec.md`, spec(folder.slice(4))],
        [`.specify/specs/${folder}/plan.md`, plan()],
      ]),
    );
    const repo = makeRepo();
    repo.files({ ...files, ...history });
    const r = repo.cli(['init', '--adopt-phases']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/left the principle\(s\) Code before prompts, Deterministic where possible, CLI-first interfaces out of gates\.plan\.principles: none of the 5 plan\(s\)/);
    expect(repo.read('.maestro/config.yaml')).toMatch(/# Left out by `specflow init --adopt-phases`[^\n]*\n[^\n]*\n {4}principles: \[\]\n/);
    const status = json<{ features: { id: string; phase: string }[] }>(repo.cli(['status', '--json']));
    expect(Object.fromEntries(status.features.map((f) => [f.id, f.phase]))).toEqual({ 'F-1': 'complete', 'F-2': 'tasks', 'F-3': 'plan', 'F-4': 'plan', 'F-5': 'plan' });
    commitAndVerify(repo);
    // doctor reads the record too; a later commit that turns it into a failure is a regression.
    expect(json<{ findings: { code: string }[] }>(repo.cli(['doctor', '--json'])).findings).toEqual([]);
    repo.files({ '.specify/specs/f-1-tides/verify.md': '# Verification\n\n**Status:** ❌ FAIL — the parser drops a tide\n' });
    repo.git(['commit', '-qam', 'verification failed', '--no-verify']);
    const v = repo.cli(['verify', '--range', 'HEAD', '--json']);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/tasks\.unchecked/);
    expect(v.stdout).toMatch(/evidence\.failed/);
    expect(json<{ findings: { code: string }[] }>(repo.cli(['doctor', '--json'])).findings.map((f) => f.code)).toEqual(['phase.ahead']);

    // A principle one plan marks stays required; plain init (no adoption), and adoption of only
    // two plans, keep the seed's.
    const marked = makeRepo();
    marked.files({ ...files, ...history, '.specify/specs/f-2-feeds/plan.md': plan('- [x] **CLI-First:** one command per task') });
    const m = json<InitReport & { principles_left_out: { names: string[]; plans: number } | null }>(marked.cli(['init', '--adopt-phases', '--json']));
    expect(m.principles_left_out).toEqual({ names: ['Code before prompts', 'Deterministic where possible'], plans: 5 });
    expect(marked.read('.maestro/config.yaml')).toMatch(/principles:\n {6}- CLI-first interfaces\n/);
    const plain = makeRepo();
    plain.files({ ...files, ...history });
    expect(json<{ principles_left_out: unknown }>(plain.cli(['init', '--json'])).principles_left_out).toBeNull();
    expect(plain.read('.maestro/config.yaml')).toMatch(/principles:\n {6}- Code before prompts\n/);
    const small = makeRepo();
    small.files(files);
    const few = json<InitReport & { principles_left_out: unknown }>(small.cli(['init', '--adopt-phases', '--json']));
    expect(few.principles_left_out).toBeNull();
    expect(phases(few)).toEqual({ 'F-1': 'specify', 'F-2': 'specify' });
  });

  it('picks the populated root over an empty .specify/specs, and tracks sub-project roots with qualified ids', () => {
    const repo = makeRepo();
    const spec = '# A feature\n\nReal words about it.\n';
    repo.files({
      '.specify/specs/.keep': '',
      'specs/001-search/spec.md': spec,
      'specs/001-search-v2/spec.md': spec,
      'specs/002-export/spec.md': spec,
      'packages/api/.specify/memory/constitution.md': '# Constitution\n',
      'packages/api/specs/001-auth/spec.md': spec,
      'packages/api/specs/001-billing/spec.md': spec,
    });
    const report = adopt(repo);
    expect(report.layout).toMatchObject({ layout: 'spec-kit', specs_dir: 'specs', roots: [{ path: 'packages/api/specs', qualifier: 'api' }] });
    expect(report.registered.map((r) => r.id).sort()).toEqual(['001-search', '001-search-v2', '002', 'api/001-auth', 'api/001-billing'].sort());
    // Each root's shared number is reported once.
    expect(report.shared.map((s) => s.paths.length)).toEqual([2, 2]);
    expect(report.findings.filter((f) => f.code === 'folder.id.shared')).toHaveLength(2);
    commitAndVerify(repo);
    const doctor = repo.cli(['doctor', '--json']);
    expect(json<{ findings: { code: string }[] }>(doctor).findings.map((f) => f.code)).not.toContain('folder.id.conflict');
  });
});
