import { printable } from '../core/printable.js';
import { EXIT, UsageError } from '../core/errors.js';
import { GitCommandError } from '../git/run.js';
import { judgeHistory, type JudgedCommit } from '../git/phase-history.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Context, Outcome } from '../ui/context.js';
import { formatFinding, type Style } from '../ui/format.js';
import { describeMove } from './log.js';

/**
 * `specflow verify --range A..B`: the pre-push check for CI. Every commit in the range that
 * changes the ledger is judged against its own tree — which also catches commits made with
 * `--no-verify` or `SPECFLOW_SKIP=1`. Exit 1 on any violation.
 */
export async function verify(ctx: Context, range: string | undefined): Promise<Outcome> {
  if (!range || range.startsWith('-')) throw new UsageError('verify needs --range <revisions>, e.g. --range origin/main..HEAD', undefined, 'usage.range');
  const root = findRepoRoot(ctx.cwd);
  let commits: JudgedCommit[];
  try {
    commits = await judgeHistory(root, [range]);
  } catch (e) {
    if (e instanceof GitCommandError) throw new UsageError(`bad range "${printable(range)}": ${e.result.stderr.trim().split('\n')[0] ?? ''}`, 'Use revisions git knows, e.g. origin/main..HEAD (fetch first in a shallow CI checkout).', 'usage.range');
    throw e;
  }
  const failing = commits.filter((c) => !c.ok);
  const s = ctx.style;
  const lines = commits.filter((c) => c.moves.length || c.blocking.length || c.regressions.length || c.warnings.length).map((c) => commitText(c, s));
  const summary = `${commits.length} commit(s) in ${printable(range)} judged; ${failing.length} violate${failing.length === 1 ? 's' : ''} a rule`;
  lines.push('', failing.length ? s.red(summary) : s.green(summary));
  if (failing.length) lines.push(s.dim('Each commit is judged by its own files: rewrite the offending commits (git rebase -i), or move the phase back in them.'));
  return {
    exitCode: failing.length ? EXIT.failed : EXIT.ok,
    json: {
      ok: failing.length === 0,
      range,
      summary: { commits: commits.length, violations: failing.length },
      commits: commits.map((c) => ({ ...commitJson(c), ok: c.ok, blocking: c.blocking, regressions: c.regressions, warnings: c.warnings })),
    },
    text: lines.join('\n').replace(/^\n/, ''),
  };
}

export function commitJson(c: JudgedCommit) {
  const { oid, short, author, email, date, subject } = c.commit;
  return { commit: oid, short, author, email, date, subject, moves: c.moves };
}

function commitText(c: JudgedCommit, s: Style): string {
  const head = `${s.bold(c.commit.short)} ${c.commit.date.slice(0, 10)} ${printable(c.commit.author)}  ${printable(c.commit.subject)}`;
  const body = c.moves.map((m) => `  ${describeMove(m, s)}`);
  for (const r of c.regressions) {
    body.push(`  ${s.red(`${printable(r.id)} stays at ${r.phase}, but this commit leaves its documents failing`)}`);
    for (const f of r.findings) body.push(`    ${formatFinding(f, s).replace(/\n/g, '\n    ')}`);
  }
  for (const f of [...c.blocking, ...c.warnings]) body.push(`  ${formatFinding(f, s).replace(/\n/g, '\n  ')}`);
  return [head, ...body].join('\n');
}
