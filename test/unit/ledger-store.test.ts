import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StateError } from '../../src/core/errors.js';
import { addFeature, newLedgerDocument, renderLedger, updateFeature } from '../../src/core/ledger.js';
import { ledgerFile, lockFile, replaceLedgerText, updateLedger } from '../../src/store/ledger-store.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';

/**
 * Both writers of the ledger — `updateLedger` (the CLI, doctor, the daemon's full path) and
 * `replaceLedgerText` (the daemon's compare-and-swap) — share the lock, the atomic write and
 * the mapping of a write the file system refuses to exit 3 with a hint. The refusal is real: a
 * directory squats the name of this process's temporary file, which root cannot write through.
 */
afterAll(cleanupTempDirs);

const DIR = '.specify/specs/f-1-search';

function root(): { dir: string; text: string } {
  const dir = tempDir();
  mkdirSync(join(dir, '.maestro'));
  const doc = newLedgerDocument();
  addFeature(doc, 'F-1', { name: 'Search', phase: 'none', spec_path: `${DIR}/spec.md` });
  const text = renderLedger(doc);
  writeFileSync(ledgerFile(dir), text);
  // Where writeFileAtomic puts this process's temporary file.
  mkdirSync(`${ledgerFile(dir)}.${process.pid}.tmp`);
  return { dir, text };
}

function refusal(write: () => unknown): StateError {
  try {
    write();
  } catch (e) {
    return e as StateError;
  }
  throw new Error('the write went through');
}

describe('a write the file system refuses', () => {
  it.each([
    ['updateLedger', (dir: string) => updateLedger(dir, (_parsed, doc) => updateFeature(doc, 'F-1', { spec_path: DIR }))],
    ['replaceLedgerText', (dir: string, text: string) => replaceLedgerText(dir, text, text.replace(`${DIR}/spec.md`, DIR))],
  ])('%s: exit 3 (ledger.unwritable) with a hint; the ledger as it was, the lock released', (_name, write) => {
    const { dir, text } = root();
    const e = refusal(() => write(dir, text));
    expect(e).toBeInstanceOf(StateError);
    expect(e).toMatchObject({ exitCode: 3, code: 'ledger.unwritable' });
    expect(e.message).toMatch(/^cannot write \.maestro\/ledger\.yaml: .*\(EEXIST\); nothing was written$/);
    expect(e.hint).toMatch(/permissions of \.maestro/);
    expect(existsSync(lockFile(dir))).toBe(false);
    expect(readdirSync(join(dir, '.maestro')).sort()).toEqual(['ledger.yaml', `ledger.yaml.${process.pid}.tmp`]);
    expect(readFileSync(ledgerFile(dir), 'utf8')).toBe(text);
  });

  it('replaceLedgerText still refuses a ledger changed meanwhile, before it tries to write', () => {
    const { dir, text } = root();
    expect(replaceLedgerText(dir, `${text}# changed\n`, text)).toBe(false);
  });
});
