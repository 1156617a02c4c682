import type { CommandResult, DoctorResult, ValidateResult, VerifyResult } from '../../../core/command-results.js';
import type { TextPresenter } from '../../emit.js';
import { describeFailure } from '../../failure.js';
import { escapeData, escapeProperty, githubReport } from './github.js';
import { junitReport } from './junit.js';
import { doctorReport, validateReport, verifyReport, type CheckCommand, type CheckReport } from './report.js';
import { sarifReport } from './sarif.js';

/**
 * The registry of CI formats for `verify`, `validate` and `doctor` (`text` and `json` are every
 * command's own): each renders the same CheckReport, built from the command's typed result.
 */
export const FORMATS = ['text', 'json', 'github', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];
export type CiFormat = Exclude<Format, 'text' | 'json'>;

const RENDERERS: Record<CiFormat, (report: CheckReport, version: string) => string> = {
  github: githubReport,
  sarif: sarifReport,
  junit: junitReport,
};

interface CheckResults {
  verify: VerifyResult;
  validate: ValidateResult;
  doctor: DoctorResult;
}

const BUILDERS: { [C in CheckCommand]: (data: CheckResults[C]) => CheckReport } = {
  verify: verifyReport,
  validate: validateReport,
  doctor: doctorReport,
};

/** The presenter that prints `command`'s result in `format`. */
export function ciPresenter<C extends CheckCommand>(command: C, format: CiFormat, version: string): TextPresenter<CheckResults[C]> {
  return ({ data }: CommandResult<CheckResults[C]>) => RENDERERS[format](BUILDERS[command](data), version);
}

/** A check that could not run, as one `::error` annotation: the job log shows why it failed. */
export function githubFailure(e: unknown): string {
  const { error } = describeFailure(e);
  return `::error title=${escapeProperty(error.code)}::${escapeData(`specflow: ${error.message}${error.hint ? `\n${error.hint}` : ''}`)}`;
}
