import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featureView, taskViews, type FeatureView } from '../core/feature-view.js';
import { canonicalId } from '../core/feature-id.js';
import { analyseMarkdown } from '../core/markdown.js';
import { printable } from '../core/ledger.js';
import { featureDocuments } from '../io/documents.js';
import { findFeature, openWorkspace } from '../io/workspace.js';
import type { Context, Outcome } from '../cli/context.js';
import { formatFindings, table } from '../cli/format.js';

/** The feature named in `.maestro/CURRENT_FEATURE.md` (`Feature ID: F-12`), if any. */
export function currentFeatureId(root: string): string | undefined {
  try {
    const text = readFileSync(join(root, '.maestro', 'CURRENT_FEATURE.md'), 'utf8');
    const m = /Feature\s*ID\s*:\s*\**\s*`?([A-Za-z]-?\d+|\d+)/i.exec(text);
    return m?.[1] ? (canonicalId(m[1]) ?? m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function status(ctx: Context, id: string | undefined): Outcome {
  const ws = openWorkspace(ctx.cwd);
  const current = currentFeatureId(ws.root);
  const notes = formatFindings([...ws.configFindings, ...ws.ledger.findings], ctx.style);
  if (id !== undefined) {
    const f = findFeature(ws.ledger, id);
    const docs = featureDocuments(f.spec_path, ws.config, (rel) => ws.tree.readDocument(rel), ws.root);
    const tasks = docs.tasks.text && !docs.tasks.unreadable ? taskViews(analyseMarkdown(docs.tasks.text).tasks) : [];
    const view = { ...featureView(f, current), tasks };
    const done = tasks.filter((t) => t.status === 'complete').length;
    const s = ctx.style;
    const lines = [
      `${view.glyph} ${s.bold(printable(view.id))}  ${printable(view.name)}`,
      `  phase     ${view.phase} (${view.status})`,
      `  folder    ${printable(view.spec_path)}`,
      `  approved  ${view.approved ? `${printable(view.approved.by)} at ${view.approved.at}` : 'no'}`,
      `  tasks     ${tasks.length ? `${done}/${tasks.length} done` : 'none'}`,
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
