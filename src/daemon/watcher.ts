import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { isIgnoredPath } from './events.js';
import { FolderAppears } from './folder-appears.js';
import { FolderWatches } from './folder-watches.js';

/**
 * chokidar on two directories, `.maestro/` (ledger, config) and `specs_dir` (feature folders
 * appearing, vanishing, being renamed) — directories, not single files: the ledger is replaced
 * by a rename on every write, and editors save by renaming too, which a watch on a file itself
 * would lose. Native events only (no polling), so an idle daemon costs nothing.
 *
 * Why shallow: chokidar keeps its own record of every entry it tracks, which measured about
 * 5 KB of memory per feature folder (and minutes of start-up for 10,000 folders when it also
 * descends into them). So it tracks no entry below `specs_dir`; a change of the folder listing
 * arrives as its raw event for `specs_dir`, and the documents inside each feature folder are
 * watched with one plain directory watch per folder (FolderWatches). A `specs_dir` that does
 * not exist yet is waited for through its nearest existing parent (FolderAppears).
 */
export interface Watcher {
  /** After a reconcile: watch `specs_dir` (again, if it moved or reappeared) and exactly these feature folders. */
  follow(specsDir: string, folders: readonly string[], full: boolean): void;
  close(): Promise<void>;
}

export async function startWatcher(root: string, specsDir: string, onPath: (rel: string) => void, onError: (e: Error, where: string) => void): Promise<Watcher> {
  const { watch } = await import('chokidar');
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');
  let watchedSpecs = existsSync(join(root, specsDir)) ? specsDir : undefined;
  const below = (r: string) => watchedSpecs !== undefined && r.startsWith(`${watchedSpecs}/`);
  const watcher: FSWatcher = watch([join(root, '.maestro'), ...(watchedSpecs ? [join(root, watchedSpecs)] : [])], {
    ignoreInitial: true,
    persistent: true,
    followSymlinks: false,
    usePolling: false,
    // Renames are events like any other here; chokidar's atomic-save smoothing would only delay them.
    atomic: false,
    depth: 0,
    ignored: (abs: string) => {
      const r = rel(abs);
      return isIgnoredPath(r) || below(r);
    },
  });
  watcher.on('all', (_event, abs) => onPath(rel(abs)));
  watcher.on('raw', (_event, name, details) => {
    const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (watchedSpecs === undefined || typeof watched !== 'string' || rel(watched) !== watchedSpecs) return;
    onPath(typeof name === 'string' && name !== '' ? `${watchedSpecs}/${name}` : watchedSpecs);
  });
  watcher.on('error', (e) => onError(e instanceof Error ? e : new Error(String(e)), 'watcher'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const folders = new FolderWatches(root, onPath, (e) => onError(e, 'folder watch'));
  let awaiting: { dir: string; watch: FolderAppears } | undefined;
  const awaitSpecs = (dir: string | undefined) => {
    if (awaiting?.dir === dir) return;
    awaiting?.watch.close();
    awaiting = undefined;
    // Its appearance is a change of the listing: the reconcile it sets off calls follow(), which watches it.
    if (dir !== undefined) awaiting = { dir, watch: new FolderAppears(root, dir, () => onPath(dir)) };
  };
  if (!watchedSpecs) awaitSpecs(specsDir);

  return {
    follow(dir, list, full) {
      const present = existsSync(join(root, dir));
      if (dir !== watchedSpecs || !present) {
        // A specs_dir that moved (config) or vanished is watched again once it is there; the
        // periodic reconcile notices its return when no event does.
        if (watchedSpecs) watcher.unwatch(join(root, watchedSpecs));
        watchedSpecs = undefined;
        if (present) {
          watchedSpecs = dir;
          watcher.add(join(root, dir));
        }
      }
      awaitSpecs(present ? undefined : dir);
      folders.sync(present ? list : [], full);
    },
    async close() {
      awaitSpecs(undefined);
      folders.close();
      await watcher.close();
    },
  };
}
