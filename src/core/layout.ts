import { compareIds, isNameId, type IdScheme } from './feature-id.js';
import { matchKey, type SpecsFolder } from './reconcile.js';

/**
 * What `init` makes of the folders under its roots (README "Layouts and adoption"). Pure: the
 * caller lists the folders; this sorts them into features to adopt and folders left alone, each
 * with the reason a user reads.
 *
 * - A folder whose name carries an id (`f-12-…`, `F-12-…`, `f-018-…`, `012-…`; `001-…` in
 *   spec-kit; any name in Kiro and OpenSpec) is a feature, padded or not, whatever its case.
 * - Folders that share one number (`041-a` and `041-b`; ten `001-…` folders of a tree whose
 *   numbering restarts per branch; `f-12-a` and `012-b` in a SpecFlow tree) are each tracked
 *   under their whole folder name, a deliberate identity that no later folder can take over,
 *   and the shared number is reported once.
 * - Archive and notes folders (`attic/`, `archive/`, `rfc/`, `drafts/`, …) are not features.
 * - Any other folder without an id is left out and named, so a typo does not go unseen.
 */
export interface LayoutSurvey {
  /** One folder per id, in id order; folders of a shared number carry their folder name as id. */
  features: SpecsFolder[];
  /** Numbers that several folders carry: each of those folders is a feature under its folder name. */
  shared: { id: string; paths: string[] }[];
  ignored: { path: string; reason: string }[];
}

/** Names of folders that hold archived or non-feature material, by convention. */
export const NOT_FEATURES = /^(attic|archived?|archives|old|deprecated|obsolete|drafts?|rfcs?|adrs?|notes|templates?|memory|research|docs?)$/i;

export function surveyFolders(folders: readonly SpecsFolder[], scheme: IdScheme): LayoutSurvey {
  const byNumber = new Map<string, SpecsFolder[]>();
  const ignored: LayoutSurvey['ignored'] = [];
  for (const folder of folders) {
    if (folder.id === undefined || (scheme === 'name' && NOT_FEATURES.test(folder.name))) {
      ignored.push({ path: folder.path, reason: noIdReason(folder.name, scheme) });
      continue;
    }
    // Per root: the qualifier is part of the id, so two sub-projects' F-1 never meet.
    const key = `${folder.path.slice(0, folder.path.length - folder.name.length)}\0${matchKey(folder.id)}`;
    byNumber.set(key, [...(byNumber.get(key) ?? []), folder]);
  }
  const features: SpecsFolder[] = [];
  const shared: LayoutSurvey['shared'] = [];
  for (const claimants of byNumber.values()) {
    if (claimants.length === 1) {
      features.push(claimants[0]!);
      continue;
    }
    const named = claimants.filter((c) => isNameId(c.name));
    shared.push({ id: claimants[0]!.id!, paths: claimants.map((c) => c.path) });
    const qualifier = (c: SpecsFolder) => {
      const slash = c.id!.lastIndexOf('/');
      return slash >= 0 ? c.id!.slice(0, slash + 1) : '';
    };
    for (const c of named) features.push({ ...c, id: `${qualifier(c)}${c.name}` });
    for (const c of claimants) if (!named.includes(c)) ignored.push({ path: c.path, reason: 'shares its number and its name cannot stand as an id; rename it to track it' });
  }
  features.sort((a, b) => compareIds(a.id!, b.id!));
  shared.sort((a, b) => compareIds(a.id, b.id));
  return { features, shared, ignored };
}

function noIdReason(name: string, scheme: IdScheme): string {
  if (NOT_FEATURES.test(name)) return 'an archive or notes folder, not a feature; what it holds is not tracked';
  if (scheme === 'name') return 'its name cannot stand as a feature id (letters, digits, ".", "_" and "-"); rename it to track it';
  return `name does not start with a feature id (${scheme === 'spec-kit' ? 'NNN-slug' : 'f-<n>-slug or NNN-slug'}); rename it to track it`;
}
