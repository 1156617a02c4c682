import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { logLines, startDaemon, status, stopAllDaemons, waitFor } from '../helpers/daemon.js';
import { cleanupTempDirs, CLI, initRepo, LEDGER, runAsync, SPECS, type RunResult, type TestRepo } from '../helpers/repo.js';
import { parseLedger } from '../../src/core/ledger.js';

/**
 * Concurrent writers: two CLIs and the daemon updating different features at the same time.
 * Every update is in the ledger at the end, or was refused with exit 4 and a message saying
 * the ledger was busy; none is silently dropped.
 */
afterEach(stopAllDaemons);
afterAll(cleanupTempDirs);

/** An initialised repository with an empty specs folder. */
function specsRepo(): TestRepo {
  const repo = initRepo();
  mkdirSync(join(repo.dir, SPECS), { recursive: true });
  return repo;
}

const cli = (repo: TestRepo, args: string[]): Promise<RunResult> => runAsync(process.execPath, [CLI, ...args], repo.env, repo.dir, 120_000);

interface Outcome {
  id: string;
  result: RunResult;
}

/** Runs `count` CLI updates one after another; `after` runs between them (the folder maker). */
async function stream(repo: TestRepo, count: number, update: (i: number) => { id: string; args: string[] }, after?: () => void): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < count; i++) {
    const { id, args } = update(i);
    out.push({ id, result: await cli(repo, args) });
    after?.();
  }
  return out;
}

function featureIds(repo: TestRepo): Set<string> {
  const parsed = parseLedger(repo.read(LEDGER));
  expect(parsed.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return new Set(parsed.features.map((f) => f.id));
}

/** Every outcome is a success whose feature is in the ledger, or exit 4 with a clear message and no feature. */
function accountFor(outcomes: Outcome[], ids: Set<string>): { applied: number; busy: number } {
  let applied = 0;
  let busy = 0;
  for (const { id, result } of outcomes) {
    const what = `${id}: exit ${result.code}\n${result.stderr}${result.stdout}`;
    if (result.code === 0) {
      expect(ids.has(id), `${what}\n--- succeeded but is not in the ledger`).toBe(true);
      applied++;
    } else {
      expect(result.code, what).toBe(4);
      expect(result.stderr, what).toMatch(/locked by process \d+/);
      expect(ids.has(id), `${what}\n--- refused but in the ledger`).toBe(false);
      busy++;
    }
  }
  return { applied, busy };
}

describe('two CLIs and the daemon writing at once', () => {
  it('≥ 500 updates: every one is in the ledger at the end, or was refused with exit 4', async () => {
    const repo = specsRepo();
    startDaemon(repo, { interval: 600_000 });
    // Each CLI run costs a Node start-up and a parse of a growing ledger; folders cost the daemon
    // little. Together: 2 × 50 CLI updates + 8 × 50 daemon registrations = 500.
    const PER_CLI = 50;
    const FOLDERS_PER_STEP = 8;
    let folders = 0;
    const makeFolders = () => {
      for (let k = 0; k < FOLDERS_PER_STEP; k++, folders++) mkdirSync(join(repo.dir, SPECS, `f-${3000 + folders}-found-by-the-daemon`));
    };
    const [a, b] = await Promise.all([
      stream(repo, PER_CLI, (i) => ({ id: `F-${1000 + i}`, args: i % 2 ? ['add', `Stream A feature ${i}`, '--id', `F-${1000 + i}`] : ['add', `Stream A feature ${i}`, '--id', `F-${1000 + i}`, '--priority', String(i)] }), makeFolders),
      stream(repo, PER_CLI, (i) => ({ id: `F-${2000 + i}`, args: ['add', `Stream B feature ${i}`, '--id', `F-${2000 + i}`, '--description', `written while others write (${i})`] })),
    ]);
    const daemonIds = Array.from({ length: folders }, (_, i) => `F-${3000 + i}`);
    // The daemon registers every folder it was shown, as its entry in the ledger.
    await waitFor(() => {
      const ids = featureIds(repo);
      return daemonIds.every((id) => ids.has(id)) || undefined;
    }, 180_000, 'the daemon to register every folder');

    const ids = featureIds(repo);
    const cliA = accountFor(a, ids);
    const cliB = accountFor(b, ids);
    const total = cliA.applied + cliA.busy + cliB.applied + cliB.busy + daemonIds.length;
    expect(total).toBeGreaterThanOrEqual(500);
    // Nothing else crept in, nothing is there twice: exactly the updates that were applied.
    expect(ids.size).toBe(cliA.applied + cliB.applied + daemonIds.length);
    const s = status(repo);
    expect(s.running).toBe(true);
    expect(s.lastError).toBeNull();
    expect(logLines(repo).filter((l) => l.msg === 'repair').length).toBeGreaterThanOrEqual(daemonIds.length);
    // What each writer wrote is whole: the other fields of stream A and B survived every rewrite.
    const parsed = parseLedger(repo.read(LEDGER));
    for (const f of parsed.features) {
      if (f.id.startsWith('F-2') && ids.has(f.id)) expect(f.description).toMatch(/^written while others write/);
      if (/^F-1\d{3}$/.test(f.id) && Number(f.id.slice(2)) % 2 === 0) expect(f.priority).toBe(Number(f.id.slice(2)) - 1000);
    }
  }, 300_000);

  it('two CLIs adding features without ids at once: each gets its own id, none is refused', async () => {
    const repo = specsRepo();
    const EACH = 15;
    const [a, b] = await Promise.all([0, 1].map((s) => stream(repo, EACH, (i) => ({ id: `${s}-${i}`, args: ['add', `Stream ${s} feature ${i}`, '--json'] }))));
    const results = [...a!, ...b!];
    for (const { result } of results) expect(result.code, result.stderr).toBe(0);
    const assigned = results.map(({ result }) => (JSON.parse(result.stdout) as { id: string }).id);
    expect(new Set(assigned).size).toBe(2 * EACH);
    const ids = featureIds(repo);
    for (const id of assigned) expect(ids.has(id)).toBe(true);
  }, 300_000);
});
