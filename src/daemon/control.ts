import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { LEDGER_PATH } from '../core/ledger.js';
import { EXIT, SpecflowError, StateError } from '../core/errors.js';
import { ensureRunDir } from '../store/run-dir.js';
import { checkMaestroDir, stateFileExists } from '../store/state-file.js';
import { daemonAlive, runningDaemon } from './instance.js';
import { daemonPaths, LOG_PATH, type DaemonPaths } from './paths.js';
import { readStatus, type DaemonStatus } from './status-file.js';

/**
 * `specflowd start | stop | status`: the launcher side. It never watches anything itself; it
 * reads and signals the daemon through the files in `.maestro/run/`.
 */
export interface StatusReport {
  running: boolean;
  root: string;
  pid: number | null;
  startedAt: string | null;
  uptimeMs: number | null;
  state: DaemonStatus['state'] | 'not running';
  pausedFor: string | null;
  lastReconcile: DaemonStatus['lastReconcile'];
  reconciles: number;
  repairs: number;
  problems: number;
  lastError: DaemonStatus['lastError'];
  /** The board's address, while the daemon serves it. */
  board: string | null;
  log: string;
}

const ms = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export function daemonStatus(root: string, now = Date.now()): StatusReport {
  checkMaestroDir(root);
  const paths = daemonPaths(root);
  const holder = runningDaemon(paths);
  const s = readStatus(paths.status);
  const mine = holder && s?.pid === holder.pid ? s : undefined;
  const startedAt = mine?.startedAt ?? holder?.startedAt ?? null;
  return {
    running: holder !== undefined,
    root,
    pid: holder?.pid ?? null,
    startedAt: holder ? startedAt : null,
    uptimeMs: holder && startedAt ? Math.max(0, now - Date.parse(startedAt)) : null,
    state: holder ? (mine?.state ?? 'starting') : 'not running',
    pausedFor: mine?.pausedFor ?? null,
    // When it is not running, what the last daemon knew is still worth showing.
    lastReconcile: s?.lastReconcile ?? null,
    reconciles: s?.reconciles ?? 0,
    repairs: s?.repairs ?? 0,
    problems: s?.problems ?? 0,
    lastError: s?.lastError ?? null,
    board: holder ? (mine?.board ?? null) : null,
    log: LOG_PATH,
  };
}

export interface StartResult {
  alreadyRunning: boolean;
  pid: number;
  report: StatusReport;
}

/** Variables a git hook sets for its own repository; a daemon started from a hook must not inherit them. */
export function scrubbedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('GIT_')) out[k] = v;
  return out;
}

/**
 * A long-lived process that works in short bursts: a small young generation keeps its resident
 * memory near what it holds, at the cost of a few more minor collections during a full
 * reconcile. V8 takes this only at start, so `run` under a supervisor gets it through
 * NODE_OPTIONS (see the README).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1'];

/**
 * …and one malloc arena: glibc gives each thread that allocates its own arena, and what the
 * threads of a start-up reconcile freed stays resident in them. Measured with 10,000 features
 * and the flag above: ~98 MB → ~90 MB idle. Other C libraries ignore the variable; a value the
 * user set is kept.
 */
export const DAEMON_ENV = { MALLOC_ARENA_MAX: '1' };

export async function startDaemon(root: string, runArgs: string[]): Promise<StartResult> {
  checkMaestroDir(root);
  const paths = daemonPaths(root);
  if (!stateFileExists(root, LEDGER_PATH)) throw new StateError(`${LEDGER_PATH} not found`, 'ledger.missing', 'Run `specflow init` first.');
  const running = runningDaemon(paths);
  if (running) return { alreadyRunning: true, pid: running.pid, report: daemonStatus(root) };
  ensureRunDir(root);
  const out = openSync(paths.log, 'a');
  let exited: number | null | undefined;
  let child;
  try {
    child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...process.execArgv, process.argv[1]!, 'run', '--repo', root, ...runArgs], {
      cwd: root,
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...DAEMON_ENV, ...scrubbedEnv(process.env), SPECFLOWD_DETACHED: '1' },
    });
  } finally {
    closeSync(out);
  }
  child.on('exit', (code) => (exited = code));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new SpecflowError('specflowd: could not start the daemon process', EXIT.failed, 'daemon.spawn');
  const deadline = Date.now() + ms('SPECFLOWD_START_TIMEOUT_MS', 30_000);
  for (;;) {
    const s = readStatus(paths.status);
    if (s?.pid === pid && (s.state === 'running' || s.state === 'paused')) return { alreadyRunning: false, pid, report: daemonStatus(root) };
    if (exited !== undefined) {
      // Lost a race with another `start`: that daemon is the one running.
      const other = runningDaemon(paths);
      if (other) return { alreadyRunning: true, pid: other.pid, report: daemonStatus(root) };
      throw new SpecflowError(`specflowd exited during start-up (exit ${exited ?? 'signal'})`, EXIT.failed, 'daemon.exited', `See ${LOG_PATH}:\n${tail(paths)}`);
    }
    if (Date.now() > deadline) throw new SpecflowError('specflowd did not report ready in time', EXIT.failed, 'daemon.timeout', `It may still be starting; see ${LOG_PATH}.`);
    await delay(20);
  }
}

export interface StopResult {
  wasRunning: boolean;
  pid: number | null;
  forced: boolean;
}

/** SIGTERM, then wait for the daemon to finish its write and release its lock; SIGKILL only as a last resort. */
export async function stopDaemon(root: string): Promise<StopResult> {
  checkMaestroDir(root);
  const paths = daemonPaths(root);
  const holder = runningDaemon(paths);
  if (!holder) return { wasRunning: false, pid: null, forced: false };
  const gone = () => !daemonAlive(holder);
  try {
    process.kill(holder.pid, 'SIGTERM');
  } catch {
    return { wasRunning: true, pid: holder.pid, forced: false };
  }
  if (await waitFor(gone, ms('SPECFLOWD_STOP_TIMEOUT_MS', 10_000))) return { wasRunning: true, pid: holder.pid, forced: false };
  try {
    process.kill(holder.pid, 'SIGKILL');
  } catch {
    /* it ended on its own */
  }
  await waitFor(gone, 2_000);
  return { wasRunning: true, pid: holder.pid, forced: true };
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await delay(20);
  }
  return true;
}

const delay = (t: number) => new Promise((r) => setTimeout(r, t));

function tail(paths: DaemonPaths): string {
  try {
    return readFileSync(paths.log, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  } catch {
    return '(no log)';
  }
}
