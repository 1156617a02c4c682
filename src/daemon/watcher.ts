import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { isIgnoredPath } from './events.js';

/**
 * chokidar on two directories: `specs_dir` (feature folders and the documents directly in them)
 * and `.maestro/` (ledger, config). Directories, not single files: the ledger is replaced by a
 * rename on every write, and editors save by renaming too, which a watch on the file itself
 * would lose. Native events only (no polling), so an idle daemon costs nothing.
 */
export interface Watcher {
  /** Watches `specs_dir` (again) after the config moved it or the folder appeared. */
  target(specsDir: string): void;
  close(): Promise<void>;
}

export async function startWatcher(
  root: string,
  specsDir: string,
  onPath: (rel: string) => void,
  onError: (e: Error) => void,
): Promise<Watcher> {
  const { watch } = await import('chokidar');
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');
  let watchedSpecs = existsSync(join(root, specsDir)) ? specsDir : undefined;
  const initial = [join(root, '.maestro'), ...(watchedSpecs ? [join(root, watchedSpecs)] : [])];
  const watcher: FSWatcher = watch(initial, {
    ignoreInitial: true,
    persistent: true,
    followSymlinks: false,
    usePolling: false,
    // Renames are events like any other here; chokidar's atomic-save smoothing would only delay them.
    atomic: false,
    depth: 1,
    ignored: (abs: string) => isIgnoredPath(rel(abs)),
  });
  watcher.on('all', (_event, abs) => onPath(rel(abs)));
  watcher.on('error', (e) => onError(e instanceof Error ? e : new Error(String(e))));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  // Called after every reconcile: cheap when nothing moved. A specs_dir that vanished is watched
  // again once it reappears (the periodic reconcile notices it if no event does).
  const target = (dir: string) => {
    const present = existsSync(join(root, dir));
    if (dir === watchedSpecs && present) return;
    if (watchedSpecs) watcher.unwatch(join(root, watchedSpecs));
    watchedSpecs = undefined;
    if (!present) return;
    watchedSpecs = dir;
    watcher.add(join(root, dir));
  };
  return {
    target,
    close: () => watcher.close(),
  };
}
