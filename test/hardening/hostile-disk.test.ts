import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { specflowd, stopAllDaemons } from '../helpers/daemon.js';
import { GOOD_SPEC } from '../helpers/docs.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';
import { assertSane, F1_DIR, LEDGER, READERS, runChecked, sandbox } from './support/hostile.js';

/**
 * A full disk, simulated with a tiny tmpfs mounted over `.maestro/`. Mounting needs root and a
 * kernel that lets this sandbox mount; where it cannot (an unprivileged CI runner), this test is
 * skipped and says why, and the guarantee rests on the same code path the read-only and
 * permission tests exercise.
 */
const mounts: string[] = [];
afterAll(async () => {
  await stopAllDaemons();
  for (const dir of mounts.splice(0)) spawnSync('umount', ['-l', dir]);
  cleanupTempDirs();
});

function canMount(): boolean {
  const probe = tempDir('specflow-mount-probe-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  spawnSync('umount', [probe]);
  return true;
}

/** Fills a file system to the last byte; returns the filler's path. */
function fill(dir: string): string {
  const filler = join(dir, 'filler.bin');
  const chunk = Buffer.alloc(4096, 0x61);
  let written = 0;
  try {
    writeFileSync(filler, '');
    for (;;) {
      writeFileSync(filler, chunk, { flag: 'a' });
      written += chunk.length;
    }
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
  // And the last partial block.
  try {
    for (;;) writeFileSync(filler, 'a', { flag: 'a' });
  } catch {
    /* full */
  }
  expect(written).toBeGreaterThan(0);
  return filler;
}

const mountable = canMount();

describe('a full disk', () => {
  // Where the sandbox may not mount, vitest lists this test as skipped.
  it.runIf(mountable)('every write is refused with exit 3 and a clear message; the ledger is whole, nothing is left behind, and the next write after space is freed succeeds', async () => {
    const sb = sandbox();
    sb.repo.write(`${F1_DIR}/spec.md`, GOOD_SPEC);
    // Move .maestro/ onto a 1 MB tmpfs.
    const maestro = join(sb.repo.dir, '.maestro');
    const saved = join(tempDir(), 'maestro');
    cpSync(maestro, saved, { recursive: true });
    rmSync(maestro, { recursive: true });
    mkdirSync(maestro);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', maestro], { encoding: 'utf8' });
    expect(m.status, m.stderr).toBe(0);
    mounts.push(maestro);
    cpSync(saved, maestro, { recursive: true });
    const filler = fill(maestro);

    await Promise.all(READERS.map((args) => runChecked(sb, args, { exit: [0, 1] })));
    const listing = readdirSync(maestro).sort();
    const writes = [['specify', 'F-1'], ['approve', 'F-1', '--by', 'Ann <ann@example.com>'], ['skip', 'F-1', '--reason', 'later'], ['add', 'Another Feature'], ['specify', 'F-1', '--json']];
    for (const args of writes) await runChecked(sb, args, { exit: 3, says: /no space left/, ...(args.includes('--json') ? { codes: ['ledger.unwritable'] } : {}) });
    // No lock, no temporary file: the file system holds exactly what it held.
    expect(readdirSync(maestro).sort()).toEqual(listing);

    // The daemon cannot start on a full disk, and says so without a trace.
    const before = sb.repo.read(LEDGER);
    const d = specflowd(sb.repo, ['start', '--json']);
    assertSane(sb.repo, ['specflowd', 'start', '--json'], d, { exit: [1, 3] }, before);

    rmSync(filler);
    await runChecked(sb, ['specify', 'F-1'], { exit: 0, writes: true });
    expect(sb.repo.read(LEDGER)).toMatch(/phase: specify/);
    expect(readdirSync(maestro).filter((n) => /\.(tmp|lock|break)$/.test(n))).toEqual([]);
  });
});
