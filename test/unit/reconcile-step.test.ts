import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { error, type Finding } from '../../src/core/finding.js';
import { addFeature, newLedgerDocument, parseLedger, renderLedger, type LedgerFeature } from '../../src/core/ledger.js';
import type { SpecsFolder, SpecsSnapshot } from '../../src/core/reconcile.js';
import { initialState, type Action, type DaemonState, type Failure, type Observation, type ReconcileResult, type Trigger, type WholeVerdict } from '../../src/core/reconcile-pass.js';
import { startPass, step, writeDecision } from '../../src/core/reconcile-step.js';

/**
 * The daemon's reconcile as a pure transition: each pass is driven here against a world made of
 * plain data (no file system, no clock), and the test reads which actions the transition asked
 * for — what it would have read, written and gated.
 */
const SPECS = '.specify/specs';
const dir = (n: number) => `${SPECS}/f-${n}-area-${n}`;
const folder = (n: number): SpecsFolder => ({ name: `f-${n}-area-${n}`, path: dir(n), id: `F-${n}` });

/** A canonical ledger of features F-1…F-n, each at `phase`, pointing at its folder (or at `paths[n]`). */
function ledger(n: number, paths: Record<number, string> = {}, phase: LedgerFeature['phase'] = 'specify'): string {
  const doc = newLedgerDocument();
  for (let i = 1; i <= n; i++) addFeature(doc, `F-${i}`, { name: `Area ${i}`, phase, spec_path: paths[i] ?? dir(i) });
  return renderLedger(doc);
}

interface World {
  config: Extract<Observation, { kind: 'config' }>;
  operation?: string;
  ledgerStamp: string | undefined;
  specsStamp: string | undefined;
  text: string | undefined;
  folders: SpecsFolder[];
  now: number;
  mtimeMs: number;
  replaceOk: boolean;
  /** The full path's verdict on a text; by default: the text as it is, nothing to repair. */
  judge: (text: string, write: boolean) => WholeVerdict | Failure;
  snapshot: (folders: readonly SpecsFolder[]) => SpecsSnapshot | Failure;
  gate: (f: LedgerFeature) => Finding[];
}

function world(n: number, extra: Partial<World> = {}): World {
  return {
    config: { kind: 'config', text: undefined, config: defaultConfig(), problem: undefined },
    ledgerStamp: 'ledger-1',
    specsStamp: 'specs-1',
    text: ledger(n),
    folders: Array.from({ length: n }, (_, i) => folder(i + 1)),
    now: 100_000,
    mtimeMs: 0,
    replaceOk: true,
    judge: (text) => verdict(text),
    snapshot: (folders) => ({ folders, existingDirs: new Set(), specTexts: new Map() }),
    gate: () => [],
    ...extra,
  };
}

function verdict(text: string, extra: Partial<WholeVerdict> = {}): WholeVerdict {
  const features = parseLedger(text).features;
  return { reconciliation: { repairs: [], findings: [], writable: true, checkable: features, held: [] }, features, text, written: false, parseFindings: [], ...extra };
}

const isFailure = (x: object): x is Failure => 'exitCode' in x;

/** What the shell would observe for `a` in `w`. */
function answer(w: World, a: Exclude<Action, { kind: 'done' }>): Observation {
  switch (a.kind) {
    case 'read-config':
      return w.config;
    case 'look':
      return { kind: 'looked', operation: w.operation, ledgerStamp: w.ledgerStamp, specsStamp: a.specsDir === undefined ? undefined : w.specsStamp };
    case 'read':
      return { kind: 'read', text: a.ledger ? w.text : undefined, folders: a.listWith && w.folders };
    case 'age':
      return { kind: 'age', now: w.now, mtimeMs: w.mtimeMs };
    case 'snapshot': {
      const s = w.snapshot(a.folders);
      return isFailure(s) ? { kind: 'failed', error: s } : { kind: 'snapshot', snapshot: s };
    }
    case 'replace':
      if (w.replaceOk) w.text = a.next;
      return { kind: 'replaced', ok: w.replaceOk };
    case 'judge': {
      const v = w.judge(a.text, a.write);
      if (isFailure(v)) return { kind: 'failed', error: v };
      if (v.written) w.text = v.text;
      return { kind: 'judged', verdict: v, postponedMs: 0 };
    }
    case 'gate':
      return { kind: 'gated', findings: a.features.flatMap((f) => w.gate(f)) };
  }
}

interface Pass {
  state: DaemonState;
  result: ReconcileResult;
  actions: Action[];
}

