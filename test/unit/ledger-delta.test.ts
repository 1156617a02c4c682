import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLedger } from '../../src/core/ledger-blocks.js';
import { ledgerDelta, PreparedLedger, type LedgerDelta } from '../../src/core/ledger-delta.js';

const prep = (text: string) => new PreparedLedger(text);

const BASE = `# Phase ledger kept by specflow.
version: 1
features:
  # the big one
  F-3:
    name: Search
    phase: specify
    spec_path: .specify/specs/f-3-search

  F-12:
    name: Vector Configuration
    phase: plan # moved after review
    spec_path: .specify/specs/f-12-vector-configuration
    approved: { by: Ann Example <ann@example.com>, at: 2026-11-24T10:00:00Z }
`;

describe('splitLedger', () => {
  it('cuts a ledger into its header and one block per feature, with the key line of each', () => {
    const split = splitLedger(BASE)!;
    expect(split.header).toBe('# Phase ledger kept by specflow.\nversion: 1\n');
    expect(split.preamble).toBe('  # the big one\n');
    expect(split.blocks.map((b) => [b.key, b.line])).toEqual([
      ['F-3', 5],
      ['F-12', 10],
    ]);
    expect(split.byKey.get('F-3')!.text).toBe('  F-3:\n    name: Search\n    phase: specify\n    spec_path: .specify/specs/f-3-search\n\n');
  });

  it('keeps whitespace-only lines and comments inside the block before them', () => {
    const split = splitLedger('version: 1\nfeatures:\n  F-1:\n    phase: none\n  \n  # next\n  F-2:\n    phase: none')!;
    expect(split.blocks.map((b) => [b.key, b.line, b.text])).toEqual([
      ['F-1', 3, '  F-1:\n    phase: none\n  \n  # next\n'],
      ['F-2', 7, '  F-2:\n    phase: none\n'],
    ]);
  });

  it('reads quoted keys and four-space indentation', () => {
    const split = splitLedger('version: 1\nfeatures:\n    "F-1":\n        phase: none\n    \'F-2\':\n        phase: none\n')!;
    expect(split.blocks.map((b) => b.key)).toEqual(['F-1', 'F-2']);
  });

  it.each([
    ['flow mapping', 'version: 1\nfeatures: { F-1: { phase: none } }\n'],
    ['anchor and alias', 'version: 1\nfeatures:\n  F-1: &base\n    phase: none\n  F-2: *base\n'],
    ['a top-level key after features', 'version: 1\nfeatures:\n  F-1:\n    phase: none\nextra: 1\n'],
    ['tabs', 'version: 1\nfeatures:\n\tF-1:\n\t\tphase: none\n'],
    ['CRLF', 'version: 1\r\nfeatures:\r\n  F-1:\r\n    phase: none\r\n'],
    ['conflict markers', 'version: 1\nfeatures:\n<<<<<<< ours\n  F-1:\n    phase: plan\n=======\n  F-1:\n    phase: tasks\n>>>>>>> theirs\n'],
    ['uneven indentation', 'version: 1\nfeatures:\n    F-1:\n      phase: none\n  F-2:\n    phase: none\n'],
    ['a sequence', 'version: 1\nfeatures:\n  - F-1\n'],
    ['a duplicate id', 'version: 1\nfeatures:\n  F-1:\n    phase: none\n  f-1:\n    phase: plan\n'],
    ['a second document', 'version: 1\nfeatures:\n  F-1:\n    phase: none\n---\nversion: 1\n'],
    ['no features key', 'version: 1\n'],
  ])('declines to split %s', (_what, text) => {
    expect(splitLedger(text)).toBeUndefined();
  });
});

