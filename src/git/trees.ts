import { parseCommit, parseTree, type CommitObject, type TreeEntry } from '../core/git-format.js';
import type { GitObjects } from './objects.js';

/**
 * Paths in commits, looked up tree by tree through the one cat-file process: the mode and id of
 * what a commit holds at a path, never what a symlink there points at. Trees and commits are
 * kept by id, so a walk over consecutive commits reads each unchanged tree once.
 */
export class TreeReader {
  // Promises, so that lookups made at once (a commit's ledger, config and .maestro) read each tree once.
  private readonly trees = new Map<string, Promise<Map<string, TreeEntry> | undefined>>();
  private readonly commits = new Map<string, Promise<CommitObject | undefined>>();

  constructor(private readonly objects: GitObjects) {}

  commit(oid: string): Promise<CommitObject | undefined> {
    let c = this.commits.get(oid);
    if (!c) {
      c = this.objects.contents(oid).then((a) => (a.kind === 'object' && a.type === 'commit' && a.bytes ? parseCommit(a.bytes.toString('utf8')) : undefined));
      remember(this.commits, oid, c);
    }
    return c;
  }

  /** The entry at `path` (POSIX, repo-relative) in the commit's tree; undefined when there is none or a segment above it is not a directory. */
  async entry(commitOid: string, path: string): Promise<TreeEntry | undefined> {
    const c = await this.commit(commitOid);
    if (!c) return undefined;
    let entry: TreeEntry | undefined = { mode: '40000', oid: c.tree };
    for (const name of path.split('/')) {
      if (!entry || entry.mode !== '40000') return undefined;
      entry = (await this.tree(entry.oid))?.get(name);
    }
    return entry;
  }

  /** A regular file's text at a path, or undefined when it is absent or not a regular file. */
  async text(oid: string): Promise<string | undefined> {
    return this.objects.text(oid);
  }

  private tree(oid: string): Promise<Map<string, TreeEntry> | undefined> {
    let t = this.trees.get(oid);
    if (!t) {
      t = this.objects.contents(oid).then((a) => (a.kind === 'object' && a.type === 'tree' && a.bytes ? parseTree(a.bytes, oid.length / 2) : undefined));
      remember(this.trees, oid, t);
    }
    return t;
  }
}

const LIMIT = 512;

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
}