function pass(state: DaemonState, trigger: Trigger, w: World): Pass {
  const actions: Action[] = [];
  let t = startPass(state, trigger);
  for (;;) {
    actions.push(t.action);
    if (t.action.kind === 'done') return { state: t.state, result: t.action.result, actions };
    t = step(t.state, answer(w, t.action));
  }
}

const trigger = (extra: Partial<Trigger> = {}): Trigger => ({ full: false, config: false, folders: false, documents: new Set(), reasons: new Set(['ledger']), ...extra });
const START = trigger({ full: true, reasons: new Set(['start']) });
const PERIODIC = trigger({ full: true, reasons: new Set(['periodic']) });
const kinds = (p: Pass) => p.actions.map((a) => a.kind);
const gateOf = (p: Pass) => p.actions.find((a): a is Extract<Action, { kind: 'gate' }> => a.kind === 'gate')!;
const rechecked = (p: Pass) => gateOf(p).features.filter((_, i) => gateOf(p).recheck[i]).map((f) => f.id);

/** A daemon that has made its first pass over `w`. */
function started(w: World): DaemonState {
  return pass(initialState('/home/ann/project'), START, w).state;
}

describe('reconcile transition: the first pass', () => {
  it('reads the config, looks, reads the ledger and the listing, judges the whole ledger and gates every feature', () => {
    const w = world(3);
    const p = pass(initialState('/home/ann/project'), START, w);
    expect(kinds(p)).toEqual(['read-config', 'look', 'read', 'age', 'judge', 'gate', 'done']);
    expect(p.actions[2]).toMatchObject({ kind: 'read', ledger: true, listWith: { specs_dir: SPECS } });
    expect(p.actions[4]).toMatchObject({ kind: 'judge', write: true });
    expect(p.result).toMatchObject({ ledger: 'whole', features: 3, retry: false, pausedFor: null, applied: [], problems: [] });
    expect(rechecked(p)).toEqual(['F-1', 'F-2', 'F-3']);
    expect(p.state.pass).toBeUndefined();
  });

  it('holds the whole parse back while the ledger was written a moment ago, and says when to look again', () => {
    const w = world(1, { now: 1_000, mtimeMs: 990 });
    const p = pass(initialState('/r'), START, w);
    expect(kinds(p)).toEqual(['read-config', 'look', 'read', 'age', 'gate', 'done']);
    expect(p.result).toMatchObject({ retry: 30, ledger: 'unchanged' });
    // What it read is not taken in: the next pass reads it again.
    expect(p.state.ledger.stamp).toBeUndefined();
  });

  it('reports a missing ledger', () => {
    const p = pass(initialState('/r'), START, world(0, { text: undefined }));
    expect(p.result.problems.map((f) => f.code)).toEqual(['ledger.missing']);
    expect(kinds(p)).not.toContain('judge');
  });
});

describe('reconcile transition: an idle daemon', () => {
  it('on a periodic pass with the same stats reads neither the ledger nor the listing, and gates one slice', () => {
    const w = world(25);
    const p = pass(started(w), PERIODIC, w);
    expect(kinds(p)).toEqual(['read-config', 'look', 'gate', 'done']);
    expect(p.result).toMatchObject({ ledger: 'unchanged', applied: [], retry: false });
    // Slice 1 of 10: the 2nd, 12th and 22nd entries.
    expect(rechecked(p)).toEqual(['F-2', 'F-12', 'F-22']);
    expect(gateOf(p).forgetOthers).toBe(false);
  });

  it('sweeps every feature once in ten periodic passes', () => {
    const w = world(25);
    let state = started(w);
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const p = pass(state, PERIODIC, w);
      seen.push(...rechecked(p));
      state = p.state;
    }
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `F-${i + 1}`).sort());
  });

  it('reads the ledger again on a periodic pass when its stat changed', () => {
    const w = world(2);
    const state = started(w);
    w.ledgerStamp = 'ledger-2';
    const p = pass(state, PERIODIC, w);
    expect(p.actions[2]).toMatchObject({ kind: 'read', ledger: true, listWith: undefined });
    // Same text, same listing: nothing to decide.
    expect(p.result.ledger).toBe('unchanged');
  });

  it('gates again only the feature whose documents changed', () => {
    const w = world(3);
    const p = pass(started(w), trigger({ documents: new Set([dir(2)]), reasons: new Set(['document']) }), w);
    expect(kinds(p)).toEqual(['look', 'read', 'gate', 'done']);
    expect(rechecked(p)).toEqual(['F-2']);
  });

  it('reports a problem as new once', () => {
    const w = world(2, { gate: (f) => (f.id === 'F-2' ? [error('phase.ahead', 'ahead', { feature: 'F-2' })] : []) });
    const first = pass(initialState('/r'), START, w);
    expect(first.result.newProblems.map((f) => f.code)).toEqual(['phase.ahead']);
    const again = pass(first.state, PERIODIC, w);
    expect(again.result.problems.map((f) => f.code)).toEqual(['phase.ahead']);
    expect(again.result.newProblems).toEqual([]);
  });
});

