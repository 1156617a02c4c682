import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { CandidateRoot } from '../core/detect-layout.js';
import { NOT_FEATURES } from '../core/layout.js';

/**
 * Every place in the tree that may hold feature folders, for `init`'s layout detection and for
 * its report of roots the config does not track: `.specify/specs/` (SpecFlow), `specs/` with
 * `NNN-slug` folders next to a `.specify/` or at the top (spec-kit), `.kiro/specs/` (Kiro) and
 * `openspec/changes/` (OpenSpec, its archive counted with it), at the top of the repository and
 * in sub-projects of a monorepo (`packages/api/.specify/specs/`).
 */

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

const folders = (dir: string) => list(dir).filter((e) => e.isDirectory() && !e.name.startsWith('.'));
const count = (dir: string, accept: (name: string) => boolean) => folders(dir).filter((e) => !NOT_FEATURES.test(e.name) && accept(e.name)).length;
const NUMBERED = /^\d+-/;

/** The candidate roots of one project folder (`rel`, `''` for the top). */
function candidatesIn(root: string, rel: string, names: ReadonlySet<string>): CandidateRoot[] {
  const at = (p: string) => (rel ? `${rel}/${p}` : p);
  const abs = (p: string) => join(root, at(p));
  const out: CandidateRoot[] = [];
  if (names.has('.specify') && list(abs('.specify')).some((e) => e.name === 'specs' && e.isDirectory()))
    out.push({ layout: 'specflow', path: at('.specify/specs'), project: rel, features: count(abs('.specify/specs'), () => true) });
  if (names.has('specs') && (rel === '' || names.has('.specify'))) {
    const n = count(abs('specs'), (name) => NUMBERED.test(name));
    if (n > 0 || rel === '') out.push({ layout: 'spec-kit', path: at('specs'), project: rel, features: n });
  }
  if (names.has('.kiro') && list(abs('.kiro')).some((e) => e.name === 'specs' && e.isDirectory()))
    out.push({ layout: 'kiro', path: at('.kiro/specs'), project: rel, features: count(abs('.kiro/specs'), () => true) });
  if (names.has('openspec') && list(abs('openspec')).some((e) => e.name === 'changes' && e.isDirectory())) {
    const open = count(abs('openspec/changes'), (name) => name !== 'archive');
    out.push({ layout: 'openspec', path: at('openspec/changes'), project: rel, features: open + count(abs('openspec/changes/archive'), () => true) });
  }
  return out;
}

export function findCandidateRoots(root: string): CandidateRoot[] {
  const found: CandidateRoot[] = [];
  let queue: string[] = [''];
  let seen = 0;
  for (let depth = 0; depth <= MAX_DEPTH && queue.length && seen < MAX_FOLDERS; depth++) {
    const next: string[] = [];
    for (const rel of queue) {
      const entries = list(join(root, rel)).filter((e) => e.isDirectory());
      seen += entries.length;
      found.push(...candidatesIn(root, rel, new Set(entries.map((e) => e.name))));
      for (const e of entries) {
        if (e.name.startsWith('.') || SKIP.has(e.name) || e.name === 'specs' || e.name === 'openspec') continue;
        next.push(rel ? `${rel}/${e.name}` : e.name);
      }
    }
    queue = next;
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
