import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { initRepo, LEDGER, SPECS, type TestRepo } from './repo.js';

/**
 * Drift between the ledger and the files, as people and agents cause it. Each safe case makes
 * the drift on disk and returns the ledger text a correct repair must end with; each reported
 * case must leave the ledger byte-for-byte as it is. `doctor --fix` and the daemon are tested
 * against the same cases, since they must repair the same way.
 */
export { LEDGER, SPECS };
export const F12_DIR = `${SPECS}/f-12-vector-configuration`;

/** An initialised repository with F-12 registered and its folder on disk; the ledger is canonical. */
export function driftRepo(): TestRepo {
  const repo = initRepo();
  const r = repo.cli(['add', 'Vector Configuration', '--id', 'F-12']);
  expect(r.code, r.stderr).toBe(0);
  repo.write(`${F12_DIR}/spec.md`, '# Vector Configuration\n\nOne file holds every vector setting.\n');
  return repo;
}

export interface SafeCase {
  name: string;
  code: string;
  /** Makes the drift; returns the ledger text expected once it is repaired. */
  drift(repo: TestRepo): string;
}

const editLedger = (repo: TestRepo, edit: (text: string) => string) => {
  const before = repo.read(LEDGER);
  const after = edit(before);
  expect(after).not.toBe(before);
  repo.write(LEDGER, after);
  return before;
};

const setSpecPath = (value: string) => (text: string) => text.replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${value}\n`);

export const SAFE_CASES: SafeCase[] = [
  { name: 'spec_path names spec.md', code: 'spec_path.repaired', drift: (r) => editLedger(r, setSpecPath(`${F12_DIR}/spec.md`)) },
  { name: 'spec_path has a trailing slash', code: 'spec_path.repaired', drift: (r) => editLedger(r, setSpecPath(`${F12_DIR}/`)) },
  { name: 'spec_path starts with ./', code: 'spec_path.repaired', drift: (r) => editLedger(r, setSpecPath(`./${F12_DIR}`)) },
  { name: 'spec_path uses backslashes', code: 'spec_path.repaired', drift: (r) => editLedger(r, setSpecPath(F12_DIR.replace(/\//g, '\\'))) },
  { name: 'spec_path is absolute inside the repository', code: 'spec_path.repaired', drift: (r) => editLedger(r, setSpecPath(join(r.dir, F12_DIR))) },
  {
    name: 'the feature folder was renamed',
    code: 'spec_path.moved',
    drift: (r) => {
      const before = r.read(LEDGER);
      renameSync(join(r.dir, F12_DIR), join(r.dir, `${SPECS}/f-12-vector-config`));
      return before.replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${SPECS}/f-12-vector-config\n`);
    },
  },
  { name: 'the id is lowercase', code: 'id.repaired', drift: (r) => editLedger(r, (t) => t.replace('  F-12:\n', '  f-12:\n')) },
  {
    name: 'a feature folder has no ledger entry',
    code: 'feature.registered',
    drift: (r) => {
      const before = r.read(LEDGER);
      // The folder appears with its spec in it (written aside, then renamed in): were it created
      // first, a daemon could list it before the spec exists and name the feature from its slug.
      r.write(`${SPECS}/.f-13-export.new/spec.md`, '# Feature Specification: Data Export\n\nExport every vector.\n');
      renameSync(join(r.dir, `${SPECS}/.f-13-export.new`), join(r.dir, `${SPECS}/f-13-export`));
      return `${before}\n  F-13:\n    name: Data Export\n    phase: none\n    spec_path: ${SPECS}/f-13-export\n`;
    },
  },
  {
    name: 'the ledger is out of order',
    code: 'ledger.reformatted',
    drift: (r) => {
      r.write(`${SPECS}/f-3-search/spec.md`, '# Search\n\nFind things.\n');
      const canonical = r.read(LEDGER).replace('features:\n', `features:\n  F-3:\n    name: Search\n    phase: none\n    spec_path: ${SPECS}/f-3-search\n\n`);
      const [head, f3, f12] = canonical.split(/\n(?= {2}F-)/);
      r.write(LEDGER, `${head}\n${f12!.trimEnd()}\n${f3!.trimEnd()}\n`);
      return canonical;
    },
  },
];

export interface ReportedCase {
  name: string;
  code: string;
  /** `doctor --fix` exit code: 1 (needs a human) or 3 (ledger unparsable, or holding a value specflow cannot read). */
  exit: 1 | 3;
  drift(repo: TestRepo): void;
}

export const REPORTED_CASES: ReportedCase[] = [
  { name: 'a phase ahead of its documents', code: 'phase.ahead', exit: 1, drift: (r) => void editLedger(r, (t) => t.replace('phase: none', 'phase: plan')) },
  { name: 'two folders claim one id', code: 'folder.id.conflict', exit: 1, drift: (r) => r.write(`${SPECS}/f-12-vector-configuration-old/spec.md`, '# Old\n') },
  { name: 'the feature folder vanished', code: 'spec_path.missing', exit: 1, drift: (r) => rmSync(join(r.dir, F12_DIR), { recursive: true }) },
  {
    name: 'the ledger cannot be parsed',
    code: 'ledger.unparsable',
    exit: 3,
    drift: (r) => void editLedger(r, (t) => t.replace(`spec_path: ${F12_DIR}`, `spec_path: [${F12_DIR}/spec.md`)),
  },
  {
    name: 'the ledger has conflict markers',
    code: 'ledger.conflict',
    exit: 3,
    drift: (r) => void editLedger(r, (t) => t.replace(`    spec_path: ${F12_DIR}\n`, `<<<<<<< ours\n    spec_path: ${F12_DIR}/spec.md\n=======\n    spec_path: ${F12_DIR}/\n>>>>>>> theirs\n`)),
  },
  {
    name: 'an entry appears twice',
    code: 'ledger.duplicate-key',
    // A value specflow cannot read: unreadable state, as for a ledger that does not parse.
    exit: 3,
    drift: (r) => void editLedger(r, (t) => `${t}\n  f-12:\n    name: Again\n    phase: none\n    spec_path: ${F12_DIR}/spec.md\n`),
  },
];
