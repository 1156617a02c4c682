import { mkdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Reconciler } from '../../src/daemon/reconciler.js';
import { noChanges } from '../../src/daemon/events.js';
import { readConfig } from '../../src/store/config-store.js';
import { driftRepo, F12_DIR, LEDGER } from '../helpers/drift.js';
import { cleanupTempDirs, json, type TestRepo } from '../helpers/repo.js';

/**
 * One reader of `.maestro/config.yaml` for the CLI, doctor and the daemon: a config that exists
 * but cannot be read is never taken for "no config". As root no chmod makes a file unreadable;
 * a directory in its place (EISDIR) does, for everyone.
 */
afterAll(cleanupTempDirs);

const CONFIG = '.maestro/config.yaml';

function unreadableConfig(): TestRepo {
  const repo = driftRepo();
  rmSync(join(repo.dir, CONFIG), { force: true });
  mkdirSync(join(repo.dir, CONFIG));
  return repo;
}

describe('a config that cannot be read', () => {
  it('is a typed failure of the one reader, not the defaults', () => {
    const repo = unreadableConfig();
    const read = readConfig(repo.dir);
    expect('failure' in read && read.failure).toMatchObject({ exitCode: 3, code: 'config.unreadable' });
    expect(read.text).toBeUndefined();
    rmSync(join(repo.dir, CONFIG), { recursive: true });
    expect(readConfig(repo.dir)).toMatchObject({ text: undefined, parsed: { config: { specs_dir: '.specify/specs' }, findings: [] } });
  });

  it.each(['doctor', 'doctor --fix', 'status'])('specflow %s exits 3 naming it', (command) => {
    const repo = unreadableConfig();
    const r = repo.cli([...command.split(' '), '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(json<{ error: { code: string } }>(r).error.code).toBe('config.unreadable');
  });

  it('the daemon reports it and holds its repairs back until the config can be read again', () => {
    const repo = unreadableConfig();
    const drifted = repo.read(LEDGER).replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${F12_DIR}/spec.md\n`);
    repo.write(LEDGER, drifted);
    utimesSync(join(repo.dir, LEDGER), new Date(), new Date(Date.now() - 5_000));
    const reconciler = new Reconciler(repo.dir, join(repo.dir, '.git'));
    const held = reconciler.reconcile({ ...noChanges(), full: true, reasons: new Set(['start']) });
    expect(held).toMatchObject({ applied: [], pausedFor: 'config cannot be read', retry: false });
    expect(held.pending.map((r) => r.code)).toEqual(['spec_path.repaired']);
    expect(held.newProblems.map((p) => [p.code, p.file])).toEqual([['config.unreadable', CONFIG]]);
    expect(repo.read(LEDGER)).toBe(drifted);

    rmSync(join(repo.dir, CONFIG), { recursive: true });
    const resumed = reconciler.reconcile({ ...noChanges(), config: true, reasons: new Set(['config']) });
    expect(resumed).toMatchObject({ pausedFor: null, problems: [] });
    expect(resumed.applied.map((r) => r.code)).toEqual(['spec_path.repaired']);
    expect(repo.read(LEDGER)).toContain(`spec_path: ${F12_DIR}\n`);
  });
});

describe('a ledger write the file system refuses, in the daemon', () => {
  it('is reported as a problem (exit-3 kind, with its hint) once a second look finds the same, never thrown', () => {
    const repo = driftRepo();
    const file = join(repo.dir, LEDGER);
    utimesSync(file, new Date(), new Date(Date.now() - 5_000));
    const reconciler = new Reconciler(repo.dir, join(repo.dir, '.git'));
    expect(reconciler.reconcile({ ...noChanges(), full: true })).toMatchObject({ applied: [], problems: [] });
    const drifted = repo.read(LEDGER).replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${F12_DIR}/\n`);
    repo.write(LEDGER, drifted);
    utimesSync(file, new Date(), new Date(Date.now() - 5_000));
    // This process's temporary file name, taken by a directory: the compare-and-swap cannot write.
    mkdirSync(`${file}.${process.pid}.tmp`);
    const changed = () => ({ ...noChanges(), ledger: true, reasons: new Set(['ledger']) });
    const first = reconciler.reconcile(changed());
    expect(first).toMatchObject({ applied: [], retry: 100 });
    const second = reconciler.reconcile(changed());
    expect(second).toMatchObject({ applied: [], retry: false });
    expect(second.newProblems).toMatchObject([{ code: 'ledger.unwritable', file: LEDGER, hint: expect.stringMatching(/permissions/) as unknown }]);
    expect(repo.read(LEDGER)).toBe(drifted);
  });
});
