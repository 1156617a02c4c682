import type { CommandResult, ImportResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { GLYPHS } from '../../core/phase.js';
import { formatFindings, type Style } from '../format.js';

export function importText({ data }: CommandResult<ImportResult>, s: Style): string {
  const lines = [`imported ${data.imported.length} feature(s) from ${data.database} into .maestro/ledger.yaml${data.changed ? '' : ' (nothing changed)'}`];
  for (const f of data.imported) {
    const state = f.fields.status ? `${f.fields.status}: ${printable(f.fields.reason ?? '')}` : `${GLYPHS[f.fields.phase]} ${f.fields.phase}`;
    const moved = f.spec_path_was ? s.dim(` (was ${printable(f.spec_path_was)})`) : '';
    lines.push(`  ${f.action === 'add' ? '+' : '~'} ${printable(f.id)}  ${state}  ${printable(f.fields.spec_path)}${moved}`);
  }
  for (const l of data.left) lines.push(s.dim(`  = ${printable(l.id)}  ${l.reason}`));
  if (data.findings.length) lines.push('', formatFindings(data.findings, s));
  return lines.join('\n');
}
