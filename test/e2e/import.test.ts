import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_SPEC, GOOD_TASKS, goodPlan } from '../helpers/docs.js';
import { cleanupTempDirs, json, makeRepo, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

/** The SpecFlow CLI's `features` table, with the skip audit columns its later migrations add. */
const SCHEMA = `CREATE TABLE features (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 999,
  status TEXT NOT NULL DEFAULT 'pending', phase TEXT NOT NULL DEFAULT 'none', spec_path TEXT,
  created_at TEXT NOT NULL, started_at TEXT, completed_at TEXT, migrated_from TEXT,
  skip_reason TEXT, skip_justification TEXT, skip_validated_at TEXT, skip_duplicate_of TEXT)`;

interface Row {
  id: string;
  name: string;
  status?: string;
  phase?: string;
  spec_path?: string | null;
  priority?: number;
  skip_reason?: string;
  skip_justification?: string;
  skip_duplicate_of?: string;
}

let SQL: Awaited<ReturnType<typeof initSqlJs>>;
beforeAll(async () => {
  SQL = await initSqlJs();
});

function featuresDb(rows: Row[]): Buffer {
  const db = new SQL.Database();
  db.exec(SCHEMA);
  for (const r of rows) {
    const values = [r.id, r.name, `About ${r.name}`, r.priority ?? 999, r.status ?? 'pending', r.phase ?? 'none', r.spec_path ?? null, '2026-01-05T09:00:00Z']
      .concat([r.skip_reason ?? null, r.skip_justification ?? null, r.skip_duplicate_of ?? null])
      .map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`));
    db.exec(
      `INSERT INTO features (id, name, description, priority, status, phase, spec_path, created_at, skip_reason, skip_justification, skip_duplicate_of) VALUES (${values.join(', ')})`,
    );
  }
  const bytes = Buffer.from(db.export());
  db.close();
  return bytes;
}

interface Imported {
  id: string;
  action: 'add' | 'update';
  fields: { name: string; phase: string; spec_path: string; priority?: number; status?: string; reason?: string };
  spec_path_was?: string;
}
interface ImportReport {
  ok: boolean;
  imported: Imported[];
  left: { id: string; reason: string }[];
  findings: { code: string; feature?: string; severity: string; message: string }[];
}
interface View {
  id: string;
  name: string;
  phase: string;
  status: string;
  priority: number | null;
  spec_path: string;
  reason?: string;
}

function specflowRepo(): TestRepo {
  const repo = makeRepo();
  expect(repo.cli(['init']).code).toBe(0);
  return repo;
}

describe('specflow import <features.db>', () => {
  it('brings phases, statuses, priorities and repaired spec_paths into the ledger, and reports phases their documents do not back', () => {
    const repo = specflowRepo();
    const done = '.specify/specs/f-1-vector-store';
    repo.files({ [`${done}/spec.md`]: GOOD_SPEC, [`${done}/plan.md`]: goodPlan(), [`${done}/tasks.md`]: GOOD_TASKS.replace(/\[ \]/g, '[x]') });
    repo.write('.specify/specs/f-2-query-api/spec.md', GOOD_SPEC);
    repo.write(
      '.specflow/features.db',
      featuresDb([
        // SpecFlow's `complete` leaves the phase at implement; its paths are absolute and name the spec file.
        { id: 'F-1', name: 'Vector store', status: 'complete', phase: 'implement', priority: 1, spec_path: `${repo.dir}/${done}/spec.md` },
        // A database copied from another machine: cut at specs_dir.
        { id: 'F-2', name: 'Query API', status: 'in_progress', phase: 'plan', priority: 2, spec_path: '/home/someone/src/app/.specify/specs/f-2-query-api' },
        { id: 'F-3', name: 'Dashboards', status: 'skipped', phase: 'none', skip_reason: 'deferred', skip_justification: 'after the 2.0 release' },
        { id: 'F-4', name: 'Alerts', status: 'skipped', skip_reason: 'duplicate', skip_duplicate_of: 'f-1', skip_justification: 'same work' },
        { id: 'F-5', name: 'Webhooks', status: 'blocked', phase: 'specify' },
        { id: 'F-6', name: 'Odd phase', phase: 'verify' },
        { id: 'not-an-id', name: 'Broken row' },
      ]),
    );
    const r = repo.cli(['import', '.specflow/features.db', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = json<ImportReport>(r);
    expect(report.imported.map((f) => [f.id, f.action, f.fields.phase, f.fields.spec_path])).toEqual([
      ['F-1', 'add', 'complete', done],
      ['F-2', 'add', 'plan', '.specify/specs/f-2-query-api'],
      ['F-3', 'add', 'none', '.specify/specs/f-3-dashboards'],
      ['F-4', 'add', 'none', '.specify/specs/f-4-alerts'],
      ['F-5', 'add', 'specify', '.specify/specs/f-5-webhooks'],
      ['F-6', 'add', 'none', '.specify/specs/f-6-odd-phase'],
    ]);
    expect(report.imported[1]?.spec_path_was).toBe('/home/someone/src/app/.specify/specs/f-2-query-api');

    const byId = new Map(json<{ features: View[] }>(repo.cli(['status', '--json'])).features.map((f) => [f.id, f]));
    expect(byId.get('F-1')).toMatchObject({ name: 'Vector store', phase: 'complete', status: 'complete', priority: 1 });
    expect(byId.get('F-3')).toMatchObject({ status: 'skipped', reason: 'deferred: after the 2.0 release' });
    expect(byId.get('F-4')).toMatchObject({ status: 'skipped', reason: 'duplicate of F-1: same work' });
    expect(byId.get('F-5')).toMatchObject({ phase: 'specify', status: 'blocked', reason: 'blocked in SpecFlow (no reason recorded)' });

    const codes = (id: string) => report.findings.filter((f) => f.feature === id).map((f) => f.code);
    // F-1's documents pass every gate but the approval, which SpecFlow never recorded.
    expect(report.findings.find((f) => f.feature === 'F-1')?.message).toMatch(/spec\.not-approved$/);
    expect(codes('F-2')).toEqual(['phase.ahead']);
    expect(report.findings.find((f) => f.feature === 'F-2')?.message).toMatch(/plan\.missing/);
    expect(codes('F-6')).toEqual(['import.phase.unknown', 'import.spec_path.missing']);
    expect(report.findings.some((f) => f.code === 'import.id.invalid' && f.message.includes('not-an-id'))).toBe(true);
    // Skipped and blocked features are not held to their phase's gate.
    expect(codes('F-3')).toEqual(['import.spec_path.missing']);
    expect(codes('F-5')).toEqual(['import.spec_path.missing']);
  });

  it('fills in features that init registered, and leaves entries a person has moved', () => {
    const repo = makeRepo({ files: { '.specify/specs/f-7-search/spec.md': GOOD_SPEC, '.specify/specs/f-8-export/spec.md': GOOD_SPEC } });
    expect(repo.cli(['init']).code).toBe(0);
    const sp = repo.cli(['specify', 'F-8']);
    expect(sp.code, sp.stderr + sp.stdout).toBe(0);
    repo.write(
      '.specflow/features.db',
      featuresDb([
        { id: 'F-7', name: 'Search', status: 'in_progress', phase: 'specify', priority: 3, spec_path: '/elsewhere/.specify/specs/f-7-search' },
        { id: 'F-8', name: 'Export', status: 'pending', phase: 'none' },
      ]),
    );
    const report = json<ImportReport>(repo.cli(['import', '.specflow/features.db', '--json']));
    expect(report.imported.map((f) => [f.id, f.action, f.fields.phase, f.fields.spec_path])).toEqual([['F-7', 'update', 'specify', '.specify/specs/f-7-search']]);
    expect(report.left).toEqual([{ id: 'F-8', reason: 'the ledger already records specify; left as it is' }]);
    expect(report.findings).toEqual([]);
    expect(json<View>(repo.cli(['status', 'F-7', '--json']))).toMatchObject({ phase: 'specify', priority: 3 });
    // Importing again changes nothing.
    const before = repo.read('.maestro/ledger.yaml');
    expect(repo.cli(['import', '.specflow/features.db']).code).toBe(0);
    expect(repo.read('.maestro/ledger.yaml')).toBe(before);
  });

  it('keeps spec-kit ids as the folder numbers', () => {
    const repo = makeRepo({ files: { 'specs/001-search/spec.md': GOOD_SPEC } });
    const i = repo.cli(['init']);
    expect(i.code, i.stderr + i.stdout).toBe(0);
    repo.write('features.db', featuresDb([{ id: '001', name: 'Search', phase: 'specify', status: 'in_progress', spec_path: 'specs/001-search/spec.md' }]));
    const report = json<ImportReport>(repo.cli(['import', 'features.db', '--json']));
    expect(report.imported.map((f) => [f.id, f.fields.phase])).toEqual([['001', 'specify']]);
    expect(repo.read('.maestro/ledger.yaml')).toContain('"001":');
  });

  it('warns when a write-ahead log holds changes the database file may not have', () => {
    const repo = specflowRepo();
    repo.write('.specflow/features.db', featuresDb([{ id: 'F-1', name: 'One' }]));
    repo.write('.specflow/features.db-wal', 'pending pages');
    const report = json<ImportReport>(repo.cli(['import', '.specflow/features.db', '--json']));
    expect(report.findings[0]?.code).toBe('import.wal-pending');
  });

  it('refuses what is not a SpecFlow database, or lies outside the repository, with exit 2 and one JSON document', () => {
    const repo = specflowRepo();
    repo.write('notes.db', 'just text');
    const other = makeRepo();
    other.write('features.db', featuresDb([{ id: 'F-1', name: 'One' }]));
    const otherDb = new SQL.Database();
    otherDb.exec('CREATE TABLE notes (body TEXT)');
    repo.write('empty.db', Buffer.from(otherDb.export()));
    for (const [path, code] of [
      ['notes.db', 'import.not-sqlite'],
      ['missing.db', 'import.unreadable'],
      ['empty.db', 'import.no-features'],
      [`${other.dir}/features.db`, 'import.outside'],
    ] as const) {
      const r = repo.cli(['import', path, '--json']);
      expect(r.code, path).toBe(2);
      expect(json<{ ok: boolean; error: { code: string } }>(r).error.code).toBe(code);
    }
    expect(repo.read('.maestro/ledger.yaml')).not.toContain('F-1');
  });
});
