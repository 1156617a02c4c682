import { parsePushUpdates, type PushUpdate } from '../core/push-updates.js';
import { GitObjects } from '../git/objects.js';
import type { LoggedCommit } from '../core/git-format.js';
import { SpecflowError } from '../core/errors.js';
import { HistoryJudge, logCommits, refuseShallow, shallowBoundary, type CommitReport } from '../git/ledger-history.js';
import { BYPASS_NOTE, describeFailures, hookStyle, say } from './report.js';

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
    const commits = new Map<string, { logged: LoggedCommit; ref: string }>();
    for (const update of updates) {
      const revisions = await rangeOf(objects, update, remote);
      if (!revisions) continue;
      for (const logged of logCommits(root, revisions)) if (!commits.has(logged.oid)) commits.set(logged.oid, { logged, ref: update.localRef });
    }
    try {
      refuseShallow([...commits.values()].map((c) => c.logged), shallowBoundary(root));
    } catch (e) {
      if (!(e instanceof SpecflowError)) throw e;
      say(`specflow: push refused — ${e.message}\n${e.hint ?? ''}`);
      return 1;
    }
    const judge = new HistoryJudge(root, objects);
    const offending: { report: CommitReport; ref: string }[] = [];
    for (const { logged, ref } of commits.values()) {
      const report = await judge.judge(logged);
      if (report && !report.verdict.ok) offending.push({ report, ref });
    }
    if (offending.length === 0) return 0;
    report(offending);
    return 1;
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

function report(offending: { report: CommitReport; ref: string }[]): void {
  const style = hookStyle();
  const n = offending.length;
  say(`${style.red('specflow: push refused')} — ${n} pushed commit${n === 1 ? '' : 's'} change${n === 1 ? 's' : ''} the ledger in a way ${n === 1 ? 'its' : 'their'} own files do not support\n`);
  for (const { report: r, ref } of offending) {
    const c = r.commit;
    say(`  ${style.bold(c.short)} ${JSON.stringify(c.subject)} (${ref})${c.trailers.length ? '' : style.dim(' — no Specflow-Phase trailer: committed with --no-verify or SPECFLOW_SKIP=1?')}`);
    say(describeFailures(r.verdict.gates.filter((g) => !g.held), r.verdict.blocking, style, '    ', r.verdict.regressions));
  }
  const first = offending[0]!.report.commit.short;
  say(
    `\nEach commit is judged by its own files, so a later fix does not clear it: rewrite the commit so the documents\n` +
      `arrive with the phase change (e.g. git rebase -i ${first}^), or move the phase back in it.\n${style.dim(BYPASS_NOTE)}`,
  );
}
