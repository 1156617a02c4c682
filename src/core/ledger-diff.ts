import { canonicalId } from './feature-id.js';
import { phaseIndex, type Phase } from './phase.js';

/**
 * What changed between two ledgers, feature by feature. Pure and linear in the number of
 * features; the hooks, `verify`, `log` and the merge driver all build on it.
 */
export interface PhaseState {
  id: string;
  phase: Phase;
}

export type LedgerChange =
  | { kind: 'added'; id: string; to: Phase }
  | { kind: 'removed'; id: string; from: Phase }
  | { kind: 'advanced'; id: string; from: Phase; to: Phase }
  | { kind: 'reverted'; id: string; from: Phase; to: Phase };

/** The id two spellings of one feature share (`f-12` and `F-12`). */
function key(id: string): string {
  return canonicalId(id) ?? id;
}

export function diffLedgers(before: Iterable<PhaseState>, after: Iterable<PhaseState>): LedgerChange[] {
  const old = new Map<string, PhaseState>();
  for (const f of before) old.set(key(f.id), f);
  const changes: LedgerChange[] = [];
  const seen = new Set<string>();
  for (const f of after) {
    const k = key(f.id);
    seen.add(k);
    const prev = old.get(k);
    if (!prev) changes.push({ kind: 'added', id: k, to: f.phase });
    else if (phaseIndex(f.phase) > phaseIndex(prev.phase)) changes.push({ kind: 'advanced', id: k, from: prev.phase, to: f.phase });
    else if (phaseIndex(f.phase) < phaseIndex(prev.phase)) changes.push({ kind: 'reverted', id: k, from: prev.phase, to: f.phase });
  }
  for (const [k, f] of old) if (!seen.has(k)) changes.push({ kind: 'removed', id: k, from: f.phase });
  return changes;
}

/** The phase move a change stands for: a new feature starts from `none`, a removed one ends there. */
export function transitionOf(change: LedgerChange): { from: Phase; to: Phase } {
  switch (change.kind) {
    case 'added':
      return { from: 'none', to: change.to };
    case 'removed':
      return { from: change.from, to: 'none' };
    default:
      return { from: change.from, to: change.to };
  }
}
