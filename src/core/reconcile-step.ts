import { compareIds } from './feature-id.js';
import { error, type Finding } from './finding.js';
import { findingCode } from './finding-codes.js';
import { LEDGER_PATH, type LedgerFeature } from './ledger.js';
import { applyPatch, ledgerBase, patchLedger } from './ledger-patch.js';
import { reconcile, type HeldLookup, type SpecsSnapshot } from './reconcile.js';
import type { Repair } from './repair.js';
import { normaliseSpecPath } from './spec-path.js';
import {
  BUSY_RETRY_MS,
  DOCUMENT_SETTLE_MS,
  EMPTY_DOCUMENT_SETTLE_MS,
  SETTLE_MS,
  SETTLE_REVIVED_MS,
  SWEEP_SLICES,
  type Action,
  type DaemonState,
  type Failure,
  type LedgerAge,
  type Observation,
  type Pass,
  type Transition,
  type Trigger,
} from './reconcile-pass.js';

/**
 * The daemon's reconcile, a pure transition (state, observation) → (state, action): the same
 * decision as `specflow doctor --fix`, made incrementally. The ledger is read again only when
 * its stat changed (or an event says so) and parsed again only when its text or the folder
 * listing changed; an edit inside a few entries is judged by those entries alone (the fast path,
 * ledger-patch); the gates run again only for entries or folders that changed, plus a slice of
 * the rest on each periodic pass.
 *
 * A pass: `startPass` → read-config? → look → read? → [snapshot → age? → replace?] | [age? →
 * judge] → gate → done. A `failed` observation may answer a snapshot, replace or judge.
 */

const ANSWERS: Record<Action['kind'], Observation['kind'][]> = {
  'read-config': ['config'],
  look: ['looked'],
  read: ['read', 'failed'],
  age: ['age'],
  snapshot: ['snapshot', 'failed'],
  replace: ['replaced', 'failed'],
  judge: ['judged', 'failed'],
  gate: ['gated'],
  done: [],
};

const entryKey = (f: LedgerFeature) => [f.phase, f.spec_path, f.status ?? '', f.approved ? `${f.approved.by}\u0001${f.approved.at}` : ''].join('\0');
const problemKey = (f: Finding) => `${f.code}\0${f.feature ?? ''}\0${f.message}`;

export function startPass(state: DaemonState, trigger: Trigger): Transition {
  const pass: Pass = {
    trigger,
    awaiting: 'read-config',
    periodic: trigger.full && trigger.reasons.size === 1 && trigger.reasons.has('periodic'),
    pausedFor: null,
    ledgerStamp: undefined,
    specsStamp: undefined,
    readLedger: false,
    listed: false,
    text: undefined,
    folders: [],
    foldersKey: undefined,
    before: state.ledger.features,
    fast: undefined,
    applied: [],
    pending: [],
    retry: false,
    postponed: 0,
    judged: 'unchanged',
  };
  const s = { ...state, pass };
  if (trigger.full || trigger.config || state.config.seen === null) return ask(s, { kind: 'read-config' });
  return look(s);
}

export function step(state: DaemonState, o: Observation): Transition {
  const pass = state.pass;
  if (!pass || !ANSWERS[pass.awaiting].includes(o.kind)) throw new Error(`reconcile: ${o.kind} does not answer ${pass?.awaiting ?? 'nothing'}`);
  switch (o.kind) {
    case 'config':
      return look(takeConfig(state, o));
    case 'looked':
      return afterLook(state, o);
    case 'read':
      return decide(state, o);
    case 'snapshot':
      return patched(state, o.snapshot);
    case 'age':
      return pass.fast?.next ? writePatch(state, o) : wholeIfSettled(state, o);
    case 'replaced':
      return o.ok ? commitPatch(state) : whole(state);
    case 'judged':
      return judged(state, o.verdict, o.postponedMs);
    case 'failed':
      return pass.awaiting === 'read' ? unreadable(state, o.error) : failed(state, o.error);
    case 'gated':
      return finish(o.unsettledMs ? withPass(state, { retry: Math.max(pass.retry || 0, o.unsettledMs) }) : state, o.findings);
  }
}

/**
 * A config read. A different one from last time resets what was decided under the old one; one
 * that cannot be used keeps the last usable config in force (for reporting) and is a problem.
 */
