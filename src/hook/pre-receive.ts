import { parseReceivedUpdates, receivedUpdate, type ReceivedUpdate } from '../core/push-updates.js';
import { GitObjects } from '../git/objects.js';
import { checkPushed, type PushedRange } from './pushed.js';
import { say } from './report.js';

/**
 * The server side (DESIGN §9): pre-receive and update in a bare repository, the one place a
 * client's `--no-verify` or SPECFLOW_SKIP=1 cannot reach. Every commit a push brings — reachable
 * from a new ref value and from no ref the server already has — is judged against its own tree
 * by the same function as pre-push; any violation refuses the push (pre-receive: all of it;
 * update: that ref). git runs these hooks with the pushed objects in quarantine and the
 * repository as the working directory, and shows what they print to the pusher.
 */
const REFUSAL = {
  who: 'push refused by the server',
  advice: 'The server judges every pushed commit; skipping the hooks on your machine (--no-verify, SPECFLOW_SKIP=1) does not reach it.',
};

export async function preReceive(root: string, input: string): Promise<number> {
  const { updates, malformed } = parseReceivedUpdates(input);
  if (malformed.length) {
    say(`specflow: the server cannot read what is being pushed (${JSON.stringify(malformed[0])}); push refused.`);
    return 1;
  }
  return check(root, updates);
}

/** update: `<ref> <old> <new>` as arguments, one ref at a time. */
export async function updateHook(root: string, args: readonly string[]): Promise<number> {
  const [ref = '', oldOid = '', newOid = ''] = args;
  const update = receivedUpdate(oldOid, newOid, ref);
  if (!update) {
    say(`specflow: the update hook needs <ref> <old> <new>, got ${JSON.stringify(args.join(' '))}; push refused.`);
    return 1;
  }
  return check(root, [update]);
}

async function check(root: string, updates: readonly ReceivedUpdate[]): Promise<number> {
  const objects = new GitObjects(root);
  try {
    const ranges: PushedRange[] = [];
    for (const u of updates) {
      if (u.deletion) continue;
      // A tag of a tree or blob brings no commit to judge; an annotated tag is judged by its commit.
      const target = await objects.info(`${u.newOid}^{commit}`);
      if (target.kind === 'object') ranges.push({ revisions: [target.oid, '--not', '--all'], ref: u.ref });
    }
    return ranges.length ? await checkPushed(root, objects, ranges, REFUSAL) : 0;
  } finally {
    objects.close();
  }
}
