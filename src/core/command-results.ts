import type { RegressionOutcome } from './commit-gate.js';
import type { ExitCode } from './errors.js';
import type { FeatureView, TaskView } from './feature-view.js';
import type { Finding } from './finding.js';
import type { ImportedFeature } from './import-plan.js';
import type { Approval } from './ledger.js';
import type { Phase } from './phase.js';
import type { PhaseMove } from './phase-moves.js';
import type { Repair } from './repair.js';

/**
 * What each command returns: plain data, an exit code, and notes for the person at the
 * terminal. Presenters render it (text in ui/present, the JSON document in ui/emit, and later
 * github, sarif, junit, the board, MCP). The data is the command's JSON document without the
 * envelope's `ok`, which ui/emit adds from the exit code, so no command sets it.
 */
export interface CommandResult<T extends ResultData> {
  exitCode: ExitCode;
  data: T;
  /** Progress and side remarks for stderr, in every format: lines, or findings that are not the command's answer. */
  notes?: readonly Note[];
}

/** A result's data: an object whose fields become the JSON document's, beside `ok`. */
export type ResultData = object & { ok?: never };
export type Note = string | Finding;

/** `add` */
export interface AddResult {
  id: string;
  name: string;
  phase: Phase;
  spec_path: string;
  priority: number | null;
}

/** `specify|plan|tasks|implement|complete <id>` and `phase <id> <phase>`. */
export interface AdvanceResult {
  id: string;
  from: Phase;
  /** The phase asked for; `from` again when there was nothing to do. */
  to: Phase;
  changed: boolean;
  /** The document written from its template, if any. */
  written: string | null;
  findings: Finding[];
}

/** `approve <id>`; `approved` is null when the spec is not ready. */
export interface ApproveResult {
  id: string;
  approved: Approval | null;
  findings: Finding[];
}

/** `status` */
export interface StatusListResult {
  features: FeatureView[];
}

/** `status <id>`: one feature at the top level, with its tasks (null while it has no task list). */
export type FeatureStatusResult = FeatureView & { tasks: TaskView[] | null };

/** `next`: the feature's fields at the top level, like `status <id>`; `id: null` when nothing is left. */
/** The next feature, and the command that moves it on (its next phase's verb). */
export type NextResult = (FeatureView & { command: string }) | { id: null };

/** `skip <id>` */
export interface SkipResult {
  id: string;
  status: 'skipped';
  reason: string;
}

/** `validate [id]` */
export interface ValidateResult {
  summary: { features: number; errors: number; warnings: number };
  features: { id: string; phase: Phase; ok: boolean; findings: Finding[] }[];
  findings: Finding[];
}

/** `doctor [--fix]` */
export interface DoctorResult {
  /** The safe repairs were written. */
  fixed: boolean;
  /** The safe repairs can be written (not while the ledger has a duplicate entry). */
  writable: boolean;
  summary: { features: number; repairs: number; applied: number; errors: number; warnings: number };
  repairs: (Repair & { applied: boolean })[];
  findings: Finding[];
}

/** A phase change in history, judged at its own commit (`log`, `verify`). */
export interface JudgedMove extends PhaseMove {
  /** `not-gated`: a move backwards needs no gate. */
  gate: 'held' | 'failed' | 'not-gated';
  findings: Finding[];
  /** The commit message carries the matching `Specflow-Phase` trailer. */
  trailer: boolean;
  /** A merge took this phase from a parent other than its first (the change itself was made in that branch). */
  merged: boolean;
}

/** A commit as `log` and `verify` show it. */
export interface CommitFields {
  commit: string;
  short: string;
  author: string;
  email: string;
  /** Author date, ISO 8601. */
  date: string;
  subject: string;
}

/** `log [id]`: every phase change in the history of HEAD, oldest first. */
export interface LogResult {
  feature: string | null;
  changes: (CommitFields & Omit<JudgedMove, 'id' | 'merged'> & { feature: string })[];
  /** Approvals recorded and config (gate) changes, oldest first; config changes only when no feature is asked for. */
  events: (CommitFields & { event: 'approval' | 'config'; feature: string | null; by: string | null })[];
}

/** `verify --range A..B` */
export interface VerifyResult {
  range: string;
  summary: { commits: number; violations: number };
  commits: (CommitFields & { moves: JudgedMove[]; ok: boolean; blocking: Finding[]; regressions: RegressionOutcome[]; warnings: Finding[] })[];
}

/** `merge-ledger %O %A %B`; the ids in conflict, and whether git's line merge took over. */
export interface MergeLedgerResult {
  conflicts: string[];
  fallback: boolean;
}

/** `import <features.db>` */
export interface ImportResult {
  database: string;
  changed: boolean;
  imported: ImportedFeature[];
  left: { id: string; reason: string }[];
  findings: Finding[];
}

/** A feature folder `init` registered. */
export interface RegisteredFeature {
  id: string;
  spec_path: string;
  /** The phase recorded in the ledger. */
  phase: Phase;
  /** The phase the documents pass today. */
  passes: Phase;
  /** The first gate that does not pass, and the codes of its errors. */
  stopped_at: { phase: Phase; codes: string[] } | null;
  /** Its task list says the work is done (every task checked but optional ones). */
  work_done: boolean;
}

/** What `init` made of an existing specs tree. */
export interface FolderAdoption {
  /** A SpecFlow database found at the usual place, for `specflow import`. */
  database: string | null;
  registered: RegisteredFeature[];
  /** Features already in the ledger at `none` that `--adopt-phases` moved forward. */
  adopted: { id: string; from: Phase; to: Phase }[];
  ignored: { path: string; reason: string }[];
  /** Numbers several folders carry; each of those folders is tracked under its folder name. */
  shared: { id: string; paths: string[] }[];
  /** Under `require_approval`, the features whose approval `--adopt-phases` recorded as the adopter's (`approved.via: adopt`). */
  approved_by_adoption: { by: string; ids: string[] } | null;
  /** What adoption found worth a look (`folder.id.shared`). */
  findings: Finding[];
}

/** `init [--adopt-phases]` */
export interface InitResult extends FolderAdoption {
  root: string;
  layout: { layout: string; specs_dir: string; id_scheme: string; roots: { path: string; qualifier?: string; archive?: boolean }[] };
  adopt_phases: boolean;
  created: string[];
  /** Seed principles the config init wrote leaves out, since none of the `plans` it found marks them (`--adopt-phases` only). */
  principles_left_out: { names: string[]; plans: number } | null;
  steps: string[];
  /** What to commit, what to do next, what a teammate's clone needs (one line each). */
  next: string[];
}

/** `setup`: what it did in this clone (nothing when all was in place), or why it did nothing. */
export interface SetupResult {
  steps: string[];
  skipped?: string;
}

/** `hook <name>`: the hook prints its own messages on stderr. */
export interface HookResult {
  hook: string;
}

/** `init --server <bare repo>` */
export interface InitServerResult {
  /** The bare repository, absolute. */
  server: string;
  /** Where the check was installed. */
  hook: string;
  steps: string[];
}

/** `board [--open] [--out FILE]` */
export interface BoardResult {
  /** specflowd serves the board now. */
  running: boolean;
  /** The board's address while it is served. */
  url: string | null;
  /** `--open`: a browser was started on the address. */
  opened: boolean;
  /** `--out`: the file written, and what it holds. */
  out: { file: string; bytes: number; features: number } | null;
}
