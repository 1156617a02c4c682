import { compareIds, type IdScheme } from './feature-id.js';
import { matchKey, type SpecsFolder } from './reconcile.js';

/**
 * What `init` makes of the folders under `specs_dir` (README "Layouts and adoption"). Pure: the
 * caller lists the folders; this sorts them into features to adopt and folders left alone, each
 * with the reason a user reads.
 *
 * - A folder whose name starts with an id (`f-12-…`, `F-12-…`, `f-018-…`; `001-…` in spec-kit)
 *   is a feature, padded or not, whatever its case.
 * - Two folders with one number (`041-a`, `041-b`, or `f-4-a` and `f-004-b`) are both left out:
 *   which one is the feature is a human's call.
 * - Archive and notes folders (`attic/`, `archive/`, `rfc/`, `drafts/`, …) are not features.
 * - Any other folder without an id is left out and named, so a typo does not go unseen.
 */
export interface LayoutSurvey {
  /** One folder per id, in id order. */
  features: SpecsFolder[];
  /** Folders that share one number; none of them is adopted. */
  conflicts: { id: string; paths: string[] }[];
  ignored: { path: string; reason: string }[];
}

/** Names of folders that hold archived or non-feature material, by convention. */
const NOT_FEATURES = /^(attic|archived?|archives|old|deprecated|obsolete|drafts?|rfcs?|adrs?|notes|templates?|memory|research|docs?)$/i;

export function surveyFolders(folders: readonly SpecsFolder[], scheme: IdScheme): LayoutSurvey {
  const byNumber = new Map<string, SpecsFolder[]>();
  const ignored: LayoutSurvey['ignored'] = [];
  for (const folder of folders) {
    if (folder.id === undefined) {
      ignored.push({ path: folder.path, reason: noIdReason(folder.name, scheme) });
      continue;
    }
    const key = matchKey(folder.id);
    byNumber.set(key, [...(byNumber.get(key) ?? []), folder]);
  }
  const features: SpecsFolder[] = [];
  const conflicts: LayoutSurvey['conflicts'] = [];
  for (const claimants of byNumber.values()) {
    if (claimants.length === 1) features.push(claimants[0]!);
    else conflicts.push({ id: claimants[0]!.id!, paths: claimants.map((c) => c.path) });
  }
  features.sort((a, b) => compareIds(a.id!, b.id!));
  conflicts.sort((a, b) => compareIds(a.id, b.id));
  return { features, conflicts, ignored };
}

function noIdReason(name: string, scheme: IdScheme): string {
  if (NOT_FEATURES.test(name)) return 'an archive or notes folder, not a feature; what it holds is not tracked';
  return `name does not start with a feature id (${scheme === 'spec-kit' ? 'NNN-slug' : 'f-<n>-slug'}); rename it to track it`;
}