describe('ledgerDelta', () => {
  it('parses only the blocks that differ and reports the phase change with the new entry', () => {
    const after = BASE.replace('phase: specify', 'phase: plan');
    const delta = ledgerDelta(prep(BASE), prep(after));
    expect(delta.path).toBe('blocks');
    expect(delta.changes).toEqual([{ kind: 'advanced', id: 'F-3', from: 'specify', to: 'plan' }]);
    expect(delta.after.get('F-3')).toMatchObject({ id: 'F-3', phase: 'plan', spec_path: '.specify/specs/f-3-search', line: 5 });
    expect(delta.blocking).toEqual([]);
  });

  it('sees nothing in a comment or layout edit', () => {
    const after = BASE.replace('# moved after review', '# moved after the review on Monday');
    expect(ledgerDelta(prep(BASE), prep(after)).changes).toEqual([]);
  });

  it('reports additions and removals, and matches f-12 with F-12', () => {
    const after = BASE.replace('  F-3:\n    name: Search\n    phase: specify\n    spec_path: .specify/specs/f-3-search\n\n', '').replace('  F-12:', '  f-12:') +
      '\n  F-20:\n    name: Export\n    phase: tasks\n    spec_path: .specify/specs/f-20-export\n';
    const delta = ledgerDelta(prep(BASE), prep(after));
    expect(delta.path).toBe('blocks');
    expect(delta.changes).toEqual([
      { kind: 'added', id: 'F-20', to: 'tasks' },
      { kind: 'removed', id: 'F-3', from: 'specify' },
    ]);
  });

  it('blocks an unknown phase in a changed entry, with its line in the whole file', () => {
    const after = BASE.replace('phase: specify', 'phase: plann');
    const delta = ledgerDelta(prep(BASE), prep(after));
    expect(delta.blocking).toMatchObject([{ code: 'ledger.phase.unknown', feature: 'F-3', line: 7 }]);
  });

  it('does not block on an unknown phase the commit did not touch', () => {
    const before = BASE.replace('phase: specify', 'phase: plann');
    const after = before.replace('phase: plan #', 'phase: tasks #');
    const delta = ledgerDelta(prep(before), prep(after));
    expect(delta.blocking).toEqual([]);
    expect(delta.changes).toEqual([{ kind: 'advanced', id: 'F-12', from: 'plan', to: 'tasks' }]);
  });

  it('blocks an unparsable ledger and conflict markers, naming the line (full parse)', () => {
    const broken = ledgerDelta(prep(BASE), prep(`${BASE}  F-13: [unclosed\n`));
    expect(broken.path).toBe('full');
    expect(broken.blocking[0]).toMatchObject({ code: 'ledger.unparsable', file: '.maestro/ledger.yaml' });
    expect(broken.blocking[0]!.line).toBeGreaterThan(0);
    const conflicted = ledgerDelta(prep(BASE), prep(BASE.replace('  F-12:', '<<<<<<< ours\n  F-12:')));
    expect(conflicted.blocking).toMatchObject([{ code: 'ledger.conflict', line: 10 }]);
  });

  it('treats every feature as new when the parent ledger cannot be read', () => {
    const delta = ledgerDelta(prep('version: [\n'), prep(BASE));
    expect(delta.parentUnreadable).toMatchObject({ code: 'ledger.unparsable' });
    expect(delta.changes.map((c) => c.kind)).toEqual(['added', 'added']);
  });

  it('handles a ledger that appears or disappears', () => {
    expect(ledgerDelta(undefined, prep(BASE)).changes).toHaveLength(2);
    expect(ledgerDelta(prep(BASE), undefined).changes.map((c) => c.kind)).toEqual(['removed', 'removed']);
    expect(ledgerDelta(undefined, undefined).changes).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The fast path and the full parse must agree on every ledger, including the odd ones.

const PHASE_VALUES = ['none', 'specify', 'plan', 'tasks', 'implement', 'complete', 'plann', undefined] as const;
const NAMES = ['Search', 'Vector Configuration', 'Vector: config', '"quoted"', 'a *bold* word', 'R&D', "it's", 'x - *y*', '#hash', 'multi\nline'];

interface GenFeature {
  n: number;
  lower: boolean;
  phase: (typeof PHASE_VALUES)[number];
  name: string;
  priority?: number;
  approved: boolean;
  scalar: boolean;
  comment?: string;
}

const featureArb: fc.Arbitrary<GenFeature> = fc.record(
  {
    n: fc.integer({ min: 1, max: 12 }),
    lower: fc.boolean(),
    phase: fc.constantFrom(...PHASE_VALUES),
    name: fc.constantFrom(...NAMES),
    priority: fc.integer({ min: 0, max: 5 }),
    approved: fc.boolean(),
    scalar: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
    comment: fc.constantFrom('', 'note', 'moved: back'),
  },
  { requiredKeys: ['n', 'lower', 'phase', 'name', 'approved', 'scalar'] },
);

interface Style {
  indent: number;
  quoteKeys: boolean;
  blankLines: boolean;
}
const styleArb: fc.Arbitrary<Style> = fc.record({ indent: fc.constantFrom(2, 4), quoteKeys: fc.boolean(), blankLines: fc.boolean() });

function render(features: GenFeature[], style: Style): string {
  const pad = ' '.repeat(style.indent);
  const lines = ['# ledger', 'version: 1', 'features:'];
  for (const f of features) {
    const key = `${f.lower ? 'f' : 'F'}-${f.n}`;
    if (f.comment) lines.push(`${pad}# ${f.comment}`);
    if (f.scalar) {
      lines.push(`${pad}${key}: oops`);
      continue;
    }
    lines.push(`${pad}${style.quoteKeys ? JSON.stringify(key) : key}:`);
    // Plain where YAML allows it (the layout renderLedger writes), quoted otherwise.
    lines.push(`${pad}${pad}name: ${/^[A-Za-z][A-Za-z ]*$/.test(f.name) ? f.name : JSON.stringify(f.name)}`);
    if (f.phase !== undefined) lines.push(`${pad}${pad}phase: ${f.phase}`);
    lines.push(`${pad}${pad}spec_path: .specify/specs/f-${f.n}-x`);
    if (f.priority !== undefined) lines.push(`${pad}${pad}priority: ${f.priority}`);
    if (f.approved) lines.push(`${pad}${pad}approved: { by: Ann <ann@example.com>, at: 2026-11-24T10:00:00Z }`);
    if (style.blankLines) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** A second version of a ledger: some entries changed, some dropped, some added. */
const editArb = fc.record({
  keep: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  changed: fc.array(fc.option(featureArb.map((f) => ({ ...f, n: 0 })), { nil: undefined }), { minLength: 12, maxLength: 12 }),
  extra: fc.array(featureArb, { maxLength: 3 }),
});

const comparable = (d: LedgerDelta) => ({
  changes: [...d.changes].sort((a, b) => a.id.localeCompare(b.id) || a.kind.localeCompare(b.kind)),
  after: [...d.after.entries()].sort(([a], [b]) => a.localeCompare(b)),
  blocking: d.blocking,
  parentUnreadable: d.parentUnreadable,
});

describe('ledgerDelta: block comparison agrees with the full parse', () => {
  it('on generated ledger pairs', () => {
    let fastRuns = 0;
    fc.assert(
      fc.property(fc.array(featureArb, { maxLength: 8 }), styleArb, styleArb, fc.integer({ min: 0, max: 4 }), editArb, (features, s1, s2, restyle, edit) => {
        const before = render(features, s1);
        const next = features.flatMap((f, i) => (edit.keep[i] ? [edit.changed[i] ? { ...edit.changed[i], n: f.n, lower: f.lower } : f] : []));
        const after = render([...next, ...edit.extra], restyle === 0 ? s2 : s1);
        const fast = ledgerDelta(new PreparedLedger(before), new PreparedLedger(after));
        const full = ledgerDelta(new PreparedLedger(before), new PreparedLedger(after), { fast: false });
        if (fast.path === 'blocks') fastRuns++;
        expect(comparable(fast)).toEqual(comparable(full));
      }),
      { numRuns: 400, seed: 20261124 },
    );
    // The generator must actually exercise the fast path, not only the fallback.
    expect(fastRuns).toBeGreaterThan(100);
  });
});
