import type { Config } from './config.js';
import { idFromFolder, sameFeature, splitQualified } from './feature-id.js';
import { error, type Finding } from './finding.js';
import type { LedgerFeature } from './ledger.js';
import { normaliseSpecPath } from './spec-path.js';

/**
 * A gate reads a feature's documents from its own folder only: the last segment of its
 * `spec_path` must carry its id (`f-12-…`, `012-…`, or the id itself where folder names are
 * ids). Otherwise one feature could borrow another's documents.
 */
export function foreignFolder(f: Pick<LedgerFeature, 'id' | 'spec_path'>, _config?: Config): Finding | undefined {
  // Judged on the folder the spec_path names (`…/f-12-x/spec.md` is f-12-x); one that is no safe
  // folder at all is `spec_path.invalid`, reported where the documents are read.
  const check = normaliseSpecPath(f.spec_path);
  if (!check.ok) return undefined;
  const segment = check.path.split('/').pop() ?? '';
  // A sub-root's feature (`api/F-1`) carries its id without the qualifier in its folder name.
  const id = splitQualified(f.id).id;
  const carried = (['specflow', 'spec-kit'] as const).map((s) => idFromFolder(segment, s)).filter((c) => c !== undefined);
  if (carried.some((c) => sameFeature(c, id)) || segment === id || idFromFolder(segment, 'name') === id) return undefined;
  return error('spec_path.foreign', `${f.id}.spec_path ${f.spec_path} is not ${f.id}'s own folder (its name does not carry the id)`, {
    feature: f.id,
    hint: `Point ${f.id}.spec_path at its own folder, whose name carries the id (f-12-<slug>, 012-<slug>, or the id itself where folder names are ids); a gate never reads another feature's documents.`,
  });
}
