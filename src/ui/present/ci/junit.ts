import type { Finding } from '../../../core/finding.js';
import type { CheckCase, CheckReport } from './report.js';

/**
 * JUnit XML, as CI servers (GitLab, Jenkins, Azure) read it: a suite per check (per commit for
 * `verify`), one test case per feature gate; a case fails with its errors, and its warnings are
 * told in its `system-out`.
 */
const XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const xmlText = (s: string): string =>
  s.replace(XML_CHARS, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const findingLine = (f: Finding) => `${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.severity} ${f.message} [${f.code}]${f.hint ? `\n  hint: ${f.hint}` : ''}`;

function testCase(c: CheckCase): string {
  const errors = c.findings.filter((f) => f.severity === 'error');
  const warnings = c.findings.filter((f) => f.severity === 'warning');
  const open = `    <testcase classname="${xmlText(c.classname)}" name="${xmlText(c.name)}" time="0"`;
  if (!errors.length && !warnings.length) return `${open}/>`;
  const body: string[] = [];
  if (errors.length) {
    const first = errors[0]!;
    body.push(`      <failure message="${xmlText(first.message)}" type="${xmlText(first.code)}">${xmlText(errors.map(findingLine).join('\n'))}</failure>`);
  }
  if (warnings.length) body.push(`      <system-out>${xmlText(warnings.map(findingLine).join('\n'))}</system-out>`);
  return `${open}>\n${body.join('\n')}\n    </testcase>`;
}

export function junitReport(report: CheckReport): string {
  const failed = (c: CheckCase) => c.findings.some((f) => f.severity === 'error');
  const all = report.suites.flatMap((s) => s.cases);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="specflow ${report.command}" tests="${all.length}" failures="${all.filter(failed).length}" errors="0" time="0">`];
  for (const s of report.suites) {
    lines.push(`  <testsuite name="${xmlText(s.name)}" tests="${s.cases.length}" failures="${s.cases.filter(failed).length}" errors="0" skipped="0" time="0">`);
    lines.push(...s.cases.map(testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}
