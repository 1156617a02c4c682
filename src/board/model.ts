import type { FeatureStatusResult, LogResult, NextResult } from '../core/command-results.js';
import type { Finding } from '../core/finding.js';
import { PHASES, type Phase } from '../core/phase.js';

/**
 * What the board shows, made of the same typed results as `status <id> --json`, `validate
 * --json`, `next --json` and `log --json`, so the board and the command line never disagree.
 */
export type BoardFeature = FeatureStatusResult & {
  /** `validate <id>`: the gates up to its phase (errors) and the next gate as advice (warnings). */
  findings: Finding[];
};

export type TrailEntry = LogResult['changes'][number];

export interface BoardData {
  /** The repository's folder name. */
  title: string;
  generatedAt: string;
  features: BoardFeature[];
  next: NextResult;
  /** `log --json`'s changes; null when the history could not be read. */
  trail: TrailEntry[] | null;
  /** Findings about the config or the ledger as a whole. */
  notes: Finding[];
  /** The ledger or config cannot be read: the board shows only this. */
  unreadable: { message: string; hint?: string } | null;
}

export interface FeatureCounts {
  errors: number;
  warnings: number;
  tasksDone: number;
  tasksTotal: number;
}

export function counts(f: BoardFeature): FeatureCounts {
  const errors = f.findings.filter((x) => x.severity === 'error').length;
  const tasks = f.tasks ?? [];
  return { errors, warnings: f.findings.length - errors, tasksDone: tasks.filter((t) => t.status === 'complete').length, tasksTotal: tasks.length };
}

/** Its documents no longer pass the gates up to its recorded phase. */
export function unbacked(f: BoardFeature): boolean {
  return counts(f).errors > 0;
}

export function byPhase(features: readonly BoardFeature[]): Map<Phase, BoardFeature[]> {
  const columns = new Map<Phase, BoardFeature[]>(PHASES.map((p) => [p, []]));
  for (const f of features) columns.get(f.phase)!.push(f);
  return columns;
}

export function history(data: BoardData, id: string): TrailEntry[] {
  return (data.trail ?? []).filter((c) => c.feature === id);
}
