import { existsSync, mkdirSync, readdirSync, rmdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DAEMON_TEST_MS, DAEMON_WAIT_MS, logLines, specflowd, startDaemon, status, stopAllDaemons, waitFor } from '../helpers/daemon.js';
import { GOOD_SPEC, GOOD_TASKS } from '../helpers/docs.js';
import { cleanupTempDirs } from '../helpers/repo.js';
import { assertHookSane, commit, F1_DIR, fingerprint, installTool, LEDGER, runChecked, sandbox, SPECS, type Sandbox } from './support/hostile.js';

/**
 * Paths that lead out of the repository — through `spec_path`, a symlinked folder or document,
 * or a symlink loop — and folder names the id scheme does not know. Nothing outside is read or
 * written, no command hangs, and the gates never pass on documents that live elsewhere.
 */
afterEach(stopAllDaemons);
afterAll(cleanupTempDirs);

/** Sets F-1's spec_path and phase by hand, as an agent editing the ledger would. */
function setF1(sb: Sandbox, specPath: string, phase = 'specify'): void {
  const text = sb.repo.read(LEDGER).replace(/spec_path: .*/, `spec_path: ${JSON.stringify(specPath)}`).replace(/phase: none/, `phase: ${phase}`);
  sb.repo.write(LEDGER, text);
}

/** The commands a path case goes through: readers, the gates and the repairs. */
async function throughEveryCommand(sb: Sandbox, opts: { validate: number | number[] } = { validate: 1 }): Promise<void> {
  // None of these may change the ledger, so they can run side by side.
  await Promise.all([
    runChecked(sb, ['status', 'F-1', '--json'], { exit: 0 }),
    runChecked(sb, ['validate'], { exit: opts.validate }),
    runChecked(sb, ['doctor', '--json'], { exit: [0, 1] }),
    runChecked(sb, ['doctor', '--fix'], { exit: [0, 1] }),
    // The gates would pass on the documents outside: they must not be read.
    runChecked(sb, ['plan', 'F-1'], { exit: 1 }),
    runChecked(sb, ['phase', 'F-1', 'complete', '--json'], { exit: 1 }),
    runChecked(sb, ['approve', 'F-1', '--by', 'Ann <ann@example.com>'], { exit: 1 }),
  ]);
}

describe('spec_path leading out of the repository', () => {
  it.each([
    ['a relative path with ..', () => '../outside/f-1'],
    ['a deeper .. path that comes back in and out', () => `${SPECS}/../../../outside/f-1`],
    ['an absolute path outside', (sb: Sandbox) => join(sb.outside, 'f-1')],
    ['a Windows-style path with backslashes', () => '..\\outside\\f-1'],
    ['a file URL', (sb: Sandbox) => `file://${join(sb.outside, 'f-1')}`],
  ])('%s: a finding everywhere, nothing read or written out there', async (_name, path) => {
    const sb = sandbox();
    setF1(sb, path(sb));
    await throughEveryCommand(sb);
    // A doctor --fix that points an unusable path at the one folder carrying the id is the safe
    // repair; a path that leaves the repository is never "repaired" into one.
    expect(sb.repo.read(LEDGER)).toContain(JSON.stringify(path(sb)));
    const v = await runChecked(sb, ['validate', '--json'], { exit: 1 });
    expect(v.stdout).toMatch(/spec_path\.invalid|path\.outside|spec\.missing/);
  });

  it('an absolute path inside the repository is repaired by doctor --fix to the relative folder', async () => {
    const sb = sandbox();
    setF1(sb, join(sb.repo.dir, F1_DIR), 'none');
    await runChecked(sb, ['doctor', '--fix'], { exit: 0, writes: true, says: /spec_path\.repaired/ });
    expect(sb.repo.read(LEDGER)).toMatch(new RegExp(`spec_path: "?${F1_DIR}"?\n`));
  });

  it('a commit that advances a feature whose spec_path leaves the repository is refused', () => {
    const sb = sandbox();
    installTool(sb.repo);
    expect(commit(sb.repo, 'start').code).toBe(0);
    setF1(sb, '../outside/f-1', 'plan');
    assertHookSane(commit(sb.repo, 'advance through a path outside'), { refused: true, says: /F-1/ });
  });
});

