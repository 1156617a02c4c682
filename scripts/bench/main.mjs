// `npm run bench [-- --quick | --smoke] [-- --only B1,B4] [-- --out FILE] [-- --keep]`: generates
// its own repositories in the OS temp folder, measures the budgets of DESIGN §8 (budgets.mjs)
// against their baselines in the same run, prints one table, and exits 1 when a budget is missed
// or could not be measured. Every budget is reported, whatever happened to the others.
// `--smoke` (what the test suite runs): each measurement once at tiny sizes; no verdict on time.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, release, setPriority, totalmem } from 'node:os';
import { join } from 'node:path';
import { BUDGETS } from './budgets.mjs';
import { git } from './generate.mjs';
import { ledgerHistory } from './history.mjs';
import { errorResult, progress, table } from './results.mjs';
import { benchRepo, workspace } from './setup.mjs';

/** @typedef {import('./budgets.mjs').Budget} Budget @typedef {import('./budgets.mjs').Run} Run @typedef {import('./results.mjs').Row} Row */

const args = process.argv.slice(2);
/** @type {Run['mode']} */
const mode = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
const keep = args.includes('--keep');
const onlyAt = args.indexOf('--only');
/** `--only B1,B4`: measure some budgets alone (while working on one); the run then proves nothing about the rest. */
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').map((s) => s.trim().toUpperCase())) : undefined;
const wanted = (/** @type {Budget} */ b) => !only || only.has(b.id);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
if (outAt >= 0 && !out) {
  process.stderr.write('bench: --out needs a file name\n');
  process.exit(2);
}
if (only && ![...only].every((id) => BUDGETS.some((b) => b.id === id))) {
  process.stderr.write(`bench: --only takes budget ids among ${BUDGETS.map((b) => b.id).join(', ')}\n`);
  process.exit(2);
}

/**
 * Repetitions (and unmeasured warm-up pairs) per mode. Quick and full runs measure the same
 * sizes; a smoke run measures tiny ones once, to show that every budget still runs.
 * @type {Record<Run['mode'], Run['reps']>}
 */
const REPS = {
  full: { commit: 20, context: 10, preCommit: 20, prePush: 10, repairs: 150, cold: 10, warm: 10, idleSeconds: 60, warmup: 1, hookWarmup: 2, settle: true, boardSaves: 60, boardPairs: 10 },
  quick: { commit: 8, context: 6, preCommit: 8, prePush: 1, repairs: 30, cold: 1, warm: 2, idleSeconds: 60, warmup: 0, hookWarmup: 2, settle: true, boardSaves: 50, boardPairs: 4 },
  smoke: { commit: 1, context: 1, preCommit: 1, prePush: 1, repairs: 3, cold: 1, warm: 1, idleSeconds: 1, warmup: 0, hookWarmup: 0, settle: false, boardSaves: 4, boardPairs: 1 },
};
/** @type {Record<Run['mode'], Run['sizes']>} */
const SIZES = {
  full: { small: 1000, large: 10000, history: 1000, burst: 5000 },
  quick: { small: 1000, large: 10000, history: 1000, burst: 5000 },
  smoke: { small: 20, large: 40, history: 10, burst: 20 },
};
const reps = REPS[mode];
const sizes = SIZES[mode];

/** @param {string} s */
const log = (s) => process.stderr.write(`bench: ${s}\n`);

// Other work on the machine adds noise to both sides of every pair; a higher priority (inherited
// by everything the run starts) makes it smaller. Without the permission, the run goes on as is.
// A smoke run times nothing and leaves the priority alone.
try {
  if (mode !== 'smoke' && getPriority() > -10) setPriority(-10);
} catch {
  /* not allowed: measure at the normal priority */
}
const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

function machine() {
  const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim().replace(/^git version /, '');
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    git: gitVersion,
    /** The run's scheduling priority (nice value; lower runs first). */
    nice: getPriority(),
  };
}

const ws = workspace();
/** @type {Row[]} */
const results = [];
/**
 * Keeps a budget's rows and says them at once (a long run shows its progress); a budget whose
 * measurement throws is kept as an error row, and the run goes on to the next.
 * @param {Budget} budget @param {() => Row[] | Promise<Row[]>} measure
 */
async function record(budget, measure) {
  let rows;
  try {
    rows = await measure();
  } catch (e) {
    log(`${budget.id}: could not be measured: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    rows = [errorResult(budget.id, budget.what(run), e)];
  }
  for (const r of mode === 'smoke' ? rows.map((row) => (row.error === undefined ? { ...row, pass: null, smoke: true } : row)) : rows) {
    results.push(r);
    log(`${progress(r)} (${since()})`);
  }
}

/**
 * Generates a repository the first time a budget asks for it.
 * @template T @param {() => T} make @returns {() => T}
 */
function once(make) {
  /** @type {{ value: T } | undefined} */
  let made;
  return () => (made ??= { value: make() }).value;
}

const small = join(ws.base, `repo-${sizes.small}`);
const large = join(ws.base, `repo-${sizes.large}`);
/** @type {Run} */
const run = {
  mode,
  reps,
  sizes,
  ws,
  small: once(() => {
    benchRepo(small, sizes.small, ws, { husky: true });
    log(`generated ${sizes.small} features (${since()})`);
    return small;
  }),
  large: once(() => {
    benchRepo(large, sizes.large, ws);
    log(`generated ${sizes.large} features (${since()})`);
    return large;
  }),
  history: once(() => {
    const repo = run.small();
    const base = git(repo, ['rev-parse', 'HEAD'], ws.env).trim();
    const tip = ledgerHistory(repo, ws.env, { base, n: sizes.small, count: sizes.history, ref: 'history' });
    log(`generated ${sizes.history} commits that each change the ledger (${since()})`);
    return { base, tip };
  }),
};

try {
  log(`${mode} run in ${ws.base}`);
  const budgets = BUDGETS.filter(wanted);
  // A quick run keeps B5's idle window open while it measures the budgets marked `duringIdle`
  // (generating the small repository on the way); the idle daemon only adds its periodic pass.
  // A full run measures everything alone.
  const idle = mode === 'quick' ? budgets.find((b) => b.open) : undefined;
  const open = idle?.open;
  /** @type {(() => Promise<Row[]>) | undefined} */
  let closeIdle;
  if (idle && open) {
    await record(idle, async () => {
      closeIdle = await open(run);
      log(`${idle.id}: idle window open (${since()})`);
      return [];
    });
    for (const b of budgets.filter((b) => b.duringIdle)) await record(b, () => b.measure(run));
    if (closeIdle) await record(idle, closeIdle);
  }
  for (const b of budgets) if (!idle || (b !== idle && !b.duringIdle)) await record(b, () => b.measure(run));
  const order = (/** @type {Row} */ r) => BUDGETS.findIndex((b) => r.id === b.id || r.id.startsWith(`${b.id}-`));
  results.sort((a, b) => order(a) - order(b));
} finally {
  if (keep) log(`kept ${ws.base}`);
  else rmSync(ws.base, { recursive: true, force: true });
}

process.stdout.write(`${table(results)}\n`);
const failed = results.filter((r) => r.pass === false);
log(`${mode} run took ${since()}; ${failed.length ? `missed: ${failed.map((r) => r.id).join(', ')}` : mode === 'smoke' ? 'every budget ran' : 'every budget met'}`);
if (out) writeFileSync(out, `${JSON.stringify({ machine: machine(), mode, results }, null, 2)}\n`);
process.exitCode = failed.length ? 1 : 0;
