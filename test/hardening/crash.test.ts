import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLedger } from '../../src/core/ledger.js';
import { waitFor } from '../helpers/daemon.js';
import { DONE_TASKS, GOOD_SPEC, goodPlan } from '../helpers/docs.js';
import { cleanupTempDirs, CLI, LEDGER, type TestRepo } from '../helpers/repo.js';
import { bundleSupport } from './support/bundle.js';
import { delay, ledgerText, repoWithLedger, seededRandom, seedFromEnv, startChild, type Child } from './support/fixtures.js';

/**
 * Crashes: writers killed with SIGKILL at random points of a ledger write. Afterwards the ledger
 * always parses and is exactly one complete rendering (the old content or the new, never a
 * mix); a lock left behind by a killed writer is taken over by the next one; temporary files
 * of killed writers do not pile up.
 */
afterAll(cleanupTempDirs);

const LOCK = `${LEDGER}.lock`;
const SIZE = 24;
const WRITERS = ['F-1', 'F-2'] as const;
const LOOPS = 3;
const KILLS_PER_LOOP = 70;

/** The description revision of each writer's feature, read from ledger text. */
function revisions(text: string): Record<string, number> {
  const parsed = parseLedger(text);
  const out: Record<string, number> = {};
  for (const id of WRITERS) {
    const f = parsed.features.find((x) => x.id === id);
    const m = /^rev (\d+)$/.exec(f?.description ?? '');
    if (!m) throw new Error(`${id} has no revision in:\n${text}`);
    out[id] = Number(m[1]);
  }
  return out;
}

function lockHolder(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, LOCK), 'utf8').split('\n')[0];
  } catch {
    return undefined;
  }
}

/** Leftovers of killed writers beside the ledger: temporary files, set-aside locks, takeover guards. */
function leftovers(dir: string): string[] {
  return readdirSync(join(dir, '.maestro')).filter((n) => /\.(tmp|stale|break)$/.test(n));
}

interface LoopReport {
  failures: string[];
  /** Kills that left the victim's lock behind. */
  staleLocks: number;
  repo: TestRepo;
  acked: Record<string, number>;
}

/**
 * One repository, writers that keep rewriting it, and `kills` SIGKILLs of a writer in the middle
 * of its work; after each, the ledger is checked. Each writer's successor is started ahead of
 * time and waits, so a killed writer is replaced at once.
 */
async function killLoop(kills: number, random: () => number): Promise<LoopReport> {
  const repo = repoWithLedger(ledgerText(SIZE, Object.fromEntries(WRITERS.map((id) => [id, 0]))));
  const writer = await bundleSupport('ledger-writer');
  const standby = (id: string): Child => startChild(process.execPath, [writer, repo.dir, id, '--standby'], repo.env, repo.dir, 'pipe');
  const go = (c: Child): Child => (c.proc.stdin!.write('go\n'), c);
  const running = new Map<string, Child>(WRITERS.map((id) => [id, go(standby(id))]));
  const waiting = new Map<string, Child>(WRITERS.map((id) => [id, standby(id)]));
  const all: Child[] = [...running.values(), ...waiting.values()];
  const acked = Object.fromEntries(WRITERS.map((id) => [id, 0]));
  let writes = 0; // acknowledged writes of writers already killed
  const totalWrites = () => writes + [...running.values()].reduce((n, c) => n + c.lines.length, 0);
  let lastStale: number | undefined; // total writes when the last kill that left its lock behind happened
  let staleLocks = 0;
  const failures: string[] = [];
  try {
    for (let kill = 0; kill < kills && failures.length === 0; kill++) {
      // The victim has written since it started, so the kill lands in its loop of lock, read,
      // parse, write, flush, rename and release.
      await waitFor(() => WRITERS.some((w) => running.get(w)!.lines.length > 0), 30_000, 'a writer to write');
      const ready = WRITERS.filter((w) => running.get(w)!.lines.length > 0);
      const id = ready[Math.floor(random() * ready.length)]!;
      const victim = running.get(id)!;
      await delay(Math.floor(random() * 15));
      victim.proc.kill('SIGKILL');
      // Read at once: the next writer takes a lock left behind over within milliseconds.
      if (lockHolder(repo.dir) === String(victim.proc.pid)) {
        staleLocks++;
        lastStale = totalWrites();
      }
      const ended = await victim.exit;
      if (ended.signal !== 'SIGKILL') failures.push(`${id} ended by itself (${ended.code}): ${victim.stderr}`);
      running.set(id, go(waiting.get(id)!));
      const next = standby(id);
      waiting.set(id, next);
      all.push(next);
      writes += victim.lines.length;
      if (victim.lines.length) acked[id] = Number(victim.lines[victim.lines.length - 1]);

      const text = readFileSync(join(repo.dir, LEDGER), 'utf8');
      let revs: Record<string, number>;
      try {
        revs = revisions(text);
      } catch (e) {
        failures.push(`kill ${kill}: the ledger does not parse: ${(e as Error).message}`);
        break;
      }
      // Exactly one complete rendering: byte for byte what the writers render for these revisions.
      if (text !== ledgerText(SIZE, revs)) failures.push(`kill ${kill}: the ledger is not a complete rendering:\n${text}`);
      // The victim's feature holds its last acknowledged write, or the one it was making.
      if (revs[id] !== acked[id] && revs[id] !== acked[id]! + 1) failures.push(`kill ${kill}: ${id} at rev ${revs[id]}, acknowledged ${acked[id]}`);
      for (const w of WRITERS) if (revs[w]! < acked[w]!) failures.push(`kill ${kill}: ${w} went back to rev ${revs[w]} after ${acked[w]} was acknowledged`);
    }
    // Writing went on after the last kill that left its lock behind: it was taken over.
    if (lastStale !== undefined) await waitFor(() => totalWrites() > lastStale!, 30_000, 'a write after the last stale lock');
  } finally {
    for (const c of all) c.proc.kill('SIGKILL');
    await Promise.all(all.map((c) => c.exit));
  }
  for (const c of all) if (c.stderr.trim()) failures.push(c.stderr.trim());
  return { failures, staleLocks, repo, acked };
}

