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
 *
 * Memory: with 10,000 folders every byte per watch counts (an idle daemon must stay under
 * 100 MB), so all watches share two listeners, which find their folder through `watched`.
 */
export class FolderWatches {
  private readonly watches = new Map<string, FSWatcher>();
  private exhausted = false;
  /** The list last synced, when every folder in it got its watch. */
  private synced: readonly string[] | undefined;

  constructor(
    private readonly root: string,
    private readonly onPath: (rel: string) => void,
    private readonly onError: (e: Error) => void,
  ) {}

  sync(folders: readonly string[], retry: boolean): void {
    // The same listing as last time, all of it watched: nothing to do (the periodic pass, mostly).
    if (folders === this.synced) return;
    this.synced = undefined;
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
        const w = watch(join(this.root, path), { persistent: true });
        watched.set(w, { owner: this, path });
        w.on('change', changed);
        w.on('error', vanished);
        this.watches.set(path, w);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        this.exhausted = true;
        this.onError(new Error(`cannot watch ${path} (${code ?? (e as Error).message}); ${folders.length - this.watches.size} folder(s) rely on the periodic reconcile`));
        return;
      }
    }
    this.synced = folders;
  }

  get size(): number {
    return this.watches.size;
  }

  close(): void {
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
    this.synced = undefined;
  }

  /** A file in a watched folder changed (called by the shared listener below). */
  changed(path: string, name: string | null): void {
    this.onPath(name ? `${path}/${name}` : `${path}/`);
  }

  /** The folder went away under its watch; the next sync drops or renews it (called by the shared listener below). */
  vanished(path: string, w: FSWatcher): void {
    w.close();
    if (this.watches.get(path) === w) this.watches.delete(path);
    this.synced = undefined;
  }
}

const watched = new WeakMap<FSWatcher, { owner: FolderWatches; path: string }>();
// An emitter calls its listeners with itself as `this`.
function changed(this: FSWatcher, _event: string, name: string | Buffer | null): void {
  const at = watched.get(this);
  at?.owner.changed(at.path, name == null ? null : String(name));
}
function vanished(this: FSWatcher): void {
  const at = watched.get(this);
  at?.owner.vanished(at.path, this);
}