export function takeConfig(state: DaemonState, o: Extract<Observation, { kind: 'config' }>): DaemonState {
  const seen = o.text ?? (o.problem && `\0${o.problem.code}\0${o.problem.message}`);
  if (seen === state.config.seen) return state;
  return {
    ...state,
    config: { seen, config: o.config ?? state.config.config, problem: o.problem },
    ledger: { ...state.ledger, text: undefined, base: undefined },
    folders: { ...state.folders, list: undefined, key: undefined },
    entryKeys: new Map(),
  };
}

/**
 * May a repair decided on the ledger as it is now be written? Not while the file was modified
 * a moment ago: a writer that does not take the lock (an editor saving in place, a shell
 * redirect) may be half-way, and a half-written ledger can parse — with its last entries
 * missing. Re-registering entries that just vanished waits longer still, so that an entry's
 * phase is never lost to a read in the middle of someone else's write. `waitMs`: how long.
 */
export function writeDecision(state: DaemonState, repairs: readonly Repair[], age: LedgerAge): { write: boolean; waitMs: number } {
  // What the ledger held when last read whole (a failed read in between knows nothing).
  const known = new Set([...(state.ledger.base?.features ?? []), ...state.ledger.features].map((f) => f.id));
  const revived = repairs.some((r) => r.code === 'feature.registered' && r.feature !== undefined && known.has(r.feature));
  return settle(revived ? SETTLE_REVIVED_MS : SETTLE_MS, age);
}

/**
 * May a phase finding from a document be reported, given when the document last changed and
 * whether it is empty? Not while it was saved a moment ago: an editor that truncates and then
 * writes leaves it empty for an instant, and a warning about that instant is false. `waitMs`:
 * when it will have settled.
 */
export function documentSettle(doc: { mtimeMs: number; empty: boolean } | undefined, now: number): { settled: boolean; waitMs: number } {
  if (doc === undefined) return { settled: true, waitMs: 0 };
  const wait = (doc.empty ? EMPTY_DOCUMENT_SETTLE_MS : DOCUMENT_SETTLE_MS) - (now - doc.mtimeMs);
  return wait > 0 ? { settled: false, waitMs: Math.ceil(wait) } : { settled: true, waitMs: 0 };
}

/** Has the ledger been left alone for `ms`? (A ledger that cannot be stat'ed has.) */
function settle(ms: number, age: LedgerAge): { write: boolean; waitMs: number } {
  if (age.mtimeMs === undefined) return { write: true, waitMs: 0 };
  const wait = ms - (age.now - age.mtimeMs);
  return wait > 0 ? { write: false, waitMs: Math.ceil(wait) } : { write: true, waitMs: 0 };
}

function ask(state: DaemonState, action: Action): Transition {
  return { state: { ...state, pass: { ...state.pass!, awaiting: action.kind } }, action };
}

function withPass(state: DaemonState, change: Partial<Pass>): DaemonState {
  return { ...state, pass: { ...state.pass!, ...change } };
}

function withLedger(state: DaemonState, change: Partial<DaemonState['ledger']>): DaemonState {
  return { ...state, ledger: { ...state.ledger, ...change } };
}

/** specs_dir is stat'ed only when the listing may be read. */
function look(state: DaemonState): Transition {
  const t = state.pass!.trigger;
  const mayList = !state.folders.list || t.full || t.folders;
  return ask(state, { kind: 'look', specsDir: mayList ? state.config.config.specs_dir : undefined });
}

/**
 * The periodic pass is a safety net for missed events: a ledger or a specs folder whose stat
 * (inode, size, change and modification times in ns) is as last seen is not read again. The
 * listing changes only with a folder event (or a missed one: the periodic pass is full).
 */
function afterLook(state: DaemonState, o: Extract<Observation, { kind: 'looked' }>): Transition {
  const { trigger: t, periodic } = state.pass!;
  const problem = state.config.problem;
  const pausedFor = o.operation ? `${o.operation} in progress` : problem ? `config cannot be ${problem.code === 'config.unreadable' ? 'read' : 'parsed'}` : null;
  const sameLedger = periodic && o.ledgerStamp !== undefined && o.ledgerStamp === state.ledger.stamp && state.ledger.text !== undefined;
  const sameListing = periodic && o.specsStamp !== undefined && o.specsStamp === state.folders.stamp;
  const list = !state.folders.list || ((t.full || t.folders) && !sameListing);
  const s = withPass(state, { pausedFor, ledgerStamp: o.ledgerStamp, specsStamp: o.specsStamp, readLedger: !sameLedger, listed: list });
  if (sameLedger && !list) return decide(s, { kind: 'read', text: undefined, folders: undefined });
  return ask(s, { kind: 'read', ledger: !sameLedger, listWith: list ? state.config.config : undefined });
}

