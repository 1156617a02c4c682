import type { Config } from './config.js';
import { canonicalId, idNumber } from './feature-id.js';
import { featureNameFromFolder } from './feature-name.js';
import { error, warning, type Finding } from './finding.js';
import { LEDGER_PATH, type LedgerFeature, unreadableValues } from './ledger.js';
import { repairedFeatures, type Repair } from './repair.js';
import { foreignFolder } from './own-folder.js';
import { normaliseSpecPath } from './spec-path.js';

/**
 * Reconcile: the ledger against the specs tree (DESIGN §6). Pure: the caller gathers the ledger,
 * the config and a snapshot of the folders; this decides which safe repairs apply and what must
 * be reported to a human. `doctor` and the daemon both call it, so they always agree.
 *
 * Linear in features + folders: every lookup goes through a map or a set.
 */
export interface SpecsFolder {
  /** Folder name, e.g. `f-12-vector-configuration`. */
  name: string;
  /** Repo-relative POSIX path. */
  path: string;
  /** The id the name carries under the configured scheme. */
  id: string | undefined;
}

export interface SpecsSnapshot {
  /** Folders directly under `specs_dir`. */
  folders: readonly SpecsFolder[];
  /** Other repo-relative paths known to be directories (see {@link pathsToCheck}). */
  existingDirs: ReadonlySet<string>;
  /** The spec text of folders that may be registered, by folder path (see {@link foldersToName}). */
  specTexts: ReadonlyMap<string, string>;
}

export interface ReconcileInput {
  features: readonly LedgerFeature[];
  /** Findings from parsing the ledger (duplicate keys, unknown phases, …): reported as they are. */
  ledgerFindings: readonly Finding[];
  /** The layout repair, when the ledger text differs from its rendering (see `layoutRepair`). */
  layout?: Repair | undefined;
  config: Config;
  snapshot: SpecsSnapshot;
  /** Absolute POSIX path of the repository, so that an absolute `spec_path` inside it can be made relative. */
  repoRoot?: string;
  /**
   * Judge only these entries (by ledger key): the daemon's fast path, after some entries changed
   * while the ledger's keys and the folder listing did not. Folder-level checks and registrations
   * then cannot have changed and are skipped; findings and `checkable` cover these entries only.
   */
  scope?: ReadonlySet<string>;
  /**
   * Folders (repo-relative) whose ledger entry, by id, vanished in a change specflow did not make
   * — `git stash`, a checkout, an edit — while the folder stayed: the daemon does not register
   * them again, or `git stash pop` would find the ledger changed and refuse. They are reported
   * until the entry returns, the folder goes, or `specflow doctor --fix` registers them.
   */
  held?: HeldLookup;
}

/** Folder (repo-relative) → the id its vanished entry had; undefined: not held. */
export interface HeldLookup {
  get(path: string): string | undefined;
}

export interface Reconciliation {
  repairs: Repair[];
  /** What needs a human: errors, plus warnings worth knowing. */
  findings: Finding[];
  /** False when the ledger must not be rewritten (an entry appears twice): the repairs wait. */
  writable: boolean;
  /** Features, as repaired, whose folder exists and whose phase has a gate to check. */
  checkable: LedgerFeature[];
  /** The folders of `held` still waiting: present, and claimed by no entry. */
  held: string[];
}

/** The key under which two spellings of one id meet (`F-12`, `f-012`). */
export function matchKey(id: string): string {
  const c = canonicalId(id);
  if (!c) return `?${id}`;
  return `${c.replace(/\d+$/, '')}${idNumber(c)}`;
}

interface FolderIndex {
  byId: Map<string, SpecsFolder[]>;
  paths: Set<string>;
}

/** Built once per listing: the daemon reconciles many times against one listing of thousands of folders. */
const folderIndexes = new WeakMap<readonly SpecsFolder[], FolderIndex>();

