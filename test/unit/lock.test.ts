import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BusyError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../../src/store/atomic-write.js';
import { acquireLock } from '../../src/store/lock.js';
import { deadPid } from '../helpers/process.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';

afterAll(cleanupTempDirs);

describe('acquireLock', () => {
  it('creates the lock with our pid and removes it on release', () => {
    const lock = join(tempDir(), 'ledger.yaml.lock');
    const release = acquireLock(lock);
    expect(readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(process.pid));
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('times out with BusyError while a live process holds it', () => {
    const lock = join(tempDir(), 'ledger.yaml.lock');
    writeFileSync(lock, `${process.ppid}\n2026-01-01T00:00:00Z\n`);
    expect(() => acquireLock(lock, { timeoutMs: 50 })).toThrow(BusyError);
    expect(readFileSync(lock, 'utf8')).toContain(String(process.ppid));
  });

  it('takes over a stale lock whose process is dead', () => {
    const dir = tempDir();
    const lock = join(dir, 'ledger.yaml.lock');
    writeFileSync(lock, `${deadPid()}\n2026-01-01T00:00:00Z\n`);
    const release = acquireLock(lock, { timeoutMs: 50 });
    expect(readFileSync(lock, 'utf8').split('\n')[0]).toBe(String(process.pid));
    release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', () => {
    const dir = tempDir();
    const file = join(dir, 'ledger.yaml');
    writeFileSync(file, 'old\n');
    writeFileAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['ledger.yaml']);
  });
});
