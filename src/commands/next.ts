import { compareIds } from '../core/feature-id.js';
import { featureView, nextFeature } from '../core/feature-view.js';
import { printable } from '../core/printable.js';
import { openWorkspace } from '../tree/workspace.js';
import type { Context, Outcome } from '../ui/context.js';

/** `next`: the feature to work on next, or none. */
export function next(ctx: Context): Outcome {
  const ws = openWorkspace(ctx.cwd);
  const f = nextFeature(ws.ledger.features, compareIds);
  if (!f) return { exitCode: 0, json: { feature: null }, text: 'Nothing left: every feature is complete, skipped or blocked.' };
  const view = featureView(f);
  return { exitCode: 0, json: { feature: view, ...view }, text: `${view.glyph} ${printable(view.id)} ${printable(view.name)} (${view.phase})` };
}