function decide(state: DaemonState, o: Extract<Observation, { kind: 'read' }>): Transition {
  const pass = state.pass!;
  const text = pass.readLedger ? o.text : state.ledger.text;
  let { list: folders, key, stamp } = state.folders;
  if (pass.listed) {
    stamp = pass.specsStamp;
    const listed = o.folders ?? [];
    const k = listed.map((f) => f.name).join('\n');
    // The same listing keeps the same objects: an idle daemon's periodic pass holds nothing new.
    if (k !== key || !folders) {
      folders = listed;
      key = k;
    }
  }
  let s: DaemonState = { ...state, ledger: { ...state.ledger, stamp: pass.ledgerStamp }, folders: { ...state.folders, stamp } };
  s = withPass(s, { text, folders: folders ?? [], foldersKey: key });
  if (text === undefined) {
    const missing = error('ledger.missing', `${LEDGER_PATH} not found`, { file: LEDGER_PATH, hint: 'Run `specflow init`, or restore it from git.' });
    return gate(withLedger(s, { text: undefined, problems: [missing], features: [], checkable: [], broken: true }));
  }
  if (text === state.ledger.text && key === state.folders.key && !pass.pausedFor) return gate(s);
  const base = state.ledger.base;
  const patch = !pass.pausedFor && !pass.trigger.full && key === state.folders.key && base ? patchLedger(base, text) : undefined;
  if (!patch) return whole(s);
  // After a text that could not be parsed (half-written, say), what is known about the other
  // entries was cleared: judge them all, still without parsing YAML.
  const scope = state.ledger.broken ? undefined : new Set([...patch.changed].map((i) => patch.features[i]!.id));
  const judged = scope ? patch.features.filter((f) => scope.has(f.id)) : patch.features;
  s = withPass(s, { fast: { patch, scope } });
  return ask(s, { kind: 'snapshot', config: state.config.config, features: judged, folders: folders ?? [], naming: !scope });
}

/** The fast path decides on the changed entries; a repair it cannot splice in goes the full way. */
function patched(state: DaemonState, snapshot: SpecsSnapshot): Transition {
  const fast = state.pass!.fast!;
  const { patch, scope } = fast;
  const rec = reconcile({
    features: patch.features,
    ledgerFindings: [],
    config: state.config.config,
    snapshot,
    repoRoot: state.repoRoot,
    held: mayHold(state),
    ...(scope ? { scope } : {}),
  });
  const next = applyPatch(patch, rec.repairs);
  if (!next) return whole(withPass(state, { fast: undefined }));
  const s = withPass(state, { fast: { ...fast, rec, next } });
  return rec.repairs.length ? ask(s, { kind: 'age' }) : commitPatch(s);
}

function writePatch(state: DaemonState, age: LedgerAge): Transition {
  const pass = state.pass!;
  const { rec, next } = pass.fast!;
  const d = writeDecision(state, rec!.repairs, age);
  if (!d.write) return decided(withPass(state, { postponed: Math.max(pass.postponed, d.waitMs), judged: 'entries' }));
  return ask(state, { kind: 'replace', expected: pass.text!, next: next!.text });
}

function commitPatch(state: DaemonState): Transition {
  const { rec, next, scope } = state.pass!.fast!;
  // A judgement of some entries says nothing about folders: what waited still waits.
  const s = withPass(scope ? state : { ...state, held: stillHeld(state, rec!.held) }, { applied: rec!.repairs, judged: 'entries' });
  const common = { base: next, text: next!.text, features: next!.features, broken: false };
  if (!scope) return decided(withLedger(s, { ...common, problems: rec!.findings, checkable: rec!.checkable }));
  // The judged entries' findings replace theirs; everything else stands (keys and folders did not change).
  const stale = (f: Finding) => f.feature !== undefined && scope.has(f.feature) && f.code.startsWith('spec_path.');
  const problems = [...state.ledger.problems.filter((f) => !stale(f)), ...rec!.findings];
  const checkable = new Set([...state.ledger.checkable.filter((f) => !scope.has(f.id)), ...rec!.checkable].map((f) => f.id));
  return decided(withLedger(s, { ...common, problems, checkable: next!.features.filter((f) => checkable.has(f.id)) }));
}

