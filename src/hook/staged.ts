import type { MaestroState } from '../core/commit-state.js';
import { parseRawDiff, type PathChange, type TreeEntry } from '../core/git-format.js';
import { PreparedLedger } from '../core/ledger-delta.js';
import type { LedgerFeature } from '../core/ledger.js';
import { readable } from '../core/commit-state.js';
import { checkCommit, type CommitCheck, type Side } from '../git/commit-check.js';
import { indexDocuments } from '../git/documents.js';
import { HistoryJudge, specBlobs } from '../git/ledger-history.js';
import { committingIdentity } from '../git/identity.js';
import { git, GitCommandError } from '../git/run.js';
import { startStagedReads, STAGED_CONFIG, STAGED_LEDGER, type StagedReads } from './staged-reads.js';

/**
 * The commit being made: `HEAD` against the index, documents read from the index. Git points
 * `GIT_INDEX_FILE` at the index it is about to commit (a temporary one for `commit -a` and
 * `commit <path>`); every git process started here inherits it, so the check sees exactly what
 * will be committed — not the working tree. A merge being concluded (`MERGE_HEAD`) exempts the
 * entries it takes unchanged from the merged branch.
 */
export interface StagedCheck extends CommitCheck {
  /** Whether there is a `HEAD` (false for the first commit). */
  hasHead: boolean;
}

export async function checkStaged(root: string, env: NodeJS.ProcessEnv = process.env, started?: StagedReads): Promise<StagedCheck> {
  const reads = started ?? startStagedReads(root, env, { parent: false });
  try {
    const [head, ownText, ownConfig, mergeHead] = await Promise.all([reads.head, reads.ownLedger, reads.ownConfig, reads.objects.oid('MERGE_HEAD')]);
    const history = new HistoryJudge(root, reads.objects);
    const parent = head ? await history.side(head) : undefined;
    const changes = await stagedChanges(root, env, reads, head !== undefined);
    const state = indexState(changes, parent?.state ?? {});
    // The ledger as HEAD has it (a commit of documents only): one text, split once for both sides.
    const unchanged = parent?.ledger && state.ledger?.oid === parent.state.ledger?.oid && ownText === parent.ledger.text;
    const own: Side = {
      state,
      ledger: readable(state, 'ledger') && ownText !== undefined ? (unchanged ? parent.ledger : new PreparedLedger(ownText)) : undefined,
      configText: readable(state, 'config') ? ownConfig : undefined,
    };
    const merged = mergeHead ? await history.side(mergeHead) : undefined;
    const check = await checkCommit({
      root,
      own,
      parent,
      changes,
      ancestors: () => history.ancestors(head),
      readDocuments: indexDocuments(reads.objects, root, env),
      ...(merged?.ledger ? { merged: (features: readonly LedgerFeature[]) => Promise.resolve(sameAs(merged.ledger!, own, features)) } : {}),
      // The commit does not exist yet: the committing identity is its author; the signature is judged by pre-push, pre-receive and verify.
      approvals: async (features, config) => ({ author: committingIdentity(root, env), specBlobs: await specBlobs(reads.objects, '', features, config) }),
    });
    return { ...check, hasHead: head !== undefined };
  } finally {
    reads.objects.close();
  }
}

/** The entries a merge takes as they are on the merged branch. */
function sameAs(theirs: PreparedLedger, own: Side, features: readonly LedgerFeature[]): Set<string> {
  const key = (f: LedgerFeature | undefined) => JSON.stringify(f ?? null);
  return new Set(features.filter((f) => key(theirs.feature(f.id)) === key(own.ledger?.feature(f.id))).map((f) => f.id));
}

async function stagedChanges(root: string, env: NodeJS.ProcessEnv, reads: StagedReads, hasHead: boolean): Promise<PathChange[]> {
  if (!hasHead) return indexAsAdded(git(root, ['ls-files', '-s', '-z'], { env }));
  const r = await (reads.changes ?? Promise.reject(new Error('staged changes were not read')));
  if (r.code !== 0) throw new GitCommandError(['diff-index', '--cached', 'HEAD'], r);
  return parseRawDiff(r.stdout);
}

/** The first commit: everything in the index is added. */
function indexAsAdded(listing: string): PathChange[] {
  return listing
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf('\t');
      const [mode = '', oid = ''] = record.slice(0, tab).split(' ');
      return { path: record.slice(tab + 1), oldMode: '0', newMode: mode.replace(/^0+(?=\d)/, ''), oldOid: '0'.repeat(oid.length), newOid: oid, status: 'A' };
    });
}

/** `.maestro`, the ledger and the config as the index has them: HEAD's, changed by what is staged. */
function indexState(changes: readonly PathChange[], head: MaestroState): MaestroState {
  const at = (path: string, before: TreeEntry | undefined): TreeEntry | undefined => {
    const c = changes.find((x) => x.path === path);
    if (!c) return before;
    return c.status === 'D' ? undefined : { mode: c.newMode, oid: c.newOid };
  };
  const maestro = at('.maestro', head.maestro);
  const dirGone = maestro !== undefined && maestro.mode !== '40000';
  return {
    maestro,
    ledger: dirGone ? undefined : at(STAGED_LEDGER, head.ledger),
    config: dirGone ? undefined : at(STAGED_CONFIG, head.config),
  };
}
