import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/**
 * One plain directory watch per feature folder, so that a saved `plan.md` is noticed at once.
 * Events name the file; the folder is what matters (its gates are checked again). Kept in step
 * with the folder listing after every reconcile.
 *
 * When the system runs out of watches (ENOSPC: inotify's per-user limit) or file handles, the
 * daemon logs it once and carries on with the folders it has; the periodic full reconcile, which
 * compares each document's fingerprint, covers the rest. A full pass tries again.
 */
export class FolderWatches {
  private readonly watches = new Map<string, FSWatcher>();
  private exhausted = false;

  constructor(
    private readonly root: string,
    private readonly onPath: (rel: string) => void,
    private readonly onError: (e: Error) => void,
  ) {}

  sync(folders: readonly string[], retry: boolean): void {
    const want = new Set(folders);
    for (const [path, w] of this.watches) {
      if (want.has(path)) continue;
      w.close();
      this.watches.delete(path);
    }
    if (this.exhausted && !retry) return;
    this.exhausted = false;
    for (const path of folders) {
      if (this.watches.has(path)) continue;
      try {
        const w = watch(join(this.root, path), { persistent: true }, (_event, name) => this.onPath(name ? `${path}/${name}` : `${path}/`));
        w.on('error', () => {
          // The folder went away under the watch; the next sync drops or renews it.
          w.close();
          if (this.watches.get(path) === w) this.watches.delete(path);
        });
        this.watches.set(path, w);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        this.exhausted = true;
        this.onError(new Error(`cannot watch ${path} (${code ?? (e as Error).message}); ${folders.length - this.watches.size} folder(s) rely on the periodic reconcile`));
        return;
      }
    }
  }

  get size(): number {
    return this.watches.size;
  }

  close(): void {
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
  }
}
