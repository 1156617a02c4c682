import { readdirSync, type Dirent } from 'node:fs';
import { sep } from 'node:path';
import type { Config, SpecRoot } from '../core/config.js';
import { idFromFolder, qualify } from '../core/feature-id.js';
import type { WorkingTree } from './working-tree.js';

/** A folder directly under `specs_dir` or one of the configured `roots`. */
export interface FeatureFolder {
  /** Folder name, e.g. `f-12-vector-configuration`. */
  name: string;
  /** Repo-relative POSIX path. */
  path: string;
  /** The id its name carries under the configured scheme (qualified by its root's qualifier), if any. */
  id: string | undefined;
}

/** `specs_dir` and every configured root, `specs_dir` first. */
export function specRoots(config: Config): SpecRoot[] {
  return [{ path: config.specs_dir }, ...config.roots.filter((r) => r.path !== config.specs_dir)];
}

/**
 * Folders under `specs_dir` and the configured roots (not following symlinks out of the
 * repository), sorted by path. A root nested in another (OpenSpec's `changes/archive/`) is
 * listed as its own root, not as a folder of its parent.
 */
export function scanSpecsDir(tree: WorkingTree, config: Config): FeatureFolder[] {
  const roots = specRoots(config);
  const rootPaths = new Set(roots.map((r) => r.path));
  const folders: FeatureFolder[] = [];
  for (const root of roots) folders.push(...scanRoot(tree, config, root, rootPaths));
  return roots.length === 1 ? folders : folders.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function scanRoot(tree: WorkingTree, config: Config, root: SpecRoot, rootPaths: ReadonlySet<string>): FeatureFolder[] {
  const where = tree.resolve(root.path);
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
    const path = `${root.path}/${e.name}`;
    if (rootPaths.has(path)) continue;
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
    const id = idFromFolder(e.name, config.id_scheme);
    folders.push({ name: e.name, path, id: id === undefined ? undefined : qualify(root.qualifier, id) });
  }
  return folders.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
