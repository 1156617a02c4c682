import { chmodSync, existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { GOOD_SPEC } from '../helpers/docs.js';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DAEMON_TEST_MS, DAEMON_WAIT_MS, alive, ledgerBecomes, LOG, logLines, specflowd, startDaemon, status, stopAllDaemons, waitFor } from '../helpers/daemon.js';
import { driftRepo, F12_DIR, LEDGER, SPECS } from '../helpers/drift.js';
import { cleanupTempDirs, DAEMON, makeRepo, type TestRepo } from '../helpers/repo.js';

/** One daemon per worktree: start, stop, status, a killed daemon's lock, and git's environment. */
afterEach(stopAllDaemons);
afterAll(cleanupTempDirs);

const PID_FILE = '.maestro/run/specflowd.pid';
const breakSpecPath = (repo: TestRepo) => repo.write(LEDGER, repo.read(LEDGER).replace(`spec_path: ${F12_DIR}\n`, `spec_path: ${F12_DIR}/spec.md\n`));
const repaired = (repo: TestRepo) => ledgerBecomes(repo, (t) => t.includes(`spec_path: ${F12_DIR}\n`));

describe('specflowd lifecycle', { timeout: DAEMON_TEST_MS }, () => {
  it('status when not running, start, start again, stop, stop again', async () => {
    const repo = driftRepo();
    const before = specflowd(repo, ['status', '--json']);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout)).toMatchObject({ running: false, pid: null, state: 'not running' });
    expect(specflowd(repo, ['status']).stdout).toContain('specflowd is not running');

    const started = specflowd(repo, ['start', '--interval', '600000']);
    expect(started.code, started.stderr).toBe(0);
    const pid = Number(/pid (\d+)/.exec(started.stdout)?.[1]);
    expect(alive(pid)).toBe(true);
    expect(readFileSync(join(repo.dir, PID_FILE), 'utf8').split('\n')[0]).toBe(String(pid));
    const running = status(repo);
    expect(running).toMatchObject({ running: true, pid, state: 'running', repairs: 0 });
    expect(running.lastReconcile?.reason).toBe('start');

    const again = specflowd(repo, ['start', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ started: false, pid });
    expect(specflowd(repo, ['start']).stdout).toContain(`already running in ${repo.dir} (pid ${pid})`);

    breakSpecPath(repo);
    await repaired(repo);
    await waitFor(() => status(repo).repairs === 1, DAEMON_WAIT_MS, 'the repair count');

    const stopped = specflowd(repo, ['stop']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped (pid ${pid})`);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(repo.dir, PID_FILE))).toBe(false);
    expect(logLines(repo).at(-1)).toMatchObject({ msg: 'stop', signal: 'SIGTERM', repairs: 1 });
    const after = JSON.parse(specflowd(repo, ['status', '--json']).stdout) as { running: boolean; repairs: number };
    expect(after).toMatchObject({ running: false, repairs: 1 });
    expect(specflowd(repo, ['stop']).stdout).toContain('not running');
  });

  it('takes over the lock of a daemon that was killed', async () => {
    const repo = driftRepo();
    const first = startDaemon(repo);
    process.kill(first, 'SIGKILL');
    await waitFor(() => !alive(first), DAEMON_WAIT_MS, 'the killed daemon to be gone');
    expect(readFileSync(join(repo.dir, PID_FILE), 'utf8').split('\n')[0]).toBe(String(first));
    expect(status(repo).running).toBe(false);

    const second = startDaemon(repo);
    expect(second).not.toBe(first);
    expect(status(repo)).toMatchObject({ running: true, pid: second });
    breakSpecPath(repo);
    await repaired(repo);
  });

  it('refuses to start where there is no ledger, and says why', () => {
    const repo = makeRepo();
    const r = specflowd(repo, ['start', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'ledger.missing' } });
  });

  it('watches the worktree it was started in, not the one a hook environment names', async () => {
    const other = driftRepo();
    const repo = driftRepo();
    const otherLedger = other.read(LEDGER);
    const env = { GIT_DIR: join(other.dir, '.git'), GIT_WORK_TREE: other.dir, GIT_INDEX_FILE: join(other.dir, '.git', 'index') };
    const pid = startDaemon(repo, { env });
    if (existsSync(`/proc/${pid}/environ`)) {
      const inherited = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((v) => v.startsWith('GIT_DIR=') || v.startsWith('GIT_INDEX_FILE=') || v.startsWith('GIT_WORK_TREE='));
      expect(inherited).toEqual([]);
      // Started with what keeps an idle daemon's memory small: one malloc arena, a small young generation.
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain('MALLOC_ARENA_MAX=1');
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=1');
    }
    breakSpecPath(repo);
    breakSpecPath(other);
    await repaired(repo);
    expect(other.read(LEDGER)).not.toBe(otherLedger);
    expect(other.read(LEDGER)).toContain(`${F12_DIR}/spec.md`);
    expect(existsSync(join(other.dir, PID_FILE))).toBe(false);
  });

  it('runs one daemon per worktree, started from a git hook inside a linked worktree', async () => {
    const repo = driftRepo();
    const skip = { SPECFLOW_SKIP: '1' };
    repo.git(['add', '-A']);
    repo.git(['commit', '-qm', 'base'], { env: skip });
    const wt = join(repo.dir, '..', 'wt');
    repo.git(['worktree', 'add', '-q', wt, '-b', 'side']);
    // A post-commit hook that starts the daemon: git runs it in the linked worktree with its own GIT_* variables set.
    repo.write('.git/hooks/post-commit', `#!/bin/sh\nexec "${process.execPath}" "${DAEMON}" start --interval 600000 >/dev/null 2>&1\n`);
    chmodSync(join(repo.dir, '.git/hooks/post-commit'), 0o755);
    repo.git(['-C', wt, 'commit', '-q', '--allow-empty', '-m', 'start the daemon from a hook'], { env: skip });
    specflowd(repo, ['status'], { cwd: wt }); // registers the hook's daemon for the cleanup
    const wtPid = Number(readFileSync(join(wt, PID_FILE), 'utf8').split('\n')[0]);
    expect(alive(wtPid)).toBe(true);
    const mainPid = startDaemon(repo);
    expect(mainPid).not.toBe(wtPid);

    const ledger = readFileSync(join(wt, LEDGER), 'utf8');
    writeFileSync(join(wt, LEDGER), ledger.replace(`spec_path: ${F12_DIR}\n`, `spec_path: ./${F12_DIR}/\n`));
    await waitFor(() => readFileSync(join(wt, LEDGER), 'utf8') === ledger, DAEMON_WAIT_MS, 'the worktree ledger to be repaired');
    expect(logLines(repo).filter((l) => l.msg === 'repair')).toEqual([]);
    process.kill(wtPid, 'SIGTERM');
    await waitFor(() => !alive(wtPid), DAEMON_WAIT_MS, 'the worktree daemon to stop');
  });
});

