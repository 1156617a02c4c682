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
    // The layout names the id scheme: checks read it and never detect again.
    expect(config).toContain('layout: spec-kit');
    expect(config).toMatch(/sections:\n\s+- Summary\n\s+- Technical Context\n\s+- Constitution Check\n\s+- Project Structure\n/);
    expect(config).toContain('principles: []');

    expect(report.registered.map((r) => [r.id, r.phase, r.passes])).toEqual([
      ['001', 'none', 'complete'],
      ['002', 'none', 'implement'],
      ['003', 'none', 'specify'],
      ['004', 'none', 'none'],
      ['005-alpha', 'none', 'specify'],
      ['005-beta', 'none', 'specify'],
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
      ['005-alpha', 'none', 'pending'],
      ['005-beta', 'none', 'pending'],
    ]);
  });

  it('leaves archive and unnumbered folders alone with a reason, tracks folders sharing a number by their names (said once), and passes over a sub-project .specify/ without features', () => {
    const report = init(fixtureRepo('spec-kit')) as InitReport & { findings: { code: string; message: string; hint?: string }[] };
    expect(ignoredPaths(report)).toEqual(['specs/attic', 'specs/notes-misc']);
    expect(reasonFor(report, 'specs/attic')).toMatch(/archive/);
    expect(reasonFor(report, 'specs/notes-misc')).toMatch(/does not start with a feature id/);
    const shared = report.findings.filter((f) => f.code === 'folder.id.shared');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.message).toMatch(/2 folders share the number 005/);
    expect(shared[0]!.hint).toContain('specs/005-alpha, specs/005-beta');
  });

  it('with --adopt-phases records the phase the documents pass, and validate agrees', () => {
    const repo = fixtureRepo('spec-kit');
    const report = init(repo, '--adopt-phases');
    expect(report.registered.map((r) => [r.id, r.phase])).toEqual([
      ['001', 'complete'],
      ['002', 'implement'],
      ['003', 'specify'],
      ['004', 'none'],
      ['005-alpha', 'specify'],
      ['005-beta', 'specify'],
    ]);
    const v = repo.cli(['validate', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(json<{ ok: boolean }>(v).ok).toBe(true);
  });

  it('prints what it found in human output, with the hint to adopt', () => {
    const r = fixtureRepo('spec-kit').cli(['init']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(spec-kit layout: specs/NNN-slug)');
    expect(r.stdout).toContain('registered 6 feature folder(s) at ○ none: 001, 002, 003, 004, 005-alpha, 005-beta');
    expect(r.stdout).toContain('their documents already pass: ● complete: 001 · ④ implement: 002 · ① specify: 003, 005-alpha, 005-beta');
    expect(r.stdout.split('share the number 005')).toHaveLength(2);
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
      { id: '005-alpha', from: 'none', to: 'specify' },
      { id: '005-beta', from: 'none', to: 'specify' },
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
    expect(report.layout).toEqual({ layout: 'specflow', specs_dir: '.specify/specs', id_scheme: 'specflow', roots: [] });
    // f-009-labels and f-9-tags both number 9: each is tracked under its folder name.
    expect(report.registered.map((r) => [r.id, r.spec_path])).toEqual([
      ['F-4', '.specify/specs/f-4-search'],
      ['F-7', '.specify/specs/F-7-Bulk-Edit'],
      ['F-018', '.specify/specs/f-018-export'],
      ['f-009-labels', '.specify/specs/f-009-labels'],
      ['f-9-tags', '.specify/specs/f-9-tags'],
    ]);
    expect(ignoredPaths(report)).toEqual(['.specify/specs/rfc', '.specify/specs/scratch']);
    expect(reasonFor(report, '.specify/specs/rfc')).toMatch(/archive or notes/);
    // Ids are found however they are typed: F-018 as f-18, F-4 as F-004.
    expect(json<StatusView>(repo.cli(['status', 'f-18', '--json'])).id).toBe('F-018');
    expect(json<StatusView>(repo.cli(['status', 'F-004', '--json'])).id).toBe('F-4');
  });

  it('records the approval as adoption for a feature whose plan exists, and adopts it past plan; a spec-only feature stays unapproved', () => {
    const repo = fixtureRepo('specflow');
    const report = init(repo, '--adopt-phases') as InitReport & { approved_by_adoption: { by: string; ids: string[] } };
    const f4 = report.registered.find((r) => r.id === 'F-4');
    // The plan uses SpecFlow's own headings (Data Model, API Contracts, Failure Mode Analysis); one task is checked.
    expect(f4).toMatchObject({ phase: 'implement', passes: 'implement', stopped_at: { phase: 'complete', codes: ['tasks.unchecked'] } });
    expect(report.approved_by_adoption.ids).toEqual(['F-4']);
    const ledger = repo.read('.maestro/ledger.yaml');
    expect(ledger).toMatch(/ {2}F-4:\n(?: {4}.*\n)* {4}approved: \{ by: [^,]+, at: [^,]+, via: adopt \}\n/);
    expect(ledger).not.toMatch(/ {2}F-7:\n(?: {4}.*\n)* {4}approved:/);
    const v = repo.cli(['validate', 'F-4', '--json']);
    expect(v.code, v.stdout).toBe(0);
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
