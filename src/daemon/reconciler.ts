import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PATH, defaultConfig, type Config } from '../core/config.js';
import { error, type Finding } from '../core/finding.js';
import { findingCode } from '../core/finding-codes.js';
import { LEDGER_PATH, type LedgerFeature } from '../core/ledger.js';
import { applyPatch, ledgerBase, patchLedger, type LedgerBase } from '../core/ledger-patch.js';
import { reconcile, type SpecsFolder } from '../core/reconcile.js';
import type { Repair } from '../core/repair.js';
import { SpecflowError } from '../core/errors.js';
import { parseConfigOrThrow } from '../store/config-store.js';
import { WorkingTree } from '../tree/working-tree.js';
import { operationInProgress } from '../git/state.js';
import { replaceLedgerText } from '../store/ledger-replace.js';
import { ledgerFile, readLedgerText } from '../store/ledger-store.js';
import { configHash, PhaseVerdicts } from '../reconcile/phase-verdicts.js';
import { fixLedger, inspectLedger } from '../reconcile/reconcile-ledger.js';
import { gatherSnapshot } from '../tree/specs-snapshot.js';
import { scanSpecsDir } from '../tree/specs-tree.js';
import type { PendingChanges } from './events.js';

/**
 * The daemon's reconcile: the same decision as `specflow doctor --fix` (fixLedger), run
 * incrementally. The ledger is parsed again only when its text or the folder listing changed;
 * the gates run only for features whose entry or folder changed (and, on a full pass, for
 * features whose documents' fingerprints changed). Synchronous on purpose: a SIGTERM is handled
 * between two reconciles, never in the middle of a write.
 */
export interface ReconcileResult {
  /** Repairs written to the ledger by this reconcile. */
  applied: Repair[];
  /** Repairs that wait (git operation in progress, config unreadable, duplicate entry). */
  pending: Repair[];
  /** Everything that needs a human now. */
  problems: Finding[];
  /** Problems not reported by the previous reconcile. */
  newProblems: Finding[];
  features: number;
  /** Why repairs wait, if they do. */
  pausedFor: string | null;
  /** Set (ms) when the caller should run this reconcile again: the lock was busy, or a write waits for the ledger to settle. */
  retry: number | false;
  /** How the ledger was judged: unchanged (not at all), by its changed entries, or whole. */
  ledger: 'unchanged' | 'entries' | 'whole';
}

interface Known {
  configText: string | undefined | null;
  config: Config;
  configProblem: Finding | undefined;
  /** Ledger text as last reconciled; undefined forces the repair stage. */
  ledgerText: string | undefined;
  foldersKey: string | undefined;
  folders: SpecsFolder[] | undefined;
  features: LedgerFeature[];
  checkable: LedgerFeature[];
  ledgerProblems: Finding[];
  entryKeys: Map<string, string>;
  problemKeys: Set<string>;
  /** A ledger text that failed to parse once, to be read again before it is reported. */
  unsettled: string | undefined;
  /** The last ledger text could not be parsed: the fast path must judge every entry. */
  broken: boolean;
}

/** How long the ledger must have been left alone before a repair is written over it. */
const SETTLE_MS = 40;
/** …and before an entry that just vanished from it is registered again. */
const SETTLE_REVIVED_MS = 1000;
/** When the ledger lock is busy, or a text failed to parse once. */
const BUSY_RETRY_MS = 100;

/** A missed document change is found within this many periodic passes. */
const SWEEP_SLICES = 10;

const entryKey = (f: LedgerFeature) => [f.phase, f.spec_path, f.status ?? '', f.approved ? `${f.approved.by}\u0001${f.approved.at}` : ''].join('\0');
const problemKey = (f: Finding) => `${f.code}\0${f.feature ?? ''}\0${f.message}`;

/** A file's or folder's identity and last change, to tell whether it changed without reading it. */
function stamp(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return undefined;
  }
}

export class Reconciler {
  readonly tree: WorkingTree;
  private known: Known = {
    configText: null,
    config: defaultConfig(),
    configProblem: undefined,
    ledgerText: undefined,
    foldersKey: undefined,
    folders: undefined,
    features: [],
    checkable: [],
    ledgerProblems: [],
    entryKeys: new Map(),
    problemKeys: new Set(),
    unsettled: undefined,
    broken: false,
  };
  private verdicts: PhaseVerdicts;
  /** The last ledger text reconciled with nothing left to repair, for the fast path. */
  private base: LedgerBase | undefined;
  private sweep = 0;
  /** What the ledger and the specs folder looked like when last read (see `stamp`). */
  private stamps: { ledger: string | undefined; specs: string | undefined } = { ledger: undefined, specs: undefined };
  /** `folderPaths` of the current listing, kept while the listing stands. */
  private paths: { of: SpecsFolder[] | undefined; paths: readonly string[] } = { of: undefined, paths: [] };
  /** Set (ms to wait) when this reconcile held a write back until the ledger settles. */
  private postponed = 0;

