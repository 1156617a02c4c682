import { defaultConfig, type Config } from './config.js';
import type { Finding } from './finding.js';
import type { LedgerFeature } from './ledger.js';
import type { LedgerBase, LedgerPatch } from './ledger-patch.js';
import type { HeldLookup, Reconciliation, SpecsFolder, SpecsSnapshot } from './reconcile.js';
import type { Repair } from './repair.js';

/**
 * The daemon's reconcile as data (see reconcile-step.ts for the transition). A pass is a short
 * conversation: the transition answers each observation with the next action — a read, a stat,
 * a write, the gates — and the daemon's shell performs it and reports what it saw, until the
 * action is `done`. Nothing here touches a file or a clock: time arrives in observations.
 */

/** What set a pass off: the file events collected since the last one (see the daemon's scheduler). */
export interface Trigger {
  full: boolean;
  config: boolean;
  folders: boolean;
  /** Feature folders (repo-relative) in which a document changed. */
  documents: ReadonlySet<string>;
  reasons: ReadonlySet<string>;
}

export interface ReconcileResult {
  /** Repairs written to the ledger by this reconcile. */
  applied: Repair[];
  /** Repairs that wait (git operation in progress, config unusable, duplicate entry). */
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

export interface DaemonState {
  /** Absolute POSIX path of the repository, so that an absolute `spec_path` inside it can be made relative. */
  repoRoot: string;
  config: {
    /** What was last read: the text, a mark of a read failure, undefined when absent; null before the first read. */
    seen: string | undefined | null;
    /** The config in force: the last one that could be used (the defaults until then). */
    config: Config;
    /** Why the config on disk cannot be used; repairs wait while it is set, since specs_dir may be wrong. */
    problem: Finding | undefined;
  };
  ledger: {
    /** Ledger text as last reconciled; undefined forces the repair stage. */
    text: string | undefined;
    /** The ledger file's stat when last read (see the shell's `stamp`). */
    stamp: string | undefined;
    features: LedgerFeature[];
    checkable: LedgerFeature[];
    problems: Finding[];
    /** A ledger text that failed once, to be read again before it is reported. */
    unsettled: string | undefined;
    /** The last ledger text could not be parsed: the fast path must judge every entry. */
    broken: boolean;
    /** The last ledger text reconciled with nothing left to repair, for the fast path. */
    base: LedgerBase | undefined;
  };
  folders: {
    /** The last listing of specs_dir (the same array while the listing stands). */
    list: SpecsFolder[] | undefined;
    /** Its folder names, as reconciled (a pass to be run again keeps the previous one). */
    key: string | undefined;
    /** specs_dir's stat when last listed. */
    stamp: string | undefined;
  };
  /** Each checkable entry's phase, path, status and approval when its gates last ran. */
  entryKeys: ReadonlyMap<string, string>;
  /** The problems the last pass reported, to tell the new ones. */
  problemKeys: ReadonlySet<string>;
  /** The slice of documents the last periodic pass fingerprinted. */
  sweep: number;
  /**
   * Folders whose entry vanished in a ledger change specflow did not make, with the id it had:
   * not registered again while they wait (see `ReconcileInput.held`).
   */
  held: ReadonlyMap<string, string>;
  /** The pass in progress, between an action and the observation that answers it. */
  pass: Pass | undefined;
}

/** The full path's verdict (reconcile/ `LedgerVerdict`). */
export interface WholeVerdict {
  reconciliation: Reconciliation;
  features: LedgerFeature[];
  text: string;
  written: boolean;
  parseFindings: Finding[];
}

/** A typed failure (SpecflowError) of a read, a snapshot or a write. Anything else is a bug and is not caught. */
export interface Failure {
  exitCode: number;
  code: string;
  message: string;
  hint?: string | undefined;
  findings: Finding[];
}

/** The ledger file's age: `mtimeMs` undefined when it could not be stat'ed. */
export interface LedgerAge {
  now: number;
  mtimeMs: number | undefined;
}

export type Observation =
  /** The config file: `config` when usable (the defaults when absent), else `problem`. */
  | { kind: 'config'; text: string | undefined; config: Config | undefined; problem: Finding | undefined }
  | { kind: 'looked'; operation: string | undefined; ledgerStamp: string | undefined; specsStamp: string | undefined }
  /** `text` and `folders` as asked for (undefined text: no ledger); a `failed` answers a ledger that cannot be read. */
  | { kind: 'read'; text: string | undefined; folders: SpecsFolder[] | undefined }
  | ({ kind: 'age' } & LedgerAge)
  | { kind: 'snapshot'; snapshot: SpecsSnapshot }
  | { kind: 'replaced'; ok: boolean }
  /** `postponedMs`: the longest wait `writeDecision` asked for while the full path decided. */
  | { kind: 'judged'; verdict: WholeVerdict; postponedMs: number }
  | { kind: 'failed'; error: Failure }
  /**
   * Phase findings of the features of the `gate` action, in order, less those held back because
   * a document they judge was saved a moment ago (see `documentSettle`); `unsettledMs`: when to
   * look at those again.
   */
  | { kind: 'gated'; findings: Finding[]; unsettledMs?: number };

export type Action =
  | { kind: 'read-config' }
  /** Is a git operation in progress; the ledger's stat; specs_dir's stat when `specsDir` is set. */
  | { kind: 'look'; specsDir: string | undefined }
  /** Read the ledger's text (when `ledger`) and list the folders of `listWith.specs_dir` (when set). */
  | { kind: 'read'; ledger: boolean; listWith: Config | undefined }
  | { kind: 'age' }
  | { kind: 'snapshot'; config: Config; features: readonly LedgerFeature[]; folders: readonly SpecsFolder[]; naming: boolean }
  /** Write `next` over the ledger if, under the lock, it still reads `expected`. */
  | { kind: 'replace'; expected: string; next: string }
  /** The full path: decide on the whole ledger; with `write`, repair it under the lock, asking `writeDecision` first. */
  /** `held`: folders not to register again (see `ReconcileInput.held`), with the id their entry had. */
  | { kind: 'judge'; write: boolean; config: Config; text: string; folders: readonly SpecsFolder[]; held: HeldLookup }
  /** Phase findings of `features`: run the gates again where `recheck` (or no verdict is known), else reuse the verdict. */
  | { kind: 'gate'; config: Config; configKey: string | undefined; features: readonly LedgerFeature[]; recheck: readonly boolean[]; forgetOthers: boolean }
  | { kind: 'done'; result: ReconcileResult };

export interface Transition {
  state: DaemonState;
  action: Action;
}

export interface Pass {
  trigger: Trigger;
  /** The action whose answer is awaited. */
  awaiting: Action['kind'];
  periodic: boolean;
  pausedFor: string | null;
  ledgerStamp: string | undefined;
  specsStamp: string | undefined;
  /** Was the ledger read in this pass (else the text last reconciled stands), was specs_dir listed. */
  readLedger: boolean;
  listed: boolean;
  /** The ledger text and the listing this pass judges. */
  text: string | undefined;
  folders: SpecsFolder[];
  foldersKey: string | undefined;
  /** The entries before this pass, to tell whether they changed. */
  before: LedgerFeature[];
  /** The fast path in progress: the patch, the entries judged, and (once decided) the repairs and the next base. */
  fast: { patch: LedgerPatch; scope: Set<string> | undefined; rec?: Reconciliation; next?: LedgerBase } | undefined;
  applied: Repair[];
  pending: Repair[];
  retry: number | false;
  /** Set (ms to wait) when this pass held a write back until the ledger settles. */
  postponed: number;
  judged: ReconcileResult['ledger'];
}

/** How long the ledger must have been left alone before a repair is written over it. */
export const SETTLE_MS = 40;
/** …and before an entry that just vanished from it is registered again. */
export const SETTLE_REVIVED_MS = 1000;
/**
 * A document is judged settled once it has been left alone this long; an empty one (the first
 * half of a truncate-then-write save, as VS Code does) only after EMPTY_DOCUMENT_SETTLE_MS.
 * Until then a phase-ahead finding from it is held back, and the document is looked at again.
 */
export const DOCUMENT_SETTLE_MS = 150;
export const EMPTY_DOCUMENT_SETTLE_MS = 1000;
/** When the ledger lock is busy, or a text failed to parse once. */
export const BUSY_RETRY_MS = 100;
/** A missed document change is found within this many periodic passes. */
export const SWEEP_SLICES = 10;

export function initialState(repoRoot: string): DaemonState {
  return {
    repoRoot,
    config: { seen: null, config: defaultConfig(), problem: undefined },
    ledger: { text: undefined, stamp: undefined, features: [], checkable: [], problems: [], unsettled: undefined, broken: false, base: undefined },
    folders: { list: undefined, key: undefined, stamp: undefined },
    entryKeys: new Map(),
    problemKeys: new Set(),
    sweep: 0,
    held: new Map(),
    pass: undefined,
  };
}
