import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch, ledgerBase, patchLedger } from '../../src/core/ledger-patch.js';
import { addFeature, newLedgerDocument, parseLedger, renderLedger, updateFeature } from '../../src/core/ledger.js';
import type { Repair } from '../../src/core/repair.js';

/**
 * The daemon's block-level fast path must write exactly what the full path (parse the whole
 * ledger, update, render) writes, and must refuse whatever it cannot patch safely.
 */
const NAMES = ['Vector Configuration', 'Login: SSO', 'Größe & "Quotes"', "it's #1", 'yes', '- dash', 'a: b # c', '  spaced  '];
const dir = (i: number) => `.specify/specs/f-${i}-feature-${i}`;

interface Entry {
  n: number;
  name: string;
  phase: 'none' | 'specify' | 'plan';
  priority?: number;
  description?: string;
  approved?: boolean;
  comment?: string;
}

const entry = fc.record(
  {
    n: fc.integer({ min: 1, max: 400 }),
    name: fc.constantFrom(...NAMES),
    phase: fc.constantFrom('none' as const, 'specify' as const, 'plan' as const),
    priority: fc.integer({ min: 1, max: 9 }),
    description: fc.constantFrom('One line.', 'Has: a colon', 'Ends with a hash #', '"quoted"'),
    approved: fc.boolean(),
    comment: fc.constantFrom('owned by ann', 'TODO split'),
  },
  { requiredKeys: ['n', 'name', 'phase'] },
);

function canonicalLedger(entries: Entry[]): string {
  const doc = newLedgerDocument();
  const seen = new Set<number>();
  for (const e of entries) {
    if (seen.has(e.n)) continue;
    seen.add(e.n);
    addFeature(doc, `F-${e.n}`, {
      name: e.name,
      phase: e.phase,
      spec_path: dir(e.n),
      ...(e.priority !== undefined ? { priority: e.priority } : {}),
      ...(e.description !== undefined ? { description: e.description } : {}),
      ...(e.approved ? { approved: { by: 'Ann Example <ann@example.com>', at: '2026-11-24T10:00:00Z' } } : {}),
    });
  }
  let text = renderLedger(doc);
  // A comment inside one entry, as people leave them; rendering keeps it in place.
  const commented = entries.find((e) => e.comment);
  if (commented) text = text.replace(`    spec_path: ${dir(commented.n)}\n`, `    spec_path: ${dir(commented.n)} # ${commented.comment}\n`);
  return renderLedger(parseLedger(text).doc);
}

const BAD = [(p: string) => `${p}/spec.md`, (p: string) => `${p}/`, (p: string) => `./${p}`, (p: string) => `"${p.replace(/\//g, '\\\\')}"`];

describe('ledger fast path', () => {
  it('writes what the full path writes, for a spec_path repaired in any entry', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 8 }), fc.nat(), fc.nat(BAD.length - 1), (entries, pick, bad) => {
        const text = canonicalLedger(entries);
        const parsed = parseLedger(text);
        const base = ledgerBase(text, parsed.features);
        expect(base).toBeDefined();
        const target = parsed.features[pick % parsed.features.length]!;
        const drifted = text.replace(`spec_path: ${target.spec_path}`, `spec_path: ${BAD[bad]!(target.spec_path)}`);
        expect(drifted).not.toBe(text);

        const patch = patchLedger(base!, drifted);
        expect(patch).toBeDefined();
        expect([...patch!.changed].map((i) => patch!.features[i]!.id)).toEqual([target.id]);
        const repair: Repair = { code: 'spec_path.repaired', feature: target.id, field: 'spec_path', before: 'x', after: target.spec_path, message: '' };
        const fast = applyPatch(patch!, [repair]);

        const full = parseLedger(drifted);
        updateFeature(full.doc, target.id, { spec_path: target.spec_path });
        const expected = renderLedger(full.doc);
        expect(fast?.text).toBe(expected);
        expect(fast?.features).toEqual(parseLedger(expected).features);
      }),
      { numRuns: 100 },
    );
  });

  it('stays exact over a chain of edits, including ones that add lines to an entry', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 2, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 4 }), (entries, edits) => {
        let text = canonicalLedger(entries);
        let base = ledgerBase(text, parseLedger(text).features)!;
        for (const [step, [pick, grow]] of edits.entries()) {
          const target = base.features[pick % base.features.length]!;
          // Either a bad spec_path (repaired), or a new field (a change with no repair, and one more line).
          // Each new field has its own name: a field written twice makes the entry unreadable.
          const drifted = grow
            ? text.replace(`    spec_path: ${target.spec_path}`, `    spec_path: ${target.spec_path}\n    owner${step}: ann`)
            : text.replace(`spec_path: ${target.spec_path}`, `spec_path: ${target.spec_path}/`);
          if (drifted === text) continue;
          const patch = patchLedger(base, drifted);
          expect(patch).toBeDefined();
          const repairs: Repair[] = grow ? [] : [{ code: 'spec_path.repaired', feature: target.id, field: 'spec_path', before: 'x', after: target.spec_path, message: '' }];
          const next = applyPatch(patch!, repairs)!;
          const full = parseLedger(drifted);
          if (!grow) updateFeature(full.doc, target.id, { spec_path: target.spec_path });
          const expected = grow ? drifted : renderLedger(full.doc);
          expect(next.text).toBe(expected);
          expect(next.features).toEqual(parseLedger(expected).features);
          expect(next).toEqual(ledgerBase(expected, next.features));
          text = next.text;
          base = next;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses what it cannot patch safely', () => {
    const text = canonicalLedger([
      { n: 3, name: 'Search', phase: 'none' },
      { n: 12, name: 'Vector Configuration', phase: 'plan' },
    ]);
    const base = ledgerBase(text, parseLedger(text).features)!;
    const refused = [
      text.replace('version: 1', 'version: 1\nowner: ann'), // header changed
      `${text}\n  F-20:\n    name: New\n    phase: none\n    spec_path: ${dir(20)}\n`, // entry added
      text.replace('  F-3:', '  F-4:'), // key changed
      text.replace(`    spec_path: ${dir(12)}`, `    spec_path:   ${dir(12)}`), // not canonical layout
      text.replace('    phase: plan', '    phase: planned'), // an entry with a finding
      text.replace(`    spec_path: ${dir(12)}`, `    spec_path: [${dir(12)}`), // does not parse
    ];
    for (const t of refused) expect(patchLedger(base, t), t).toBeUndefined();
  });

  it('hands back every repair that is not a spec_path change of a changed entry', () => {
    const text = canonicalLedger([
      { n: 3, name: 'Search', phase: 'none' },
      { n: 12, name: 'Vector Configuration', phase: 'plan' },
    ]);
    const base = ledgerBase(text, parseLedger(text).features)!;
    const patch = patchLedger(base, text.replace(`spec_path: ${dir(12)}`, `spec_path: ${dir(12)}/`))!;
    const move = (feature: string): Repair => ({ code: 'spec_path.moved', feature, field: 'spec_path', before: 'x', after: 'y', message: '' });
    expect(applyPatch(patch, [move('F-3')])).toBeUndefined();
    expect(applyPatch(patch, [{ code: 'feature.registered', feature: 'F-5', field: 'entry', before: null, after: dir(5), message: '' }])).toBeUndefined();
    expect(applyPatch(patch, [])?.text).toBe(patch.text);
  });
});
