import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import type { LedgerFeature } from '../core/ledger.js';
import { foldersToName, pathsToCheck, type SpecsFolder, type SpecsSnapshot } from '../core/reconcile.js';
import type { WorkingTree } from './working-tree.js';
import { scanSpecsDir } from './specs-tree.js';

/**
 * Gathers what reconcile needs to know about the files: the folders under `specs_dir`, whether
 * the other `spec_path`s exist, and the spec of each folder that may be registered (for its
 * name). Reads only what the decision needs: one directory listing, a stat per `spec_path`
 * outside it, one spec per unregistered folder (none with `naming: false`, when only some
 * entries are judged and no folder can be registered).
 */
export function gatherSnapshot(
  tree: WorkingTree,
  config: Config,
  features: readonly LedgerFeature[],
  folders?: readonly SpecsFolder[],
  options: { naming?: boolean } = {},
): SpecsSnapshot {
  const listed = folders ?? scanSpecsDir(tree, config);
  const root = tree.root.replace(/\\/g, '/');
  const existingDirs = new Set<string>();
  for (const p of pathsToCheck(features, listed, root)) if (isDirectory(tree, p)) existingDirs.add(p);
  const specTexts = new Map<string, string>();
  for (const folder of options.naming === false ? [] : foldersToName(features, listed)) {
    const spec = tree.readDocument(`${folder.path}/${config.gates.specify.file}`);
    if (spec.text && !spec.unreadable) specTexts.set(folder.path, spec.text);
  }
  return { folders: listed, existingDirs, specTexts };
}

function isDirectory(tree: WorkingTree, rel: string): boolean {
  const where = tree.resolve(rel);
  if (!('real' in where)) return false;
  try {
    return statSync(join(where.real)).isDirectory();
  } catch {
    return false;
  }
}
