import { describe, expect, it } from 'vitest';
import {
  addFeature,
  emptyLedgerText,
  LedgerSyntaxError,
  newLedgerDocument,
  parseLedger,
  renameFeature,
  renderLedger,
  updateFeature,
} from '../../src/core/ledger.js';

const SAMPLE = `# Phase ledger kept by specflow.
version: 1
features:
  # the big one
  F-12:
    name: Vector Configuration
    phase: plan # moved after review
    spec_path: .specify/specs/f-12-vector-configuration
    owner: ann  # not a field the tool knows
    approved: { by: Ann Example <ann@example.com>, at: 2026-11-24T10:00:00Z }

  F-2:
    name: Search
    phase: none
    spec_path: .specify/specs/f-2-search
`;

function syntaxError(text: string): LedgerSyntaxError {
  try {
    parseLedger(text);
  } catch (e) {
    if (e instanceof LedgerSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a LedgerSyntaxError');
}

describe('parseLedger', () => {
  it('reads features with their fields and lines', () => {
    const { features, findings } = parseLedger(SAMPLE);
    expect(findings).toEqual([]);
    expect(features.map((f) => [f.id, f.phase, f.line])).toEqual([
      ['F-12', 'plan', 5],
      ['F-2', 'none', 12],
    ]);
    expect(features[0]?.approved).toEqual({ by: 'Ann Example <ann@example.com>', at: '2026-11-24T10:00:00Z' });
  });

  it('reports unknown phases, duplicate keys and wrong types as findings with lines', () => {
    const text = `version: 1
features:
  F-1:
    name: A
    phase: planning
    spec_path: a
    priority: high
  F-1:
    name: B
    phase: none
    spec_path: b
`;
    const { findings } = parseLedger(text);
    expect(findings.map((f) => [f.code, f.line])).toEqual([
      ['ledger.phase.unknown', 5],
      ['ledger.field.invalid', 7],
      ['ledger.duplicate-key', 8],
    ]);
  });

  it('throws with line and column for YAML errors, conflict markers, wrong shape and version', () => {
    const bad = syntaxError('version: 1\nfeatures:\n  F-1: { name: [a\n');
    expect(bad.code).toBe('ledger.unparsable');
    expect(bad.line).toBeGreaterThan(1);
    expect(syntaxError('version: 1\n<<<<<<< HEAD\nfeatures: {}\n=======\n>>>>>>> b\n')).toMatchObject({ code: 'ledger.conflict', line: 2 });
    expect(syntaxError('- a\n- b\n').code).toBe('ledger.invalid');
    expect(syntaxError('version: 2\nfeatures: {}\n').code).toBe('ledger.version');
    expect(syntaxError('').code).toBe('ledger.empty');
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['version: 1', 'a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 60; i++) lines.push(`b${i}: &b${i} [*a, *a, *a]`);
    lines.push('features: {}');
    expect(syntaxError(lines.join('\n')).code).toBe('ledger.invalid');
  });
});

describe('renderLedger', () => {
  it('keeps comments and unknown fields, orders features numerically, separates blocks', () => {
    const parsed = parseLedger(SAMPLE);
    updateFeature(parsed.doc, 'F-2', { phase: 'specify' });
    const out = renderLedger(parsed.doc);
    expect(out).toContain('# the big one');
    expect(out).toContain('phase: plan # moved after review');
    expect(out).toContain('owner: ann');
    expect(out.indexOf('F-2:')).toBeLessThan(out.indexOf('F-12:'));
    expect(out).toMatch(/spec_path: \.specify\/specs\/f-2-search\n\n {2}(# the big one\n {2})?F-12:/);
    expect(out.endsWith('\n')).toBe(true);
    expect(out).not.toContain('\r');
  });

  it('render∘parse is stable on what render produces', () => {
    const doc = newLedgerDocument();
    addFeature(doc, 'F-10', { name: 'Ten: with colon', phase: 'none', spec_path: 'specs/f-10-ten', priority: 3 });
    addFeature(doc, 'F-9', { name: 'Nine', phase: 'tasks', spec_path: 'specs/f-9-nine', approved: { by: 'A <a@b.c>', at: '2026-01-01T00:00:00Z' } });
    const once = renderLedger(doc);
    expect(renderLedger(parseLedger(once).doc)).toBe(once);
    expect(parseLedger(once).features.map((f) => f.id)).toEqual(['F-9', 'F-10']);
    expect(parseLedger(once).features[1]?.name).toBe('Ten: with colon');
  });

  it('an empty ledger is a valid ledger', () => {
    expect(parseLedger(emptyLedgerText()).features).toEqual([]);
    expect(emptyLedgerText()).toContain('features: {}');
  });

  it('renames a key (id case repair) in place', () => {
    const parsed = parseLedger(SAMPLE.replace('F-2:', 'f-2:'));
    renameFeature(parsed.doc, 'f-2', 'F-2');
    expect(renderLedger(parsed.doc)).toMatch(/^ {2}F-2:$/m);
  });
});
