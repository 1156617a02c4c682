import type { CommandResult, FeatureStatusResult, StatusListResult } from '../core/command-results.js';
import { featureView, taskViews } from '../core/feature-view.js';
import { analyseMarkdown } from '../core/markdown.js';
import { currentFeatureId } from '../store/current-feature.js';
import { featureDocuments } from '../core/feature-documents.js';
import type { FeatureDocuments } from '../core/gates.js';
import { findFeature, openWorkspace } from '../tree/workspace.js';
import type { Context } from '../ui/context.js';

export function status(ctx: Context, id: string | undefined): CommandResult<StatusListResult | FeatureStatusResult> {
  const ws = openWorkspace(ctx.cwd);
  const current = currentFeatureId(ws.root);
  const notes = [...ws.configFindings, ...ws.ledger.findings];
  if (id !== undefined) {
    const f = findFeature(ws.ledger, id);
    const docs = featureDocuments(f.spec_path, ws.config, (rel) => ws.tree.readDocument(rel), ws.root);
    return { exitCode: 0, data: { ...featureView(f, current), tasks: listedTasks(docs) }, notes };
  }
  return { exitCode: 0, data: { features: ws.ledger.features.map((f) => featureView(f, current)) }, notes };
}

/**
 * A feature's task list as `status <id>` shows it (the board too). No task list yet: null, not
 * [], so that `jq '[.tasks[] | …] | length'` fails and a playbook guard falls back to "not
 * ready" instead of counting zero open tasks as all done.
 */
export function listedTasks(docs: FeatureDocuments): FeatureStatusResult['tasks'] {
  const listed = docs.tasks.text && !docs.tasks.unreadable ? taskViews(analyseMarkdown(docs.tasks.text).tasks) : [];
  return listed.length ? listed : null;
}
