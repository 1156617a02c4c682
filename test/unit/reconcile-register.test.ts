import { describe, expect, it } from 'vitest';
import { readCanonicalLedger } from '../../src/core/ledger-canonical.js';
import { addFeature, emptyLedgerText, parseLedger, renderLedger } from '../../src/core/ledger.js';
import { registerInText } from '../../src/core/reconcile-register.js';
import type { Repair } from '../../src/core/repair.js';

/** The full path: parse the whole ledger, add the entries, render it. */
function full(text: string, repairs: Repair[]): string {
  const parsed = parseLedger(text);
  for (const r of repairs) addFeature(parsed.doc, r.feature!, { name: r.entry!.name, phase: 'none', spec_path: r.entry!.spec_path });
  return renderLedger(parsed.doc);
}

const reg = (id: string, name = `Feature ${id}`, spec_path = `.specify/specs/${id.toLowerCase()}-x`): Repair => ({
  code: 'feature.registered',
  feature: id,
  field: 'entry',
  before: null,
  after: spec_path,
  message: 'registered',
  entry: { name, spec_path },
});

function ledgerWith(ids: string[]): string {
  const doc = parseLedger(emptyLedgerText()).doc;
  for (const id of ids) addFeature(doc, id, { name: `Feature ${id}`, phase: 'plan', spec_path: `.specify/specs/${id.toLowerCase()}-x` });
  return renderLedger(doc);
}

describe('registerInText', () => {
  const cases: [string, string[], Repair[]][] = [
    ['at the end', ['F-1', 'F-2'], [reg('F-3')]],
    ['at the start', ['F-5', 'F-9'], [reg('F-1')]],
    ['in between, several', ['F-2', 'F-10', 'F-30'], [reg('F-31'), reg('F-1'), reg('F-11'), reg('F-3')]],
    ['names that need quoting', ['F-1'], [reg('F-2', 'Plan: the "next" step #1'), reg('F-3', 'yes'), reg('F-4', '- dash')]],
    ['spec-kit ids', ['001', '003'], [reg('002', 'Two', 'specs/002-two'), reg('010', 'Ten', 'specs/010-ten')]],
    ['one entry, many added', ['F-100'], Array.from({ length: 50 }, (_, i) => reg(`F-${i * 7 + 1}`))],
  ];
  for (const [what, ids, repairs] of cases)
    it(`writes what the full path writes: ${what}`, () => {
      const text = ledgerWith(ids);
      const features = readCanonicalLedger(text)!.features;
      const r = registerInText(text, features, repairs);
      expect(r?.text).toBe(full(text, repairs));
      // Each entry with the line of its key in the new text.
      const lines = r!.text.split('\n');
      for (const f of r!.features) expect(lines[f.line - 1]).toMatch(new RegExp(`^ {2}"?${f.id}"?:$`));
      expect(r!.features.map((f) => f.id)).toEqual(parseLedger(r!.text).features.map((f) => f.id));
    });

  it('refuses what it does not understand: another repair, an id already there', () => {
    const text = ledgerWith(['F-1', 'F-2']);
    const features = readCanonicalLedger(text)!.features;
    expect(registerInText(text, features, [{ ...reg('F-3'), code: 'spec_path.repaired', field: 'spec_path' }])).toBeUndefined();
    expect(registerInText(text, features, [reg('F-2')])).toBeUndefined();
    expect(registerInText(text, features, [])).toBeUndefined();
  });
});
