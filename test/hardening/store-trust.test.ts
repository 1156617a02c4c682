import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alive, DAEMON_TEST_MS, DAEMON_WAIT_MS, logLines, startDaemon, status, stopAllDaemons, waitFor } from '../helpers/daemon.js';
import { GOOD_SPEC } from '../helpers/docs.js';
import { CLI, cleanupTempDirs, DAEMON, initRepo, LEDGER, runAsync, SPECS, type RunResult, type TestRepo } from '../helpers/repo.js';

/**
 * `.maestro/`, the ledger and the config are a directory and regular files (DESIGN §2). A
 * symlink or a FIFO in their place is unreadable state: every command exits 3 naming it, never
 * follows it, never waits on it, never replaces it; the daemon reports it and writes nothing.
 * Every run here has a time limit: a command that blocks on a FIFO is a failure, not a hang.
 */
const CONFIG = '.maestro/config.yaml';
const F1_DIR = `${SPECS}/f-1-vector-configuration`;
const HANG_MS = 20_000;

afterEach(stopAllDaemons);
afterAll(cleanupTempDirs);

const cli = (repo: TestRepo, args: string[]): Promise<RunResult> => runAsync(process.execPath, [CLI, ...args], repo.env, repo.dir, HANG_MS);
const daemon = (repo: TestRepo, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
  runAsync(process.execPath, [DAEMON, ...args], { ...repo.env, SPECFLOWD_START_TIMEOUT_MS: '10000', SPECFLOWD_STOP_TIMEOUT_MS: '5000', ...env }, repo.dir, HANG_MS);

/** A daemon a failing run left behind (blocked in open, say) must not outlive the test. */
function killLeftover(repo: TestRepo): void {
  try {
    const pid = Number(readFileSync(join(repo.dir, '.maestro/run/specflowd.pid'), 'utf8').split('\n')[0]);
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
  } catch {
    /* none */
  }
}

function repoWithFeature(): TestRepo {
  const repo = initRepo();
  expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-1']).code).toBe(0);
  repo.write(`${F1_DIR}/spec.md`, GOOD_SPEC);
  return repo;
}

/** The ledger replaced by a symlink to a file outside the repository (holding a bad spec_path the daemon would repair). */
function ledgerLinkedOutside(repo: TestRepo): string {
  const outside = join(dirname(repo.dir), 'outside-ledger.yaml');
  const text = readFileSync(join(repo.dir, LEDGER), 'utf8').replace(`spec_path: ${F1_DIR}`, `spec_path: ${F1_DIR}/spec.md`);
  writeFileSync(outside, text);
  rmSync(join(repo.dir, LEDGER));
  symlinkSync(outside, join(repo.dir, LEDGER));
  return outside;
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

/** Waits for the daemon's log to report a problem with `code`, naming the ledger. */
const reported = (repo: TestRepo, code: string) =>
  waitFor(() => logLines(repo).find((l) => l.msg === 'problem' && l.code === code && String(l.message).includes(LEDGER)), DAEMON_WAIT_MS, `the daemon to report ${code}`);

const READERS = [['status'], ['status', '--json'], ['doctor'], ['validate', 'F-1'], ['specify', 'F-1'], ['add', 'Another']];

describe('the ledger or config is not a regular file', () => {
  it('a ledger symlinked outside the repository: every command exits 3 naming it, the symlink and its target stay', async () => {
    const repo = repoWithFeature();
    const outside = ledgerLinkedOutside(repo);
    const before = readFileSync(outside, 'utf8');
    for (const args of READERS) {
      const r = await cli(repo, args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(r.stdout + r.stderr).toContain(LEDGER);
      expect(r.stdout + r.stderr).not.toContain('Vector Configuration');
    }
    expect(lstatSync(join(repo.dir, LEDGER)).isSymbolicLink()).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe(before);
  });

  it(
    'a ledger symlinked outside the repository: the daemon reports it and never writes',
    async () => {
      const repo = repoWithFeature();
      const outside = ledgerLinkedOutside(repo);
      const before = readFileSync(outside, 'utf8');
      startDaemon(repo);
      await reported(repo, 'ledger.not-a-file');
      expect(status(repo)).toMatchObject({ running: true, problems: 1 });
      // A new folder makes it look again (it would register it); it still writes nothing.
      repo.write(`${SPECS}/f-2-search/spec.md`, GOOD_SPEC);
      await waitFor(() => logLines(repo).filter((l) => l.msg === 'reconcile').length >= 2, DAEMON_WAIT_MS, 'a second reconcile');
      expect(lstatSync(join(repo.dir, LEDGER)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(repo.dir, LEDGER))).toBe(outside);
      expect(readFileSync(outside, 'utf8')).toBe(before);
    },
    DAEMON_TEST_MS,
  );

  it(
    'a FIFO at the ledger: no command waits on it; the daemon starts, reports it, and stops on SIGTERM',
    async () => {
      const repo = repoWithFeature();
      rmSync(join(repo.dir, LEDGER));
      mkfifo(join(repo.dir, LEDGER));
      try {
        for (const args of READERS) {
          const r = await cli(repo, args);
          expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(3);
          expect(r.stdout + r.stderr).toContain(LEDGER);
        }
        const start = await daemon(repo, ['start', '--json', '--interval', '600000']);
        expect(start.code, start.stdout + start.stderr).toBe(0);
        await reported(repo, 'ledger.not-a-file');
        expect(status(repo)).toMatchObject({ running: true, problems: 1 });
        const stop = await daemon(repo, ['stop', '--json']);
        expect(stop.code, stop.stdout + stop.stderr).toBe(0);
        expect(JSON.parse(stop.stdout)).toMatchObject({ forced: false });
        expect(lstatSync(join(repo.dir, LEDGER)).isFIFO()).toBe(true);
      } finally {
        killLeftover(repo);
      }
    },
    DAEMON_TEST_MS,
  );

  it('a FIFO or a symlink at the config: every command exits 3 naming it, never waits on it', async () => {
    const repo = repoWithFeature();
    rmSync(join(repo.dir, CONFIG));
    mkfifo(join(repo.dir, CONFIG));
    for (const args of READERS) {
      const r = await cli(repo, args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(r.stdout + r.stderr).toContain(CONFIG);
    }
    rmSync(join(repo.dir, CONFIG));
    const outside = join(dirname(repo.dir), 'outside-config.yaml');
    writeFileSync(outside, 'version: 1\nspecs_dir: .specify/specs\n');
    symlinkSync(outside, join(repo.dir, CONFIG));
    for (const args of READERS) {
      const r = await cli(repo, args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(r.stdout + r.stderr).toContain(CONFIG);
    }
    expect(lstatSync(join(repo.dir, CONFIG)).isSymbolicLink()).toBe(true);
  });

  it('a FIFO as a feature document: doctor and status judge it unreadable and do not wait on it', async () => {
    const repo = repoWithFeature();
    rmSync(join(repo.dir, F1_DIR, 'spec.md'));
    mkfifo(join(repo.dir, F1_DIR, 'spec.md'));
    const doctor = await cli(repo, ['doctor', '--json']);
    expect([0, 1]).toContain(doctor.code);
    const specify = await cli(repo, ['specify', 'F-1']);
    expect(specify.code, specify.stdout + specify.stderr).toBe(1);
    expect(specify.stdout + specify.stderr).toContain('not a regular file');
  });
});

describe('.maestro is not a directory', () => {
  it('.maestro symlinked to a folder outside: every command exits 3 naming it, nothing is written through it', async () => {
    const repo = repoWithFeature();
    const outside = join(dirname(repo.dir), 'outside-maestro');
    renameSync(join(repo.dir, '.maestro'), outside);
    symlinkSync(outside, join(repo.dir, '.maestro'));
    const ledgerBefore = readFileSync(join(outside, 'ledger.yaml'), 'utf8');
    for (const args of READERS) {
      const r = await cli(repo, args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(r.stdout + r.stderr).toContain('.maestro');
    }
    const start = await daemon(repo, ['start', '--json']);
    try {
      expect(start.code, start.stdout + start.stderr).toBe(3);
      expect(start.stdout + start.stderr).toContain('.maestro');
    } finally {
      killLeftover(repo);
    }
    expect(readFileSync(join(outside, 'ledger.yaml'), 'utf8')).toBe(ledgerBefore);
    expect(existsSync(join(outside, 'run'))).toBe(false);
    expect(lstatSync(join(repo.dir, '.maestro')).isSymbolicLink()).toBe(true);
  });

  it('.maestro as a FIFO or a plain file: commands exit 3 naming it', async () => {
    const repo = initRepo();
    rmSync(join(repo.dir, '.maestro'), { recursive: true });
    writeFileSync(join(repo.dir, '.maestro'), 'not a folder\n');
    for (const args of [['status'], ['add', 'Another']]) {
      const r = await cli(repo, args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(r.stdout + r.stderr).toContain('.maestro');
    }
    rmSync(join(repo.dir, '.maestro'));
    mkfifo(join(repo.dir, '.maestro'));
    const r = await cli(repo, ['status']);
    expect(r.code, r.stdout + r.stderr).toBe(3);
  });
});

/** A live process that is not a writer of this repository (a reused pid); `name` lands in its command line. */
function liveStranger(name = 'stranger'): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', name], { stdio: 'ignore' });
  strangers.push(child);
  return child;
}
const strangers: ChildProcess[] = [];
afterAll(() => {
  for (const c of strangers.splice(0)) c.kill('SIGKILL');
});

/** Its start time as the kernel records it, where /proc exists. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

describe('a stale lock whose pid was reused', () => {
  it.runIf(existsSync('/proc/self/stat'))('a ledger lock naming a live process with another start time is taken over at once', async () => {
    const repo = repoWithFeature();
    const stranger = liveStranger();
    await waitFor(() => startTicks(stranger.pid!), DAEMON_WAIT_MS, 'the stranger to start');
    const wrong = String(Number(startTicks(stranger.pid!)) + 12345);
    writeFileSync(join(repo.dir, `${LEDGER}.lock`), `${stranger.pid}\n2026-01-01T00:00:00.000Z\n${wrong}\n`);
    const r = await runAsync(process.execPath, [CLI, 'add', 'Another', '--id', 'F-2'], { ...repo.env, SPECFLOW_LOCK_TIMEOUT_MS: '8000' }, repo.dir, HANG_MS);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(repo.read(LEDGER)).toContain('F-2:');
    expect(existsSync(join(repo.dir, `${LEDGER}.lock`))).toBe(false);
  });

  it.runIf(existsSync('/proc/self/stat'))('a live holder with its own start time still holds the lock', async () => {
    const repo = repoWithFeature();
    const holder = liveStranger();
    const ticks = await waitFor(() => startTicks(holder.pid!), DAEMON_WAIT_MS, 'the holder to start');
    writeFileSync(join(repo.dir, `${LEDGER}.lock`), `${holder.pid}\n2026-01-01T00:00:00.000Z\n${ticks}\n`);
    const r = await runAsync(process.execPath, [CLI, 'add', 'Another', '--id', 'F-2'], { ...repo.env, SPECFLOW_LOCK_TIMEOUT_MS: '300' }, repo.dir, HANG_MS);
    expect(r.code, r.stdout + r.stderr).toBe(4);
  });

  it.runIf(existsSync('/proc/self/stat'))(
    "the daemon's instance lock naming a live process (even one called specflowd) with another start time: status says not running, start starts one",
    async () => {
      const repo = repoWithFeature();
      const stranger = liveStranger('specflowd');
      await waitFor(() => startTicks(stranger.pid!), DAEMON_WAIT_MS, 'the stranger to start');
      const wrong = String(Number(startTicks(stranger.pid!)) + 12345);
      mkdirSync(join(repo.dir, '.maestro/run'), { recursive: true });
      writeFileSync(join(repo.dir, '.maestro/run/specflowd.pid'), `${stranger.pid}\n2026-01-01T00:00:00.000Z\n${wrong}\n`);
      expect(status(repo)).toMatchObject({ running: false });
      const pid = startDaemon(repo);
      expect(pid).not.toBe(stranger.pid);
      expect(status(repo)).toMatchObject({ running: true, pid });
    },
    DAEMON_TEST_MS,
  );
});

describe('.maestro/.gitignore', () => {
  it('keeps the lock, its takeover guard, the temporary file of a write and run/ out of a `git add -A` made during a write', () => {
    const repo = initRepo();
    const pid = String(process.pid);
    repo.write(`${LEDGER}.lock`, `${pid}\n2026-01-01T00:00:00.000Z\n\n`);
    repo.write(`${LEDGER}.lock.break`, `${pid}\n`);
    repo.write(`${LEDGER}.${pid}.tmp`, 'version: 1\n');
    repo.write('.maestro/run/specflowd.pid', `${pid}\n`);
    repo.git(['add', '-A']);
    const staged = repo.git(['diff', '--cached', '--name-only']).stdout.split('\n').filter(Boolean);
    expect(staged).toContain(LEDGER);
    expect(staged.filter((p) => p.startsWith('.maestro/') && ![LEDGER, CONFIG, '.maestro/.gitignore'].includes(p))).toEqual([]);
  });

  it('init brings an older one up to date and keeps the lines the user added', () => {
    const repo = initRepo();
    repo.write('.maestro/.gitignore', 'run/\n# mine\nnotes.txt');
    const r = repo.cli(['init']);
    expect(r.code, r.stderr).toBe(0);
    const text = repo.read('.maestro/.gitignore');
    expect(text.startsWith('run/\n# mine\nnotes.txt\n')).toBe(true);
    for (const line of ['ledger.yaml.lock', '*.break', '*.tmp']) expect(text.split('\n')).toContain(line);
    expect(text.split('\n').filter((l) => l === 'run/')).toHaveLength(1);
    expect(repo.cli(['init']).code).toBe(0);
    expect(repo.read('.maestro/.gitignore')).toBe(text);
  });
});
