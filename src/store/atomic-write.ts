import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { removeDeadSiblings } from './lock.js';

/**
 * Writes `text` so that a reader sees the old file or the new one, never a mix: a temporary
 * file beside the target, flushed, then renamed over it; the directory is flushed too so the
 * rename survives a crash. The caller holds the lock. Temporary files that writers killed
 * mid-write left beside the target are removed first, so they never pile up. The target keeps
 * its permission bits. `durable: false` (runtime state rewritten often, such as the daemon's
 * status) skips the flushes: still never a mix, but a crash may lose the last write.
 */
export function writeFileAtomic(path: string, text: string, options: { durable?: boolean } = {}): void {
  const durable = options.durable !== false;
  removeDeadSiblings(path, 'tmp');
  const tmp = `${path}.${process.pid}.tmp`;
  // Created afresh and exclusively: never through a file or symlink already lying there.
  safeUnlink(tmp);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    const mode = existingMode(path);
    if (mode !== undefined) fchmodSync(fd, mode);
    const bytes = Buffer.from(text, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    if (durable) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    safeUnlink(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    safeUnlink(tmp);
    throw e;
  }
  if (!durable) return;
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    /* some file systems cannot flush a directory; the rename itself is still atomic */
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function safeUnlink(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    /* nothing to clean */
  }
}