  constructor(
    readonly root: string,
    private readonly gitDir: string | undefined,
  ) {
    this.tree = new WorkingTree(root);
    this.verdicts = new PhaseVerdicts(this.tree, this.known.config, configHash(undefined), 'stat');
  }

  get specsDir(): string {
    return this.known.config.specs_dir;
  }

  /** The feature folders of the last listing, for the watcher to follow (the same array while the listing stands). */
  get folderPaths(): readonly string[] {
    const folders = this.known.folders;
    if (this.paths.of !== folders) this.paths = { of: folders, paths: (folders ?? []).map((f) => f.path) };
    return this.paths.paths;
  }

  reconcile(changes: PendingChanges): ReconcileResult {
    const full = changes.full;
    if (full || changes.config || this.known.configText === null) this.loadConfig();
    const operation = operationInProgress(this.gitDir);
    const pausedFor = operation ? `${operation} in progress` : this.known.configProblem ? 'config cannot be parsed' : null;

    // The periodic pass is a safety net for missed events: a ledger or a specs folder whose
    // stat (inode, size, change and modification times in ns) is as last seen is not read again.
    const periodic = full && changes.reasons.size === 1 && changes.reasons.has('periodic');
    const ledgerStamp = stamp(ledgerFile(this.root));
    const sameLedger = periodic && ledgerStamp !== undefined && ledgerStamp === this.stamps.ledger && this.known.ledgerText !== undefined;
    const text = sameLedger ? this.known.ledgerText : readLedgerText(this.root);
    this.stamps.ledger = ledgerStamp;
    // The listing changes only with a folder event (or a missed one: the periodic pass is full).
    let folders = this.known.folders;
    let foldersKey = this.known.foldersKey;
    const specsStamp = !folders || full || changes.folders ? stamp(join(this.root, this.known.config.specs_dir)) : undefined;
    const sameListing = periodic && specsStamp !== undefined && specsStamp === this.stamps.specs;
    if (!folders || ((full || changes.folders) && !sameListing)) {
      this.stamps.specs = specsStamp;
      const listed = scanSpecsDir(this.tree, this.known.config);
      const key = listed.map((f) => f.name).join('\n');
      // The same listing keeps the same objects: an idle daemon's periodic pass holds nothing new.
      if (key !== foldersKey || !folders) {
        folders = listed;
        foldersKey = key;
      }
    }
    let applied: Repair[] = [];
    let pending: Repair[] = [];
    let retry: number | false = false;
    this.postponed = 0;
    let judged: ReconcileResult['ledger'] = 'unchanged';
    const before = this.known.features;
    if (text === undefined) {
      this.known.ledgerText = undefined;
      this.known.ledgerProblems = [error('ledger.missing', `${LEDGER_PATH} not found`, { file: LEDGER_PATH, hint: 'Run `specflow init`, or restore it from git.' })];
      this.known.features = [];
      this.known.checkable = [];
      this.known.broken = true;
    } else if (text !== this.known.ledgerText || foldersKey !== this.known.foldersKey || pausedFor) {
      try {
        const fast = !pausedFor && !full && foldersKey === this.known.foldersKey ? this.patch(text, folders) : undefined;
        if (fast) {
          applied = fast;
          judged = 'entries';
        } else if (!this.postponed && (pausedFor || this.settled(SETTLE_MS))) {
          // (A whole parse of a text still being written would be wasted, and a large one is not cheap.)
          ({ applied, pending } = this.decideInFull(text, folders, pausedFor));
          judged = 'whole';
        }
        if (this.postponed) {
          this.known.ledgerText = undefined;
          retry = this.postponed;
        }
      } catch (e) {
        if (!(e instanceof SpecflowError)) throw e;
        if (e.exitCode === 4) retry = BUSY_RETRY_MS;
        else if (text !== this.known.unsettled) {
          // Perhaps read half-way through a write (not every editor renames into place): look again
          // shortly before calling it broken.
          this.known.unsettled = text;
          retry = BUSY_RETRY_MS;
        } else {
          // Unparsable (or unreadable) ledger: reported, left byte-for-byte; not retried until it changes.
          this.known.ledgerText = text;
          this.known.ledgerProblems = e.findings.length ? e.findings : [error(findingCode(e.code, 'ledger.unreadable'), e.message, { file: LEDGER_PATH })];
          this.known.features = [];
          this.known.checkable = [];
          // The base stays: it is the last text fully reconciled, and the next good text is
          // patched against it whatever came in between.
          this.known.broken = true;
        }
      }
    }
    if (!retry) this.known.foldersKey = foldersKey;
    // A reconcile to be run again has not taken in what it read: the next pass reads it anew.
    else this.stamps = { ledger: undefined, specs: undefined };
    this.known.folders = folders;

    const phases = this.checkPhases(full && !periodic, changes, before, periodic ? this.nextSweep() : undefined);
    const problems = [...(this.known.configProblem ? [this.known.configProblem] : []), ...this.known.ledgerProblems, ...phases];
    const keys = new Set(problems.map(problemKey));
    const newProblems = problems.filter((p) => !this.known.problemKeys.has(problemKey(p)));
    this.known.problemKeys = keys;
    return { applied, pending, problems, newProblems, features: this.known.features.length, pausedFor, retry, ledger: judged };
  }

