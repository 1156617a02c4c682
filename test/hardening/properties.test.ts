import fc from 'fast-check';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffLedgers } from '../../src/core/ledger-diff.js';
import { ledgerDelta, PreparedLedger } from '../../src/core/ledger-delta.js';
import { mergeLedgers } from '../../src/core/ledger-merge.js';
import { addFeature, newLedgerDocument, parseLedger, renderLedger, updateFeature, type FeatureFields } from '../../src/core/ledger.js';
import { PHASES, type Phase } from '../../src/core/phase.js';
import { normaliseSpecPath } from '../../src/core/spec-path.js';

/**
 * Properties of the pure core, over generated ledgers and paths (fast-check; a failure prints
 * the seed and the smallest counterexample).
 */

/** Text a person or an agent might put in a name or description: any Unicode, YAML's own syntax included. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.constantFrom('yes', 'no', 'null', '~', '3.0', '0x1F', '- item', 'a: b', '#hash', "it's", '"quoted"', '&anchor', '*alias', '!tag', '{x}', '[y]', '|', '>', '%', '@', '`', ' lead', 'trail ', '\ttab'),
);

interface FeatureSpec {
  id: string;
  fields: FeatureFields & { name: string; phase: Phase; spec_path: string };
}

const featureArb = (id: string): fc.Arbitrary<FeatureSpec> =>
  fc
    .record(
      {
        name: anyText,
        phase: fc.constantFrom(...PHASES),
        folder: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
        priority: fc.integer({ min: -5, max: 1000 }),
        description: anyText,
        status: fc.constantFrom('skipped', 'blocked'),
        reason: anyText,
        approvedBy: anyText,
      },
      { requiredKeys: ['name', 'phase', 'folder'] },
    )
    .map((r) => ({
      id,
      fields: {
        name: r.name,
        phase: r.phase,
        spec_path: `.specify/specs/${id.toLowerCase()}-${r.folder}`,
        ...(r.priority !== undefined ? { priority: r.priority } : {}),
        ...(r.description !== undefined ? { description: r.description } : {}),
        ...(r.status !== undefined ? { status: r.status, ...(r.reason !== undefined ? { reason: r.reason } : {}) } : {}),
        ...(r.approvedBy !== undefined ? { approved: { by: r.approvedBy, at: '2026-11-24T10:00:00Z' } } : {}),
      },
    }));

/** A ledger of distinct ids, SpecFlow (`F-12`, `F-016`) or spec-kit (`001`) style. */
const ledgerArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 12 })
  .chain((nums) => fc.tuple(...nums.map((n) => fc.constantFrom(`F-${n}`, String(n).padStart(3, '0')).chain(featureArb))))
  .map((features) => {
    // One spelling per number, or the ledger would hold one feature twice.
    const seen = new Set<number>();
    return features.filter((f) => {
      const n = Number(/\d+$/.exec(f.id)![0]);
      if (seen.has(n)) return false;
      seen.add(n);
      return true;
    });
  });

function render(features: readonly FeatureSpec[]): string {
  const doc = newLedgerDocument();
  for (const f of features) addFeature(doc, f.id, f.fields);
  return renderLedger(doc);
}

/** Each run renders and parses whole ledgers; this many keep the file to a few seconds. */
const RUNS = { numRuns: 120 };
const SLOW = 120_000;

