import type { LoggedCommit } from '../core/git-format.js';
import { SpecflowError } from '../core/errors.js';
import { HistoryJudge, logCommits, refuseShallow, shallowBoundary, type CommitReport } from '../git/ledger-history.js';
import type { GitObjects } from '../git/objects.js';
import { describeFailures, hookStyle, say } from './report.js';

/**
 * What pre-push (on the client) and pre-receive and update (on the server) share: the commits a
 * push brings, each judged against its own tree by the one deciding function, and the refusal
 * that names them. They differ only in how they learn the pushed ranges.
 */
export interface PushedRange {
  /** rev-list arguments: `<new> --not <what the other side already has>`. */
  revisions: string[];
  /** The ref being updated, named in the refusal. */
  ref: string;
}

export interface Offending {
  report: CommitReport;
  ref: string;
}

/** The commits of `ranges` that break a rule, each judged once; throws a SpecflowError when the history is shallow. */
export async function judgePushed(root: string, objects: GitObjects, ranges: readonly PushedRange[]): Promise<Offending[]> {
  const commits = new Map<string, { logged: LoggedCommit; ref: string }>();
  for (const range of ranges) for (const logged of logCommits(root, range.revisions)) if (!commits.has(logged.oid)) commits.set(logged.oid, { logged, ref: range.ref });
  refuseShallow([...commits.values()].map((c) => c.logged), shallowBoundary(root));
  const judge = new HistoryJudge(root, objects);
  const offending: Offending[] = [];
  for (const { logged, ref } of commits.values()) {
    const report = await judge.judge(logged);
    if (report && !report.verdict.ok) offending.push({ report, ref });
  }
  return offending;
}

/** Runs `judgePushed` and says why the push is refused; 0 when it may go on, 1 when refused. */
export async function checkPushed(root: string, objects: GitObjects, ranges: readonly PushedRange[], refusal: { who: string; advice: string }): Promise<number> {
  let offending: Offending[];
  try {
    offending = await judgePushed(root, objects, ranges);
  } catch (e) {
    if (!(e instanceof SpecflowError)) throw e;
    say(`specflow: ${refusal.who} — ${e.message}\n${e.hint ?? ''}`);
    return 1;
  }
  if (offending.length === 0) return 0;
  reportOffending(offending, refusal);
  return 1;
}

function reportOffending(offending: readonly Offending[], refusal: { who: string; advice: string }): void {
  const style = hookStyle();
  const n = offending.length;
  say(`${style.red(`specflow: ${refusal.who}`)} — ${n} pushed commit${n === 1 ? '' : 's'} change${n === 1 ? 's' : ''} the ledger in a way ${n === 1 ? 'its' : 'their'} own files do not support\n`);
  for (const { report: r, ref } of offending) {
    const c = r.commit;
    say(`  ${style.bold(c.short)} ${JSON.stringify(c.subject)} (${ref})${c.trailers.length ? '' : style.dim(' — no Specflow-Phase trailer: committed with --no-verify or SPECFLOW_SKIP=1?')}`);
    say(describeFailures(r.verdict.gates.filter((g) => !g.held), r.verdict.blocking, style, '    ', r.verdict.regressions));
  }
  const first = offending[0]!.report.commit.short;
  say(
    `\nEach commit is judged by its own files, so a later fix does not clear it: rewrite the commit so the documents\n` +
      `arrive with the phase change (e.g. git rebase -i ${first}^), or move the phase back in it.\n${style.dim(refusal.advice)}`,
  );
}