function folderIndex(folders: readonly SpecsFolder[]): FolderIndex {
  let index = folderIndexes.get(folders);
  if (index) return index;
  const byId = new Map<string, SpecsFolder[]>();
  for (const f of folders) {
    if (!f.id) continue;
    const k = matchKey(f.id);
    const list = byId.get(k);
    if (list) list.push(f);
    else byId.set(k, [f]);
  }
  index = { byId, paths: new Set(folders.map((f) => f.path)) };
  folderIndexes.set(folders, index);
  return index;
}

/** `spec_path`s the snapshot must say exist or not, beyond the folders under `specs_dir`. */
export function pathsToCheck(features: readonly LedgerFeature[], folders: readonly SpecsFolder[], repoRoot?: string): string[] {
  const known = folderIndex(folders).paths;
  const out: string[] = [];
  for (const f of features) {
    const n = normaliseSpecPath(f.spec_path, repoRoot);
    if (n.ok && !known.has(n.path)) out.push(n.path);
  }
  return out;
}

/** Folders that carry an id no ledger entry has: their spec gives the registered name. */
export function foldersToName(features: readonly LedgerFeature[], folders: readonly SpecsFolder[]): SpecsFolder[] {
  const claimed = new Set(features.map((f) => matchKey(f.id)));
  return folders.filter((f) => f.id !== undefined && !claimed.has(matchKey(f.id)));
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const { features, snapshot } = input;
  const findings: Finding[] = [...input.ledgerFindings];
  const repairs: Repair[] = [];
  const { byId, paths: folderPaths } = folderIndex(snapshot.folders);
  const exists = (p: string) => folderPaths.has(p) || snapshot.existingDirs.has(p);

  const scope = input.scope;
  // A folder tracked under its whole name (init's identity for a shared number) claims no number.
  const byName = new Set(features.filter((f) => canonicalId(f.id) === undefined).map((f) => f.spec_path));
  for (const all of scope ? [] : byId.values()) {
    const claimants = all.length < 2 ? all : all.filter((c) => !(byName.has(c.path) && features.some((f) => f.spec_path === c.path && isOwnName(f.id, c.name))));
    if (all.length < 2 || claimants.length === 0) continue;
    const id = claimants[0]!.id!;
    findings.push(
      error('folder.id.conflict', `${all.length} folders claim the id: ${claimants.map((c) => c.path).join(', ')}`, {
        feature: id,
        file: claimants[0]!.path,
        hint: 'Rename or merge the folders so that one carries the id; specflowd will then point the ledger at it.',
      }),
    );
  }

  const claimed = new Set<string>();
  const held: string[] = [];
  const pointedAt = new Set<string>();
  const missing = new Set<string>();
  for (const f of features) {
    if (scope && !scope.has(f.id)) continue;
    const canonical = canonicalId(f.id);
    const id = canonical ?? f.id;
    claimed.add(matchKey(f.id));
    if (canonical && canonical !== f.id)
      repairs.push({ code: 'id.repaired', feature: id, field: 'id', before: f.id, after: canonical, message: `id ${f.id} is spelled ${canonical}` });
    // A name id (Kiro, OpenSpec) follows its folder too: an OpenSpec change archived under a date keeps its id.
    const verdict = specPathVerdict(f, id, byId.get(matchKey(id)) ?? [], exists, input.repoRoot);
    if (verdict.repair) repairs.push(verdict.repair);
    if (verdict.finding) findings.push(verdict.finding);
    // A gate reads a feature's documents from its own folder only; entries written before that rule need a person.
    const foreign = verdict.path !== undefined && verdict.exists && !verdict.repair ? foreignFolder({ id, spec_path: verdict.path }, input.config) : undefined;
    if (foreign) findings.push({ ...foreign, file: LEDGER_PATH, ...(f.line ? { line: f.line } : {}) });
    if (verdict.path !== undefined) pointedAt.add(verdict.path);
    if (!verdict.exists) missing.add(id);
  }

  for (const folder of scope ? [] : snapshot.folders) {
    if (!folder.id) {
      findings.push(
        warning('folder.no-id', `${folder.path} does not start with a feature id; it is not tracked`, {
          file: folder.path,
          hint: input.config.id_scheme === 'spec-kit' ? 'Name feature folders NNN-slug.' : 'Name feature folders f-<n>-slug.',
        }),
      );
      continue;
    }
    const key = matchKey(folder.id);
    if (claimed.has(key) || (byId.get(key)?.length ?? 0) > 1 || pointedAt.has(folder.path)) continue;
    const heldAs = input.held?.get(folder.path);
    if (heldAs !== undefined) {
      held.push(folder.path);
      findings.push(
        warning('folder.unregistered', `${folder.path} lost its ledger entry (${heldAs}) outside specflow; it is left unregistered`, {
          feature: heldAs,
          file: folder.path,
          hint: 'If a `git stash` or checkout removed the entry, `git stash pop` or switching back restores it; to register the folder again, run `specflow doctor --fix`.',
        }),
      );
      continue;
    }
    const name = featureNameFromFolder(folder.name, snapshot.specTexts.get(folder.path));
    repairs.push({
      code: 'feature.registered',
      feature: folder.id,
      field: 'entry',
      before: null,
      after: folder.path,
      message: `folder ${folder.path} had no ledger entry; registered as ${folder.id} "${name}" at phase none`,
      entry: { name, spec_path: folder.path },
    });
  }

  if (input.layout) repairs.push(input.layout);
  const writable = unreadableValues(input.ledgerFindings).length === 0;
  const judged = scope ? features.filter((f) => scope.has(f.id)) : features;
  const checkable = repairedFeatures(judged, repairs).filter((f) => f.phase !== 'none' && !f.status && !missing.has(f.id) && f.spec_path !== '');
  return { repairs, findings, writable, checkable, held };
}

