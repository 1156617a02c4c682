import { hasTrailer } from '../core/commit-gate.js';
import type { JudgedMove } from '../core/command-results.js';
import type { Finding } from '../core/finding.js';
import { GitObjects } from './objects.js';
import { HistoryJudge, ledgerCommits, type CommitMeta } from './ledger-history.js';

/**
 * Phase changes in history, each judged at its own commit: what `verify` and `log` report.
 * Derived from the ledger's content at each commit, not from commit messages, so it is right
 * where trailers are missing; the trailer is reported alongside.
 */
export type { JudgedMove };

export interface JudgedCommit {
  commit: CommitMeta;
  moves: JudgedMove[];
  /** Ledger problems that fail the commit by themselves (an unparsable ledger, conflict markers). */
  blocking: Finding[];
  ok: boolean;
}

/** Every commit in `revisions` whose ledger differs from its first parent's, oldest first. */
export async function judgeHistory(root: string, revisions: readonly string[]): Promise<JudgedCommit[]> {
  const metas = ledgerCommits(root, revisions);
  if (metas.length === 0) return [];
  const objects = new GitObjects(root);
  try {
    const judge = new HistoryJudge(root, objects);
    const out: JudgedCommit[] = [];
    for (const meta of metas) {
      const report = await judge.judge(meta);
      if (!report) continue;
      const { verdict } = report;
      const merged = meta.parents.length > 1 ? await judge.broughtByMerge(meta, verdict.moves.map((m) => m.id)) : new Set<string>();
      const moves = verdict.moves.map((m): JudgedMove => {
        const gate = verdict.gates.find((g) => g.move.id === m.id);
        return {
          ...m,
          gate: gate ? (gate.held ? 'held' : 'failed') : 'not-gated',
          findings: gate?.findings ?? [],
          trailer: hasTrailer(meta.trailers, m),
          merged: merged.has(m.id),
        };
      });
      out.push({ commit: meta, moves, blocking: verdict.blocking, ok: verdict.ok });
    }
    return out;
  } finally {
    objects.close();
  }
}
