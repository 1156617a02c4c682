import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DAEMON_TEST_MS, DAEMON_WAIT_MS, logLines, specflowd, startDaemon, status, stopAllDaemons, waitFor } from '../helpers/daemon.js';
import { GOOD_SPEC, GOOD_TASKS, goodPlan } from '../helpers/docs.js';
import { cleanupTempDirs, json } from '../helpers/repo.js';
import { assertHookSane, commit, F1_DIR, installTool, LEDGER, runChecked, sandbox, type Sandbox } from './support/hostile.js';

/**
 * Documents no gate can use — 50 MB, binary, not UTF-8 — get a finding naming the file, never a
 * hang or a crash, in the CLI, in the hooks (reading the index) and in the daemon; a BOM and
 * CRLF line endings are accepted as the same document.
 */
afterEach(stopAllDaemons);
afterAll(cleanupTempDirs);

const PLAN = `${F1_DIR}/plan.md`;

/** F-1 with an approved, passing spec and a task list, so the plan document alone decides the plan gate. */
function readyForPlan(): Sandbox {
  const sb = sandbox();
  sb.repo.write(`${F1_DIR}/spec.md`, GOOD_SPEC);
  sb.repo.write(`${F1_DIR}/tasks.md`, GOOD_TASKS);
  expect(sb.repo.cli(['specify', 'F-1']).code).toBe(0);
  expect(sb.repo.cli(['approve', 'F-1', '--by', 'Ann Example <ann@example.com>']).code).toBe(0);
  return sb;
}

/** A 50 MB plan: a passing plan followed by 50 MB of text, written in chunks. */
function writeHugePlan(sb: Sandbox): void {
  const fd = openSync(join(sb.repo.dir, PLAN), 'w');
  writeSync(fd, goodPlan());
  const line = Buffer.from(`${'All work and no play makes a very long plan. '.repeat(20)}\n`);
  for (let n = 0; n < (50 * 1024 * 1024) / line.length; n++) writeSync(fd, line);
  closeSync(fd);
}

interface BadDocument {
  name: string;
  code: string;
  write(sb: Sandbox): void;
}

const BAD: BadDocument[] = [
  { name: 'a 50 MB plan.md', code: 'doc.too-large', write: writeHugePlan },
  { name: 'a binary plan.md', code: 'doc.binary', write: (sb) => sb.repo.write(PLAN, Buffer.concat([Buffer.from(goodPlan()), Buffer.from([0, 1, 2, 0xff, 0, 0x89, 0x50, 0x4e, 0x47])])) },
  { name: 'a plan.md that is not UTF-8', code: 'doc.encoding', write: (sb) => sb.repo.write(PLAN, Buffer.concat([Buffer.from(goodPlan()), Buffer.from('\nCaf\xe9 cr\xe8me\n', 'latin1')])) },
];

describe('documents no gate can use', { timeout: DAEMON_TEST_MS }, () => {
  it.each(BAD.map((c) => [c.name, c] as const))('%s: a finding naming the file, in the CLI, the pre-commit hook and the daemon', async (_name, c) => {
    const sb = readyForPlan();
    c.write(sb);
    const r = await runChecked(sb, ['plan', 'F-1', '--json'], { exit: 1, codes: [c.code] });
    expect(json<{ findings: { file?: string }[] }>(r).findings.some((f) => f.file === PLAN)).toBe(true);
    await Promise.all([
      runChecked(sb, ['plan', 'F-1'], { exit: 1, says: /plan\.md/ }),
      runChecked(sb, ['phase', 'F-1', 'complete'], { exit: 1 }),
      runChecked(sb, ['validate', '--json'], { exit: [0, 1] }),
      runChecked(sb, ['doctor'], { exit: [0, 1] }),
      runChecked(sb, ['status', 'F-1', '--json'], { exit: 0 }),
    ]);

    // The same bytes, committed with a phase change that needs them: the hook reads the index.
    installTool(sb.repo);
    sb.repo.write(LEDGER, sb.repo.read(LEDGER).replace('phase: specify', 'phase: plan'));
    assertHookSane(commit(sb.repo, 'plan with a bad document'), { refused: true, says: new RegExp(c.code.replace('.', '\\.')) });

    // The daemon reconciles the tree, reports and keeps running.
    sb.repo.git(['reset', '-q']);
    startDaemon(sb.repo);
    await waitFor(() => status(sb.repo).reconciles >= 1, DAEMON_WAIT_MS, 'the first reconcile');
    expect(status(sb.repo).running).toBe(true);
    expect(status(sb.repo).lastError).toBeNull();
    expect(logLines(sb.repo).length).toBeGreaterThan(0);
    expect(specflowd(sb.repo, ['stop']).code).toBe(0);
  });
});

describe('BOM and CRLF', () => {
  it('documents with a BOM and CRLF line endings pass their gates like any other', async () => {
    const sb = sandbox();
    const dos = (s: string) => `\uFEFF${s.replace(/\n/g, '\r\n')}`;
    sb.repo.write(`${F1_DIR}/spec.md`, dos(GOOD_SPEC));
    sb.repo.write(PLAN, dos(goodPlan()));
    sb.repo.write(`${F1_DIR}/tasks.md`, dos(GOOD_TASKS));
    await runChecked(sb, ['specify', 'F-1'], { exit: 0, writes: true });
    await runChecked(sb, ['approve', 'F-1', '--by', 'Ann <ann@example.com>'], { exit: 0, writes: true });
    await runChecked(sb, ['phase', 'F-1', 'implement'], { exit: 0, writes: true });
    const st = await runChecked(sb, ['status', 'F-1', '--json'], { exit: 0 });
    const f = json<{ phase: string; tasks: { text: string }[] }>(st);
    expect(f.phase).toBe('implement');
    expect(f.tasks.map((t) => t.text)).toEqual(['Write the loader', 'Add the check command', 'Document the settings']);
  });

  it('a ledger with a BOM and CRLF is read as is; only doctor --fix rewrites it, as UTF-8 with LF', async () => {
    const sb = sandbox();
    const canonical = sb.repo.read(LEDGER);
    const dos = `\uFEFF${canonical.replace(/\n/g, '\r\n')}`;
    sb.repo.write(LEDGER, dos);
    await Promise.all([
      runChecked(sb, ['status'], { exit: 0, says: /F-1/ }),
      runChecked(sb, ['status', 'F-1', '--json'], { exit: 0 }),
      runChecked(sb, ['validate'], { exit: 0 }),
      runChecked(sb, ['doctor'], { exit: 0, says: /ledger\.reformatted/ }),
    ]);
    expect(sb.repo.read(LEDGER)).toBe(dos);
    await runChecked(sb, ['doctor', '--fix'], { exit: 0, writes: true });
    expect(sb.repo.read(LEDGER)).toBe(canonical);
  });
});
