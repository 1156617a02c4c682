import { statSync, watch as fsWatch, type FSWatcher as FsWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { isIgnoredPath } from './events.js';
import { FolderAppears } from './folder-appears.js';
import { FolderWatches } from './folder-watches.js';

/**
 * chokidar on `.maestro/` (ledger, config) and one plain directory watch on `specs_dir` (feature
 * folders appearing, vanishing, being renamed) — directories, not single files: the ledger is
 * replaced by a rename on every write, and editors save by renaming too, which a watch on a file
 * itself would lose. Native events only (no polling), so an idle daemon costs nothing.
 *
 * Why not chokidar on `specs_dir`: chokidar keeps its own record of every entry it tracks (about
 * 5 KB of memory per feature folder), and on every change of a directory it lists and lstat()s
 * all of its entries again — during a burst of thousands of new folders, work that grows with
 * the square of the burst. The daemon needs only the names that changed, which the kernel's event
 * carries. The documents inside each feature folder are watched with one plain directory watch
 * per folder (FolderWatches); a `specs_dir` that does not exist yet is waited for through its
 * nearest existing parent (FolderAppears).
 */
export interface Watcher {
  /** After a reconcile: watch `specs_dir` (again, if it moved, reappeared or was replaced) and exactly these feature folders. */
  follow(specsDir: string, folders: readonly string[], full: boolean): void;
  close(): Promise<void>;
}

export async function startWatcher(root: string, specsDir: string, onPath: (rel: string) => void, onError: (e: Error, where: string) => void): Promise<Watcher> {
  const { watch } = await import('chokidar');
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');
  const watcher: FSWatcher = watch(join(root, '.maestro'), {
    ignoreInitial: true,
    persistent: true,
    followSymlinks: false,
    usePolling: false,
    // Renames are events like any other here; chokidar's atomic-save smoothing would only delay them.
    atomic: false,
    depth: 0,
    ignored: (abs: string) => isIgnoredPath(rel(abs)),
  });
  watcher.on('all', (_event, abs) => onPath(rel(abs)));
  watcher.on('error', (e) => onError(e instanceof Error ? e : new Error(String(e)), 'watcher'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  let specs: SpecsWatch | undefined;
  const watchSpecs = (dir: string | undefined) => {
    specs?.close();
    specs = dir === undefined ? undefined : SpecsWatch.open(root, dir, onPath);
  };
  watchSpecs(specsDir);
  const folders = new FolderWatches(root, onPath, (e) => onError(e, 'folder watch'));
  let awaiting: { dir: string; watch: FolderAppears } | undefined;
  const awaitSpecs = (dir: string | undefined) => {
    if (awaiting?.dir === dir) return;
    awaiting?.watch.close();
    awaiting = undefined;
    // Its appearance is a change of the listing: the reconcile it sets off calls follow(), which watches it.
    if (dir !== undefined) awaiting = { dir, watch: new FolderAppears(root, dir, () => onPath(dir)) };
  };
  if (!specs) awaitSpecs(specsDir);

  return {
    follow(dir, list, full) {
      const ino = dirIno(join(root, dir));
      const present = ino !== undefined;
      // A specs_dir that moved (config), vanished, or was replaced by another folder of the same
      // name (a checkout) is watched again once it is there.
      if (!specs || specs.dir !== dir || specs.ino !== ino || specs.broken) watchSpecs(present ? dir : undefined);
      awaitSpecs(present ? undefined : dir);
      folders.sync(present ? list : [], full);
    },
    async close() {
      awaitSpecs(undefined);
      watchSpecs(undefined);
      folders.close();
      await watcher.close();
    },
  };
}

function dirIno(abs: string): bigint | undefined {
  const st = statSync(abs, { bigint: true, throwIfNoEntry: false });
  return st?.isDirectory() ? st.ino : undefined;
}

/** One plain watch on `specs_dir`: each event names the entry that appeared, vanished or changed. */
class SpecsWatch {
  broken = false;
  private constructor(
    readonly dir: string,
    readonly ino: bigint,
    private readonly w: FsWatcher,
  ) {}

  static open(root: string, dir: string, onPath: (rel: string) => void): SpecsWatch | undefined {
    const ino = dirIno(join(root, dir));
    if (ino === undefined) return undefined;
    let w: FsWatcher;
    try {
      w = fsWatch(join(root, dir), { persistent: true }, (_event, name) => onPath(name == null || name === '' ? dir : `${dir}/${String(name)}`));
    } catch {
      // Gone meanwhile, or no watch left: the periodic pass covers it, and the next follow() tries again.
      return undefined;
    }
    const watch = new SpecsWatch(dir, ino, w);
    // The folder itself removed: the event says the listing changed; follow() then waits for it.
    w.on('error', () => {
      watch.broken = true;
      onPath(dir);
    });
    return watch;
  }

  close(): void {
    this.w.close();
  }
}
