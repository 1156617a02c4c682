import type { CommandResult, VerifyResult } from '../core/command-results.js';
import { printable } from '../core/printable.js';
import { EXIT, UsageError } from '../core/errors.js';
import { GitCommandError } from '../git/run.js';
import { judgeHistory, type JudgedCommit } from '../git/phase-history.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Context } from '../ui/context.js';

/**
 * `specflow verify --range A..B`: the pre-push check for CI. Every commit in the range that
 * changes the ledger is judged against its own tree — which also catches commits made with
 * `--no-verify` or `SPECFLOW_SKIP=1`. Exit 1 on any violation.
 */
export async function verify(ctx: Context, range: string | undefined): Promise<CommandResult<VerifyResult>> {
  if (!range || range.startsWith('-')) throw new UsageError('verify needs --range <revisions>, e.g. --range origin/main..HEAD', undefined, 'usage.range');
  const root = findRepoRoot(ctx.cwd);
  let commits: JudgedCommit[];
  try {
    commits = await judgeHistory(root, [range], ctx.progress?.('verify: judging commits'));
  } catch (e) {
    if (e instanceof GitCommandError) throw new UsageError(`bad range "${printable(range)}": ${e.result.stderr.trim().split('\n')[0] ?? ''}`, 'Use revisions git knows, e.g. origin/main..HEAD (fetch first in a shallow CI checkout).', 'usage.range');
    throw e;
  }
  const violations = commits.filter((c) => !c.ok).length;
  return {
    exitCode: violations ? EXIT.failed : EXIT.ok,
    data: {
      range,
      summary: { commits: commits.length, violations },
      commits: commits.map(({ commit: { oid, short, author, email, date, subject }, moves, ok, blocking, regressions, warnings }) => ({
        commit: oid,
        short,
        author,
        email,
        date,
        subject,
        moves,
        ok,
        blocking,
        regressions,
        warnings,
      })),
    },
  };
}
