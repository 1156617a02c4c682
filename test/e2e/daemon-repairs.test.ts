import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DAEMON_TEST_MS, DAEMON_WAIT_MS, ledgerBecomes, logLines, startDaemon, stopAllDaemons, stopDaemon, waitFor, type LogLine } from '../helpers/daemon.js';
import { GOOD_SPEC, goodPlan } from '../helpers/docs.js';
import { driftRepo, F12_DIR, LEDGER, REPORTED_CASES, SAFE_CASES, SPECS } from '../helpers/drift.js';
import { cleanupTempDirs, type TestRepo } from '../helpers/repo.js';

/**
 * The running daemon against the same drift as `doctor --fix`: each safe case is repaired on
 * disk (bounded wait for the repaired file), each reported case is logged as a problem and the
 * ledger is left byte-for-byte.
 */
afterAll(async () => {
  await stopAllDaemons();
  cleanupTempDirs();
});

const problems = (repo: TestRepo, code: string) => logLines(repo).filter((l) => l.msg === 'problem' && l.code === code);
const reconciles = (repo: TestRepo) => logLines(repo).filter((l) => l.msg === 'reconcile');

// Each case has its own repository and daemon, one case at a time (a daemon per case at once starves a
// small machine); each stops its own daemon.
describe('specflowd repairs', { timeout: DAEMON_TEST_MS }, () => {
  it.each(SAFE_CASES.map((c) => [c.name, c] as const))('%s: repaired on disk and logged with before and after', async (_name, c) => {
    const repo = driftRepo();
    const pid = startDaemon(repo);
    const expected = c.drift(repo);
    await ledgerBecomes(repo, (t) => t === expected);
    // The line is written once the write has landed, so it may trail the file by a moment.
    const repair = await waitFor(() => logLines(repo).find((l) => l.msg === 'repair' && l.code === c.code), DAEMON_WAIT_MS, `a ${c.code} repair line`);
    await stopDaemon(pid);
    expect(repair.level).toBe('info');
    expect(['spec_path', 'id', 'entry', 'layout']).toContain(repair.field);
    expect(typeof repair.after).toBe('string');
    expect(repair).toHaveProperty('before');
  });
});

describe('specflowd reports, never repairs', { timeout: DAEMON_TEST_MS }, () => {
  it.each(REPORTED_CASES.map((c) => [c.name, c] as const))('%s: logged as a problem, the ledger left byte-for-byte', async (_name, c) => {
    const repo = driftRepo();
    const pid = startDaemon(repo);
    c.drift(repo);
    const before = repo.read(LEDGER);
    await waitFor(() => problems(repo, c.code).length > 0, DAEMON_WAIT_MS, `a ${c.code} problem in the log`);
    await stopDaemon(pid);
    expect(repo.read(LEDGER)).toBe(before);
    expect(logLines(repo).filter((l) => l.msg === 'repair')).toEqual([]);
  });
});

describe('specflowd and editors', { timeout: DAEMON_TEST_MS }, () => {
  afterEach(stopAllDaemons);

  /** F-12 at plan, with documents that pass every gate up to it. */
  async function plannedFeature(): Promise<TestRepo> {
    const repo = driftRepo();
    repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
    repo.write(`${F12_DIR}/plan.md`, goodPlan());
    for (const args of [['specify', 'F-12'], ['approve', 'F-12'], ['plan', 'F-12']]) {
      const r = repo.cli(args);
      expect(r.code, r.stderr).toBe(0);
    }
    startDaemon(repo);
    await waitFor(() => reconciles(repo).length > 0, DAEMON_WAIT_MS, 'the first reconcile');
    return repo;
  }

  /** Saves as many editors do: write a temporary file beside it, then rename it over the document. */
  function atomicSave(repo: TestRepo, rel: string, text: string): void {
    const tmp = join(repo.dir, `${rel}.tmp-save`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(repo.dir, rel));
  }

  it('notices a plan saved by write-to-temp and rename, both when it breaks the gate and when it is fixed', async () => {
    const repo = await plannedFeature();
    expect(problems(repo, 'phase.ahead')).toEqual([]);
    atomicSave(repo, `${F12_DIR}/plan.md`, goodPlan({ omit: 'Failure modes' }));
    const [problem] = await waitFor(() => problems(repo, 'phase.ahead').length > 0 && problems(repo, 'phase.ahead'), DAEMON_WAIT_MS, 'phase.ahead');
    expect(problem?.feature).toBe('F-12');
    expect(problem?.message).toContain('plan.section.missing');
    atomicSave(repo, `${F12_DIR}/plan.md`, goodPlan());
    await waitFor(() => {
      const last = reconciles(repo).at(-1);
      return last && last.problems === 0 && (last.reason as string).includes('document');
    }, DAEMON_WAIT_MS, 'a reconcile with no problems');
  });

  it('ignores swap files appearing and vanishing; the next real change is a reconcile of its own', async () => {
    const repo = await plannedFeature();
    const count = reconciles(repo).length;
    const dir = join(repo.dir, F12_DIR);
    for (const name of ['.plan.md.swp', '.plan.md.swx', '4913', 'plan.md~', '.#plan.md']) {
      writeFileSync(join(dir, name), 'swap');
      rmSync(join(dir, name));
    }
    writeFileSync(join(dir, '.plan.md.swp'), 'left behind by a crashed vim');
    // A real change after the churn: had any swap event counted, its reconcile would carry `document`.
    repo.write(LEDGER, repo.read(LEDGER).replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${F12_DIR}/plan.md\n`));
    await ledgerBecomes(repo, (t) => t.includes(`spec_path: ${F12_DIR}\n`));
    await waitFor(() => logLines(repo).some((l) => l.msg === 'repair'), DAEMON_WAIT_MS, 'the repair line');
    const after: LogLine[] = reconciles(repo).slice(count);
    expect(after.length).toBeGreaterThan(0);
    for (const line of after) expect(line.reason).not.toMatch(/document/);
  });

  it('a folder renamed twice in a row ends pointing at the last name', async () => {
    const repo = driftRepo();
    startDaemon(repo);
    renameSync(join(repo.dir, F12_DIR), join(repo.dir, `${SPECS}/f-12-interim`));
    renameSync(join(repo.dir, `${SPECS}/f-12-interim`), join(repo.dir, `${SPECS}/f-12-vectors`));
    await ledgerBecomes(repo, (t) => t.includes(`spec_path: ${SPECS}/f-12-vectors\n`));
  });
});