/** The full path: parse the whole ledger and (unless paused) repair it under the lock. */
function whole(state: DaemonState): Transition {
  const pass = state.pass!;
  if (pass.postponed) return decided(state);
  if (pass.pausedFor) return judge(state, false);
  // A whole parse of a text still being written would be wasted, and a large one is not cheap.
  return ask(withPass(state, { fast: undefined }), { kind: 'age' });
}

function wholeIfSettled(state: DaemonState, age: LedgerAge): Transition {
  const d = settle(SETTLE_MS, age);
  if (!d.write) return decided(withPass(state, { postponed: Math.max(state.pass!.postponed, d.waitMs) }));
  return judge(state, true);
}

function judge(state: DaemonState, write: boolean): Transition {
  const pass = state.pass!;
  return ask(state, { kind: 'judge', write, config: state.config.config, text: pass.text!, folders: pass.folders, held: mayHold(state) });
}

/**
 * Folders not to register again: those already waiting, and those of every entry of the last
 * ledger this daemon read whole. Only the ones whose entry is gone from the text now judged
 * (and whose folder is still there) are held; the others are claimed by their entry.
 */
function mayHold(state: DaemonState): HeldLookup {
  const lists = [state.ledger.features, state.ledger.base?.features ?? []];
  // Looked up only when a folder without an entry asks (rare); each list is indexed once.
  return { get: (path) => state.held.get(path) ?? lists.map((l) => folderOwners(l, state.repoRoot).get(path)).find((id) => id !== undefined) };
}

const owners = new WeakMap<readonly LedgerFeature[], Map<string, string>>();

/** Each entry's folder (normalised) → its id, once per list of entries. */
function folderOwners(features: readonly LedgerFeature[], repoRoot: string): Map<string, string> {
  let m = owners.get(features);
  if (m) return m;
  m = new Map();
  for (const f of features) {
    const n = normaliseSpecPath(f.spec_path, repoRoot);
    if (n.ok && !m.has(n.path)) m.set(n.path, f.id);
  }
  owners.set(features, m);
  return m;
}

function stillHeld(state: DaemonState, paths: readonly string[]): ReadonlyMap<string, string> {
  if (paths.length === 0) return state.held.size ? new Map() : state.held;
  const known = mayHold(state);
  return new Map(paths.map((p) => [p, known.get(p) ?? '?']));
}

function judged(state: DaemonState, verdict: Extract<Observation, { kind: 'judged' }>['verdict'], postponedMs: number): Transition {
  const pass = state.pass!;
  const postponed = Math.max(pass.postponed, postponedMs);
  const { repairs, findings, checkable } = verdict.reconciliation;
  // Settled: nothing left to repair in the text it ends with. Its entries are the parsed ones with
  // the repairs applied; ledgerBase refuses them if they do not line up with the text's blocks
  // (a registration, say), and the next full pass tries again.
  const settled = !pass.pausedFor && !postponed && verdict.parseFindings.length === 0 && (verdict.written || repairs.length === 0);
  // The full path lists registered entries last; its text holds them in id order.
  const base = settled ? ledgerBase(verdict.text, [...verdict.features].sort((a, b) => compareIds(a.id, b.id))) : undefined;
  // The base's entries carry the lines of its text (the verdict's entries were just made for this pass).
  base?.features.forEach((f, i) => (f.line = base.blocks.blocks[i]!.line));
  // Registrations not written (held back while the ledger settles) are not entries of any ledger
  // read: kept, they would look like entries someone else removed, and their folders be held.
  const unwritten = verdict.written ? undefined : new Set(repairs.filter((r) => r.code === 'feature.registered').map((r) => r.feature));
  const s = withLedger({ ...state, held: stillHeld(state, verdict.reconciliation.held) }, {
    // While paused, the next reconcile decides again; otherwise only a new text or listing does.
    text: pass.pausedFor ? undefined : verdict.text,
    features: unwritten?.size ? verdict.features.filter((f) => !unwritten.has(f.id)) : verdict.features,
    checkable,
    problems: findings,
    broken: false,
    base,
  });
  const outcome = verdict.written ? { applied: repairs, pending: [] } : { applied: [], pending: repairs };
  return decided(withPass(s, { ...outcome, postponed, judged: 'whole' }));
}

