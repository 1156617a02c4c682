import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Finding } from '../core/finding.js';
import { indexLocked, operationInProgress, resolveGitDir } from '../git/state.js';
import { LEDGER_PATH } from '../core/ledger.js';
import { StateError } from '../core/errors.js';
import { stateFileExists } from '../store/state-file.js';
import { classify, type PendingChanges } from './events.js';
import { acquireInstance } from './instance.js';
import { guardInstance, type InstanceGuard } from './instance-guard.js';
import { openLog, type DaemonLog } from './logger.js';
import { daemonPaths } from './paths.js';
import { Reconciler, type ReconcileResult } from './reconciler.js';
import { Scheduler } from './scheduler.js';
import { writeStatus, type DaemonStatus } from './status-file.js';
import { openBoard, type BoardServer } from './board.js';
import { startWatcher, type Watcher } from './watcher.js';

/**
 * The daemon process (`specflowd run`, also what `start` detaches). Order matters: take the
 * instance lock, start watching, then reconcile in full, then report ready — so no change made
 * after `start` returns can be missed.
 */
export interface RunOptions {
  root: string;
  debounceMs: number;
  maxWaitMs: number;
  intervalMs: number;
  /** Called once the first reconcile is done (foreground: tells the user). */
  onReady?: (status: DaemonStatus) => void;
}

/** Features from which a whole reconcile is worth a full collection after it. */
const LARGE_LEDGER = 1000;

/** At most this many problem lines per reconcile; the count is always logged. */
const MAX_PROBLEM_LINES = 50;

