import { canonicalId, folderName } from './feature-id.js';
import { error, warning, type Finding } from './finding.js';
import type { FeatureFields, LedgerFeature } from './ledger.js';
import { isPhase, type Phase } from './phase.js';
import { matchKey } from './reconcile.js';
import { normaliseSpecPath } from './spec-path.js';

/**
 * What `specflow import` makes of the rows of a SpecFlow `features.db` (table `features`: id,
 * name, description, priority, status, phase, spec_path, and the skip_* audit columns). Pure:
 * rows and the ledger in, the entries to write and the findings out.
 *
 * - A feature missing from the ledger is added; one that `init` registered and nothing has
 *   touched since (phase `none`, no status, no approval) takes the database's values; any other
 *   entry is left as the ledger has it.
 * - `spec_path` becomes the repo-relative folder: an absolute path inside the repository is made
 *   relative, a `/spec.md` suffix is dropped, and an absolute path from another checkout is cut
 *   at `specs_dir`. Failing that, the folder that carries the id is used.
 * - Status `complete` means phase `complete` (SpecFlow leaves the phase at `implement`);
 *   `skipped` and `blocked` are kept with their reason; `pending` and `in_progress` follow the
 *   phase. The gates of imported phases are checked afterwards by the caller.
 */
export interface ImportContext {
  ledger: readonly LedgerFeature[];
  specsDir: string;
  /** Absolute POSIX path of the repository. */
  repoRoot: string;
  /** The folder under `specs_dir` that carries each id, by {@link matchKey}. */
  folders: ReadonlyMap<string, string>;
}

export interface ImportedFeature {
  id: string;
  action: 'add' | 'update';
  fields: FeatureFields & { name: string; phase: Phase; spec_path: string };
  /** The database's `spec_path`, when it had to be changed. */
  spec_path_was?: string;
}

export interface ImportPlan {
  features: ImportedFeature[];
  left: { id: string; reason: string }[];
  findings: Finding[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

export function planImport(rows: readonly Record<string, unknown>[], ctx: ImportContext): ImportPlan {
  const plan: ImportPlan = { features: [], left: [], findings: [] };
  const ledger = new Map(ctx.ledger.map((f) => [matchKey(f.id), f]));
  const seen = new Set<string>();
  for (const row of rows) {
    const raw = text(row.id);
    const id = canonicalId(raw);
    if (!id) {
      plan.findings.push(warning('import.id.invalid', `"${raw}" is not a feature id (F-<n> or a number); row not imported`));
      continue;
    }
    const key = matchKey(id);
    if (seen.has(key)) {
      plan.findings.push(warning('import.id.duplicate', `${id} appears more than once in the database; the first row was imported`, { feature: id }));
      continue;
    }
    seen.add(key);
    const existing = ledger.get(key);
    if (existing && (existing.phase !== 'none' || existing.status || existing.approved)) {
      plan.left.push({ id: existing.id, reason: `the ledger already records ${existing.status ?? existing.phase}; left as it is` });
      continue;
    }
    const name = text(row.name) || existing?.name || id;
    const fields: ImportedFeature['fields'] = { name, phase: phaseOf(row, id, plan.findings), spec_path: '' };
    const where = existing?.spec_path || specPathOf(row, id, name, ctx, plan.findings);
    fields.spec_path = where;
    const priority = row.priority;
    if (typeof priority === 'number' && Number.isInteger(priority)) fields.priority = priority;
    else if (typeof priority === 'string' && /^-?\d+$/.test(priority.trim())) fields.priority = Number(priority);
    const description = text(row.description);
    if (description) fields.description = description;
    const status = text(row.status);
    if (status === 'skipped' || status === 'blocked') {
      fields.status = status;
      fields.reason = reasonOf(row) || `${status} in SpecFlow (no reason recorded)`;
    }
    const entry: ImportedFeature = { id: existing?.id ?? id, action: existing ? 'update' : 'add', fields };
    const was = text(row.spec_path);
    if (!existing && was && was !== where) entry.spec_path_was = was;
    plan.features.push(entry);
  }
  return plan;
}

function phaseOf(row: Record<string, unknown>, id: string, findings: Finding[]): Phase {
  if (text(row.status) === 'complete') return 'complete';
  const phase = text(row.phase) || 'none';
  if (isPhase(phase)) return phase;
  findings.push(warning('import.phase.unknown', `${id}: unknown phase "${phase}" in the database; imported at none`, { feature: id }));
  return 'none';
}

/** `deferred: Deferring to v2.0`, `duplicate of F-11: same config`. */
function reasonOf(row: Record<string, unknown>): string {
  const reason = text(row.skip_reason);
  const why = text(row.skip_justification);
  const dup = canonicalId(text(row.skip_duplicate_of));
  const head = dup ? `duplicate of ${dup}` : reason;
  return [head, why].filter(Boolean).join(': ');
}

function specPathOf(row: Record<string, unknown>, id: string, name: string, ctx: ImportContext, findings: Finding[]): string {
  const raw = text(row.spec_path);
  const folder = ctx.folders.get(matchKey(id));
  if (raw) {
    const direct = normaliseSpecPath(raw, ctx.repoRoot);
    if (direct.ok) return direct.path;
    const posix = raw.replace(/\\/g, '/');
    const cut = posix.lastIndexOf(`/${ctx.specsDir}/`);
    if (cut >= 0) {
      const rebased = normaliseSpecPath(posix.slice(cut + 1));
      if (rebased.ok) return rebased.path;
    }
    if (folder) return folder;
    const fallback = `${ctx.specsDir}/${folderName(id, name)}`;
    findings.push(
      error('spec_path.invalid', `${id}: ${direct.reason}; recorded as ${fallback}`, { feature: id, hint: 'Move the feature folder there, or correct spec_path in the ledger.' }),
    );
    return fallback;
  }
  if (folder) return folder;
  const fallback = `${ctx.specsDir}/${folderName(id, name)}`;
  findings.push(warning('import.spec_path.missing', `${id} has no spec_path in the database; recorded as ${fallback}`, { feature: id }));
  return fallback;
}