function failed(state: DaemonState, e: Failure): Transition {
  const pass = state.pass!;
  if (e.exitCode === 4) return gate(withPass(state, { retry: BUSY_RETRY_MS }));
  if (pass.text !== state.ledger.unsettled) {
    // Perhaps read half-way through a write (not every editor renames into place): look again
    // shortly before calling it broken.
    return gate(withPass(withLedger(state, { unsettled: pass.text }), { retry: BUSY_RETRY_MS }));
  }
  // Unparsable (or unreadable, or unwritable) ledger: reported, left byte-for-byte; not retried
  // until it changes. The base stays: it is the last text fully reconciled, and the next good
  // text is patched against it whatever came in between.
  const problems = e.findings.length ? e.findings : [error(findingCode(e.code, 'ledger.unreadable'), e.message, { file: LEDGER_PATH, ...(e.hint ? { hint: e.hint } : {}) })];
  return gate(withLedger(state, { text: pass.text, problems, features: [], checkable: [], broken: true }));
}

/**
 * The ledger could not even be read: a symlink, FIFO or device in its place, a `.maestro` that is
 * no directory, no permission. Reported, never written; the listing stands as it was, and the
 * next pass reads again.
 */
function unreadable(state: DaemonState, e: Failure): Transition {
  const problems = e.findings.length ? e.findings : [error(findingCode(e.code, 'ledger.unreadable'), e.message, { file: LEDGER_PATH, ...(e.hint ? { hint: e.hint } : {}) })];
  const s = withLedger(state, { text: undefined, stamp: undefined, problems, features: [], checkable: [], broken: true });
  return gate(withPass(s, { folders: state.folders.list ?? [], foldersKey: state.folders.key }));
}

/** A write held back: the next pass reads the ledger anew. */
function decided(state: DaemonState): Transition {
  const pass = state.pass!;
  if (!pass.postponed) return gate(state);
  return gate(withPass(withLedger(state, { text: undefined }), { retry: pass.postponed }));
}

/**
 * Phase-ahead findings for every checkable feature, the gates run again only where something
 * changed. The periodic pass looks at the documents of one feature in SWEEP_SLICES: watches
 * report changes, so this only catches what they missed, and with 10,000 features a
 * fingerprint of every document each minute would cost an idle daemon more than all else it does.
 */
function gate(state: DaemonState): Transition {
  const pass = state.pass!;
  const retried = pass.retry !== false;
  // A reconcile to be run again has not taken in what it read: the next pass reads it anew.
  let s: DaemonState = {
    ...state,
    ledger: retried ? { ...state.ledger, stamp: undefined } : state.ledger,
    folders: { list: pass.folders, key: retried ? state.folders.key : pass.foldersKey, stamp: retried ? undefined : state.folders.stamp },
  };
  const sweep = pass.periodic ? (state.sweep + 1) % SWEEP_SLICES : state.sweep;
  const full = pass.trigger.full && !pass.periodic;
  const changed = pass.before !== s.ledger.features;
  // The same entries as last time (an idle daemon's periodic pass): their keys stand.
  const entryKeys = changed || full ? new Map<string, string>() : undefined;
  const recheck = s.ledger.checkable.map((f, i) => {
    let moved = false;
    if (entryKeys) {
      const key = entryKey(f);
      entryKeys.set(f.id, key);
      moved = changed && state.entryKeys.get(f.id) !== key;
    }
    const swept = pass.periodic && i % SWEEP_SLICES === sweep;
    return full || swept || moved || pass.trigger.documents.has(f.spec_path);
  });
  s = { ...s, sweep, entryKeys: entryKeys ?? state.entryKeys };
  const configKey = s.config.seen ?? undefined;
  return ask(s, { kind: 'gate', config: s.config.config, configKey, features: s.ledger.checkable, recheck, forgetOthers: entryKeys !== undefined });
}

function finish(state: DaemonState, phases: Finding[]): Transition {
  const pass = state.pass!;
  const problems = [...(state.config.problem ? [state.config.problem] : []), ...state.ledger.problems, ...phases];
  const newProblems = problems.filter((p) => !state.problemKeys.has(problemKey(p)));
  const { applied, pending, pausedFor, retry, judged } = pass;
  return {
    state: { ...state, problemKeys: new Set(problems.map(problemKey)), pass: undefined },
    action: { kind: 'done', result: { applied, pending, problems, newProblems, features: state.ledger.features.length, pausedFor, retry, ledger: judged } },
  };
}
