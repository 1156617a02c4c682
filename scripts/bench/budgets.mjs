// The budgets of DESIGN §8, in the order the table lists them. Each entry measures its budget in
// a run and returns its rows: the judged figures, and context rows that explain them. A budget
// added later (B7–B10) is one more entry here; main.mjs needs no change.
import { boardLatency, boardServe, haveChromium, INSTALL_CHROMIUM } from './board-budgets.mjs';
import { burstCost } from './burst-budget.mjs';
import { beginIdle, repairLatency } from './daemon-budgets.mjs';
import { doctorCold, doctorWarm } from './doctor-budgets.mjs';
import { commitCosts, preCommitCheck, preCommitRegression, prePushHistory } from './git-budgets.mjs';
import { absoluteResult, contextResult, notMeasuredResult, ratioResult, round } from './results.mjs';

/**
 * What a budget measures with: the mode's repetitions and sizes, the workspace, and the
 * repositories, each generated the first time a budget asks for it.
 * @typedef {{
 *   mode: 'full' | 'quick' | 'smoke',
 *   reps: Reps,
 *   sizes: { small: number, large: number, history: number, burst: number },
 *   ws: import('./setup.mjs').Workspace,
 *   small: () => string,
 *   large: () => string,
 *   history: () => { base: string, tip: string },
 * }} Run
 * @typedef {{
 *   commit: number, context: number, preCommit: number, prePush: number, repairs: number,
 *   cold: number, warm: number, idleSeconds: number, warmup: number, hookWarmup: number, settle: boolean,
 *   boardSaves: number, boardPairs: number,
 * }} Reps
 * @typedef {import('./results.mjs').Row} Row
 * @typedef {{
 *   id: string,
 *   what: (run: Run) => string,
 *   measure: (run: Run) => Row[] | Promise<Row[]>,
 *   duringIdle?: boolean,
 *   open?: (run: Run) => Promise<() => Promise<Row[]>>,
 * }} Budget
 */

/** @type {Budget} */
const B1 = {
  id: 'B1',
  what: (run) => `git commit, specflow's hooks vs husky running no-op hooks, nothing of specflow's staged, ${run.sizes.small} features: what specflow adds`,
  measure(run) {
    const { own, noVerify, floor } = commitCosts(run.small(), run.ws.env, { pairs: run.reps.commit, contextPairs: run.reps.context, warmup: run.reps.hookWarmup });
    return [
      ratioResult('B1', B1.what(run), own, 1.15),
      contextResult('B1-no-verify', 'the same commit, specflow hooks vs --no-verify (B1 as first written, ≤ 1.5×)', noVerify),
      contextResult('B1-floor', 'the same commit, husky running no-op pre-commit and commit-msg hooks vs --no-verify: the floor under any hook', floor),
    ];
  },
};

/** @type {Budget} */
const B2 = {
  id: 'B2',
  what: (run) => `pre-commit hook checking one phase change, ${run.sizes.small}-feature ledger, vs node -e 0`,
  measure: (run) => [ratioResult('B2', B2.what(run), preCommitCheck(run.small(), run.ws.env, { pairs: run.reps.preCommit, warmup: run.reps.hookWarmup }), 2)],
};

/** @type {Budget} */
const B3 = {
  id: 'B3',
  what: (run) => `pre-push of ${run.sizes.history} commits that each change the ledger vs git log -p`,
  // A ratio with plenty of room, whose two sides share the machine alike: a quick run measures it
  // while B5's idle window is open.
  duringIdle: true,
  measure(run) {
    const { base, tip } = run.history();
    return [ratioResult('B3', B3.what(run), prePushHistory(run.small(), run.ws.env, { base, tip, pairs: run.reps.prePush, warmup: run.reps.warmup }), 3)];
  },
};

/** @type {Budget} */
const B4 = {
  id: 'B4',
  what: (run) => `daemon: bad spec_path written → repaired on disk, ${run.reps.repairs} repairs, ${run.sizes.small} features`,
  // Another daemon, in the small repository: the idle daemon's CPU time stays its own.
  duringIdle: true,
  async measure(run) {
    const b4 = await repairLatency(run.small(), run.ws, { n: run.sizes.small, repairs: run.reps.repairs });
    return [
      absoluteResult('B4-p50', B4.what(run), b4.p50, 150, 'ms', { min: round(b4.min), max: round(b4.max) }),
      absoluteResult('B4-p99', B4.what(run), b4.p99, 500, 'ms'),
    ];
  },
};

/**
 * Starts the idle daemon and opens B5's window; the function it returns closes the window.
 * @param {Run} run
 */