describe('reconcile transition: the fast path', () => {
  const edited = (w: World, n: number, path: string) => {
    w.text = ledger(3, { [n]: path });
    w.ledgerStamp = 'ledger-2';
  };

  it('judges a changed entry alone and splices its repair in, under compare-and-swap', () => {
    const w = world(3);
    const state = started(w);
    edited(w, 2, `${dir(2)}/spec.md`);
    const p = pass(state, trigger(), w);
    expect(kinds(p)).toEqual(['look', 'read', 'snapshot', 'age', 'replace', 'gate', 'done']);
    expect(p.actions[2]).toMatchObject({ kind: 'snapshot', naming: false, features: [{ id: 'F-2' }] });
    expect(p.result).toMatchObject({ ledger: 'entries', retry: false });
    expect(p.result.applied.map((r) => [r.code, r.feature, r.after])).toEqual([['spec_path.repaired', 'F-2', dir(2)]]);
    expect(w.text).toBe(ledger(3));
    // The entry ends as it was when last gated: its verdict stands.
    expect(rechecked(p)).toEqual([]);
  });

  it('holds the write back while the ledger was modified a moment ago', () => {
    const w = world(3);
    const state = started(w);
    edited(w, 2, `${dir(2)}/`);
    w.mtimeMs = w.now - 15;
    const p = pass(state, trigger(), w);
    expect(kinds(p)).toEqual(['look', 'read', 'snapshot', 'age', 'gate', 'done']);
    expect(p.result).toMatchObject({ applied: [], retry: 25, ledger: 'entries' });
    expect(p.state.ledger.text).toBeUndefined();
  });

  it('goes the full way when another write landed between the decision and the lock', () => {
    const w = world(3, { replaceOk: false });
    const state = started(w);
    edited(w, 1, `./${dir(1)}`);
    const p = pass(state, trigger(), w);
    expect(kinds(p)).toEqual(['look', 'read', 'snapshot', 'age', 'replace', 'age', 'judge', 'gate', 'done']);
    expect(p.result.ledger).toBe('whole');
  });

  it('retries shortly when the lock is busy', () => {
    const w = world(3, { replaceOk: false });
    const state = started(w);
    edited(w, 1, `./${dir(1)}`);
    w.snapshot = () => ({ exitCode: 4, code: 'busy', message: 'locked by process 7', findings: [] });
    const p = pass(state, trigger(), w);
    expect(p.result).toMatchObject({ retry: 100, applied: [] });
  });
});

describe('reconcile transition: writes that wait', () => {
  it('a registration held back while the ledger settles is not taken for an entry someone removed: the folder is registered later, not held', () => {
    const registered = [{ code: 'feature.registered', feature: 'F-2', field: 'entry', before: null, after: dir(2) }];
    // Another writer keeps the ledger busy: the daemon's registration of F-2 is judged but not written.
    const w = world(1, {
      folders: [folder(1), folder(2)],
      judge: (text) => {
        const v = verdict(text);
        return { ...v, reconciliation: { ...v.reconciliation, repairs: registered as never }, features: [...v.features, { id: 'F-2', name: 'Area 2', phase: 'none', spec_path: dir(2) } as LedgerFeature], written: false };
      },
    });
    const state = started(w);
    // The other writer's ledger lands, without F-2.
    w.text = ledger(1, {}, 'plan');
    w.ledgerStamp = 'ledger-2';
    const next = pass(state, trigger({ full: true, folders: true }), w);
    const judge = next.actions.find((a): a is Extract<Action, { kind: "judge" }> => a.kind === "judge");
    expect(judge, kinds(next).join(" ")).toBeDefined();
    expect(judge!.held.get(dir(2))).toBeUndefined();
  });

  it('re-registering an entry that just vanished waits longer than any other repair', () => {
    const w = world(2);
    const state = started(w);
    const registered = [{ code: 'feature.registered', feature: 'F-2', field: 'entry', before: null, after: dir(2) }];
    const moved = [{ code: 'spec_path.repaired', feature: 'F-2', field: 'spec_path', before: `${dir(2)}/`, after: dir(2) }];
    const age = { now: 10_000, mtimeMs: 10_000 - 200 };
    expect(writeDecision(state, moved as never, age)).toEqual({ write: true, waitMs: 0 });
    expect(writeDecision(state, registered as never, age)).toEqual({ write: false, waitMs: 800 });
    expect(writeDecision(state, registered as never, { now: 10_000, mtimeMs: undefined })).toEqual({ write: true, waitMs: 0 });
  });
});

