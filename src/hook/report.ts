import type { GateOutcome, RegressionOutcome } from '../core/commit-gate.js';
import type { Finding } from '../core/finding.js';
import { printable } from '../core/printable.js';
import { GLYPHS, type Phase } from '../core/phase.js';
import { COLOR, formatFinding, PLAIN, type Style } from '../ui/format.js';
import { colorEnabled, err } from '../ui/output.js';

/**
 * The hooks' only output: messages for the person committing or pushing, on stderr (git shows
 * hook stderr; stdout is not for us). Plain text without a TTY or with NO_COLOR.
 */
export function hookStyle(): Style {
  return colorEnabled('stderr') ? COLOR : PLAIN;
}

export const say = err;

export const phaseLabel = (p: Phase) => `${GLYPHS[p]} ${p}`;

export function moveLine(move: { id: string; from: Phase; to: Phase }): string {
  return `${printable(move.id)} ${phaseLabel(move.from)} → ${phaseLabel(move.to)}`;
}

const indent = (text: string, by: string) => text.replace(/^/gm, by);

/** The failed gates and blocking findings, indented under `prefix`. */
export function describeFailures(
  failed: readonly GateOutcome[],
  blocking: readonly Finding[],
  style: Style,
  prefix = '  ',
  regressions: readonly RegressionOutcome[] = [],
): string {
  const lines: string[] = [];
  for (const f of blocking) lines.push(indent(formatFinding(f, style), prefix));
  for (const g of failed) {
    lines.push(`${prefix}${style.bold(moveLine(g.move))}`);
    for (const f of g.findings) lines.push(indent(formatFinding(f, style), `${prefix}  `));
  }
  for (const r of regressions) {
    lines.push(`${prefix}${style.bold(`${printable(r.id)} stays at ${phaseLabel(r.phase)}, but its documents no longer pass:`)}`);
    for (const f of r.findings) lines.push(indent(formatFinding(f, style), `${prefix}  `));
  }
  return lines.join('\n');
}

export const BYPASS_NOTE = 'Bypass once with SPECFLOW_SKIP=1; `specflow verify` in CI still checks every commit.';
