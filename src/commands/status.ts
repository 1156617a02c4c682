import { featureView, taskViews, type FeatureView } from '../core/feature-view.js';
import { analyseMarkdown } from '../core/markdown.js';
import { printable } from '../core/printable.js';
import { currentFeatureId } from '../store/current-feature.js';
import { featureDocuments } from '../core/feature-documents.js';
import { findFeature, openWorkspace } from '../tree/workspace.js';
import type { Context, Outcome } from '../ui/context.js';
import { formatFindings, table } from '../ui/format.js';

export function status(ctx: Context, id: string | undefined): Outcome {
  const ws = openWorkspace(ctx.cwd);
  const current = currentFeatureId(ws.root);
  const notes = formatFindings([...ws.configFindings, ...ws.ledger.findings], ctx.style);
  if (id !== undefined) {
    const f = findFeature(ws.ledger, id);
    const docs = featureDocuments(f.spec_path, ws.config, (rel) => ws.tree.readDocument(rel), ws.root);
    const listed = docs.tasks.text && !docs.tasks.unreadable ? taskViews(analyseMarkdown(docs.tasks.text).tasks) : [];
    // No task list yet: null, not [], so that `jq '[.tasks[] | …] | length'` fails and a playbook
    // guard falls back to "not ready" instead of counting zero open tasks as all done.
    const tasks = listed.length ? listed : null;
    const view = { ...featureView(f, current), tasks };
    const done = listed.filter((t) => t.status === 'complete').length;
    const s = ctx.style;
    const lines = [
      `${view.glyph} ${s.bold(printable(view.id))}  ${printable(view.name)}`,
      `  phase     ${view.phase} (${view.status})`,
      `  folder    ${printable(view.spec_path)}`,
      `  approved  ${view.approved ? `${printable(view.approved.by)} at ${view.approved.at}` : 'no'}`,
      `  tasks     ${listed.length ? `${done}/${listed.length} done` : 'none'}`,
    ];
    if (view.priority !== null) lines.push(`  priority  ${view.priority}`);
    if (view.reason) lines.push(`  reason    ${printable(view.reason)}`);
    return { exitCode: 0, json: view, text: lines.join('\n'), notes };
  }
  const features: FeatureView[] = ws.ledger.features.map((f) => featureView(f, current));
  const rows = features.map((v) => [
    v.current ? '▶' : ' ',
    v.glyph,
    printable(v.id),
    printable(v.name),
    v.phase,
    v.status,
    v.priority === null ? '' : String(v.priority),
    v.approved ? '✓' : '',
  ]);
  const text = features.length
    ? table(rows, [' ', ' ', 'ID', 'NAME', 'PHASE', 'STATUS', 'PRI', 'APPROVED'])
    : 'No features yet. Add one with `specflow add <name>`.';
  return { exitCode: 0, json: { features }, text, notes };
}
