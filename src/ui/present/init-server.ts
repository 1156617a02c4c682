import type { CommandResult, InitServerResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import type { Style } from '../format.js';

export function initServerText({ data }: CommandResult<InitServerResult>, style: Style): string {
  return [
    `specflow server check set up in ${printable(data.server)}`,
    ...data.steps.map((s) => `  ${printable(s)}`),
    style.dim('  Every push is now judged on the server; specflow must be on the PATH git gives its hooks there.'),
  ].join('\n');
}
