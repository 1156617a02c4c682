/**
 * The only module that writes to the terminal. Data goes to stdout; progress, logs and
 * error messages to stderr. `NO_COLOR` (any value) and non-TTY streams turn colour off.
 */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** A reader that stops early (`specflow status --json | head -1`) closes the pipe; that is not an error. */
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });

export function out(text: string): void {
  if (text === '') return;
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  if (text === '') return;
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Exactly one JSON document on stdout. */
export function outJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
