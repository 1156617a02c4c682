import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { Config } from '../core/config.js';
import { decodeDocument, MAX_DOCUMENT_BYTES, tooLarge, unreadable } from '../core/document-text.js';
import type { FeatureDocument, FeatureDocuments } from '../core/gates.js';
import { featureDocuments } from '../core/feature-documents.js';

/** Where O_NONBLOCK does not exist (Windows), FIFOs do not either. */
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Reads a feature's documents from the working tree, refusing anything that resolves outside
 * the repository (a `..` path, an absolute path, a symlinked folder or file pointing out).
 */
export class WorkingTree {
  private readonly realRoot: string;

  constructor(readonly root: string) {
    this.realRoot = realpathSync(root);
  }

  /** Is `abs` (already resolved) the root or below it? */
  private inside(abs: string): boolean {
    return abs === this.realRoot || abs.startsWith(this.realRoot + sep);
  }

  /** The real path of a repo-relative path, or undefined when it is missing or escapes the repository. */
  resolve(rel: string): { real: string } | { missing: true } | { outside: true } {
    try {
      const real = this.realpath(join(this.root, rel));
      return this.inside(real) ? { real } : { outside: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { outside: true };
      return { missing: true };
    }
  }

  /** Real paths of directories, remembered until the current synchronous pass ends (see `realpath`). */
  private dirs: Map<string, string> | undefined;

  /**
   * `realpathSync`, with each directory's real path remembered until the current synchronous
   * pass ends (a microtask forgets them). A pass over thousands of documents — doctor, a daemon
   * reconcile — then checks each folder once instead of every component of every path, and
   * nothing is remembered long enough to miss a later change (a folder replaced by a symlink).
   */
  private realpath(abs: string): string {
    const candidate = join(this.realDir(dirname(abs), this.memo()), basename(abs));
    const st = lstatSync(candidate, { throwIfNoEntry: false });
    // A symlink (or nothing) as the last component: the full resolution decides.
    return st && !st.isSymbolicLink() ? candidate : realpathSync(abs);
  }

  private memo(): Map<string, string> {
    if (!this.dirs) {
      this.dirs = new Map();
      queueMicrotask(() => (this.dirs = undefined));
    }
    return this.dirs;
  }

  private realDir(dir: string, memo: Map<string, string>): string {
    let real = memo.get(dir);
    if (real !== undefined) return real;
    const parent = dirname(dir);
    real = parent === dir || lstatSync(dir).isSymbolicLink() ? realpathSync(dir) : join(this.realDir(parent, memo), basename(dir));
    memo.set(dir, real);
    return real;
  }

  /**
   * Opens a document in one system call when its folder's real path (remembered for this pass)
   * is inside the repository and the file itself is no symlink (O_NOFOLLOW); 'missing' when it
   * is not there; undefined when only the full resolution can tell (a symlink, an error, a
   * platform without O_NOFOLLOW).
   */
  private openInside(rel: string): number | 'missing' | undefined {
    if (constants.O_NOFOLLOW === undefined) return undefined;
    try {
      const abs = join(this.root, rel);
      const candidate = join(this.realDir(dirname(abs), this.memo()), basename(abs));
      if (candidate === this.realRoot || !this.inside(candidate)) return undefined;
      // O_NONBLOCK: a FIFO opens at once (and fstat then refuses it) instead of waiting for a writer.
      return openSync(candidate, constants.O_RDONLY | constants.O_NOFOLLOW | NON_BLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : undefined;
    }
  }

  readDocument(rel: string): FeatureDocument {
    let fd = this.openInside(rel);
    if (fd === 'missing') return { path: rel, text: undefined };
    if (fd === undefined) {
      const where = this.resolve(rel);
      if ('missing' in where) return { path: rel, text: undefined };
      if ('outside' in where)
        return unreadable(rel, 'path.outside', `${rel} resolves outside the repository (symlink or loop); it was not read`, 'Keep feature documents inside the repository.');
      try {
        fd = openSync(where.real, constants.O_RDONLY | NON_BLOCK);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EISDIR') return unreadable(rel, 'doc.not-a-file', `${rel} is a directory, not a document`);
        return unreadable(rel, 'doc.unreadable', `${rel} cannot be read (${code ?? 'error'})`);
      }
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return unreadable(rel, 'doc.not-a-file', `${rel} is not a regular file`);
      if (st.size > MAX_DOCUMENT_BYTES) return tooLarge(rel, st.size);
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < st.size) {
        const n = readSync(fd, buf, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
      return decodeDocument(rel, buf.subarray(0, off));
    } finally {
      closeSync(fd);
    }
  }

  featureDocuments(specPath: string, config: Config): FeatureDocuments {
    const docs = featureDocuments(specPath, config, (rel) => this.readDocument(rel), this.root);
    if (docs.spec.text === undefined && !docs.spec.unreadable) docs.spec.candidates = this.namedLike(docs.spec.path);
    return docs;
  }

  /** Files beside a missing document whose names end like it (`auth-spec.md`, `auth_spec.md` for `spec.md`). */
  private namedLike(rel: string): string[] | undefined {
    const slash = rel.lastIndexOf('/');
    const base = rel.slice(slash + 1).toLowerCase();
    const where = this.resolve(rel.slice(0, Math.max(0, slash)));
    if (!('real' in where)) return undefined;
    try {
      const found = readdirSync(where.real, { withFileTypes: true })
        .filter((e) => e.isFile() && (e.name.toLowerCase().endsWith(`-${base}`) || e.name.toLowerCase().endsWith(`_${base}`)))
        .map((e) => e.name)
        .sort();
      return found.length ? found : undefined;
    } catch {
      return undefined;
    }
  }
}
