import { EXIT, SpecflowError, type ExitCode } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { printable } from '../core/printable.js';
import { COLOR, formatFindings, PLAIN } from './format.js';
import { colorEnabled, err, outJson } from './output.js';

/**
 * The one place where a thrown value becomes an exit code and a message (DESIGN §4), for
 * `specflow`, `specflowd` and the git hooks: a SpecflowError carries its own code; a usage
 * error from the command-line parser is 2 (help and version are 0: the parser already printed
 * them); anything else is an internal error, 1.
 */
export interface FailureOptions {
  /** The program named at the start of each message: `specflow`, `specflowd`. */
  program: string;
  /** Print the one JSON document `{ok: false, error, findings}` on stdout (text still goes to stderr only). */
  json?: boolean;
  /** What could not be done, said before the message (the hooks: "pre-commit could not check this commit"). */
  doing?: string;
  /** A last line of advice after any failure (the hooks: refusing, and how to bypass). */
  advice?: string;
}

/** A failure as data: what the JSON document carries. */
export interface Failure {
  exitCode: ExitCode;
  error: { code: string; message: string; hint?: string };
  findings: Finding[];
  /** The parser printed its own message (and help); nothing more to say in text. */
  printed: boolean;
  internal: boolean;
}

/**
 * commander's CommanderError, recognised by shape (its codes are `commander.*`; a bundler may
 * rename the class) so that the hooks, which never load commander, can share this module.
 */
function commanderError(e: unknown): { code: string; exitCode: number; message: string } | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, exitCode } = e as Error & { code?: unknown; exitCode?: unknown };
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number' ? { code, exitCode, message: e.message } : undefined;
}

export function describeFailure(e: unknown): Failure {
  if (e instanceof SpecflowError)
    return {
      exitCode: e.exitCode,
      error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) },
      findings: e.findings,
      printed: false,
      internal: false,
    };
  const parser = commanderError(e);
  if (parser)
    return {
      // Help and version exit 0; `specflow` with no command shows help as an error: usage.
      exitCode: parser.exitCode === 0 ? EXIT.ok : EXIT.usage,
      error: usageError(parser.message),
      findings: [],
      printed: true,
      internal: false,
    };
  return { exitCode: EXIT.failed, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) }, findings: [], printed: false, internal: true };
}

/** Prints the failure (JSON on stdout with `json`, text on stderr) and returns its exit code. */
export function reportFailure(e: unknown, options: FailureOptions): ExitCode {
  const f = describeFailure(e);
  if (f.exitCode === EXIT.ok) return f.exitCode;
  if (options.json) outJson({ ok: false, error: f.error, findings: f.findings });
  // With JSON the document says it all; only an internal error (a bug) is also told on stderr.
  const say = !f.printed && (!options.json || f.internal);
  if (say && !options.json && f.findings.length) err(formatFindings(f.findings, colorEnabled('stderr') ? COLOR : PLAIN));
  if (say) {
    // Messages quote ids, names and paths from the repository: escape what could spoof the terminal.
    const what = options.doing ? `${options.doing}: ` : f.internal ? 'internal error: ' : '';
    err(`${options.program}: ${what}${printable(withoutFinding(f.error.message, options.json ? [] : f.findings))}`);
    // A hint the findings above already gave is not said again.
    if (f.error.hint && !f.findings.some((x) => x.hint === f.error.hint)) err(`  ${printable(f.error.hint)}`);
  }
  if (process.env.SPECFLOW_DEBUG && !f.printed && e instanceof Error && e.stack) err(e.stack);
  if (options.advice) err(options.advice);
  return f.exitCode;
}

/** A message that ends with what the first finding printed above says (`… cannot be used: <finding>`) says it once. */
function withoutFinding(message: string, findings: readonly Finding[]): string {
  const said = findings[0]?.message;
  return said && message.endsWith(`: ${said}`) ? message.slice(0, -(said.length + 2)) : message;
}

/** commander's message, with its suggestion (`(Did you mean status?)`) as the hint. */
function usageError(message: string): { code: string; message: string; hint?: string } {
  const [first = '', ...rest] = message.replace(/^error: /, '').split('\n');
  const hint = rest.join(' ').trim().replace(/^\((.*)\)$/, '$1');
  return { code: 'usage', message: first, ...(hint ? { hint } : {}) };
}
