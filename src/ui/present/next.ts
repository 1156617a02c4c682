import type { CommandResult, NextResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';

export function nextText({ data }: CommandResult<NextResult>): string {
  if (data.id === null) return 'Nothing left: every feature is complete, skipped or blocked.';
  return `${data.glyph} ${printable(data.id)} ${printable(data.name)} (${data.phase})\nnext: ${printable(data.command)}`;
}
