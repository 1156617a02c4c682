import { describe, expect, it } from 'vitest';
import { planImport, type ImportContext } from '../../src/core/import-plan.js';
import type { LedgerFeature } from '../../src/core/ledger.js';

const ctx = (ledger: LedgerFeature[] = [], folders: Record<string, string> = {}): ImportContext => ({
  ledger,
  specsDir: '.specify/specs',
  repoRoot: '/repo',
  folders: new Map(Object.entries(folders)),
});
const entry = (id: string, fields: Partial<LedgerFeature> = {}): LedgerFeature => ({ id, name: id, phase: 'none', spec_path: `.specify/specs/${id.toLowerCase()}-x`, line: 3, ...fields });

describe('planImport', () => {
  it('turns absolute spec_paths into repo-relative folders', () => {
    const plan = planImport(
      [
        { id: 'F-1', name: 'A', spec_path: '/repo/.specify/specs/f-1-a/spec.md' },
        { id: 'F-2', name: 'B', spec_path: 'C:\\Users\\x\\proj\\.specify\\specs\\f-2-b\\' },
        { id: 'F-3', name: 'C', spec_path: '/somewhere/else/f-3-c' },
        { id: 'F-4', name: 'D', spec_path: '/somewhere/else/f-4-d' },
      ],
      ctx([], { 'F-3': '.specify/specs/f-3-c' }),
    );
    expect(plan.features.map((f) => f.fields.spec_path)).toEqual(['.specify/specs/f-1-a', '.specify/specs/f-2-b', '.specify/specs/f-3-c', '.specify/specs/f-4-d']);
    expect(plan.findings.map((f) => [f.feature, f.code])).toEqual([['F-4', 'spec_path.invalid']]);
  });

  it('maps SpecFlow statuses: complete is a phase, skipped and blocked keep their reason', () => {
    const plan = planImport(
      [
        { id: 'F-1', name: 'A', status: 'complete', phase: 'implement' },
        { id: 'F-2', name: 'B', status: 'in_progress', phase: 'tasks', priority: '2' },
        { id: 'F-3', name: 'C', status: 'skipped', skip_reason: 'out_of_scope', skip_justification: 'not this year' },
        { id: 'F-4', name: 'D', status: 'blocked', phase: 'plan' },
      ],
      ctx(),
    );
    expect(plan.features.map((f) => [f.id, f.fields.phase, f.fields.status, f.fields.reason, f.fields.priority])).toEqual([
      ['F-1', 'complete', undefined, undefined, undefined],
      ['F-2', 'tasks', undefined, undefined, 2],
      ['F-3', 'none', 'skipped', 'out_of_scope: not this year', undefined],
      ['F-4', 'plan', 'blocked', 'blocked in SpecFlow (no reason recorded)', undefined],
    ]);
  });

  it('updates untouched entries, leaves moved ones, and reports rows it cannot use', () => {
    const plan = planImport(
      [
        { id: 'f-1', name: 'A', phase: 'plan' },
        { id: 'F-2', name: 'B', phase: 'plan' },
        { id: 'F-3', name: 'C', phase: 'plan' },
        { id: 'F-003', name: 'C again', phase: 'tasks' },
        { id: 'oops', name: 'D' },
      ],
      ctx([entry('F-1'), entry('F-2', { phase: 'specify' }), entry('F-3', { approved: { by: 'Ann', at: '2026-01-01T00:00:00Z' } })]),
    );
    expect(plan.features.map((f) => [f.id, f.action, f.fields.phase, f.fields.spec_path])).toEqual([['F-1', 'update', 'plan', '.specify/specs/f-1-x']]);
    expect(plan.left.map((l) => l.id)).toEqual(['F-2', 'F-3']);
    expect(plan.findings.map((f) => f.code)).toEqual(['import.id.duplicate', 'import.id.invalid']);
  });
});