export async function runDaemon(o: RunOptions): Promise<{ alreadyRunning: number } | { stopped: string }> {
  const paths = daemonPaths(o.root);
  const taken = acquireInstance(paths);
  if ('holder' in taken) return { alreadyRunning: taken.holder.pid };
  const started = new Date();
  let log: DaemonLog | undefined;
  let watcher: Watcher | undefined;
  let scheduler: Scheduler | undefined;
  let guard: InstanceGuard | undefined;
  let board: BoardServer | undefined;
  const status: DaemonStatus = {
    pid: process.pid,
    root: o.root,
    startedAt: started.toISOString(),
    state: 'starting',
    pausedFor: null,
    lastReconcile: null,
    reconciles: 0,
    repairs: 0,
    problems: 0,
    lastError: null,
    board: null,
  };
  const saveStatus = () => {
    try {
      writeStatus(paths.status, status);
    } catch (e) {
      log?.logger.error({ err: (e as Error).message }, 'error');
    }
  };

  try {
    if (!stateFileExists(o.root, LEDGER_PATH)) throw new StateError(`${LEDGER_PATH} not found`, 'ledger.missing', 'Run `specflow init` first.');
    log = await openLog(paths.log);
    const logger = log.logger;
    const gitDir = resolveGitDir(o.root);
    const reconciler = new Reconciler(o.root, gitDir);
    const fail = (e: Error, where: string) => {
      status.lastError = { at: new Date().toISOString(), message: `${where}: ${e.message}` };
      logger.error({ where, err: e.message, code: (e as NodeJS.ErrnoException).code }, 'error');
      saveStatus();
    };

    const reconcileNow = (changes: PendingChanges): 'done' | 'paused' | number => {
      const t0 = performance.now();
      let result: ReconcileResult;
      try {
        result = reconciler.reconcile(changes);
      } catch (e) {
        fail(e as Error, 'reconcile');
        return 'done';
      }
      const durationMs = Math.round((performance.now() - t0) * 10) / 10;
      scheduler?.registered(result.applied.some((r) => r.code === 'feature.registered'));
      // Even a quiet pass may have read a new specs_dir (a config saved in two writes): watch it now.
      watcher?.follow(reconciler.specsDir, reconciler.folderPaths, changes.full);
      const quiet = changes.reasons.size === 1 && changes.reasons.has('recheck');
      if (quiet && !result.applied.length && !result.newProblems.length && result.pausedFor === status.pausedFor && result.problems.length === status.problems && !result.retry)
        return 'done';
      if (result.pausedFor !== status.pausedFor) logger.info({ reason: result.pausedFor ?? status.pausedFor }, result.pausedFor ? 'paused' : 'resumed');
      for (const r of result.applied) logger.info({ code: r.code, feature: r.feature, field: r.field, before: r.before, after: r.after }, 'repair');
      for (const p of result.newProblems.slice(0, MAX_PROBLEM_LINES)) logger.warn(problemFields(p), 'problem');
      const reason = [...changes.reasons].join(',') || 'start';
      logger.info(
        { reason, durationMs, ledger: result.ledger, features: result.features, repairs: result.applied.length, pending: result.pending.length, problems: result.problems.length },
        'reconcile',
      );
      // A whole reconcile of a large ledger leaves its garbage committed in V8's heap for minutes.
      if (result.ledger === 'whole' && result.features >= LARGE_LEDGER) collectGarbage();
      status.reconciles++;
      status.repairs += result.applied.length;
      status.problems = result.problems.length;
      status.pausedFor = result.pausedFor;
      status.state = result.pausedFor ? 'paused' : 'running';
      status.lastReconcile = { at: new Date().toISOString(), reason, durationMs, features: result.features, repairs: result.applied.length, problems: result.problems.length };
      saveStatus();
      board?.changed();
      log?.rotate();
      if (result.retry !== false) return result.retry;
      return result.pausedFor && operationInProgress(gitDir) ? 'paused' : 'done';
    };

    logger.info({ root: o.root, debounceMs: o.debounceMs, intervalMs: o.intervalMs, node: process.version }, 'start');
    saveStatus();
    scheduler = new Scheduler({
      debounceMs: o.debounceMs,
      maxWaitMs: o.maxWaitMs,
      intervalMs: o.intervalMs,
      gitBusy: () => indexLocked(gitDir),
      operationInProgress: () => operationInProgress(gitDir) !== undefined,
      run: reconcileNow,
    });
    const sched = scheduler;
    const specsDirAtStart = configuredSpecsDir(reconciler);
    watcher = await startWatcher(o.root, specsDirAtStart, (rel) => sched.note(classify(rel, reconciler.specsDir)), fail);
    // Listening before the first reconcile reports ready, so `start` returns with the address known.
    board = await openBoard(o.root, fail);
    status.board = board?.url ?? null;
    const first = reconcileNow({ full: true, ledger: true, config: true, folders: true, documents: new Set(), reasons: new Set(['start']) });
    if (first === 'paused') sched.requestFull('paused-at-start');
    o.onReady?.(status);

    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGHUP', () => resolve('SIGHUP'));
      // Its lock gone, nobody can find this daemon any more: it ends, so no second one runs beside it.
      guard = guardInstance(paths, (why) => {
        logger.warn({ reason: why }, 'instance lost');
        resolve(`instance lock lost: ${why}`);
      });
    });
    // Reconciles are synchronous, so any write in progress has finished by the time we get here.
    guard?.close();
    sched.stop();
    await watcher.close();
    await board?.close();
    logger.info({ signal, uptimeMs: Date.now() - started.getTime(), reconciles: status.reconciles, repairs: status.repairs }, 'stop');
    status.state = 'stopped';
    // A status file is left only where the run folder still is, and never recreates it.
    saveStatus();
    return { stopped: signal };
  } catch (e) {
    log?.logger.error({ err: (e as Error).message }, 'error');
    status.state = 'stopped';
    status.lastError = { at: new Date().toISOString(), message: (e as Error).message };
    saveStatus();
    guard?.close();
    scheduler?.stop();
    await watcher?.close();
    await board?.close().catch(() => undefined);
    throw e;
  } finally {
    log?.flush();
    taken.release();
  }
}

/**
 * One full collection, so that what a large reconcile allocated is returned to the system and
 * an idle daemon's resident memory is what it holds (measured with 10,000 features: ~160 MB →
 * under 100 MB). V8 exposes no collection API without this flag; it is set for this only.
 */
function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    /* an optimisation only */
  }
}

/** specs_dir as configured before the first reconcile, so the first watch covers it. */
function configuredSpecsDir(reconciler: Reconciler): string {
  reconciler.loadConfigNow();
  return reconciler.specsDir;
}


function problemFields(p: Finding): Record<string, unknown> {
  return { code: p.code, feature: p.feature, file: p.file, line: p.line, message: p.message };
}
