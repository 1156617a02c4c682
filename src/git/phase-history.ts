import type { OnProgress } from '../core/progress.js';
import { hasTrailer, type RegressionOutcome } from '../core/commit-gate.js';
import type { JudgedMove } from '../core/command-results.js';
import type { Finding } from '../core/finding.js';
import { HistoryJudge, logCommits, refuseShallow, shallowBoundary, type CommitMeta } from './ledger-history.js';
import { GitObjects } from './objects.js';

/**
 * Phase changes in history, each judged at its own commit: what `verify` and `log` report.
 * Derived from the ledger's content at each commit, not from commit messages, so it is right
 * where trailers are missing; the trailer is reported alongside.
 */
export type { JudgedMove };

export interface JudgedCommit {
  commit: CommitMeta;
  moves: JudgedMove[];
  /** Features whose documents the commit changed so that they no longer back their phase. */
  regressions: RegressionOutcome[];
  /** Problems that fail the commit by themselves (an unparsable ledger, a symlinked .maestro, a lying trailer). */
  blocking: Finding[];
  /** Reported, not failing (`regression: warn`). */
  warnings: Finding[];
  ok: boolean;
  /** Approvals the commit records, and whether it changes the config: events of the trail besides moves. */
  events: { approvals: { id: string; by: string }[]; config: boolean };
}

/** Every commit in `revisions` that touches what the gates look at, oldest first. */
export async function judgeHistory(root: string, revisions: readonly string[], onProgress?: OnProgress): Promise<JudgedCommit[]> {
  const logged = logCommits(root, revisions);
  if (logged.length === 0) return [];
  refuseShallow(logged, shallowBoundary(root));
  const objects = new GitObjects(root);
  try {
    const judge = new HistoryJudge(root, objects);
    const out: JudgedCommit[] = [];
    for (const [i, c] of logged.entries()) {
      onProgress?.(i, logged.length);
      const report = await judge.judge(c);
      if (!report) continue;
      const { verdict, merged, commit, events } = report;
      const moves = verdict.moves.map((m): JudgedMove => {
        const gate = verdict.gates.find((g) => g.move.id === m.id);
        return {
          ...m,
          gate: gate ? (gate.held ? 'held' : 'failed') : 'not-gated',
          findings: gate?.findings ?? [],
          trailer: hasTrailer(commit.trailers, m),
          merged: merged.has(m.id),
        };
      });
      out.push({ commit, moves, regressions: verdict.regressions, blocking: verdict.blocking, warnings: verdict.warnings, ok: verdict.ok, events });
    }
    onProgress?.(logged.length, logged.length);
    return out;
  } finally {
    objects.close();
  }
}