  /**
   * The fast path (see ledger-patch): decide on the changed blocks only and write a `spec_path`
   * repair by splicing its block. Returns the repairs applied, or undefined to take the full path.
   */
  private patch(text: string, folders: readonly SpecsFolder[]): Repair[] | undefined {
    const patch = this.base && patchLedger(this.base, text);
    if (!patch) return undefined;
    const config = this.known.config;
    // After a text that could not be parsed (half-written, say), what is known about the other
    // entries was cleared: judge them all, still without parsing YAML.
    const scope = this.known.broken ? undefined : new Set([...patch.changed].map((i) => patch.features[i]!.id));
    const judged = scope ? patch.features.filter((f) => scope.has(f.id)) : patch.features;
    const rec = reconcile({
      features: patch.features,
      ledgerFindings: [],
      config,
      snapshot: gatherSnapshot(this.tree, config, judged, folders, { naming: !scope }),
      repoRoot: this.tree.root.replace(/\\/g, '/'),
      ...(scope ? { scope } : {}),
    });
    const next = applyPatch(patch, rec.repairs);
    if (!next) return undefined;
    if (rec.repairs.length && !this.mayWrite(rec.repairs)) return [];
    if (rec.repairs.length && !replaceLedgerText(this.root, text, next.text)) return undefined;
    this.base = next;
    this.known.ledgerText = next.text;
    this.known.features = next.features;
    this.known.broken = false;
    if (!scope) {
      this.known.ledgerProblems = rec.findings;
      this.known.checkable = rec.checkable;
      return rec.repairs;
    }
    // The judged entries' findings replace theirs; everything else stands (keys and folders did not change).
    const stale = (f: { feature?: string | undefined; code: string }) => f.feature !== undefined && scope.has(f.feature) && f.code.startsWith('spec_path.');
    this.known.ledgerProblems = [...this.known.ledgerProblems.filter((f) => !stale(f)), ...rec.findings];
    const checkable = new Set([...this.known.checkable.filter((f) => !scope.has(f.id)), ...rec.checkable].map((f) => f.id));
    this.known.checkable = next.features.filter((f) => checkable.has(f.id));
    return rec.repairs;
  }

  /**
   * May a repair decided on the ledger as it is now be written? Not while the file was modified
   * a moment ago: a writer that does not take the lock (an editor saving in place, a shell
   * redirect) may be half-way, and a half-written ledger can parse — with its last entries
   * missing. Re-registering entries that just vanished waits longer still, so that an entry's
   * phase is never lost to a read in the middle of someone else's write.
   */
  private mayWrite(repairs: readonly Repair[]): boolean {
    // What the ledger held when last read whole (a failed read in between knows nothing).
    const known = new Set([...(this.base?.features ?? []), ...this.known.features].map((f) => f.id));
    const revived = repairs.some((r) => r.code === 'feature.registered' && r.feature !== undefined && known.has(r.feature));
    return this.settled(revived ? SETTLE_REVIVED_MS : SETTLE_MS);
  }

