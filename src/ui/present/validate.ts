import type { CommandResult, ValidateResult } from '../../core/command-results.js';
import { formatFindings, type Style } from '../format.js';

export function validateText({ data }: CommandResult<ValidateResult>, s: Style): string {
  const { features, errors, warnings } = data.summary;
  const summary = `${features} feature(s) checked: ${errors} error(s), ${warnings} warning(s)`;
  return `${data.findings.length ? `${formatFindings(data.findings, s)}\n\n` : ''}${errors ? s.red(summary) : s.green(summary)}`;
}
