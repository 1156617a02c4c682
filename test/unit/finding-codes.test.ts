import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, findingCode, isFindingCode, REPAIR_CODES } from '../../src/core/finding-codes.js';
import { PROJECT_ROOT } from '../helpers/repo.js';

/**
 * The catalogue is the one list of finding codes: the type makes an unlisted code a compile
 * error (npm test type-checks), and docs/findings.md is rendered from it. Run with
 * SPECFLOW_UPDATE_DOCS=1 to rewrite the page after changing the catalogue.
 */
const DOC = join(PROJECT_ROOT, 'docs', 'findings.md');

function renderDoc(): string {
  const rows = Object.entries(FINDING_CODES).map(([code, info]) => `| \`${code}\` | ${info.severity} | ${info.description.replace(/\|/g, '\\|')} |`);
  return [
    '# Finding codes',
    '',
    'Every check returns findings as data: `{severity, code, feature, file, line, message, hint}`.',
    'The codes below are stable: match on them in scripts and CI. The severity is the usual one; a',
    'gate of the next phase reports its errors as warnings (advice).',
    '',
    '| code | severity | meaning |',
    '|---|---|---|',
    ...rows,
    '',
    '## Repairs',
    '',
    '`specflow doctor --fix` and `specflowd` apply these; `doctor` without `--fix` lists them.',
    '',
    '| code | what it repairs |',
    '|---|---|',
    ...Object.entries(REPAIR_CODES).map(([code, text]) => `| \`${code}\` | ${text.replace(/\|/g, '\\|')} |`),
    '',
  ].join('\n');
}

describe('the finding catalogue', () => {
  it('gives every code a severity and a one-line description', () => {
    for (const [code, info] of Object.entries(FINDING_CODES)) {
      expect(code).toMatch(/^[a-z_]+(\.[a-z_-]+)+$/);
      expect(['error', 'warning']).toContain(info.severity);
      expect(info.description).toMatch(/^[A-Z`[.].*\.$/);
      expect(info.description).not.toContain('\n');
    }
  });

  it('tells listed codes from others', () => {
    expect(isFindingCode('plan.section.missing')).toBe(true);
    expect(isFindingCode('plan.section.mising')).toBe(false);
    expect(isFindingCode('toString')).toBe(false);
    expect(findingCode('usage', 'ledger.unreadable')).toBe('ledger.unreadable');
    expect(findingCode('ledger.unparsable', 'ledger.unreadable')).toBe('ledger.unparsable');
  });

  it('is what docs/findings.md lists', () => {
    const expected = renderDoc();
    if (process.env.SPECFLOW_UPDATE_DOCS === '1') writeFileSync(DOC, expected);
    expect(readFileSync(DOC, 'utf8')).toBe(expected);
  });
});
