import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driftRepo, F12_DIR, LEDGER, REPORTED_CASES, SAFE_CASES } from '../helpers/drift.js';
import { cleanupTempDirs, json, makeRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

interface DoctorJson {
  ok: boolean;
  fixed: boolean;
  summary: { features: number; repairs: number; applied: number; errors: number };
  repairs: { code: string; feature?: string; before: string | null; after: string; applied: boolean }[];
  findings: { code: string; severity: string; feature?: string }[];
}

describe('specflow doctor: safe repairs', () => {
  it.each(SAFE_CASES.map((c) => [c.name, c] as const))('%s: shown, then applied by --fix', (_name, c) => {
    const repo = driftRepo();
    const expected = c.drift(repo);
    const drifted = repo.read(LEDGER);

    const look = repo.cli(['doctor', '--json']);
    expect(look.code, look.stderr).toBe(0);
    const seen = json<DoctorJson>(look);
    expect(seen.repairs.map((r) => r.code)).toContain(c.code);
    expect(seen.repairs.every((r) => !r.applied)).toBe(true);
    expect(repo.read(LEDGER)).toBe(drifted);

    const fix = repo.cli(['doctor', '--fix', '--json']);
    expect(fix.code, fix.stderr).toBe(0);
    const fixed = json<DoctorJson>(fix);
    expect(fixed.fixed).toBe(true);
    expect(fixed.repairs.map((r) => r.code)).toContain(c.code);
    expect(repo.read(LEDGER)).toBe(expected);

    const again = json<DoctorJson>(repo.cli(['doctor', '--json']));
    expect(again.repairs).toEqual([]);
    expect(again.ok).toBe(true);
  });

  it('prints each repair with before and after in human output', () => {
    const repo = driftRepo();
    SAFE_CASES[0]!.drift(repo);
    const r = repo.cli(['doctor', '--fix']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`F-12 spec_path: ${F12_DIR}/spec.md → ${F12_DIR} [spec_path.repaired]`);
    expect(r.stdout).toMatch(/1 repair\(s\) applied; 0 problem\(s\) need a human/);
  });

  it('registers spec-kit folders by their number', () => {
    const repo = makeRepo({ files: { 'specs/001-chat/spec.md': '# Chat\n\nTalk.\n' } });
    expect(repo.cli(['init']).code).toBe(0);
    repo.write('specs/002-chat-export/spec.md', '# Chat Export\n\nSave talks.\n');
    const r = repo.cli(['doctor', '--fix', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<DoctorJson>(r).repairs).toEqual([expect.objectContaining({ code: 'feature.registered', feature: '002', after: 'specs/002-chat-export' })]);
    expect(repo.read(LEDGER)).toContain('"002":\n    name: Chat Export\n    phase: none\n    spec_path: specs/002-chat-export\n');
  });
});

describe('specflow doctor: reported, never repaired', () => {
  it.each(REPORTED_CASES.map((c) => [c.name, c] as const))('%s: --fix leaves the ledger byte-for-byte', (_name, c) => {
    const repo = driftRepo();
    c.drift(repo);
    const before = repo.read(LEDGER);
    const r = repo.cli(['doctor', '--fix', '--json']);
    expect(r.code, r.stderr).toBe(c.exit);
    const out = JSON.parse(r.stdout) as DoctorJson & { error?: { code: string } };
    const codes = c.exit === 3 ? [out.error?.code] : out.findings.map((f) => f.code);
    expect(codes).toContain(c.code);
    expect(repo.read(LEDGER)).toBe(before);
  });
});

describe('specflow doctor: cache', () => {
  it('keeps its cache out of git and re-judges a document whose content changed under the same mtime', () => {
    const repo = driftRepo();
    expect(repo.cli(['specify', 'F-12']).code).toBe(0);
    const first = json<DoctorJson>(repo.cli(['doctor', '--json']));
    expect(first.ok).toBe(true);
    expect(repo.git(['status', '--porcelain', '--', '.maestro/run']).stdout).toBe('');

    const spec = join(repo.dir, F12_DIR, 'spec.md');
    const { atime, mtime } = statSync(spec);
    repo.write(`${F12_DIR}/spec.md`, '# Vector Configuration\n\n[NEEDS CLARIFICATION: which file?]\n');
    utimesSync(spec, atime, mtime);
    const second = repo.cli(['doctor', '--json']);
    expect(second.code).toBe(1);
    expect(json<DoctorJson>(second).findings).toEqual([expect.objectContaining({ code: 'phase.ahead', feature: 'F-12' })]);

    const third = repo.cli(['doctor', '--json']);
    expect(third.stdout).toBe(second.stdout);
  });
});
