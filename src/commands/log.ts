import type { CommandResult, LogResult } from '../core/command-results.js';
import { canonicalId } from '../core/feature-id.js';
import { EXIT } from '../core/errors.js';
import { runGit } from '../git/run.js';
import { judgeHistory } from '../git/phase-history.js';
import { findRepoRoot } from '../tree/repo.js';
import { findFeature, openWorkspace } from '../tree/workspace.js';
import type { Context } from '../ui/context.js';

/**
 * `specflow log [id]`: the audit trail — every phase change in the history of `HEAD`, oldest
 * first, with its commit, author, date, the move, whether the commit message carries the
 * trailer, and whether the gate held at that commit. A phase that a merge took from another
 * branch is listed once, at the commit that changed it in that branch.
 */
export async function log(ctx: Context, rawId: string | undefined): Promise<CommandResult<LogResult>> {
  const root = findRepoRoot(ctx.cwd);
  const want = rawId === undefined ? undefined : (canonicalId(rawId) ?? rawId);
  const hasHead = runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).code === 0;
  const commits = hasHead ? await judgeHistory(root, ['HEAD'], ctx.progress?.('log: reading history')) : [];
  const changes = commits.flatMap(({ commit, moves }) =>
    moves
      .filter((m) => !m.merged && (want === undefined || m.id === want))
      .map((m) => ({
        commit: commit.oid,
        short: commit.short,
        author: commit.author,
        email: commit.email,
        date: commit.date,
        subject: commit.subject,
        feature: m.id,
        from: m.from,
        to: m.to,
        kind: m.kind,
        gate: m.gate,
        trailer: m.trailer,
        findings: m.findings,
      })),
  );
  const events = commits.flatMap(({ commit, events: e }) => {
    const fields = { commit: commit.oid, short: commit.short, author: commit.author, email: commit.email, date: commit.date, subject: commit.subject };
    return [
      ...e.approvals.filter((a) => want === undefined || a.id === want).map((a) => ({ ...fields, event: 'approval' as const, feature: a.id, by: a.by })),
      ...(e.config && want === undefined ? [{ ...fields, event: 'config' as const, feature: null, by: null }] : []),
    ];
  });
  // An id that neither the history nor the ledger knows is a typo: exit 2, as everywhere.
  if (want !== undefined && changes.length === 0 && !commits.some((c) => c.moves.some((m) => m.id === want))) findFeature(openWorkspace(ctx.cwd).ledger, rawId!);
  return { exitCode: EXIT.ok, data: { feature: want ?? null, changes, events } };
}