  /** Has the ledger been left alone for `ms`? If not, notes how long to wait. */
  private settled(ms: number): boolean {
    let age: number;
    try {
      age = Date.now() - statSync(ledgerFile(this.root)).mtimeMs;
    } catch {
      return true;
    }
    const wait = ms - age;
    if (wait > 0) this.postponed = Math.max(this.postponed, Math.ceil(wait));
    return wait <= 0;
  }

  /** The full path: parse the whole ledger, and (unless paused) repair it under the lock. */
  private decideInFull(text: string, folders: readonly SpecsFolder[], pausedFor: string | null): { applied: Repair[]; pending: Repair[] } {
    const verdict = pausedFor
      ? inspectLedger(this.tree, this.known.config, text, folders)
      : fixLedger(this.tree, this.known.config, folders, (r) => this.mayWrite(r.repairs));
    const { repairs, findings, checkable } = verdict.reconciliation;
    // While paused, the next reconcile decides again; otherwise only a new text or listing does.
    this.known.ledgerText = pausedFor ? undefined : verdict.text;
    this.known.features = verdict.features;
    this.known.checkable = checkable;
    this.known.ledgerProblems = findings;
    this.known.broken = false;
    // Settled: nothing left to repair in the text it ends with. Its entries are the parsed ones with
    // the repairs applied; ledgerBase refuses them if they do not line up with the text's blocks
    // (a registration, say), and the next full pass tries again.
    const settled = !pausedFor && !this.postponed && verdict.parseFindings.length === 0 && (verdict.written || repairs.length === 0);
    this.base = settled ? ledgerBase(verdict.text, verdict.features) : undefined;
    this.base?.features.forEach((f, i) => (f.line = this.base!.blocks.blocks[i]!.line));
    return verdict.written ? { applied: repairs, pending: [] } : { applied: [], pending: repairs };
  }

  /** Reads the config before the first reconcile, so the watcher starts on the right specs_dir. */
  loadConfigNow(): void {
    this.loadConfig();
  }

  private loadConfig(): void {
    let text: string | undefined;
    try {
      text = readFileSync(join(this.root, CONFIG_PATH), 'utf8');
    } catch {
      text = undefined;
    }
    if (text === this.known.configText) return;
    this.known.configText = text;
    this.known.configProblem = undefined;
    try {
      this.known.config = text === undefined ? defaultConfig() : parseConfigOrThrow(text).config;
    } catch (e) {
      // Keep the last good config for reporting; repairs wait, since specs_dir may be wrong.
      const f = e instanceof SpecflowError ? e.findings[0] : undefined;
      this.known.configProblem = f ?? error('config.unparsable', (e as Error).message, { file: CONFIG_PATH });
    }
    this.verdicts = new PhaseVerdicts(this.tree, this.known.config, configHash(text), 'stat');
    this.known.ledgerText = undefined;
    this.known.foldersKey = undefined;
    this.known.folders = undefined;
    this.known.entryKeys.clear();
    this.base = undefined;
  }

  /** Phase-ahead findings for every checkable feature, re-running the gates only where something changed. */
  /**
   * The periodic pass looks at the documents of one feature in SWEEP_SLICES: watches report
   * changes, so this only catches what they missed, and with 10,000 features a fingerprint of
   * every document each minute would cost an idle daemon more than all else it does.
   */
  private nextSweep(): number {
    this.sweep = (this.sweep + 1) % SWEEP_SLICES;
    return this.sweep;
  }

  private checkPhases(full: boolean, changes: PendingChanges, before: readonly LedgerFeature[], slice?: number): Finding[] {
    const out: Finding[] = [];
    const changed = before !== this.known.features;
    // The same entries as last time (an idle daemon's periodic pass): their keys stand.
    const entryKeys = changed || full ? new Map<string, string>() : undefined;
    this.known.checkable.forEach((f, i) => {
      let moved = false;
      if (entryKeys) {
        const key = entryKey(f);
        entryKeys.set(f.id, key);
        moved = changed && this.known.entryKeys.get(f.id) !== key;
      }
      const swept = slice !== undefined && i % SWEEP_SLICES === slice;
      const stale = full || swept || moved || changes.documents.has(f.spec_path) || !this.verdicts.byFeature.has(f.id);
      out.push(...(stale ? this.verdicts.check(f) : (this.verdicts.byFeature.get(f.id)?.findings ?? [])));
    });
    if (entryKeys) {
      this.known.entryKeys = entryKeys;
      this.verdicts.keepOnly(entryKeys.keys());
    }
    return out;
  }
}
