import { printable } from '../core/printable.js';
import { canonicalId } from '../core/feature-id.js';
import { updateFeature } from '../core/ledger.js';
import { error } from '../core/finding.js';
import { derivedStatus } from '../core/phase.js';
import { GateError, UsageError } from '../core/errors.js';
import { updateLedger } from '../store/ledger-store.js';
import { findFeature, openWorkspace } from '../tree/workspace.js';
import type { CommandResult, SkipResult } from '../core/command-results.js';
import type { Context } from '../ui/context.js';

export interface SkipOptions {
  reason?: string | undefined;
  /** The SpecFlow CLI's `--justification`: why, in words; kept after the reason. */
  justification?: string | undefined;
  duplicateOf?: string | undefined;
}

/**
 * `skip <id> --reason R [--justification J] [--duplicate-of ID]`: marks a feature skipped; its
 * phase is kept. As in the SpecFlow CLI, a duplicate must name a feature that exists and is in
 * progress or complete, since a duplicate of unfinished work leaves the work undone.
 */
export function skip(ctx: Context, rawId: string, options: SkipOptions): CommandResult<SkipResult> {
  const reason = options.reason?.trim() ?? '';
  const justification = options.justification?.trim() ?? '';
  // The hints name the feature being skipped, as typed (printable: it is echoed to a terminal).
  const id = printable(rawId);
  if (!reason) throw new UsageError('skip needs --reason', `specflow skip ${id} --reason "covered by <another id>"`, 'usage.reason');
  if (reason === 'duplicate' && options.duplicateOf === undefined)
    throw new UsageError('--reason duplicate needs --duplicate-of <id>', `specflow skip ${id} --reason duplicate --duplicate-of <id of the feature it duplicates>`, 'usage.duplicate');
  const ws = openWorkspace(ctx.cwd);
  const feature = findFeature(ws.ledger, rawId);
  let text = justification && reason !== justification ? `${reason}: ${justification}` : reason;
  if (options.duplicateOf !== undefined) {
    const dup = findFeature(ws.ledger, options.duplicateOf);
    if (dup.id === feature.id) throw new UsageError('a feature cannot duplicate itself', undefined, 'usage.duplicate');
    const dupStatus = derivedStatus(dup.phase, dup.status);
    if (dupStatus !== 'in_progress' && dupStatus !== 'complete')
      throw new GateError(`${feature.id} cannot be skipped as a duplicate of ${dup.id}: ${dup.id} is ${dupStatus}`, [
        error('skip.duplicate.invalid', `${dup.id} is ${dupStatus}; a duplicate must point at work in progress or complete`, {
          feature: feature.id,
          hint: `Skip with another reason (e.g. --reason deferred), or work on ${dup.id} first.`,
        }),
      ]);
    const why = justification || (reason !== 'duplicate' ? reason : '');
    text = `duplicate of ${canonicalId(dup.id) ?? dup.id}${why ? `: ${why}` : ''}`;
  }
  updateLedger(ws.root, (_l, doc) => updateFeature(doc, feature.id, { status: 'skipped', reason: text }));
  return { exitCode: 0, data: { id: feature.id, status: 'skipped', reason: text } };
}
