import { statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/**
 * Waits for a folder that does not exist yet (`specs_dir` before the first feature, or after the
 * config moved it) by watching its nearest existing ancestor inside the repository, one level at
 * a time: `.specify/` appearing moves the watch into it, `specs/` appearing ends the wait. Without
 * this, a specs folder made after the daemon started would be noticed only by the periodic pass.
 */
export class FolderAppears {
  private watcher: FSWatcher | undefined;
  private at: string | undefined;

  /**
   * @param onAppeared called once `rel` exists (the daemon then reconciles and watches it).
   */
  constructor(
    private readonly root: string,
    private readonly rel: string,
    private readonly onAppeared: () => void,
  ) {
    this.rearm();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.at = undefined;
  }

  /** Watches the deepest existing directory on the way to `rel`; reports `rel` itself once it is there. */
  private rearm(): void {
    const parts = this.rel.split('/');
    let existing = '';
    for (let i = 0; i < parts.length; i++) {
      const next = existing ? `${existing}/${parts[i]}` : parts[i]!;
      if (!isDir(join(this.root, next))) break;
      existing = next;
    }
    if (existing === this.rel) {
      this.close();
      this.onAppeared();
      return;
    }
    if (existing === this.at && this.watcher) return;
    this.close();
    const want = parts[existing ? existing.split('/').length : 0]!;
    try {
      this.watcher = watch(join(this.root, existing), { persistent: false }, (_event, name) => {
        if (name == null || String(name) === want) this.rearm();
      });
      this.watcher.on('error', () => {
        this.close();
        this.rearm();
      });
      this.at = existing;
    } catch {
      // The ancestor vanished meanwhile (or cannot be watched): the periodic pass covers it.
      this.at = undefined;
    }
    // Made between the look above and the watch: nothing would report it.
    if (this.watcher && isDir(join(this.root, existing, want))) this.rearm();
  }
}

function isDir(abs: string): boolean {
  return statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
