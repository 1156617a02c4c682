import { hasErrors } from '../core/finding.js';
import { checkGate } from '../core/gates.js';
import { updateFeature } from '../core/ledger.js';
import { EXIT, UsageError } from '../core/errors.js';
import { gitIdentity, workingBlobId } from '../git/identity.js';
import { updateLedger } from '../store/ledger-store.js';
import { findFeature, openWorkspace } from '../tree/workspace.js';
import type { ApproveResult, CommandResult } from '../core/command-results.js';
import type { Context } from '../ui/context.js';

/** Records a human's approval of the spec. Only a spec that passes the specify gate can be approved. */
export function approve(ctx: Context, rawId: string, by: string | undefined, now: Date = new Date()): CommandResult<ApproveResult> {
  const ws = openWorkspace(ctx.cwd);
  const feature = findFeature(ws.ledger, rawId);
  const approver = by?.trim() || gitIdentity(ws.root);
  if (!approver) throw new UsageError('who approves? git has no user.name or user.email', 'Pass --by "Name <email>" or set git config user.name.', 'usage.approver');
  const docs = ws.tree.featureDocuments(feature.spec_path, ws.config);
  const findings = checkGate('specify', { id: feature.id }, docs, ws.config);
  if (hasErrors(findings)) return { exitCode: EXIT.failed, data: { id: feature.id, approved: null, findings } };
  // The blob id of the spec approved: a later change to it makes the approval stale (trusted approvals, DESIGN §5).
  const spec = workingBlobId(ws.root, docs.spec.path);
  const approved = { by: approver, at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), ...(spec ? { spec } : {}) };
  updateLedger(ws.root, (_ledger, doc) => updateFeature(doc, feature.id, { approved }));
  return { exitCode: EXIT.ok, data: { id: feature.id, approved, findings } };
}