async function openIdle(run) {
  const idle = await beginIdle(run.large(), run.ws, { settle: run.reps.settle });
  return async () => {
    const b5 = await idle.finish(run.reps.idleSeconds);
    const what = `daemon idle ${Math.round(b5.seconds)} s, ${run.sizes.large} features, board served`;
    return [absoluteResult('B5-cpu', `${what}: CPU, % of one core`, b5.cpuShare * 100, 1, '%'), absoluteResult('B5-rss', `${what}: resident memory`, b5.rssMb, 100, 'MB')];
  };
}

/** @type {Budget} */
const B5 = {
  id: 'B5',
  what: (run) => `daemon idle ${run.reps.idleSeconds} s, ${run.sizes.large} features, board served`,
  open: openIdle,
  measure: async (run) => (await openIdle(run))(),
};

/** @type {Budget} */
const B6 = {
  id: 'B6',
  what: (run) => `specflow doctor, ${run.sizes.large} features`,
  measure(run) {
    const repo = run.large();
    const cold = doctorCold(repo, run.ws, { pairs: run.reps.cold, warmup: run.reps.warmup });
    const warm = doctorWarm(repo, run.ws, { pairs: run.reps.warm, warmup: run.reps.warmup });
    return [
      ratioResult('B6-cold', `${B6.what(run)}, no cache, vs markdown-it parsing every document`, cold, 1.5),
      ratioResult('B6-warm', `${B6.what(run)}, unchanged tree, vs cat of every specs file`, warm, 3),
    ];
  },
};

/** @type {Budget} */
const B10 = {
  id: 'B10',
  what: (run) => `daemon during a burst of ${run.sizes.burst} new feature folders`,
  async measure(run) {
    const b = await burstCost(`${run.ws.base}/repo-burst-${run.sizes.burst}`, run.ws, { n: run.sizes.burst });
    const one = (x) => ({ median: x, min: x, max: x });
    return [
      ratioResult('B10-cpu', `${B10.what(run)}: its CPU over the burst vs one cold doctor of the final tree (CPU)`, { baseline: one(b.doctorMs), ours: one(b.cpuMs), ratio: one(b.cpuMs / b.doctorMs) }, 3),
      absoluteResult('B10-latency', `${B10.what(run)}: every folder registered, after the last (made in ${Math.round(b.burstMs)} ms)`, b.afterLastMs, 3000, 'ms'),
    ];
  },
};

/** @type {Budget} */
const B7 = {
  id: 'B7',
  what: (run) => `pre-commit hook of a commit that edits one feature's plan (the regression check), ${run.sizes.small}-feature ledger, vs node -e 0`,
  measure: (run) => [ratioResult('B7', B7.what(run), preCommitRegression(run.small(), run.ws.env, { pairs: run.reps.preCommit, warmup: run.reps.hookWarmup }), 2)],
};

/** @type {Budget} */
const B8 = {
  id: 'B8',
  what: (run) => `board: a plan saved → the board open in headless Chromium shows the new verdict, ${run.reps.boardSaves} saves, ${run.sizes.small} features`,
  async measure(run) {
    const b8 = haveChromium() ? await boardLatency(run.small(), run.ws, { saves: run.reps.boardSaves }) : undefined;
    if (!b8) return [notMeasuredResult('B8', B8.what(run), `no chromium; ${INSTALL_CHROMIUM}`)];
    return [
      absoluteResult('B8-p50', B8.what(run), b8.p50, 300, 'ms', { min: round(b8.min), max: round(b8.max) }),
      absoluteResult('B8-p99', B8.what(run), b8.p99, 1000, 'ms'),
    ];
  },
};

/** @type {Budget} */
const B9 = {
  id: 'B9',
  what: (run) => `board page for ${run.sizes.large} features`,
  async measure(run) {
    const b9 = await boardServe(run.large(), run.ws, { pairs: run.reps.boardPairs });
    const one = (x) => ({ median: x, min: x, max: x });
    return [
      ratioResult('B9', `${B9.what(run)}, served after a document saved, vs specflow status --json`, b9.pairs, 3),
      absoluteResult('B9-size', `${B9.what(run)}: its size`, b9.bytes / 1e6, 3, 'MB'),
      contextResult('B9-first', `${B9.what(run)}: the first page after start (every feature judged once) vs status --json`, {
        baseline: b9.pairs.baseline,
        ours: one(b9.firstMs),
        ratio: one(b9.firstMs / b9.pairs.baseline.median),
      }),
    ];
  },
};

/** @type {readonly Budget[]} */
export const BUDGETS = [B1, B2, B3, B4, B5, B6, B7, B8, B9, B10];