describe('ledger render ∘ parse', () => {
  it('is the identity on what render produces, and keeps every field', () => {
    fc.assert(
      fc.property(ledgerArb, (features) => {
        const text = render(features);
        const parsed = parseLedger(text);
        expect(parsed.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(renderLedger(parsed.doc)).toBe(text);
        const byId = new Map(parsed.features.map((f) => [f.id, f]));
        for (const { id, fields } of features) {
          const got = byId.get(id);
          expect(got, id).toBeDefined();
          const { line: _line, id: _id, ...data } = got!;
          expect(data).toEqual(fields);
        }
      }),
      RUNS,
    );
  }, SLOW);
});

describe('spec_path normalisation', () => {
  const segment = fc.constantFrom('..', '.', '', 'a', 'specs', 'f-1-x', 'spec.md', 'plan.md', '~', 'C:', ' ', '...', '.git', 'ü', '%2e%2e', 'file:');
  const rawPath = fc.tuple(fc.constantFrom('', '/', './', '\\', '../', 'C:/', '/repo/', '/repo/../'), fc.array(segment, { maxLength: 8 }), fc.constantFrom('/', '\\', '//')).map(([lead, parts, sep]) => lead + parts.join(sep));
  const REPO = '/repo';

  it('is idempotent, and never yields a path outside the repository', () => {
    fc.assert(
      fc.property(fc.oneof(rawPath, fc.string({ unit: 'binary', maxLength: 30 })), fc.boolean(), (raw, withRoot) => {
        const once = normaliseSpecPath(raw, withRoot ? REPO : undefined);
        if (!once.ok) return;
        const twice = normaliseSpecPath(once.path, withRoot ? REPO : undefined);
        expect(twice).toEqual(once);
        expect(once.path.startsWith('/')).toBe(false);
        expect(once.path.split('/')).not.toContain('..');
        expect(once.path).not.toMatch(/\\|\/$/);
        const resolved = posix.resolve(REPO, once.path);
        expect(resolved.startsWith(`${REPO}/`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the ledger merge driver', () => {
  /** Edits a side may make to one feature. */
  const edit = fc.oneof(
    fc.record({ phase: fc.constantFrom(...PHASES) }),
    fc.record({ name: anyText }),
    fc.record({ description: anyText }),
    fc.record({ priority: fc.integer({ min: 0, max: 99 }) }),
    fc.record({ status: fc.constantFrom('skipped' as const, 'blocked' as const), reason: anyText }),
  );

  const scenario = ledgerArb
    .filter((fs) => fs.length >= 2)
    .chain((base) =>
      fc.record({
        base: fc.constant(base),
        // Each feature is edited by one side at most: ours, theirs, or nobody.
        owner: fc.array(fc.constantFrom('ours', 'theirs', 'none'), { minLength: base.length, maxLength: base.length }),
        edits: fc.array(edit, { minLength: base.length, maxLength: base.length }),
        added: fc.tuple(featureArb('F-901'), featureArb('F-902')),
      }),
    );

  function side(base: readonly FeatureSpec[], owner: string[], edits: FeatureFields[], who: 'ours' | 'theirs', added: FeatureSpec): string {
    const doc = parseLedger(render(base)).doc;
    base.forEach((f, i) => {
      if (owner[i] === who) updateFeature(doc, f.id, edits[i]!);
    });
    addFeature(doc, added.id, added.fields);
    return renderLedger(doc);
  }

  it('is symmetric for edits to different features: both orders merge clean to the same ledger, with every edit', () => {
    fc.assert(
      fc.property(scenario, ({ base, owner, edits, added }) => {
        const O = render(base);
        const A = side(base, owner, edits, 'ours', added[0]);
        const B = side(base, owner, edits, 'theirs', added[1]);
        const ab = mergeLedgers(O, A, B);
        const ba = mergeLedgers(O, B, A);
        expect(ab.conflicts).toEqual([]);
        expect(ba.conflicts).toEqual([]);
        expect(ab.text).toBe(ba.text);
        // Every edit of either side is in the result.
        const merged = new Map(parseLedger(ab.text).features.map((f) => [f.id, f]));
        base.forEach((f, i) => {
          const want = owner[i] === 'none' ? f.fields : { ...f.fields, ...edits[i] };
          const { line: _l, id: _i, ...got } = merged.get(f.id)!;
          expect(got).toEqual(want);
        });
        expect(merged.has('F-901') && merged.has('F-902')).toBe(true);
      }),
      RUNS,
    );
  }, SLOW);
});

describe('the ledger diff', () => {
  it('of a ledger with itself is empty, by features and by text (blocks and full parse alike)', () => {
    fc.assert(
      fc.property(ledgerArb, (features) => {
        const text = render(features);
        const states = parseLedger(text).features;
        expect(diffLedgers(states, states)).toEqual([]);
        for (const fast of [true, false]) {
          const delta = ledgerDelta(new PreparedLedger(text), new PreparedLedger(text), { fast });
          expect(delta.changes).toEqual([]);
          expect(delta.blocking).toEqual([]);
        }
      }),
      RUNS,
    );
  }, SLOW);
});
