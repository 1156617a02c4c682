import type { CommandResult, NextResult } from '../core/command-results.js';
import { compareIds } from '../core/feature-id.js';
import { featureView, nextFeature } from '../core/feature-view.js';
import type { LedgerFeature } from '../core/ledger.js';
import { nextPhase } from '../core/phase.js';
import { openWorkspace } from '../tree/workspace.js';
import type { Context } from '../ui/context.js';

/** `next`: the feature to work on next, its fields at the top level as in `status <id>`; `id: null` when none is left. */
export function next(ctx: Context): CommandResult<NextResult> {
  return { exitCode: 0, data: nextOf(openWorkspace(ctx.cwd).ledger.features) };
}

/** What `next` names among these features (the board's summary too). */
export function nextOf(features: readonly LedgerFeature[]): NextResult {
  const f = nextFeature(features, compareIds);
  if (!f) return { id: null };
  // The verb of the phase after this one; a feature at the last phase but not complete cannot be, so `complete` is the floor.
  return { ...featureView(f), command: `specflow ${nextPhase(f.phase) ?? 'complete'} ${f.id}` };
}
