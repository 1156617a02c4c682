import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DONE_TASKS, GOOD_SPEC, GOOD_TASKS, goodPlan } from '../helpers/docs.js';
import { cleanupTempDirs, initRepo, json, makeRepo, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

interface Finding {
  severity: string;
  code: string;
  feature?: string;
  file?: string;
  line?: number;
  message: string;
}

const FEATURE_DIR = '.specify/specs/f-12-vector-configuration';

/** A repo with F-12 added and its spec written. */
function withSpec(): TestRepo {
  const repo = initRepo();
  expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-12']).code).toBe(0);
  repo.write(`${FEATURE_DIR}/spec.md`, GOOD_SPEC);
  return repo;
}

describe('specflow init', () => {
  it('creates the ledger, config and .gitignore, and is idempotent', () => {
    const repo = initRepo();
    const ledger = repo.read('.maestro/ledger.yaml');
    expect(ledger).toMatch(/^# Phase ledger kept by specflow/);
    expect(ledger).toContain('version: 1');
    expect(repo.read('.maestro/.gitignore')).toContain('run/');
    expect(repo.read('.maestro/config.yaml')).toContain('specs_dir: .specify/specs');
    const again = repo.cli(['init', '--json']);
    expect(again.code).toBe(0);
    expect(json<{ created: string[] }>(again).created).toEqual([]);
    expect(repo.read('.maestro/ledger.yaml')).toBe(ledger);
  });

  it('ends with what to commit and what to do next; once committed, only what to do next', () => {
    const repo = makeRepo();
    const first = repo.cli(['init']);
    expect(first.code).toBe(0);
    const next = first.stdout.slice(first.stdout.indexOf('\nNext:\n'));
    expect(next).toContain('1. commit: git add .maestro .gitattributes && git commit -m');
    expect(next).toContain('specflow add "<feature name>"');
    expect(next).toContain('each clone runs `specflow setup` once');
    repo.git(['add', '.maestro', '.gitattributes']);
    // (The hooks find no specflow installed in this repository; the gate is not what is tested.)
    const skip = { env: { SPECFLOW_SKIP: '1' } };
    repo.git(['commit', '-q', '-m', 'Track feature phases with specflow'], skip);
    expect(repo.cli(['add', 'Search', '--id', 'F-3']).code).toBe(0);
    repo.git(['commit', '-q', '-am', 'F-3'], skip);
    const again = json<{ next: string[] }>(repo.cli(['init', '--json'])).next;
    expect(again.some((l) => l.startsWith('commit:'))).toBe(false);
    expect(again[0]).toContain('specflow next');
  });

  it('registers existing feature folders at phase none and reports folders it ignores', () => {
    const repo = makeRepo({
      files: {
        '.specify/specs/f-3-search/spec.md': '# Search\n\nFind things.\n',
        '.specify/specs/f-10-export/.keep': '',
        '.specify/specs/attic/notes.md': '# old\n',
      },
    });
    const r = repo.cli(['init', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = json<{ registered: { id: string }[]; ignored: { path: string }[] }>(r);
    expect(report.registered.map((f) => f.id)).toEqual(['F-3', 'F-10']);
    expect(report.ignored.map((i) => i.path)).toEqual(['.specify/specs/attic']);
    const status = json<{ features: { id: string; name: string; phase: string; status: string }[] }>(repo.cli(['status', '--json']));
    expect(status.features.map((f) => [f.id, f.name, f.phase, f.status])).toEqual([
      ['F-3', 'Search', 'none', 'pending'],
      ['F-10', 'Export', 'none', 'pending'],
    ]);
  });
});

describe('specflow add', () => {
  it('registers a feature with the next free id and creates its folder', () => {
    const repo = initRepo();
    const r = repo.cli(['add', 'Vector Configuration', '--priority', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ id: 'F-1', phase: 'none', spec_path: '.specify/specs/f-1-vector-configuration', priority: 2 });
    expect(existsSync(join(repo.dir, '.specify/specs/f-1-vector-configuration'))).toBe(true);
    expect(json<{ id: string }>(repo.cli(['add', 'Second', '--json'])).id).toBe('F-2');
  });

  it('refuses a taken id and bad arguments with exit 2', () => {
    const repo = initRepo();
    expect(repo.cli(['add', 'One', '--id', 'F-7']).code).toBe(0);
    const dup = repo.cli(['add', 'Other', '--id', 'f-7']);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('F-7 is already registered');
    expect(repo.cli(['add', 'X', '--priority', 'high']).code).toBe(2);
    expect(repo.cli(['add']).code).toBe(2);
    expect(repo.cli(['frobnicate']).code).toBe(2);
  });
});

describe('phase commands', () => {
  it('writes the template when the document is missing, and the template does not pass', () => {
    const repo = initRepo();
    repo.cli(['add', 'Vector Configuration', '--id', 'F-12']);
    const r = repo.cli(['specify', 'F-12', '--json']);
    expect(r.code).toBe(1);
    const out = json<{ written: string; changed: boolean; findings: Finding[] }>(r);
    expect(out.written).toBe(`${FEATURE_DIR}/spec.md`);
    expect(out.changed).toBe(false);
    expect(out.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(repo.read(`${FEATURE_DIR}/spec.md`)).toContain('# F-12: Vector Configuration');
    expect(json<{ phase: string }>(repo.cli(['status', 'F-12', '--json'])).phase).toBe('none');
  });

  it('walks a feature from none to complete through every gate', () => {
    const repo = withSpec();
    expect(repo.cli(['specify', 'F-12']).code).toBe(0);
    // plan needs approval first
    repo.write(`${FEATURE_DIR}/plan.md`, goodPlan());
    const unapproved = repo.cli(['plan', 'F-12', '--json']);
    expect(unapproved.code).toBe(1);
    expect(json<{ findings: Finding[] }>(unapproved).findings.map((f) => f.code)).toContain('spec.not-approved');
    expect(repo.cli(['approve', 'F-12']).code).toBe(0);
    expect(repo.read('.maestro/ledger.yaml')).toMatch(/approved: \{ by: Test User <test@example.com>, at: \d{4}-/);
    expect(repo.cli(['plan', 'F-12']).code).toBe(0);
    repo.write(`${FEATURE_DIR}/tasks.md`, GOOD_TASKS);
    expect(repo.cli(['tasks', 'F-12']).code).toBe(0);
    expect(repo.cli(['implement', 'F-12']).code).toBe(0);
    const notDone = repo.cli(['complete', 'F-12', '--json']);
    expect(notDone.code).toBe(1);
    const unchecked = json<{ findings: Finding[] }>(notDone).findings.filter((f) => f.code === 'tasks.unchecked');
    expect(unchecked.map((f) => f.line)).toEqual([4, 5]);
    repo.write(`${FEATURE_DIR}/tasks.md`, DONE_TASKS);
    expect(repo.cli(['complete', 'F-12']).code).toBe(0);
    const view = json<{ phase: string; status: string; tasks: { status: string }[] }>(repo.cli(['status', 'F-12', '--json']));
    expect(view.phase).toBe('complete');
    expect(view.status).toBe('complete');
    expect(view.tasks.map((t) => t.status)).toEqual(['complete', 'complete']);
  });

  it('refuses a plan missing a required section and names it with file and line', () => {
    const repo = withSpec();
    repo.cli(['specify', 'F-12']);
    repo.cli(['approve', 'F-12', '--by', 'Ann Example <ann@example.com>']);
    repo.write(`${FEATURE_DIR}/plan.md`, goodPlan({ omit: 'Failure modes' }));
    const r = repo.cli(['plan', 'F-12']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('plan.section.missing');
    expect(r.stdout).toMatch(/Failure modes/);
    expect(r.stdout).toContain(`${FEATURE_DIR}/plan.md`);
    expect(repo.read('.maestro/ledger.yaml')).toContain('phase: specify');
  });

  it('skipping phases checks every gate crossed', () => {
    const repo = withSpec();
    repo.write(`${FEATURE_DIR}/tasks.md`, GOOD_TASKS);
    const r = repo.cli(['phase', 'F-12', 'tasks', '--json']);
    expect(r.code).toBe(1);
    const codes = json<{ findings: Finding[] }>(r).findings.map((f) => f.code);
    expect(codes).toContain('spec.not-approved');
    expect(codes).toContain('plan.missing');
  });

  it('phase moves backwards without a gate; phase verbs never move backwards', () => {
    const repo = withSpec();
    expect(repo.cli(['specify', 'F-12']).code).toBe(0);
    const verb = repo.cli(['specify', 'F-12', '--json']);
    expect(verb.code).toBe(0);
    expect(json<{ changed: boolean }>(verb).changed).toBe(false);
    expect(repo.cli(['phase', 'F-12', 'none']).code).toBe(0);
    expect(json<{ phase: string }>(repo.cli(['status', 'F-12', '--json'])).phase).toBe('none');
    expect(repo.cli(['phase', 'F-12', 'sideways']).code).toBe(2);
  });

  it('an unknown feature exits 2 and names the known ones', () => {
    const repo = withSpec();
    const r = repo.cli(['plan', 'F-99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown feature "F-99"');
    expect(r.stderr).toContain('F-12');
    const j = repo.cli(['status', 'F-99', '--json']);
    expect(j.code).toBe(2);
    expect(json<{ ok: boolean; error: { code: string } }>(j).error.code).toBe('feature.unknown');
  });
});

describe('bad state', () => {
  it('an unparsable ledger exits 3 with file:line:column and is left byte-for-byte', () => {
    const repo = withSpec();
    const broken = repo.read('.maestro/ledger.yaml').replace('phase: none', 'phase: [none');
    repo.write('.maestro/ledger.yaml', broken);
    for (const args of [['status'], ['specify', 'F-12'], ['add', 'Another'], ['approve', 'F-12', '--by', 'x'], ['validate']]) {
      const r = repo.cli(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toMatch(/\.maestro\/ledger\.yaml:\d+:\d+/);
      expect(readFileSync(join(repo.dir, '.maestro/ledger.yaml'), 'utf8')).toBe(broken);
    }
    const j = repo.cli(['status', '--json']);
    expect(j.code).toBe(3);
    expect(json<{ error: { code: string } }>(j).error.code).toBe('ledger.unparsable');
  });

  it('conflict markers in the ledger are unreadable state', () => {
    const repo = withSpec();
    repo.write('.maestro/ledger.yaml', `${repo.read('.maestro/ledger.yaml')}<<<<<<< HEAD\n=======\n>>>>>>> other\n`);
    const r = repo.cli(['status']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('conflict markers');
  });

  it('a spec_path escaping the repository is a finding and nothing outside is read', () => {
    const repo = withSpec();
    const outside = join(repo.dir, '..', 'outside');
    repo.write('../outside/spec.md', GOOD_SPEC);
    const ledger = repo.read('.maestro/ledger.yaml');
    for (const bad of ['../outside', outside]) {
      repo.write('.maestro/ledger.yaml', ledger.replace(`spec_path: ${FEATURE_DIR}`, `spec_path: ${bad}`));
      const r = repo.cli(['specify', 'F-12', '--json']);
      expect(r.code).toBe(1);
      expect(json<{ findings: Finding[] }>(r).findings.map((f) => f.code)).toContain('spec_path.invalid');
    }
  });

  it('accepts BOM and CRLF documents, and reports a document that is not UTF-8', () => {
    const repo = withSpec();
    repo.write(`${FEATURE_DIR}/spec.md`, `\uFEFF${GOOD_SPEC.replace(/\n/g, '\r\n')}`);
    expect(repo.cli(['specify', 'F-12']).code).toBe(0);
    repo.cli(['phase', 'F-12', 'none']);
    repo.write(`${FEATURE_DIR}/spec.md`, Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x41, 0x0a]));
    const r = repo.cli(['specify', 'F-12', '--json']);
    expect(r.code).toBe(1);
    expect(json<{ findings: Finding[] }>(r).findings.map((f) => f.code)).toContain('doc.encoding');
  });
});

describe('status, validate, skip, next', () => {
  it('prints a glyph table, and one feature with tasks as JSON', () => {
    const repo = withSpec();
    repo.cli(['specify', 'F-12']);
    const table = repo.cli(['status']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/①\s+F-12\s+Vector Configuration\s+specify\s+in_progress/);
    expect(table.stderr).toBe('');
    const all = repo.cli(['status', '--json']);
    expect(all.stderr).toBe('');
    expect(json<{ features: unknown[] }>(all).features).toHaveLength(1);
  });

  it('validate reports features whose recorded phase their documents do not back', () => {
    const repo = withSpec();
    repo.cli(['specify', 'F-12']);
    expect(repo.cli(['validate']).code).toBe(0);
    repo.write(`${FEATURE_DIR}/spec.md`, '# Vector Configuration\n\n[NEEDS CLARIFICATION: which metric?]\n');
    const r = repo.cli(['validate', '--json']);
    expect(r.code).toBe(1);
    const out = json<{ ok: boolean; findings: Finding[] }>(r);
    expect(out.ok).toBe(false);
    expect(out.findings.find((f) => f.code === 'spec.needs-clarification')?.line).toBe(3);
  });

  it('skip marks a feature skipped and next passes over it', () => {
    const repo = initRepo();
    repo.cli(['add', 'First', '--priority', '1']);
    repo.cli(['add', 'Second', '--priority', '2']);
    expect(repo.cli(['skip', 'F-1']).code).toBe(2);
    expect(repo.cli(['skip', 'F-1', '--reason', 'covered elsewhere']).code).toBe(0);
    expect(json<{ id: string; status: string }>(repo.cli(['status', 'F-1', '--json'])).status).toBe('skipped');
    expect(json<{ id: string }>(repo.cli(['next', '--json'])).id).toBe('F-2');
  });

  it('next names the command that moves the feature on; status <id> lists its tasks', () => {
    const repo = initRepo();
    repo.cli(['add', 'First']);
    expect(json<{ id: string; command: string }>(repo.cli(['next', '--json']))).toMatchObject({ id: 'F-1', command: 'specflow specify F-1' });
    expect(repo.cli(['next']).stdout).toContain('next: specflow specify F-1');
    const dir = json<{ spec_path: string }>(repo.cli(['status', 'F-1', '--json'])).spec_path;
    repo.write(`${dir}/tasks.md`, '# Tasks\n\n- [x] Write the parser\n- [ ] Wire the command\n');
    const shown = repo.cli(['status', 'F-1']).stdout;
    expect(shown).toContain('1/2 done');
    expect(shown).toMatch(/✓ Write the parser :3/);
    expect(shown).toMatch(/☐ Wire the command :4/);
  });
});
