import type { CommandResult, NextResult } from '../core/command-results.js';
import { compareIds } from '../core/feature-id.js';
import { featureView, nextFeature } from '../core/feature-view.js';
import { nextPhase } from '../core/phase.js';
import { openWorkspace } from '../tree/workspace.js';
import type { Context } from '../ui/context.js';

/** `next`: the feature to work on next, its fields at the top level as in `status <id>`; `id: null` when none is left. */
export function next(ctx: Context): CommandResult<NextResult> {
  const ws = openWorkspace(ctx.cwd);
  const f = nextFeature(ws.ledger.features, compareIds);
  if (!f) return { exitCode: 0, data: { id: null } };
  const view = featureView(f);
  // The verb of the phase after this one; a feature at the last phase but not complete cannot be, so `complete` is the floor.
  return { exitCode: 0, data: { ...view, command: `specflow ${nextPhase(f.phase) ?? 'complete'} ${f.id}` } };
}
