import { readdirSync, type Dirent } from 'node:fs';
import { sep } from 'node:path';
import type { Config } from '../core/config.js';
import { idFromFolder } from '../core/feature-id.js';
import type { WorkingTree } from './working-tree.js';

/** A folder directly under `specs_dir`. */
export interface FeatureFolder {
  /** Folder name, e.g. `f-12-vector-configuration`. */
  name: string;
  /** Repo-relative POSIX path. */
  path: string;
  /** The id its name carries under the configured scheme, if any. */
  id: string | undefined;
}

/** Folders under `specs_dir` (not following symlinks out of the repository), sorted by name. */
export function scanSpecsDir(tree: WorkingTree, config: Config): FeatureFolder[] {
  const where = tree.resolve(config.specs_dir);
  if (!('real' in where)) return [];
  let entries: Dirent[];
  try {
    entries = readdirSync(where.real, { withFileTypes: true });
  } catch {
    return [];
  }
  const folders: FeatureFolder[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = `${config.specs_dir}/${e.name}`;
    if (e.isSymbolicLink()) {
      const target = tree.resolve(path);
      if (!('real' in target)) continue;
      // A link back up to the specs folder or one of its parents is a loop for every walker.
      if (where.real === target.real || where.real.startsWith(`${target.real}${sep}`)) continue;
      try {
        readdirSync(target.real);
      } catch {
        continue;
      }
    } else if (!e.isDirectory()) continue;
    folders.push({ name: e.name, path, id: idFromFolder(e.name, config.id_scheme) });
  }
  return folders.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
