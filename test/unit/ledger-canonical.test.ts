import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLedger } from '../../src/core/ledger-blocks.js';
import { canonicalHeader, readCanonicalBlock, readCanonicalLedger } from '../../src/core/ledger-canonical.js';
import { addFeature, newLedgerDocument, parseLedger, renderLedger, updateFeature, type LedgerFeature } from '../../src/core/ledger.js';

/**
 * The canonical reader must read exactly what parseLedger reads, and accept only texts that
 * renderLedger writes back unchanged; anything else it must decline (undefined).
 */
const HEADER = '# Phase ledger kept by specflow.\n# specflowd repairs paths.\n\nversion: 1\nfeatures:\n';
const block = (i: number, phase = 'plan', extra = '') =>
  `  F-${i}:\n    name: Feature ${i}\n    phase: ${phase}\n    spec_path: .specify/specs/f-${i}-feature-${i}\n${extra}`;
const APPROVED = '    approved: { by: Ann Example <ann@example.com>, at: 2026-11-24T10:00:00Z }\n';

/** Field order and values matter: callers compare entries as JSON. */
const asJson = (features: readonly LedgerFeature[]) => JSON.stringify(features);

function expectSameAsYaml(text: string): void {
  const fast = readCanonicalLedger(text);
  expect(fast).toBeDefined();
  const parsed = parseLedger(text);
  expect(parsed.findings).toEqual([]);
  expect(asJson(fast!.features)).toBe(asJson(parsed.features));
  expect(renderLedger(parsed.doc)).toBe(text);
}

describe('readCanonicalLedger', () => {
  it('reads a ledger specflow wrote as parseLedger does', () => {
    expectSameAsYaml(`${HEADER}${block(1, 'plan', APPROVED)}\n${block(2, 'specify', '    priority: 3\n    description: Fast path; no colon-space here\n')}\n${block(10, 'none', '    status: skipped\n    reason: dup of F-2\n')}`);
  });

  it('reads a ledger without header comments', () => {
    expectSameAsYaml(`version: 1\nfeatures:\n${block(1)}`);
  });

  it('reads the ledger of a fresh document with entries added by the core', () => {
    const doc = newLedgerDocument();
    addFeature(doc, 'F-12', { name: 'Vector Configuration', phase: 'plan', spec_path: '.specify/specs/f-12-vector-configuration', priority: 2 });
    addFeature(doc, 'F-3', { name: 'Search', phase: 'none', spec_path: '.specify/specs/f-3-search' });
    updateFeature(doc, 'F-12', { approved: { by: 'Ann Example <ann@example.com>', at: '2026-11-24T10:00:00Z' } });
    expectSameAsYaml(renderLedger(doc));
  });

  it('reads spec-kit ids, which the core writes quoted', () => {
    const doc = newLedgerDocument();
    addFeature(doc, '001', { name: 'First', phase: 'none', spec_path: 'specs/001-first' });
    addFeature(doc, '002', { name: 'Second', phase: 'specify', spec_path: 'specs/002-second' });
    const text = renderLedger(doc);
    expect(text).toContain('\n  "001":\n');
    expectSameAsYaml(text);
  });

  it.each([
    ['a comment inside an entry', `${HEADER}${block(1)}    # note\n`],
    ['a trailing comment', `${HEADER}${block(1, 'plan # later')}`],
    ['entries out of order', `${HEADER}${block(2)}\n${block(1)}`],
    ['two blank lines', `${HEADER}${block(1)}\n\n${block(2)}`],
    ['no blank line', `${HEADER}${block(1)}${block(2)}`],
    ['an unknown phase', `${HEADER}${block(1, 'done')}`],
    ['an unknown field', `${HEADER}${block(1, 'plan', '    owner: ann\n')}`],
    ['a field twice', `${HEADER}${block(1, 'plan', '    phase: plan\n')}`],
    ['a quoted value', `${HEADER}  F-1:\n    name: "Feature 1"\n    phase: plan\n    spec_path: x\n`],
    ['a value YAML reads as a number', `${HEADER}  F-1:\n    name: 12\n    phase: plan\n    spec_path: x\n`],
    ['a value YAML reads as a boolean', `${HEADER}  F-1:\n    name: true\n    phase: plan\n    spec_path: x\n`],
    ['a missing field', `${HEADER}  F-1:\n    name: A\n    phase: plan\n`],
    ['a duplicate id', `${HEADER}${block(1)}\n  f-1:\n    name: B\n    phase: plan\n    spec_path: x\n`],
    ['CRLF', `${HEADER}${block(1)}`.replace(/\n/g, '\r\n')],
    ['no trailing newline', `${HEADER}${block(1)}`.slice(0, -1)],
    ['a blank line at the end', `${HEADER}${block(1)}\n`],
    ['a flow map with a comma in a value', `${HEADER}${block(1, 'plan', '    approved: { by: Example, Ann, at: 2026-11-24 }\n')}`],
    ['no entries', `${HEADER.replace('features:\n', 'features: {}\n')}`],
  ])('declines %s', (_what, text) => {
    expect(readCanonicalLedger(text)).toBeUndefined();
  });
});

