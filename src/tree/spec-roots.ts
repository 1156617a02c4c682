import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';

/**
 * Spec folders this repository's ledger does not track: `.specify/` roots of sub-projects in a
 * monorepo (`packages/api/.specify/`), and the other layout's folder at the root (a `specs/`
 * with `NNN-slug` folders while `specs_dir` is `.specify/specs`, or the reverse). `init`
 * reports them; one ledger tracks one `specs_dir`.
 */
export interface OtherSpecRoot {
  path: string;
  reason: string;
}

/** How deep below the root to look, and how many folders at most: a bounded look, not a crawl. */
const MAX_DEPTH = 3;
const MAX_FOLDERS = 5_000;
const SKIP = new Set(['node_modules', 'dist', 'build', 'out', 'target', 'vendor', 'coverage', 'venv', '__pycache__']);

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export function otherSpecRoots(root: string, config: Config): OtherSpecRoot[] {
  const found: OtherSpecRoot[] = [];
  const tracked = config.specs_dir;
  const elsewhere = `not tracked by this ledger, which follows ${tracked}/; run specflow in that project's own repository, or point specs_dir there`;
  let queue: string[] = [''];
  let seen = 0;
  for (let depth = 0; depth <= MAX_DEPTH && queue.length && seen < MAX_FOLDERS; depth++) {
    const next: string[] = [];
    for (const rel of queue) {
      for (const e of list(join(root, rel))) {
        if (!e.isDirectory() || seen++ >= MAX_FOLDERS) continue;
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (e.name === '.specify') {
          if (rel !== '' && !tracked.startsWith(`${path}/`)) found.push({ path, reason: `another spec root (a sub-project's .specify/); ${elsewhere}` });
          continue;
        }
        if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
        next.push(path);
      }
    }
    queue = next;
  }
  if (tracked !== 'specs' && list(join(root, 'specs')).some((e) => e.isDirectory() && /^\d+-/.test(e.name)))
    found.push({ path: 'specs', reason: `spec-kit feature folders (NNN-slug); ${elsewhere}` });
  if (tracked !== '.specify/specs' && list(join(root, '.specify', 'specs')).some((e) => e.isDirectory()))
    found.push({ path: '.specify/specs', reason: `SpecFlow feature folders; ${elsewhere}` });
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
