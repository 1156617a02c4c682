import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, json, makeRepo, PROJECT_ROOT, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

interface Registered {
  id: string;
  spec_path: string;
  phase: string;
  passes: string;
  stopped_at: { phase: string; codes: string[] } | null;
}
interface InitReport {
  layout: { specs_dir: string; id_scheme: string };
  registered: Registered[];
  adopted: { id: string; from: string; to: string }[];
  ignored: { path: string; reason: string }[];
  database: string | null;
}
interface StatusView {
  id: string;
  phase: string;
  status: string;
  spec_path: string;
}

/** A git repository holding a copy of one of the fixture trees under test/fixtures/layouts. */
function fixtureRepo(name: 'spec-kit' | 'specflow'): TestRepo {
  const repo = makeRepo();
  cpSync(join(PROJECT_ROOT, 'test', 'fixtures', 'layouts', name), repo.dir, { recursive: true });
  return repo;
}

function init(repo: TestRepo, ...args: string[]): InitReport {
  const r = repo.cli(['init', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return json<InitReport>(r);
}

const ignoredPaths = (report: InitReport) => report.ignored.map((i) => i.path).sort();
const reasonFor = (report: InitReport, path: string) => report.ignored.find((i) => i.path === path)?.reason ?? '';

describe('init on a spec-kit tree', () => {
  it('writes the spec-kit profile, registers NNN folders at none and says what their documents pass', () => {
    const repo = fixtureRepo('spec-kit');
    const report = init(repo);
    expect(report.layout).toMatchObject({ layout: 'spec-kit', specs_dir: 'specs', id_scheme: 'spec-kit' });
    const config = repo.read('.maestro/config.yaml');
    expect(config).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/specflowd\/schemas\/config\.schema\.json\n/);
    expect(config).toContain('specs_dir: specs');
    expect(config).toContain('id_scheme: spec-kit');
    expect(config).toMatch(/sections:\n\s+- Summary\n\s+- Technical Context\n\s+- Constitution Check\n\s+- Project Structure\n/);
    expect(config).toContain('principles: []');

    expect(report.registered.map((r) => [r.id, r.phase, r.passes])).toEqual([
      ['001', 'none', 'complete'],
      ['002', 'none', 'implement'],
      ['003', 'none', 'specify'],
      ['004', 'none', 'none'],
    ]);
    expect(report.registered.find((r) => r.id === '003')?.stopped_at).toEqual({ phase: 'plan', codes: ['plan.missing'] });
    expect(report.registered.find((r) => r.id === '004')?.stopped_at?.codes).toContain('spec.needs-clarification');

    // The ledger keeps spec-kit ids as strings, so `001` survives a YAML round trip.
    expect(repo.read('.maestro/ledger.yaml')).toContain('\n  "001":\n    name: Shelf Search\n    phase: none\n    spec_path: specs/001-search\n');
    // Nested items and [X] count; the fenced example in 001 does not; 002's tasks are a ☐/✅ table.
    const tasks = (id: string) => json<{ tasks: { status: string }[] }>(repo.cli(['status', id, '--json'])).tasks.map((t) => t.status);
    expect(tasks('001')).toEqual(['complete', 'complete', 'complete']);
    expect(tasks('002')).toEqual(['complete', 'pending']);
    const status = json<{ features: StatusView[] }>(repo.cli(['status', '--json']));
    expect(status.features.map((f) => [f.id, f.phase, f.status])).toEqual([
      ['001', 'none', 'pending'],
      ['002', 'none', 'pending'],
      ['003', 'none', 'pending'],
      ['004', 'none', 'pending'],
    ]);
  });

  it('leaves archive folders, folders without a number, numbers claimed twice and other spec roots alone, with a reason', () => {
    const report = init(fixtureRepo('spec-kit'));
    expect(ignoredPaths(report)).toEqual(['packages/api/.specify', 'specs/005-alpha', 'specs/005-beta', 'specs/attic', 'specs/notes-misc']);
    expect(reasonFor(report, 'specs/attic')).toMatch(/archive/);
    expect(reasonFor(report, 'specs/notes-misc')).toMatch(/does not start with a feature id/);
    expect(reasonFor(report, 'specs/005-alpha')).toMatch(/2 folders claim id 005/);
    expect(reasonFor(report, 'packages/api/.specify')).toMatch(/another spec root/);
  });

  it('with --adopt-phases records the phase the documents pass, and validate agrees', () => {
    const repo = fixtureRepo('spec-kit');
    const report = init(repo, '--adopt-phases');
    expect(report.registered.map((r) => [r.id, r.phase])).toEqual([
      ['001', 'complete'],
      ['002', 'implement'],
      ['003', 'specify'],
      ['004', 'none'],
    ]);
    const v = repo.cli(['validate', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(json<{ ok: boolean }>(v).ok).toBe(true);
  });

  it('prints what it found in human output, with the hint to adopt', () => {
    const r = fixtureRepo('spec-kit').cli(['init']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(spec-kit layout: specs/NNN-slug)');
    expect(r.stdout).toContain('registered 4 feature folder(s) at ○ none: 001, 002, 003, 004');
    expect(r.stdout).toContain('their documents already pass: ● complete: 001 · ④ implement: 002 · ① specify: 003');
    expect(r.stdout).toContain('specflow init --adopt-phases');
  });

  it('a second init with --adopt-phases moves features still at none, and leaves the others', () => {
    const repo = fixtureRepo('spec-kit');
    init(repo);
    expect(repo.cli(['phase', '1', 'specify']).code).toBe(0);
    const again = init(repo, '--adopt-phases');
    expect(again.registered).toEqual([]);
    expect(again.adopted).toEqual([
      { id: '002', from: 'none', to: 'implement' },
      { id: '003', from: 'none', to: 'specify' },
    ]);
    // 001 was moved by a person; adoption never touches a feature past none.
    expect(json<StatusView>(repo.cli(['status', '001', '--json'])).phase).toBe('specify');
  });

  it('finds a spec-kit feature by 1, 001 or "001", also when the ledger was hand-written with a bare 001 key', () => {
    const repo = fixtureRepo('spec-kit');
    init(repo);
    repo.write('.maestro/ledger.yaml', 'version: 1\nfeatures:\n  001:\n    name: Shelf Search\n    phase: none\n    spec_path: specs/001-search\n');
    for (const typed of ['1', '001', '"001"']) expect(json<StatusView>(repo.cli(['status', typed, '--json'])).id).toBe('001');
    expect(repo.cli(['phase', '1', 'specify']).code).toBe(0);
    expect(repo.read('.maestro/ledger.yaml')).toContain('\n  "001":\n    name: Shelf Search\n    phase: specify\n');
  });
});

describe('init on a SpecFlow tree with odd folders', () => {
  it('adopts padded, unpadded and uppercase ids and reports the rest', () => {
    const repo = fixtureRepo('specflow');
    const report = init(repo);
    expect(report.layout).toEqual({ specs_dir: '.specify/specs', id_scheme: 'specflow' });
    expect(report.registered.map((r) => [r.id, r.spec_path])).toEqual([
      ['F-4', '.specify/specs/f-4-search'],
      ['F-7', '.specify/specs/F-7-Bulk-Edit'],
      ['F-018', '.specify/specs/f-018-export'],
    ]);
    expect(ignoredPaths(report)).toEqual(['.specify/specs/f-009-labels', '.specify/specs/f-9-tags', '.specify/specs/rfc', '.specify/specs/scratch']);
    expect(reasonFor(report, '.specify/specs/f-9-tags')).toMatch(/2 folders claim id F-009/);
    expect(reasonFor(report, '.specify/specs/rfc')).toMatch(/archive or notes/);
    // Ids are found however they are typed: F-018 as f-18, F-4 as F-004.
    expect(json<StatusView>(repo.cli(['status', 'f-18', '--json'])).id).toBe('F-018');
    expect(json<StatusView>(repo.cli(['status', 'F-004', '--json'])).id).toBe('F-4');
  });

  it('stops adoption before plan when only an approval is missing, and the plan passes once approved', () => {
    const repo = fixtureRepo('specflow');
    const report = init(repo, '--adopt-phases');
    const f4 = report.registered.find((r) => r.id === 'F-4');
    // The plan uses SpecFlow's own headings (Data Model, API Contracts, Failure Mode Analysis): only the approval is missing.
    expect(f4).toMatchObject({ phase: 'specify', passes: 'specify', stopped_at: { phase: 'plan', codes: ['spec.not-approved'] } });
    expect(repo.cli(['approve', 'F-4']).code).toBe(0);
    const r = repo.cli(['phase', 'F-4', 'implement', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(json<StatusView>(repo.cli(['status', 'F-4', '--json'])).phase).toBe('implement');
  });

  it('points at a SpecFlow database when there is one', () => {
    const repo = fixtureRepo('specflow');
    repo.write('.specflow/features.db', 'SQLite format 3\u0000');
    expect(init(repo).database).toBe('.specflow/features.db');
  });

  it('writes the ledger with the schema comment, and rewrites keep it', () => {
    const repo = fixtureRepo('specflow');
    init(repo);
    const header = '# yaml-language-server: $schema=../node_modules/specflowd/schemas/ledger.schema.json\n';
    expect(repo.read('.maestro/ledger.yaml')).toContain(header);
    expect(repo.cli(['approve', 'F-4']).code).toBe(0);
    expect(repo.read('.maestro/ledger.yaml')).toContain(header);
  });
});