describe('reconcile transition: a ledger that cannot be parsed', () => {
  const unparsable: Failure = { exitCode: 3, code: 'ledger.unparsable', message: 'bad', findings: [error('ledger.unparsable', 'line 3: bad')] };

  it('is read again once before it is reported, then left alone until it changes', () => {
    const w = world(2);
    let state = started(w);
    w.text = 'features: [\n';
    w.ledgerStamp = 'ledger-2';
    w.judge = () => unparsable;
    const first = pass(state, trigger(), w);
    expect(first.result).toMatchObject({ retry: 100, problems: [] });
    state = first.state;
    const second = pass(state, trigger({ reasons: new Set(['retry']) }), w);
    expect(second.result).toMatchObject({ retry: false, features: 0 });
    expect(second.result.newProblems.map((f) => f.code)).toEqual(['ledger.unparsable']);
    const third = pass(second.state, trigger(), w);
    expect(kinds(third)).toEqual(['look', 'read', 'gate', 'done']);
    expect(third.result.problems.map((f) => f.code)).toEqual(['ledger.unparsable']);
  });
});

describe('reconcile transition: repairs wait', () => {
  it('while a git operation is in progress: the ledger is inspected, not written, and judged again next time', () => {
    const w = world(2, { operation: 'merge' });
    const p = pass(initialState('/r'), START, w);
    expect(p.actions.find((a) => a.kind === 'judge')).toMatchObject({ write: false });
    expect(p.result.pausedFor).toBe('merge in progress');
    const next = pass(p.state, trigger(), w);
    expect(next.actions.find((a) => a.kind === 'judge')).toMatchObject({ write: false });
  });

  it('while the config cannot be read: reported, repairs wait, the last usable config stays in force', () => {
    const w = world(2, { config: { kind: 'config', text: 'specs_dir: specs\n', config: { ...defaultConfig(), specs_dir: 'specs' }, problem: undefined } });
    const state = started(w);
    const unreadable = error('config.unreadable', '.maestro/config.yaml: cannot be read (EISDIR: illegal operation on a directory, read)', { file: '.maestro/config.yaml' });
    w.config = { kind: 'config', text: undefined, config: undefined, problem: unreadable };
    const p = pass(state, trigger({ config: true, reasons: new Set(['config']) }), w);
    expect(p.result.pausedFor).toBe('config cannot be read');
    expect(p.result.newProblems.map((f) => f.code)).toEqual(['config.unreadable']);
    expect(p.actions.find((a) => a.kind === 'judge')).toMatchObject({ write: false, config: { specs_dir: 'specs' } });
    expect(p.state.config.config.specs_dir).toBe('specs');
  });

  it('while the config cannot be parsed, as before', () => {
    const w = world(1);
    const state = started(w);
    w.config = { kind: 'config', text: 'gates: [', config: undefined, problem: error('config.unparsable', 'bad') };
    const p = pass(state, trigger({ config: true, reasons: new Set(['config']) }), w);
    expect(p.result.pausedFor).toBe('config cannot be parsed');
  });

  it('a new config is a fresh start: listing read again, the whole ledger judged, every feature gated', () => {
    const w = world(2);
    const state = started(w);
    w.config = { kind: 'config', text: 'require_approval: false\n', config: { ...defaultConfig(), require_approval: false }, problem: undefined };
    const p = pass(state, trigger({ config: true, reasons: new Set(['config']) }), w);
    expect(p.actions.find((a) => a.kind === 'read')).toMatchObject({ ledger: true, listWith: { require_approval: false } });
    expect(p.result.ledger).toBe('whole');
    expect(gateOf(p).configKey).toBe('require_approval: false\n');
  });
});

describe('reconcile transition: misuse', () => {
  it('refuses an observation that does not answer the action asked', () => {
    const t = startPass(initialState('/r'), START);
    expect(() => step(t.state, { kind: 'gated', findings: [] })).toThrow(/does not answer read-config/);
  });
});
