import { PREFIX_MAESTRO } from './commit-state.js';
import type { PathChange } from './git-format.js';
import type { LedgerDelta, PreparedLedger } from './ledger-delta.js';
import type { LedgerFeature } from './ledger.js';
import { canonicalId } from './feature-id.js';
import { normaliseSpecPath } from './spec-path.js';

/**
 * The features a commit touches besides moving their phase: entries it changes in any way, and
 * entries whose folder (at this commit) holds a path the commit adds, changes or removes. Their
 * documents must still pass every gate up to their phase (the regression gate).
 */
export function touchedFeatures(own: PreparedLedger | undefined, delta: LedgerDelta, changes: readonly PathChange[]): LedgerFeature[] {
  const touched = new Map<string, LedgerFeature>(delta.changedEntries);
  const dirs = changedFolders(changes);
  if (!own || dirs.size === 0) return [...touched.values()];
  for (const { key, specPath } of own.specPaths()) {
    const id = canonicalId(key) ?? key;
    if (touched.has(id)) continue;
    const check = normaliseSpecPath(specPath);
    if (!check.ok || !dirs.has(check.path)) continue;
    const f = own.feature(key);
    if (f) touched.set(id, f);
  }
  return [...touched.values()];
}

/** Every folder that holds a changed path (outside `.maestro/`), and each changed path itself. */
function changedFolders(changes: readonly PathChange[]): Set<string> {
  const dirs = new Set<string>();
  for (const c of changes) {
    if (c.path === '.maestro' || c.path.startsWith(PREFIX_MAESTRO)) continue;
    for (let p = c.path; p !== ''; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
      if (dirs.has(p)) break;
      dirs.add(p);
    }
  }
  return dirs;
}
