import type { ConfigProfile } from './config-text.js';
import type { Config, Layout, SpecRoot } from './config.js';
import { layoutProfile } from './profiles.js';

/**
 * Which layout and roots `init` writes into a new config (DESIGN §2), from the candidate roots
 * found in the tree. Pure. Rules:
 * - Only a root that holds feature folders counts: an empty `.specify/specs/` never wins over a
 *   `specs/` full of features.
 * - At the top of the repository the root with the most feature folders wins; when no top root
 *   has any, the layout with the most feature folders in sub-projects does.
 * - Every populated root of that layout is tracked: the top one as `specs_dir`, each
 *   sub-project's as a root whose ids are qualified by the sub-project's folder name.
 * - Populated roots of another layout are reported, with the config lines that switch to them.
 */
export interface CandidateRoot {
  layout: Layout;
  /** Repo-relative root of feature folders (`packages/api/.specify/specs`). */
  path: string;
  /** The project folder it belongs to (`packages/api`; `''` at the top of the repository). */
  project: string;
  /** How many feature folders it holds. */
  features: number;
}

export interface LayoutChoice {
  profile: ConfigProfile;
  /** Populated roots not tracked, with the reason a user reads. */
  untracked: { path: string; reason: string }[];
}

export function chooseLayout(candidates: readonly CandidateRoot[]): LayoutChoice {
  const populated = candidates.filter((c) => c.features > 0);
  const top = populated.filter((c) => c.project === '').sort((a, b) => b.features - a.features)[0];
  let layout: Layout;
  if (top) layout = top.layout;
  else {
    const totals = new Map<Layout, number>();
    for (const c of populated) totals.set(c.layout, (totals.get(c.layout) ?? 0) + c.features);
    const best = [...totals].sort((a, b) => b[1] - a[1])[0];
    // Nothing populated: an existing empty root of a layout still says which one the repository set up.
    layout = best?.[0] ?? candidates.find((c) => c.project === '')?.layout ?? 'specflow';
  }
  const profile = layoutProfile(layout);
  const specsDir = top?.path ?? profile.specs_dir;
  const nested = populated.filter((c) => c.layout === layout && c.project !== '');
  const roots: SpecRoot[] = [...profile.roots, ...qualifiedRoots(nested)];
  const tracked = new Set([specsDir, ...roots.map((r) => r.path)]);
  const untracked = populated
    .filter((c) => !tracked.has(c.path))
    .map((c) => ({ path: c.path, reason: otherRootReason(c, layout) }));
  return { profile: { layout, specs_dir: specsDir, roots }, untracked };
}

/** Populated candidate roots a config does not track (re-running `init` never re-detects). */
export function untrackedRoots(candidates: readonly CandidateRoot[], config: Pick<Config, 'layout' | 'specs_dir' | 'roots'>): { path: string; reason: string }[] {
  const tracked = new Set([config.specs_dir, ...config.roots.map((r) => r.path)]);
  return candidates.filter((c) => c.features > 0 && !tracked.has(c.path)).map((c) => ({ path: c.path, reason: otherRootReason(c, config.layout) }));
}

/** Sub-project roots with a qualifier each: the project's folder name, or its whole path where two share a name. */
function qualifiedRoots(nested: readonly CandidateRoot[]): SpecRoot[] {
  const last = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const counts = new Map<string, number>();
  for (const c of nested) counts.set(last(c.project), (counts.get(last(c.project)) ?? 0) + 1);
  return [...nested]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((c) => ({ path: c.path, qualifier: sanitise((counts.get(last(c.project)) ?? 0) > 1 ? c.project.replace(/\//g, '-') : last(c.project)) }));
}

function sanitise(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return s.slice(0, 100) || 'root';
}

function otherRootReason(c: CandidateRoot, layout: Layout): string {
  const what = c.layout === layout ? `another ${c.layout} root` : `a ${c.layout} root`;
  return `${what} with ${c.features} feature folder(s), not tracked by this repository's config (layout: ${layout}); to track it, add it under roots: in .maestro/config.yaml${c.layout === layout ? '' : `, or switch with layout: ${c.layout} and specs_dir: ${c.path}`}`;
}
