/**
 * Every check returns findings as data; reporters render them. Codes are stable strings that
 * users and scripts may match on, e.g. `plan.section.missing`, `spec.not-approved`.
 */
import type { FindingCode, Severity } from './finding-codes.js';

export type { FindingCode, Severity };

export interface Finding {
  severity: Severity;
  code: FindingCode;
  /** Feature id, when the finding is about one feature. */
  feature?: string;
  /** Repo-relative POSIX path of the file the finding is about. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  message: string;
  hint?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

export function error(code: FindingCode, message: string, extra: Partial<Finding> = {}): Finding {
  return { severity: 'error', code, message, ...extra };
}

export function warning(code: FindingCode, message: string, extra: Partial<Finding> = {}): Finding {
  return { severity: 'warning', code, message, ...extra };
}
