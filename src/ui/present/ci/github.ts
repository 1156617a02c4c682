import type { CheckReport, ReportedFinding } from './report.js';

/**
 * GitHub Actions workflow commands: one `::error` or `::warning` line per finding, which GitHub
 * shows as an annotation on the file and line. Annotations do not fail a job; the exit code
 * does. Data is escaped as GitHub requires (`%`, CR, LF), property values also `:` and `,`.
 * `col` is given only with `line` and no `endLine`: GitHub drops it when the two differ.
 */
export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(f: ReportedFinding): string {
  const props: string[] = [];
  if (f.file) {
    props.push(`file=${escapeProperty(f.file)}`);
    if (f.line) props.push(`line=${f.line}`);
    if (f.line && f.column) props.push(`col=${f.column}`);
  }
  props.push(`title=${escapeProperty(f.code)}`);
  const where = [f.context, f.feature].filter(Boolean).join(' ');
  const message = `${where ? `${where}: ` : ''}${f.message}${f.hint ? `\n${f.hint}` : ''}`;
  return `::${f.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(message)}`;
}

export function githubReport(report: CheckReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const lines = report.findings.map(annotation);
  lines.push(`specflow ${report.command}: ${errors} error(s), ${report.findings.length - errors} warning(s)`);
  return lines.join('\n');
}