describe('symlinks pointing out of the repository', () => {
  it('a feature folder that is a symlink to a folder outside: not read, no template written there', async () => {
    const sb = sandbox();
    const folder = join(sb.repo.dir, F1_DIR);
    // Replace the (empty) folder with a link to the passing feature outside.
    expect(readdirSync(folder)).toEqual([]);
    rmdirSync(folder);
    symlinkSync(join(sb.outside, 'f-1'), folder);
    setF1(sb, F1_DIR);
    await throughEveryCommand(sb);
    const v = await runChecked(sb, ['validate', '--json'], { exit: 1 });
    expect(v.stdout).toContain('path.outside');
  });

  it('plan.md that is a symlink to a plan outside: the plan gate fails, naming the link', async () => {
    const sb = sandbox();
    sb.repo.write(`${F1_DIR}/spec.md`, GOOD_SPEC);
    sb.repo.write(`${F1_DIR}/tasks.md`, GOOD_TASKS);
    expect(sb.repo.cli(['approve', 'F-1', '--by', 'Ann <ann@example.com>']).code).toBe(0);
    symlinkSync(join(sb.outside, 'f-1', 'plan.md'), join(sb.repo.dir, F1_DIR, 'plan.md'));
    const r = await runChecked(sb, ['plan', 'F-1', '--json'], { exit: 1, codes: ['path.outside'] });
    expect(r.stdout).toContain('plan.md');
    await runChecked(sb, ['phase', 'F-1', 'tasks'], { exit: 1, says: /outside the repository/ });
    await runChecked(sb, ['validate'], { exit: [0, 1] });
    await runChecked(sb, ['doctor'], { exit: [0, 1] });

    // Committed as a symlink, the hook reads it from the index: still outside, still refused.
    installTool(sb.repo);
    expect(commit(sb.repo, 'start').code).toBe(0);
    sb.repo.write(LEDGER, sb.repo.read(LEDGER).replace('phase: none', 'phase: plan'));
    assertHookSane(commit(sb.repo, 'plan through a link'), { refused: true, says: /plan\.md/ });
  });

  it('a symlink inside the repository to a document inside it is followed', async () => {
    const sb = sandbox();
    sb.repo.write('docs/shared-spec.md', GOOD_SPEC);
    symlinkSync('../../../docs/shared-spec.md', join(sb.repo.dir, F1_DIR, 'spec.md'));
    await runChecked(sb, ['specify', 'F-1'], { exit: 0, writes: true });
  });
});

describe('symlink loops', { timeout: DAEMON_TEST_MS }, () => {
  it('a document linked to itself, two documents linked to each other, and folders linked in a ring: findings, no hang', async () => {
    const sb = sandbox();
    const dir = join(sb.repo.dir, F1_DIR);
    symlinkSync('spec.md', join(dir, 'spec.md'));
    symlinkSync('tasks.md', join(dir, 'plan.md.tmp'));
    symlinkSync('plan.md.tmp', join(dir, 'tasks.md'));
    symlinkSync('plan.md', join(dir, 'plan.md'));
    // Folders under specs_dir that point at each other, and one at its own parent.
    symlinkSync('f-2-ring-b', join(sb.specs, 'f-2-ring-a'));
    symlinkSync('f-2-ring-a', join(sb.specs, 'f-2-ring-b'));
    symlinkSync('..', join(sb.specs, 'f-3-parent'));
    symlinkSync('.', join(sb.specs, 'f-4-itself'));
    symlinkSync('.', join(dir, 'self'));
    setF1(sb, F1_DIR);
    await throughEveryCommand(sb, { validate: 1 });
    const v = await runChecked(sb, ['validate', '--json'], { exit: 1 });
    expect(v.stdout).toMatch(/path\.outside|doc\.not-a-file|loop/);

    // The daemon walks and watches the same tree: it keeps running and reports.
    const before = fingerprint(sb.outside);
    startDaemon(sb.repo);
    await waitFor(() => status(sb.repo).reconciles >= 1, DAEMON_WAIT_MS, 'the first reconcile');
    const s = status(sb.repo);
    expect(s.running).toBe(true);
    expect(s.lastError).toBeNull();
    expect(logLines(sb.repo).every((l) => typeof l.msg === 'string')).toBe(true);
    expect(specflowd(sb.repo, ['stop']).code).toBe(0);
    expect(fingerprint(sb.outside)).toBe(before);
  });
});

describe('folder names the id scheme does not know', { timeout: DAEMON_TEST_MS }, () => {
  const ODD = ['not-a-feature', 'f-x-no-number', 'F-2 with spaces', 'f-3-line\nbreak', 'f-4-\u202Eevil', 'f-5-$(touch pwned)', '-f-6-dash', 'f-0007-padded-ok', '.f-8-hidden'];

  it('are never registered; the one valid folder among them is; init, doctor and the daemon agree', async () => {
    const sb = sandbox();
    for (const name of ODD) mkdirSync(join(sb.specs, name));
    const fix = await runChecked(sb, ['doctor', '--fix'], { exit: [0, 1], writes: true });
    expect(fix.stdout).not.toMatch(/[\u202A-\u202E]/);
    const ledger = sb.repo.read(LEDGER);
    expect(ledger).toContain('F-0007:');
    expect(ledger.match(/^ {2}\S.*:$/gm)).toEqual(['  F-1:', '  F-0007:']);
    await runChecked(sb, ['init'], { exit: 0 });
    expect(sb.repo.read(LEDGER)).toBe(ledger);
    const st = await runChecked(sb, ['status'], { exit: 0 });
    expect(st.stdout).not.toMatch(/[\u202A-\u202E]/);
    expect(existsSync(join(sb.repo.dir, 'pwned'))).toBe(false);

    // The daemon, started on the same tree, registers nothing more.
    startDaemon(sb.repo);
    await waitFor(() => status(sb.repo).reconciles >= 1, DAEMON_WAIT_MS, 'the first reconcile');
    mkdirSync(join(sb.specs, 'f-9-\nnewline-late'));
    mkdirSync(join(sb.specs, 'f-10-late-and-valid'));
    await waitFor(() => sb.repo.read(LEDGER).includes('F-10:') || undefined, DAEMON_WAIT_MS, 'the valid late folder to be registered');
    expect(sb.repo.read(LEDGER).match(/^ {2}\S.*:$/gm)).toEqual(['  F-1:', '  F-0007:', '  F-10:']);
    expect(status(sb.repo).lastError).toBeNull();
  });
});
