import type { ExitCode } from '../core/errors.js';
import { COLOR, PLAIN, type Style } from './format.js';
import { colorEnabled } from './output.js';

/** What every command receives, and what it returns for the CLI to print. */
export interface Context {
  cwd: string;
  json: boolean;
  style: Style;
}

export interface Outcome {
  exitCode: ExitCode;
  /** The one JSON document printed with `--json`. */
  json: unknown;
  /** Human output for stdout. */
  text: string;
  /** Human notes for stderr (progress, hints), printed in both modes. */
  notes?: string;
}

export function makeContext(json: boolean): Context {
  return { cwd: process.cwd(), json, style: json || !colorEnabled() ? PLAIN : COLOR };
}
