import type { AdvanceResult, CommandResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { GLYPHS, type Phase } from '../../core/phase.js';
import { formatFindings, type Style } from '../format.js';

const label = (p: Phase) => `${GLYPHS[p]} ${p}`;

export function advanceText({ exitCode, data }: CommandResult<AdvanceResult>, s: Style): string {
  const id = printable(data.id);
  // What the command wrote, then what its gate found: one story, on stdout.
  const wrote = data.written ? `wrote ${printable(data.written)} from the template\n` : '';
  const findings = `${wrote}${data.findings.length ? `${formatFindings(data.findings, s)}\n\n` : wrote ? '\n' : ''}`;
  if (exitCode !== 0) {
    const hint = data.written ? `Fill in ${data.written}, then run \`specflow ${data.to} ${id}\` again.` : `Fix the findings, then run the command again.`;
    return `${findings}${id} stays at ${label(data.from)}: the gate to ${label(data.to)} does not pass.\n${s.dim(hint)}`;
  }
  if (data.to === data.from) return `${id} is already at ${label(data.from)}; nothing to do.`;
  return `${findings}${id} ${label(data.from)} → ${label(data.to)}`;
}
