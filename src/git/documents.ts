import { posix } from 'node:path';
import { decodeDocument, unreadable } from '../core/document-text.js';
import type { FeatureDocument } from '../core/gates.js';
import type { GitObjects, ObjectAnswer } from './objects.js';
import { runGit, literalPath, GitCommandError } from './run.js';

/**
 * Feature documents as git has them — in a commit's tree, or in the index being committed —
 * turned into the same `FeatureDocument`s the working-tree reader makes.
 */
export type DocumentReader = (paths: readonly string[]) => Promise<Map<string, FeatureDocument>>;

const outside = (path: string) =>
  unreadable(path, 'path.outside', `${path} is a symbolic link that leaves the repository; it was not read`, 'Keep feature documents inside the repository.');

function fromAnswer(path: string, a: ObjectAnswer): FeatureDocument {
  if (a.kind === 'missing') return { path, text: undefined };
  if (a.kind === 'link') return a.why === 'outside' || a.why === 'loop' ? outside(path) : { path, text: undefined };
  if (a.type !== 'blob') return unreadable(path, 'doc.not-a-file', `${path} is a ${a.type === 'tree' ? 'directory' : a.type}, not a document`);
  return decodeDocument(path, a.bytes);
}

/** Documents in the tree of commit `rev`; symlinks inside the tree are followed. */
export function commitDocuments(objects: GitObjects, rev: string): DocumentReader {
  return async (paths) => {
    const answers = await Promise.all(paths.map((p) => objects.contents(`${rev}:${p}`)));
    return new Map(paths.map((p, i) => [p, fromAnswer(p, answers[i]!)]));
  };
}

const MAX_LINK_HOPS = 8;

/**
 * Documents in the index (`GIT_INDEX_FILE` when git set it, so partial staging, `commit -a`
 * and `commit <path>` all read what is being committed). cat-file cannot show an index entry's
 * mode, so a blob that could be a symlink's target path (short, one line) is confirmed with
 * `ls-files -s` — a markdown document almost never looks like that, so a hook rarely pays for
 * the extra process, and the answer is exact either way.
 */
export function indexDocuments(objects: GitObjects, root: string, env: NodeJS.ProcessEnv = process.env): DocumentReader {
  return async (paths) => {
    const out = new Map<string, FeatureDocument>();
    const answers = await Promise.all(paths.map((p) => objects.contents(`:${p}`)));
    const suspicious: string[] = [];
    paths.forEach((path, i) => {
      const a = answers[i]!;
      if (a.kind === 'object' && a.type === 'blob' && mayBeLink(a.bytes)) suspicious.push(path);
      else out.set(path, fromAnswer(path, a));
    });
    if (suspicious.length) {
      const listing = lsFiles(root, env, suspicious);
      for (const path of suspicious) out.set(path, await readIndexed(objects, root, env, path, listing));
    }
    return out;
  };
}

const mayBeLink = (bytes: Buffer | undefined) => bytes !== undefined && bytes.length > 0 && bytes.length <= 4096 && !bytes.includes(10);

interface IndexListing {
  entries: Map<string, { mode: string; oid: string }>;
  /** Paths listed below each requested path: that path is a directory in the index. */
  parents: Set<string>;
}

/** One `ls-files -s` for many paths: stage-0 entries by path. */
/** Above this many paths, list the whole index instead: a command line has a length limit. */
const MAX_PATHSPECS = 200;

function lsFiles(root: string, env: NodeJS.ProcessEnv, paths: readonly string[]): IndexListing {
  const args = ['ls-files', '-s', '-z', ...(paths.length > MAX_PATHSPECS ? [] : ['--', ...paths.map(literalPath)])];
  const r = runGit(root, args, { env });
  if (r.code !== 0) throw new GitCommandError(args, r);
  const listing: IndexListing = { entries: new Map(), parents: new Set() };
  const wanted = new Set(paths);
  for (const record of r.stdout.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, oid, stage] = record.slice(0, tab).split(' ');
    const name = record.slice(tab + 1);
    if (wanted.has(name)) {
      if (stage === '0' && mode && oid) listing.entries.set(name, { mode, oid });
      continue;
    }
    for (let dir = posix.dirname(name); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) if (wanted.has(dir)) listing.parents.add(dir);
  }
  return listing;
}

async function readIndexed(objects: GitObjects, root: string, env: NodeJS.ProcessEnv, path: string, listing: IndexListing): Promise<FeatureDocument> {
  let current = path;
  let at = listing;
  for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
    const entry = at.entries.get(current);
    if (!entry) return at.parents.has(current) ? unreadable(path, 'doc.not-a-file', `${path} is a directory, not a document`) : { path, text: undefined };
    if (entry.mode === '160000') return unreadable(path, 'doc.not-a-file', `${path} is a submodule, not a document`);
    const bytes = await objects.blob(entry.oid);
    if (entry.mode !== '120000') return decodeDocument(path, bytes);
    // A symlink: follow it while it stays inside the repository, as the working-tree reader does.
    const target = posix.normalize(posix.join(posix.dirname(current), bytes?.toString('utf8') ?? ''));
    if (target.startsWith('/') || target === '..' || target.startsWith('../')) return outside(path);
    current = target;
    at = lsFiles(root, env, [current]);
  }
  return outside(path);
}