/** Is `id` (maybe qualified, `api/041-a`) the folder name itself? */
function isOwnName(id: string, folder: string): boolean {
  return id === folder || id.endsWith(`/${folder}`);
}

interface SpecPathVerdict {
  repair?: Repair;
  finding?: Finding;
  /** The `spec_path` after the repair, when it is a usable path. */
  path?: string;
  exists: boolean;
}

function specPathVerdict(
  f: LedgerFeature,
  id: string,
  claimants: readonly SpecsFolder[],
  exists: (p: string) => boolean,
  repoRoot: string | undefined,
): SpecPathVerdict {
  const raw = f.spec_path;
  const at = { feature: id, file: LEDGER_PATH, line: f.line };
  const n = raw.trim() === '' ? undefined : normaliseSpecPath(raw, repoRoot);
  if (n && !n.ok)
    return { exists: false, finding: error('spec_path.invalid', n.reason, { ...at, hint: 'Set spec_path to the feature folder, relative to the repository root.' }) };
  const normalised = n?.path;
  const repaired = (code: Repair['code'], after: string, message: string): Repair => ({ code, feature: id, field: 'spec_path', before: raw, after, message });
  if (normalised !== undefined && exists(normalised)) {
    if (normalised === raw) return { path: raw, exists: true };
    return { path: normalised, exists: true, repair: repaired('spec_path.repaired', normalised, `${id}.spec_path names the feature folder`) };
  }
  if (claimants.length === 1) {
    const folder = claimants[0]!.path;
    return { path: folder, exists: true, repair: repaired('spec_path.moved', folder, `${id}.spec_path pointed at a missing folder; ${folder} carries the id`) };
  }
  const what = raw.trim() === '' ? 'has no spec_path' : `spec_path ${normalised ?? raw} does not exist`;
  const finding = error('spec_path.missing', claimants.length > 1 ? `${what}, and ${claimants.length} folders claim the id` : what, {
    ...at,
    hint:
      claimants.length > 1
        ? `Keep one of ${claimants.map((c) => c.path).join(', ')}; specflowd then points the ledger at it.`
        : 'Restore the folder (e.g. from git), or set spec_path to where the feature lives now.',
  });
  if (normalised === undefined) return { finding, exists: false };
  if (normalised === raw) return { path: raw, finding, exists: false };
  return { path: normalised, finding, exists: false, repair: repaired('spec_path.repaired', normalised, `${id}.spec_path names the feature folder`) };
}
