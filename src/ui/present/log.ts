import type { CommandResult, JudgedMove, LogResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { GLYPHS, type Phase } from '../../core/phase.js';
import { formatFinding, table, type Style } from '../format.js';

const label = (p: Phase) => `${GLYPHS[p]} ${p}`;

export function gateText(gate: JudgedMove['gate'], s: Style): string {
  if (gate === 'held') return s.green('gate held');
  if (gate === 'failed') return s.red('GATE FAILED');
  return s.dim('no gate (back)');
}

export function logText({ data }: CommandResult<LogResult>, s: Style): string {
  const events = eventsText(data, s);
  if (!data.changes.length) return `No phase changes of ${data.feature === null ? 'the ledger' : printable(data.feature)} in the history of HEAD.${events ? `\n\n${events}` : ''}`;
  const rows = data.changes.map((c) => [
    c.short,
    c.date.replace('T', ' ').slice(0, 16),
    printable(c.author),
    printable(c.feature),
    `${GLYPHS[c.from]} ${c.from} → ${GLYPHS[c.to]} ${c.to}`,
    gateText(c.gate, s),
    c.trailer ? 'trailer' : s.yellow('no trailer'),
  ]);
  return `${table(rows, ['commit', 'date', 'author', 'feature', 'change', 'gate', 'message'])}${events ? `\n\n${events}` : ''}`;
}

/** Approvals and config (gate) changes, as a second table. */
function eventsText(data: LogResult, s: Style): string {
  if (!data.events.length) return '';
  const rows = data.events.map((e) => [
    e.short,
    e.date.replace('T', ' ').slice(0, 16),
    printable(e.author),
    e.event === 'approval' ? `${printable(e.feature ?? '')} approved by ${printable(e.by ?? '')}` : s.yellow(`config changed: ${printable(e.subject)}`),
  ]);
  return `${s.bold('Approvals and config changes')}\n${table(rows, ['commit', 'date', 'author', 'event'])}`;
}

/** One move with its verdict and findings, for `verify`'s listing. */
export function describeMove(m: JudgedMove, s: Style): string {
  const head = `${printable(m.id)} ${label(m.from)} → ${label(m.to)}  ${gateText(m.gate, s)}${m.merged ? s.dim(' (merged in)') : ''}${m.trailer ? '' : s.dim('  (no Specflow-Phase trailer: --no-verify or SPECFLOW_SKIP=1?)')}`;
  return [head, ...m.findings.map((f) => `    ${formatFinding(f, s).replace(/\n/g, '\n    ')}`)].join('\n');
}
