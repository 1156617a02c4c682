import type { Finding } from '../core/finding.js';
import { printable } from '../core/printable.js';
import stringWidth from 'string-width';

/** Plain string builders for human output; the output module prints what they return. */
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Style = { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
const id = (s: string) => s;
export const PLAIN: Style = { red: id, yellow: id, green: id, dim: id, bold: id };

/**
 * One finding as a line (and its hint). Every field may carry text from the repository (ids,
 * names, paths), so each is printed with control characters and bidi marks escaped.
 */
export function formatFinding(f: Finding, style: Style): string {
  const where = f.file ? `${printable(f.file)}${f.line ? `:${f.line}` : ''}${f.line && f.column ? `:${f.column}` : ''}: ` : '';
  const sev = f.severity === 'error' ? style.red('error') : style.yellow('warning');
  const feature = f.feature ? `${printable(f.feature)} ` : '';
  const lines = [`${where}${sev} ${feature}${printable(f.message)} ${style.dim(`[${printable(f.code)}]`)}`];
  if (f.hint) lines.push(`  ${style.dim('hint:')} ${printable(f.hint)}`);
  return lines.join('\n');
}

export function formatFindings(findings: readonly Finding[], style: Style): string {
  return findings.map((f) => formatFinding(f, style)).join('\n');
}

/** A left-aligned text table; cells are measured by display width, so glyphs and East Asian wide characters line up. */
export function table(rows: string[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  // Colour codes take no columns; wide characters take two, combining marks none.
  const width = (s: string) => stringWidth(s);
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell)))).join('  ').trimEnd();
  return all.map(line).join('\n');
}
