import { addChange, noChanges, type Change, type PendingChanges } from './events.js';

/**
 * When to reconcile. File events are collected and reconciled together once they stop for
 * `debounceMs` (a `git checkout` of hundreds of files is one reconcile), but never later than
 * `maxWaitMs` after the first one, so a steady stream of events cannot starve it. While git
 * holds `index.lock` (it is writing the working tree) the reconcile waits, up to a limit. A
 * full reconcile runs every `intervalMs` as the safety net for missed events.
 */
export interface SchedulerOptions {
  debounceMs: number;
  maxWaitMs: number;
  intervalMs: number;
  /** Is git writing the working tree right now? */
  gitBusy: () => boolean;
  /** Is a git operation (merge, rebase, …) in progress? Polled cheaply while repairs wait for it. */
  operationInProgress: () => boolean;
  /** Runs one reconcile: `paused` when repairs wait for a git operation, or ms after which to run it again (lock busy, ledger not settled). */
  run: (changes: PendingChanges) => 'done' | 'paused' | number;
}

const GIT_BUSY_POLL_MS = 25;
const GIT_BUSY_LIMIT_MS = 5_000;
const PAUSE_POLL_MS = 200;
/**
 * chokidar drops a second `change` of one path within 50 ms of the first, with no trailing
 * event; a save landing just after a reconcile read the file would go unnoticed until the
 * periodic pass. So every event-driven reconcile is followed by one more, just past that window,
 * over the same paths: cheap (unchanged text and fingerprints mean no parse) and silent unless
 * it finds something.
 */
export const TRAILING_MS = 75;

/**
 * During a burst of new feature folders (an agent scaffolding a backlog, a checkout that brings
 * thousands) each reconcile costs time in proportion to the ledger, so reconciling every few
 * events would cost the square of the burst. Once a reconcile has registered folders, folder
 * events are collected for longer, and reconciled at least once a second, until a reconcile
 * registers nothing.
 */
export const BURST_DEBOUNCE_MS = 250;
export const BURST_MAX_WAIT_MS = 1_000;

export class Scheduler {
  private pending = noChanges();
  private timer: NodeJS.Timeout | undefined;
  private firstAt: number | undefined;
  private busySince: number | undefined;
  private readonly periodic: NodeJS.Timeout;
  private stopped = false;
  private pausePoll: NodeJS.Timeout | undefined;
  /** The last reconcile registered folders: a burst may be under way. */
  private burst = false;

  constructor(private readonly o: SchedulerOptions) {
    this.periodic = setInterval(() => this.requestFull('periodic'), o.intervalMs);
  }

  /** A file event. */
  note(change: Change): void {
    if (this.stopped || !addChange(this.pending, change)) return;
    if (this.burst && change.kind === 'folders') this.arm(Math.max(this.o.debounceMs, BURST_DEBOUNCE_MS), BURST_MAX_WAIT_MS);
    else this.arm(this.o.debounceMs);
  }

  /** Whether the reconcile just run registered folders (see BURST_DEBOUNCE_MS). */
  registered(any: boolean): void {
    this.burst = any;
  }

  requestFull(reason: string): void {
    if (this.stopped) return;
    this.pending.full = true;
    this.pending.reasons.add(reason);
    this.arm(0);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.periodic);
    if (this.pausePoll) clearInterval(this.pausePoll);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delay: number, maxWaitMs = this.o.maxWaitMs): void {
    const now = Date.now();
    this.firstAt ??= now;
    const left = Math.max(0, this.firstAt + Math.max(maxWaitMs, this.o.maxWaitMs) - now);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), Math.min(delay, left));
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = Date.now();
    if (this.o.gitBusy()) {
      this.busySince ??= now;
      if (now - this.busySince < GIT_BUSY_LIMIT_MS) {
        this.timer = setTimeout(() => this.fire(), GIT_BUSY_POLL_MS);
        return;
      }
    }
    this.busySince = undefined;
    this.firstAt = undefined;
    const changes = this.pending;
    this.pending = noChanges();
    const outcome = this.o.run(changes);
    if (this.stopped) return;
    if (typeof outcome === 'number') this.again(changes, 'retry', Math.max(10, outcome));
    else if (outcome === 'paused') this.waitForOperation();
    else if (!changes.full && !(changes.reasons.size === 1 && changes.reasons.has('recheck'))) this.again(changes, 'recheck', TRAILING_MS);
  }

  /** Runs the same changes once more after `ms` (merged with whatever arrives meanwhile). */
  private again(changes: PendingChanges, reason: string, ms: number): void {
    const p = this.pending;
    p.full ||= changes.full;
    p.ledger ||= changes.ledger;
    p.config ||= changes.config;
    p.folders ||= changes.folders;
    for (const d of changes.documents) p.documents.add(d);
    p.reasons.add(reason);
    if (!this.timer) this.timer = setTimeout(() => this.fire(), ms);
  }

  /** Checks for the git operation's end (a few file-existence tests), then reconciles in full. */
  private waitForOperation(): void {
    if (this.pausePoll) return;
    const poll = setInterval(() => {
      if (this.stopped || this.o.operationInProgress()) return;
      clearInterval(poll);
      this.pausePoll = undefined;
      this.requestFull('resumed');
    }, PAUSE_POLL_MS);
    this.pausePoll = poll;
  }
}
