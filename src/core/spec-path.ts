import { posix } from 'node:path';

/**
 * `spec_path` is a feature's directory, repo-relative, POSIX separators, no trailing slash;
 * never absolute, never a file, never outside the repository. These functions work on strings
 * only; the I/O layer still resolves symlinks before reading anything.
 */
export type SpecPathCheck = { ok: true; path: string } | { ok: false; reason: string };

const DOC_SUFFIX = /\/(spec|plan|tasks|research|data-model|quickstart)\.md$/i;

/**
 * The canonical form of a `spec_path`, or a reason it cannot be one. `repoRoot` (an absolute
 * POSIX path) lets an absolute path inside the repository become relative. Idempotent: the
 * steps are repeated until nothing changes (each change shortens the path), so the canonical
 * form of a canonical path is itself.
 */
export function normaliseSpecPath(raw: string, repoRoot?: string): SpecPathCheck {
  let p = raw;
  for (;;) {
    const next = normaliseStep(p, raw, repoRoot);
    if (!next.ok || next.path === p) return next;
    p = next.path;
  }
}

function normaliseStep(input: string, raw: string, repoRoot?: string): SpecPathCheck {
  let p = input.trim().replace(/\\/g, '/');
  if (p === '') return { ok: false, reason: 'spec_path is empty' };
  if (/^[a-zA-Z]:\//.test(p) || p.startsWith('/')) {
    const root = repoRoot?.replace(/\\/g, '/').replace(/\/+$/, '');
    if (!root || !(p === root || p.startsWith(`${root}/`)))
      return { ok: false, reason: `spec_path "${raw}" is absolute and outside the repository` };
    p = p.slice(root.length + 1);
  }
  p = posix.normalize(p).replace(/\/+$/, '');
  // A scheme or a drive letter (`file://…`, `C:…`) names no folder in the repository.
  if (/^[a-z][a-z0-9+.-]*:/i.test(p)) return { ok: false, reason: `spec_path "${raw}" is a URL or a drive, not a folder in the repository` };
  if (p === '..' || p.startsWith('../')) return { ok: false, reason: `spec_path "${raw}" points outside the repository` };
  if (p === '.' || p === '') return { ok: false, reason: `spec_path "${raw}" is the repository itself, not a feature folder` };
  p = p.replace(DOC_SUFFIX, '');
  if (p === '.' || p === '') return { ok: false, reason: `spec_path "${raw}" is the repository itself, not a feature folder` };
  return { ok: true, path: p };
}
