import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, PROJECT_ROOT, runAsync, tempDir } from '../helpers/repo.js';

/**
 * The bench's smoke pass, as CI runs it: every budget measured once at tiny sizes against the
 * built package. It proves the bench still runs end to end and reports each budget; it judges
 * no time (a smoke row has no verdict), so a slow machine cannot make it fail.
 */
afterAll(cleanupTempDirs);

const BUDGETS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B10'];

interface Row {
  id: string;
  pass: boolean | null;
  smoke?: boolean;
  error?: string;
}

const bench = (args: string[]) => runAsync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bench', 'main.mjs'), ...args], process.env, PROJECT_ROOT, 110_000);

describe('npm run bench -- --smoke', () => {
  it('measures every budget once, reports a smoke row for each, and exits 0', async () => {
    const out = join(tempDir(), 'bench.json');
    const r = await bench(['--smoke', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const tableRows = r.stdout.split('\n').filter((l) => /^\| B\d/.test(l));
    for (const id of BUDGETS) {
      const rows = tableRows.filter((l) => l.startsWith(`| ${id} `) || l.startsWith(`| ${id}-`));
      expect(rows.length, `${id} in\n${r.stdout}`).toBeGreaterThan(0);
      for (const row of rows) expect(row, r.stderr).toMatch(/\| smoke +\|$/);
    }
    // B1 is judged against husky running no-op hooks; the --no-verify ratio stays as context.
    expect(tableRows.some((l) => l.startsWith('| B1 ') && l.includes('no-op hooks'))).toBe(true);
    expect(tableRows.some((l) => l.startsWith('| B1-no-verify '))).toBe(true);

    const report = JSON.parse(readFileSync(out, 'utf8')) as { mode: string; results: Row[] };
    expect(report.mode).toBe('smoke');
    expect(report.results.filter((row) => row.error !== undefined || row.pass !== null || row.smoke !== true)).toEqual([]);
  }, 120_000);
});
