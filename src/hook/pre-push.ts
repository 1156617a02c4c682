import { parsePushUpdates, type PushUpdate } from '../core/push-updates.js';
import { GitObjects } from '../git/objects.js';
import { checkPushed, type PushedRange } from './pushed.js';
import { BYPASS_NOTE, say } from './report.js';

/**
 * pre-push: every pushed commit that changes the ledger is judged against its own tree, so
 * `--no-verify` commits, rebases and cherry-picks (which run no pre-commit hook) are caught
 * before they leave the machine. Reads all of stdin; `remote` is the hook's first argument
 * (a remote name, or a URL when pushing to one).
 */
export async function prePush(root: string, remote: string | undefined, input: string): Promise<number> {
  const { updates, malformed } = parsePushUpdates(input);
  if (malformed.length) {
    say(`specflow: cannot read what git is pushing (${JSON.stringify(malformed[0])}); push refused.\n${BYPASS_NOTE}`);
    return 1;
  }
  const objects = new GitObjects(root);
  try {
    const ranges: PushedRange[] = [];
    for (const update of updates) {
      const revisions = await rangeOf(objects, update, remote);
      if (revisions) ranges.push({ revisions, ref: update.localRef });
    }
    return await checkPushed(root, objects, ranges, { who: 'push refused', advice: BYPASS_NOTE });
  } finally {
    objects.close();
  }
}

/**
 * The revisions to walk for one pushed ref (rev-list syntax), or undefined when nothing is to be
 * checked: a deletion, or a ref that does not point at a commit (a tag of a tree or blob).
 * When the remote's id is unknown here (a new ref, or a remote ref this clone never fetched),
 * everything not already on a remote-tracking ref of `remote` is new.
 */
async function rangeOf(objects: GitObjects, update: PushUpdate, remote: string | undefined): Promise<string[] | undefined> {
  if (update.deletion) return undefined;
  const local = await objects.info(`${update.localOid}^{commit}`);
  if (local.kind !== 'object') return undefined;
  if (!update.newRef) {
    const known = await objects.info(`${update.remoteOid}^{commit}`);
    if (known.kind === 'object') return [local.oid, '--not', known.oid];
  }
  return [local.oid, '--not', `--remotes=${remote ?? ''}`];
}
