import { spawnSync } from 'node:child_process';
import { canonicalId } from '../core/feature-id.js';
import { LEDGER_PATH, parseLedger } from '../core/ledger.js';
import { runGit } from './run.js';

/**
 * The feature ids every ledger a repository knows of uses: HEAD's, the index's, and each local
 * and remote-tracking branch's (DESIGN §9), so that `add` picks an id no other branch holds and
 * two clones adding features at the same time do not both take the next one. One
 * `git for-each-ref` names the branches; one `git cat-file --batch` reads all their ledgers.
 */
export interface IdUse {
  /** Where the id is used: `HEAD`, `the index`, a branch (`topic`, `origin/topic`). */
  where: string;
  name: string;
}

export function idsInBranches(root: string): Map<string, IdUse[]> {
  const refs = runGit(root, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes']);
  const places: [string, string][] = [
    ['HEAD', `HEAD:${LEDGER_PATH}`],
    ['the index', `:${LEDGER_PATH}`],
  ];
  if (refs.code === 0)
    for (const ref of refs.stdout.split('\n').filter((r) => r && !r.endsWith('/HEAD')))
      places.push([ref.replace(/^refs\/(heads|remotes)\//, ''), `${ref}:${LEDGER_PATH}`]);
  const used = new Map<string, IdUse[]>();
  const blobs = readBlobs(root, places.map(([, spec]) => spec));
  const parsed = new Map<string, { id: string; name: string }[]>();
  places.forEach(([where], i) => {
    const blob = blobs[i];
    if (!blob) return;
    let features = parsed.get(blob.oid);
    if (!features) {
      features = idsOf(blob.bytes.toString('utf8'));
      parsed.set(blob.oid, features);
    }
    for (const f of features) used.set(f.id, [...(used.get(f.id) ?? []), { where, name: f.name }]);
  });
  return used;
}

/** A ledger's ids, canonical; a ledger that cannot be read uses none (the working one is checked on its own). */
function idsOf(text: string): { id: string; name: string }[] {
  try {
    return parseLedger(text).features.map((f) => ({ id: canonicalId(f.id) ?? f.id, name: f.name }));
  } catch {
    return [];
  }
}

/** Each spec's blob (undefined when missing), read by one `git cat-file --batch`. */
function readBlobs(root: string, specs: readonly string[]): ({ oid: string; bytes: Buffer } | undefined)[] {
  const r = spawnSync('git', ['cat-file', '--batch'], { cwd: root, input: `${specs.join('\n')}\n`, maxBuffer: 512 * 1024 * 1024 });
  if (r.error || r.status !== 0) return specs.map(() => undefined);
  const out = r.stdout;
  const blobs: ({ oid: string; bytes: Buffer } | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length && at < out.length; i++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    const size = Number(header[2]);
    if (header.length !== 3 || !Number.isFinite(size)) {
      blobs.push(undefined);
      continue;
    }
    blobs.push(header[1] === 'blob' ? { oid: header[0]!, bytes: out.subarray(at, at + size) } : undefined);
    at += size + 1;
  }
  return blobs;
}
