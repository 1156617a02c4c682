import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAEMON, type RunResult, type TestRepo } from './repo.js';

/**
 * The real daemon, started and stopped through the built `specflowd`, plus bounded polling.
 * Every daemon started here is remembered; `stopAllDaemons` (afterEach/afterAll) ends them all,
 * so no process outlives a test file.
 */
const started = new Map<number, string>();

export const LOG = '.maestro/run/specflowd.log';

/**
 * How long a test waits for the daemon's next event (a log line, the ledger on disk, the status
 * file). Generous: every wait ends as soon as the event happens, and on a loaded two-core machine
 * a Node start-up alone can take seconds. Tests that wait for a daemon never sleep a fixed time.
 */
export const DAEMON_WAIT_MS = 20_000;

/** The time limit of a test that starts a daemon and waits for it a few times. */
export const DAEMON_TEST_MS = 90_000;

export function specflowd(repo: TestRepo, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [DAEMON, ...args], { cwd: opts.cwd ?? repo.dir, env: { ...repo.env, ...opts.env }, encoding: 'utf8' });
  if (r.error) throw r.error;
  const result = { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  remember(repo, opts.cwd);
  return result;
}

/** Starts a daemon (no periodic pass unless asked) and returns its pid. */
export function startDaemon(repo: TestRepo, opts: { env?: NodeJS.ProcessEnv; cwd?: string; interval?: number } = {}): number {
  const r = specflowd(repo, ['start', '--json', '--interval', String(opts.interval ?? 600_000)], opts);
  if (r.code !== 0) throw new Error(`specflowd start failed (${r.code}): ${r.stderr}${r.stdout}`);
  const pid = (JSON.parse(r.stdout) as { pid: number }).pid;
  started.set(pid, opts.cwd ?? repo.dir);
  return pid;
}

function remember(repo: TestRepo, cwd?: string): void {
  try {
    const pid = Number(readFileSync(join(cwd ?? repo.dir, '.maestro/run/specflowd.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) started.set(pid, cwd ?? repo.dir);
  } catch {
    /* none running */
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops one daemon (for tests that run concurrently, where stopping them all would hit the others). */
export async function stopDaemon(pid: number): Promise<void> {
  started.delete(pid);
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), DAEMON_WAIT_MS, `daemon ${pid} to stop`).catch(() => alive(pid) && process.kill(pid, 'SIGKILL'));
}

/** SIGTERM every daemon a test started, then SIGKILL what is left after a bounded wait. */
export async function stopAllDaemons(): Promise<void> {
  const pids = [...started.keys()];
  started.clear();
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  await waitFor(() => pids.every((p) => !alive(p)), DAEMON_WAIT_MS, 'daemons to stop').catch(() => {
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
}

/** Polls `check` until it returns a truthy value, at most `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = DAEMON_WAIT_MS, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface LogLine {
  level: string;
  time: string;
  msg: string;
  [field: string]: unknown;
}

/** Every JSON line of the daemon's log (non-JSON lines, e.g. a crash trace, fail the parse on purpose). */
export function logLines(repo: TestRepo): LogLine[] {
  const file = join(repo.dir, LOG);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

/** Waits until the ledger on disk satisfies `check`; returns its text. */
export function ledgerBecomes(repo: TestRepo, check: (text: string) => boolean, timeoutMs = DAEMON_WAIT_MS): Promise<string> {
  return waitFor(
    () => {
      const t = repo.read('.maestro/ledger.yaml');
      return check(t) ? t : undefined;
    },
    timeoutMs,
    'the ledger to be repaired',
  );
}

export interface DaemonStatusJson {
  running: boolean;
  pid: number | null;
  state: string;
  pausedFor: string | null;
  reconciles: number;
  repairs: number;
  problems: number;
  lastReconcile: { at: string; reason: string; repairs: number } | null;
  lastError: { message: string } | null;
}

export function status(repo: TestRepo): DaemonStatusJson {
  return JSON.parse(specflowd(repo, ['status', '--json']).stdout) as DaemonStatusJson;
}
