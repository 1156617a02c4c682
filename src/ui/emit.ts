import type { CommandResult, ResultData } from '../core/command-results.js';
import type { ExitCode } from '../core/errors.js';
import { printable } from '../core/printable.js';
import { COLOR, formatFinding, PLAIN, type Style } from './format.js';
import { colorEnabled, err, out, outJson } from './output.js';

/** Renders a result as human text; an empty string prints nothing. */
export type TextPresenter<T extends ResultData> = (result: CommandResult<T>, style: Style) => string;

/**
 * The JSON document of every command: `ok` (the exit code is 0) and the command's fields. Built
 * here and nowhere else, so that the envelope cannot drift from command to command.
 */
export function envelope<T extends ResultData>(result: CommandResult<T>): { ok: boolean } & T {
  return { ok: result.exitCode === 0, ...result.data };
}

/**
 * Prints a result: its notes on stderr, then with `json` exactly one JSON document on stdout,
 * else the presenter's text. Returns the exit code for the entry point to set.
 */
export function emit<T extends ResultData>(result: CommandResult<T>, text: TextPresenter<T>, json: boolean): ExitCode {
  const noteStyle = colorEnabled('stderr') ? COLOR : PLAIN;
  // Notes quote ids, paths and parser messages from the repository: each line is escaped like a message.
  for (const note of result.notes ?? []) err(typeof note === 'string' ? note.split('\n').map(printable).join('\n') : formatFinding(note, noteStyle));
  if (json) outJson(envelope(result));
  else out(text(result, colorEnabled() ? COLOR : PLAIN));
  return result.exitCode;
}
