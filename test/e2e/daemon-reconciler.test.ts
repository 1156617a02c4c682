import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Reconciler } from '../../src/daemon/reconciler.js';
import { noChanges } from '../../src/daemon/events.js';
import { driftRepo, F12_DIR, LEDGER, SPECS } from '../helpers/drift.js';
import { cleanupTempDirs } from '../helpers/repo.js';

/**
 * The daemon's reconciler in-process, on a real repository: what it does with a ledger that a
 * writer which does not take the lock may be half-way through. File times are set explicitly,
 * so nothing here depends on how fast the machine is.
 */
afterAll(cleanupTempDirs);

const ledgerChanged = () => ({ ...noChanges(), ledger: true, reasons: new Set(['ledger']) });

describe('specflowd reconciler and writers that do not lock', () => {
  it('holds a repair back while the ledger was just written, then applies it; a vanished entry is reported, never registered anew', () => {
    const repo = driftRepo();
    expect(repo.cli(['add', 'Search', '--id', 'F-30']).code).toBe(0);
    const whole = repo.read(LEDGER);
    const file = join(repo.dir, LEDGER);
    const age = (ms: number) => utimesSync(file, new Date(), new Date(Date.now() - ms));
    age(5_000);
    const reconciler = new Reconciler(repo.dir, join(repo.dir, '.git'));
    expect(reconciler.reconcile({ ...noChanges(), full: true })).toMatchObject({ applied: [], retry: false, features: 2 });

    // The last entry cut off, as a write in progress leaves it, and a repair that could be made.
    const truncated = whole.slice(0, whole.indexOf('  F-30:')).replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${F12_DIR}/\n`);
    repo.write(LEDGER, truncated);
    age(0);
    const fresh = reconciler.reconcile(ledgerChanged());
    expect(fresh.applied).toEqual([]);
    expect(fresh.retry).toBeGreaterThan(0);
    expect(repo.read(LEDGER)).toBe(truncated);

    // Left alone long enough: the cut was meant. F-12's path is repaired; F-30's folder lost its
    // entry in a change specflow did not make (a write cut short, a `git stash`), so it is reported
    // and left unregistered rather than brought back at phase none.
    age(5_000);
    const late = reconciler.reconcile(ledgerChanged());
    // (The cut left a trailing blank line, so the layout is repaired too.)
    expect(late.applied.map((r) => r.code).sort()).toEqual(['ledger.reformatted', 'spec_path.repaired']);
    expect(late.problems.find((p) => p.code === 'folder.unregistered')).toMatchObject({ feature: 'F-30', file: `${SPECS}/f-30-search` });
    expect(repo.read(LEDGER)).not.toContain('F-30');
    expect(repo.read(LEDGER)).toContain(`spec_path: ${F12_DIR}\n`);

    // The writer finishes: the entry, with its phase, is back, and the report clears.
    repo.write(LEDGER, whole);
    age(5_000);
    const back = reconciler.reconcile(ledgerChanged());
    expect(back.problems.filter((p) => p.code === 'folder.unregistered')).toEqual([]);
    expect(repo.read(LEDGER)).toContain('  F-30:\n    name: Search\n');
  });

  it('waits for a ledger written a moment ago before its first reconcile', () => {
    const repo = driftRepo();
    // Written "now" — set ahead, so that a slow machine cannot age it past the wait before we look.
    utimesSync(join(repo.dir, LEDGER), new Date(), new Date(Date.now() + 60_000));
    const reconciler = new Reconciler(repo.dir, join(repo.dir, '.git'));
    const first = reconciler.reconcile({ ...noChanges(), full: true });
    expect(first.retry).toBeGreaterThan(0);
    expect(first.ledger).toBe('unchanged');
  });

  it('repairs a settled ledger on the first look, by its changed entry alone', () => {
    const repo = driftRepo();
    utimesSync(join(repo.dir, LEDGER), new Date(), new Date(Date.now() - 5_000));
    const reconciler = new Reconciler(repo.dir, join(repo.dir, '.git'));
    expect(reconciler.reconcile({ ...noChanges(), full: true })).toMatchObject({ applied: [], retry: false });
    repo.write(LEDGER, repo.read(LEDGER).replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${F12_DIR}/spec.md\n`));
    utimesSync(join(repo.dir, LEDGER), new Date(), new Date(Date.now() - 1_000));
    const r = reconciler.reconcile(ledgerChanged());
    expect(r).toMatchObject({ ledger: 'entries', retry: false });
    expect(r.applied.map((x) => x.code)).toEqual(['spec_path.repaired']);
    expect(repo.read(LEDGER)).toContain(`spec_path: ${F12_DIR}\n`);
  });
});
