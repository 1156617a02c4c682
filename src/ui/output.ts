/**
 * The only module that writes to the terminal. Data goes to stdout; progress, logs and
 * error messages to stderr. `NO_COLOR` (any value) and non-TTY streams turn colour off.
 */
export type Stream = 'stdout' | 'stderr';

export function colorEnabled(stream: Stream = 'stdout'): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return process[stream].isTTY === true;
}

/**
 * A reader that stops early (`specflow status --json | head -1`) closes the pipe; that is not an
 * error. Entry points call this once; importing this module changes nothing.
 */
export function guardPipes(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
}

/** Text exactly as given (commander's help and errors). */
export function write(stream: Stream, text: string): void {
  process[stream].write(text);
}

/** A line (or lines) of text; a missing final newline is added, empty text prints nothing. */
export function line(stream: Stream, text: string): void {
  if (text === '') return;
  process[stream].write(text.endsWith('\n') ? text : `${text}\n`);
}

export const out = (text: string): void => line('stdout', text);
export const err = (text: string): void => line('stderr', text);

/** Exactly one JSON document on stdout. */
export function outJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
