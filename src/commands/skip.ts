import { canonicalId } from '../core/feature-id.js';
import { nextFeature, featureView } from '../core/feature-view.js';
import { compareIds } from '../core/feature-id.js';
import { printable, updateFeature } from '../core/ledger.js';
import { UsageError } from '../errors.js';
import { updateLedger } from '../io/ledger-store.js';
import { findFeature, openWorkspace } from '../io/workspace.js';
import type { Context, Outcome } from '../cli/context.js';

/** `skip <id> --reason R [--duplicate-of ID]`: marks a feature skipped; its phase is kept. */
export function skip(ctx: Context, rawId: string, reason: string | undefined, duplicateOf: string | undefined): Outcome {
  if (!reason?.trim()) throw new UsageError('skip needs --reason', 'specflow skip F-12 --reason "covered by F-9"', 'usage.reason');
  const ws = openWorkspace(ctx.cwd);
  const feature = findFeature(ws.ledger, rawId);
  let text = reason.trim();
  if (duplicateOf !== undefined) {
    const dup = findFeature(ws.ledger, duplicateOf);
    if (dup.id === feature.id) throw new UsageError('a feature cannot duplicate itself', undefined, 'usage.duplicate');
    text = `duplicate of ${canonicalId(dup.id) ?? dup.id}: ${text}`;
  }
  updateLedger(ws.root, (_l, doc) => updateFeature(doc, feature.id, { status: 'skipped', reason: text }));
  return { exitCode: 0, json: { id: feature.id, status: 'skipped', reason: text }, text: `${printable(feature.id)} skipped: ${printable(text)}` };
}

/** `next`: the feature to work on next, or none. */
export function next(ctx: Context): Outcome {
  const ws = openWorkspace(ctx.cwd);
  const f = nextFeature(ws.ledger.features, compareIds);
  if (!f) return { exitCode: 0, json: { feature: null }, text: 'Nothing left: every feature is complete, skipped or blocked.' };
  const view = featureView(f);
  return { exitCode: 0, json: { feature: view, ...view }, text: `${view.glyph} ${printable(view.id)} ${printable(view.name)} (${view.phase})` };
}
