import type { CommandResult, DoctorResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import type { Repair } from '../../core/repair.js';
import { formatFindings, type Style } from '../format.js';

export function formatRepair(r: Repair, style: Style): string {
  const who = r.feature ? `${printable(r.feature)} ` : '';
  const change =
    r.before === null ? `${printable(r.after)}${r.entry ? ` as "${printable(r.entry.name)}" at ○ none` : ''}` : `${printable(r.before)} → ${printable(r.after)}`;
  return `  ${who}${r.field}: ${change} ${style.dim(`[${r.code}]`)}`;
}

export function doctorText({ data }: CommandResult<DoctorResult>, style: Style): string {
  const { repairs, findings, summary } = data;
  const parts: string[] = [];
  if (repairs.length) {
    const head = data.fixed
      ? style.green(`Repaired (${repairs.length}):`)
      : !data.writable
        ? style.yellow(`Safe repairs (${repairs.length}), blocked until the ledger's duplicate entry is fixed:`)
        : style.yellow(`Safe repairs (${repairs.length}); \`specflow doctor --fix\` applies them:`);
    parts.push([head, ...repairs.map((r) => formatRepair(r, style))].join('\n'));
  }
  if (findings.length) parts.push(`${summary.errors ? style.bold(`Needs a human (${summary.errors}):`) : 'Notes:'}\n${formatFindings(findings, style)}`);
  const line = `doctor: ${summary.features} feature(s); ${repairs.length ? `${repairs.length} repair(s) ${data.fixed ? 'applied' : 'pending'}` : 'nothing to repair'}; ${summary.errors} problem(s) need a human`;
  parts.push(summary.errors ? style.red(line) : style.green(line));
  return parts.join('\n\n');
}
