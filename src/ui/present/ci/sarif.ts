import { createHash } from 'node:crypto';
import { FINDING_CODES, type FindingCode } from '../../../core/finding-codes.js';
import type { CheckReport, ReportedFinding } from './report.js';

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one rule per code of the finding catalogue
 * (every code, so rule indices never shift), results with repository-relative URIs against
 * `%SRCROOT%`, and a `partialFingerprints` value that does not change from run to run: it hashes
 * the code, feature, file, message and commit, but not the line, which moves with every edit
 * above it. A finding about no file (a ledger entry) is located at the ledger.
 */
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEDGER = '.maestro/ledger.yaml';
const CODES = Object.keys(FINDING_CODES) as FindingCode[];

export function fingerprint(f: ReportedFinding): string {
  return createHash('sha256')
    .update([f.code, f.feature ?? '', f.file ?? '', f.message, f.commit ?? ''].join('\0'))
    .digest('hex');
}

function result(f: ReportedFinding) {
  const where = [f.context, f.feature].filter(Boolean).join(' ');
  const text = `${where ? `${where}: ` : ''}${f.message}${f.hint ? ` (${f.hint})` : ''}`;
  const region = f.file && f.line ? { region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) } } : {};
  return {
    ruleId: f.code,
    ruleIndex: CODES.indexOf(f.code),
    level: f.severity === 'error' ? 'error' : 'warning',
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(f.file ?? LEDGER), uriBaseId: '%SRCROOT%' }, ...region } }],
    partialFingerprints: { 'specflowFinding/v1': fingerprint(f) },
  };
}

export function sarifLog(report: CheckReport, version: string) {
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'specflow',
            semanticVersion: version,
            rules: CODES.map((code) => ({
              id: code,
              shortDescription: { text: FINDING_CODES[code].description },
              help: { text: `${FINDING_CODES[code].description} See docs/findings.md.` },
              defaultConfiguration: { level: FINDING_CODES[code].severity },
            })),
          },
        },
        automationDetails: { id: `specflow/${report.command}/` },
        results: report.findings.map(result),
      },
    ],
  };
}

export function sarifReport(report: CheckReport, version: string): string {
  return JSON.stringify(sarifLog(report, version), null, 2);
}