describe('specflowd safety net', { timeout: DAEMON_TEST_MS }, () => {
  it('finds a change no event reported on its periodic pass', async () => {
    // Every folder the daemon cares about is watched. A document rewritten through a hard link
    // made outside its folder changes without an event in that folder's watch, so only the
    // periodic pass (its sweep of the documents) sees it.
    const repo = makeRepo();
    expect(repo.cli(['init']).code).toBe(0);
    expect(repo.cli(['add', 'Export', '--id', 'F-7']).code).toBe(0);
    repo.write(`${SPECS}/f-7-export/spec.md`, GOOD_SPEC);
    expect(repo.cli(['specify', 'F-7']).code).toBe(0);
    linkSync(join(repo.dir, SPECS, 'f-7-export', 'spec.md'), join(repo.dir, 'spec-alias.md'));
    startDaemon(repo, { interval: 1000 });
    writeFileSync(join(repo.dir, 'spec-alias.md'), '# Export\n\n[NEEDS CLARIFICATION: everything]\n');
    const found = await waitFor(() => logLines(repo).find((l) => l.msg === 'problem' && l.code === 'phase.ahead' && l.feature === 'F-7'), DAEMON_WAIT_MS, 'the phase-ahead report');
    // It was a periodic pass (or the look again it asked for) that found it.
    const passes = logLines(repo).filter((l) => l.msg === 'reconcile' && l.time <= found.time && l.reason !== 'start');
    expect(passes.length).toBeGreaterThan(0);
    expect(passes.every((l) => /periodic|retry/.test(String(l.reason)))).toBe(true);
    expect(repo.read(LOG)).not.toMatch(/"level":"error"/);
  });
});
