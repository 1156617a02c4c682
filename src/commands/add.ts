import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalId, folderName, idNumber, isFeatureId, sameFeature, slugify } from '../core/feature-id.js';
import { addFeature } from '../core/ledger.js';
import { printable } from '../core/printable.js';
import { UsageError } from '../core/errors.js';
import { idsInBranches, type IdUse } from '../git/branch-ledgers.js';
import { updateLedger } from '../store/ledger-store.js';
import { scanSpecsDir, type FeatureFolder } from '../tree/specs-tree.js';
import { openWorkspace } from '../tree/workspace.js';
import type { AddResult, CommandResult } from '../core/command-results.js';
import type { Context } from '../ui/context.js';

export interface AddOptions {
  id?: string;
  priority?: string;
  description?: string;
}

function parsePriority(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`--priority must be an integer, not "${raw}"`, undefined, 'usage.priority');
  return Number(raw);
}

/** One more than the highest id in any ledger (this one, HEAD's, the index's, every branch's) or on a feature folder. */
function nextId(ledgerIds: readonly string[], folders: readonly FeatureFolder[], elsewhere: ReadonlyMap<string, IdUse[]>, specKit: boolean): string {
  const taken = [...ledgerIds, ...folders.flatMap((f) => (f.id ? [f.id] : [])), ...elsewhere.keys()];
  const next = Math.max(0, ...taken.map(idNumber).filter(Number.isFinite)) + 1;
  return specKit ? String(next).padStart(3, '0') : `F-${next}`;
}

export function add(ctx: Context, name: string, options: AddOptions): CommandResult<AddResult> {
  const trimmed = name.trim();
  if (!trimmed) throw new UsageError('a feature needs a name', 'specflow add "Vector Configuration"');
  if (/[\n\r]/.test(trimmed)) throw new UsageError('a feature name cannot contain line breaks');
  const priority = parsePriority(options.priority);
  const ws = openWorkspace(ctx.cwd);
  const specKit = ws.config.id_scheme === 'spec-kit';
  // Kiro and OpenSpec: the folder's name is the id (`note-tagging`), from --id or from the name.
  const named = ws.config.id_scheme === 'name';
  let requested: string | undefined;
  if (named) {
    requested = options.id !== undefined ? options.id.trim() : slugify(trimmed);
    if (!isFeatureId(requested) || requested.includes('/') || canonicalId(requested) !== undefined)
      throw new UsageError(`"${requested}" cannot be a folder name used as an id`, 'Use lowercase letters, digits and "-", e.g. add-note-tags.', 'usage.id');
  } else if (options.id !== undefined) {
    const canon = canonicalId(options.id);
    if (!canon || (specKit ? !/^\d+$/.test(canon) : !canon.startsWith('F-')))
      throw new UsageError(`"${options.id}" is not a feature id`, specKit ? 'Use a number such as 012.' : 'Use F-<n>, e.g. F-12.', 'usage.id');
    requested = canon;
  }
  const where = ws.tree.resolve(ws.config.specs_dir);
  if ('outside' in where) throw new UsageError(`${ws.config.specs_dir} resolves outside the repository`, undefined, 'path.outside');
  // Ids other branches already use: read before the lock is taken (git, not the ledger file).
  const elsewhere = idsInBranches(ws.root);
  let id = '';
  let specPath = '';
  updateLedger(ws.root, (ledger, doc) => {
    // The next free id is chosen under the lock, from the ledger as it is now: two agents adding
    // features at the same moment get two ids instead of one refusal.
    id = requested ?? nextId(ledger.features.map((f) => f.id), scanSpecsDir(ws.tree, ws.config), elsewhere, specKit);
    specPath = `${ws.config.specs_dir}/${named ? id : folderName(id, trimmed)}`;
    const clash = ledger.features.find((f) => (canonicalId(f.id) ?? f.id) === id || (!named && idNumber(f.id) === idNumber(id)));
    if (clash) throw new UsageError(`feature ${clash.id} is already registered (${printable(clash.name)})`, 'Pick another id with --id, or omit it.', 'feature.exists');
    const other = [...elsewhere].find(([used]) => sameFeature(used, id))?.[1][0];
    if (other)
      throw new UsageError(
        `feature id ${id} is already used on ${other.where === 'HEAD' || other.where === 'the index' ? other.where : `branch ${printable(other.where)}`} (${printable(other.name)})`,
        'Pick another id with --id, or omit it to take the next id no branch uses.',
        'feature.exists',
      );
    addFeature(doc, id, {
      name: trimmed,
      phase: 'none',
      spec_path: specPath,
      ...(priority !== undefined ? { priority } : {}),
      ...(options.description ? { description: options.description } : {}),
    });
  });
  mkdirSync(join(ws.root, specPath), { recursive: true });
  return { exitCode: 0, data: { id, name: trimmed, phase: 'none', spec_path: specPath, priority: priority ?? null } };
}