describe('a writer killed at a random point of a ledger write', () => {
  it(`leaves the old or the new ledger, and its lock is taken over (${LOOPS} × ${KILLS_PER_LOOP} SIGKILLs)`, async () => {
    const seed = seedFromEnv();
    const random = seededRandom(seed);
    // Independent repositories side by side: the kills are bound by process start-up, not CPU.
    const reports = await Promise.all(Array.from({ length: LOOPS }, () => killLoop(KILLS_PER_LOOP, random)));
    expect(reports.flatMap((r) => r.failures), `seed ${seed}`).toEqual([]);
    // Writers hold the lock much of the time, so many kills leave it behind; each was taken over.
    expect(reports.reduce((n, r) => n + r.staleLocks, 0), `seed ${seed}`).toBeGreaterThan(0);

    for (const { repo, acked } of reports) {
      // The next real command takes over whatever lock is left and cleans the killed writers' files.
      const r = repo.cli(['skip', 'F-7', '--reason', 'after the crashes']);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(join(repo.dir, LOCK))).toBe(false);
      expect(leftovers(repo.dir)).toEqual([]);
      const final = revisions(repo.read(LEDGER));
      for (const w of WRITERS) expect(final[w]).toBeGreaterThanOrEqual(acked[w]!);
    }
  }, 240_000);

  it('the real CLI killed at random points of a phase change leaves the old or the new ledger', async () => {
    const seed = seedFromEnv();
    const random = seededRandom(seed);
    const repo = repoWithLedger(ledgerText(SIZE));
    const dir = '.specify/specs/f-5-feature-number-5';
    repo.files({ [`${dir}/spec.md`]: GOOD_SPEC, [`${dir}/plan.md`]: goodPlan(), [`${dir}/tasks.md`]: DONE_TASKS });
    expect(repo.cli(['approve', 'F-5', '--by', 'Ann Example <ann@example.com>']).code).toBe(0);
    const atNone = repo.read(LEDGER);
    expect(repo.cli(['phase', 'F-5', 'complete']).code).toBe(0);
    const atComplete = repo.read(LEDGER);
    expect(atComplete).not.toBe(atNone);

    // How long one run takes here, so kills spread over its whole life, the write included.
    const t0 = performance.now();
    expect(repo.cli(['phase', 'F-5', 'none']).code).toBe(0);
    const span = Math.max(50, performance.now() - t0);

    const runs = 30;
    let completed = 0;
    let killed = 0;
    for (let i = 0; i < runs; i++) {
      const before = repo.read(LEDGER);
      const target = before === atNone ? 'complete' : 'none';
      const child = startChild(process.execPath, [CLI, 'phase', 'F-5', target], repo.env, repo.dir);
      await delay(Math.floor(random() * span * 1.2));
      child.proc.kill('SIGKILL');
      const end = await child.exit;
      if (end.signal === 'SIGKILL') killed++;
      else {
        expect(end.code, child.stderr).toBe(0);
        completed++;
      }
      const after = repo.read(LEDGER);
      expect([atNone, atComplete], `seed ${seed}, run ${i}`).toContain(after);
      if (end.signal !== 'SIGKILL') expect(after).toBe(target === 'none' ? atNone : atComplete);
    }
    expect(killed + completed).toBe(runs);
    // Whatever the last kill left, the next write goes through and leaves nothing behind. (It must
    // write: a phase change to where the ledger already is writes nothing and takes no lock, so a
    // lock left by the last kill would still be there, as harmless as ever, for the next writer.)
    const last = repo.read(LEDGER) === atNone ? 'complete' : 'none';
    const r = repo.cli(['phase', 'F-5', last]);
    expect(r.code, r.stderr).toBe(0);
    expect(repo.read(LEDGER)).toBe(last === 'none' ? atNone : atComplete);
    expect(existsSync(join(repo.dir, LOCK))).toBe(false);
    expect(leftovers(repo.dir)).toEqual([]);
  }, 120_000);
});
