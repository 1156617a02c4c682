import { describe, expect, it } from 'vitest';
import { parseLedger, renderLedger, updateFeature } from '../../src/core/ledger.js';

/** YAML reads a bare `001:` as the integer 1; a spec-kit id must survive the round trip. */
describe('spec-kit ids in the ledger', () => {
  const text = 'version: 1\nfeatures:\n  001:\n    name: A\n    phase: none\n    spec_path: specs/001-a\n  12:\n    name: B\n    phase: none\n    spec_path: specs/012-b\n';

  it('reads bare numeric keys as written', () => {
    const ledger = parseLedger(text);
    expect(ledger.features.map((f) => f.id)).toEqual(['001', '12']);
    expect(ledger.findings).toEqual([]);
  });

  it('quotes them when the ledger is written back, so they stay strings', () => {
    const ledger = parseLedger(text);
    updateFeature(ledger.doc, '001', { phase: 'specify' });
    const out = renderLedger(ledger.doc);
    expect(out).toContain('\n  "001":\n    name: A\n    phase: specify\n');
    expect(out).toContain('\n  "12":\n');
    expect(parseLedger(out).features.map((f) => f.id)).toEqual(['001', '12']);
  });

  it('treats 001 and "001" as one feature', () => {
    const ledger = parseLedger('version: 1\nfeatures:\n  001:\n    name: A\n    phase: none\n    spec_path: a\n  "001":\n    name: B\n    phase: none\n    spec_path: b\n');
    expect(ledger.findings.map((f) => f.code)).toEqual(['ledger.duplicate-key']);
  });
});