// Values drawn from characters that matter to YAML, so that the property below meets the cases
// where a plain scalar means something else (or cannot be written plain at all).
const TRICKY = ['a', 'Z', ' ', ':', '#', '-', '?', ',', '[', '{', '"', "'", '&', '*', '!', '|', '>', '%', '@', '`', '~', '.', '0', '1', 'x', 'e', 'é', '\\', '/', '<'];
const value = fc.oneof(
  fc.constantFrom('Feature', 'Vector Configuration', 'true', 'null', '~', '12', '0x1F', '1e3', '.inf', '.specify/specs/f-1-x', 'a: b', 'a #b', 'a#b', 'x:', ' lead', 'trail ', 'Größe', '- dash', 'C:\\x'),
  fc.array(fc.constantFrom(...TRICKY), { minLength: 1, maxLength: 8 }).map((cs) => cs.join('')),
);
const field = fc.oneof(
  fc.tuple(fc.constantFrom('name', 'spec_path', 'description', 'reason'), value).map(([k, v]) => `    ${k}: ${v}\n`),
  fc.constantFrom('none', 'specify', 'plan', 'tasks', 'implement', 'complete', 'done').map((p) => `    phase: ${p}\n`),
  fc.constantFrom('0', '3', '007', '-1', '1.5').map((p) => `    priority: ${p}\n`),
  fc.constantFrom('skipped', 'blocked', 'open').map((s) => `    status: ${s}\n`),
  fc.tuple(value, value).map(([by, at]) => `    approved: { by: ${by}, at: ${at} }\n`),
);
const entry = fc.record({
  style: fc.constantFrom('F', 'f', 'F', 'F', 'quoted'),
  gap: fc.integer({ min: 0, max: 3 }),
  fields: fc.array(field, { minLength: 0, maxLength: 4 }),
  base: fc.constantFrom(true, true, false),
});
/** Mostly ascending, distinct ids (as a canonical ledger has them), sometimes not. */
const ledgerText = fc.tuple(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.constantFrom(HEADER, 'version: 1\nfeatures:\n')).map(([entries, header]) => {
  let n = 0;
  const blocks = entries.map((e) => {
    n += e.gap;
    const key = e.style === 'quoted' ? `"${String(n).padStart(3, '0')}"` : `${e.style}-${n}`;
    return `  ${key}:\n${e.base ? `    name: N\n    phase: plan\n    spec_path: p\n` : ''}${e.fields.join('')}`;
  });
  return header + blocks.join('\n');
});

describe('the canonical reader against parseLedger', () => {
  it('reads whatever it accepts exactly as parseLedger does, and only texts renderLedger writes back unchanged', () => {
    let accepted = 0;
    fc.assert(
      fc.property(ledgerText, (text) => {
        const fast = readCanonicalLedger(text);
        if (!fast) return;
        accepted++;
        const parsed = parseLedger(text);
        expect(parsed.findings).toEqual([]);
        expect(asJson(fast.features)).toBe(asJson(parsed.features));
        expect(renderLedger(parsed.doc)).toBe(text);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('reads each block alone as parseLedger reads it alone, data included', () => {
    let accepted = 0;
    fc.assert(
      fc.property(ledgerText, (text) => {
        const split = splitLedger(text);
        if (!split) return;
        for (const b of split.blocks) {
          const fast = readCanonicalBlock(b.text, b.line);
          if (!fast) continue;
          accepted++;
          const alone = parseLedger(`version: 1\nfeatures:\n${b.text}`);
          expect(alone.findings).toEqual([]);
          expect(asJson([fast.feature])).toBe(asJson([{ ...alone.features[0]!, line: b.line }]));
          const map = (alone.doc.get('features', true) as { items: { value: unknown }[] }).items[0]!.value;
          expect(fast.data()).toBe(JSON.stringify(map));
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts the headers it reads, and they parse', () => {
    expect(canonicalHeader('# a\n# b\n\nversion: 1\n')).toBe(true);
    expect(canonicalHeader('version: 1\n')).toBe(true);
    expect(canonicalHeader('version: 2\n')).toBe(false);
    expect(canonicalHeader('# a\nversion: 1\n')).toBe(false);
    expect(canonicalHeader('version: 1\nextra: 1\n')).toBe(false);
  });
});
