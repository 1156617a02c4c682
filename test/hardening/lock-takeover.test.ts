import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BusyError } from '../../src/core/errors.js';
import { acquireLock } from '../../src/store/lock.js';
import { deadPid } from '../helpers/process.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';

/**
 * Taking over a stale lock, step by step: only the holder of `<lock>.break` may remove a lock it
 * does not own, so of several processes that find the same dead holder none can remove the
 * fresh lock another one has just taken.
 */
afterAll(cleanupTempDirs);

const holderOf = (path: string) => readFileSync(path, 'utf8').split('\n')[0];

describe('stale lock takeover', () => {
  it('waits while a live process holds the takeover guard, and leaves the stale lock to it', () => {
    const dir = tempDir();
    const lock = join(dir, 'ledger.yaml.lock');
    const dead = deadPid();
    writeFileSync(lock, `${dead}\n2026-01-01T00:00:00Z\n`);
    // Our parent is alive: as far as we can tell, it is in the middle of removing the stale lock.
    writeFileSync(`${lock}.break`, `${process.ppid}\n`);
    expect(() => acquireLock(lock, { timeoutMs: 100 })).toThrow(BusyError);
    expect(holderOf(lock)).toBe(String(dead));
  });

  it('takes over a stale lock whose guard was left by a dead breaker, and removes both', () => {
    const dir = tempDir();
    const lock = join(dir, 'ledger.yaml.lock');
    writeFileSync(lock, `${deadPid()}\n2026-01-01T00:00:00Z\n`);
    writeFileSync(`${lock}.break`, `${deadPid()}\n`);
    const release = acquireLock(lock, { timeoutMs: 2_000 });
    expect(holderOf(lock)).toBe(String(process.pid));
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes a dead breaker’s guard when it takes a free lock', () => {
    const dir = tempDir();
    const lock = join(dir, 'ledger.yaml.lock');
    writeFileSync(`${lock}.break`, `${deadPid()}\n`);
    const release = acquireLock(lock, { timeoutMs: 100 });
    expect(existsSync(`${lock}.break`)).toBe(false);
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

});
