import type { CommandResult, FeatureStatusResult, StatusListResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { table, type Style } from '../format.js';

export function statusText({ data }: CommandResult<StatusListResult | FeatureStatusResult>, s: Style): string {
  if ('features' in data) {
    const rows = data.features.map((v) => [
      v.current ? '▶' : ' ',
      v.glyph,
      printable(v.id),
      printable(v.name),
      v.phase,
      v.status,
      v.priority === null ? '' : String(v.priority),
      v.approved ? '✓' : '',
    ]);
    return data.features.length
      ? table(rows, [' ', ' ', 'ID', 'NAME', 'PHASE', 'STATUS', 'PRI', 'APPROVED'])
      : 'No features yet. Add one with `specflow add <name>`.';
  }
  const tasks = data.tasks ?? [];
  const done = tasks.filter((t) => t.status === 'complete').length;
  const lines = [
    `${data.glyph} ${s.bold(printable(data.id))}  ${printable(data.name)}`,
    `  phase     ${data.phase} (${data.status})`,
    `  folder    ${printable(data.spec_path)}`,
    `  approved  ${data.approved ? `${printable(data.approved.by)} at ${data.approved.at}` : 'no'}`,
    `  tasks     ${tasks.length ? `${done}/${tasks.length} done` : 'none'}`,
  ];
  if (data.priority !== null) lines.push(`  priority  ${data.priority}`);
  if (data.reason) lines.push(`  reason    ${printable(data.reason)}`);
  for (const t of tasks) lines.push(`    ${t.status === 'complete' ? s.green('✓') : '☐'} ${printable(t.text)}${s.dim(` :${t.line}`)}`);
  return lines.join('\n');
}
