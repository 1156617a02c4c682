import type { CommandResult, SkipResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';

export function skipText({ data }: CommandResult<SkipResult>): string {
  return `${printable(data.id)} skipped: ${printable(data.reason)}`;
}
