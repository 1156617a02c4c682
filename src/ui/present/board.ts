import type { BoardResult, CommandResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import type { Style } from '../format.js';

export function boardText({ data }: CommandResult<BoardResult>, s: Style): string {
  if (data.out) return `Wrote the board (${data.out.features} feature${data.out.features === 1 ? '' : 's'}, ${Math.ceil(data.out.bytes / 1024)} KB) to ${printable(data.out.file)}`;
  if (!data.url)
    return [
      'specflowd is not running here, so nothing serves the board.',
      `  start it:        ${s.bold('specflowd start')}   then run ${s.bold('specflow board')} again`,
      `  or write a file: ${s.bold('specflow board --out board.html')}`,
    ].join('\n');
  return data.opened ? `Opened ${data.url}` : data.url;
}
