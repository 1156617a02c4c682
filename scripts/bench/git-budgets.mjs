// B1–B3: the git hooks, on the 1,000-feature repository with husky.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './generate.mjs';
import { movePhase } from './history.mjs';
import { timed } from './setup.mjs';
import { abPairs } from './stats.mjs';

/**
 * B1: `git commit` of one changed file (nothing of specflow's staged) under husky 9.
 * - `own`, the budget: specflow's hooks vs the same commit with `.husky/pre-commit` and
 *   `.husky/commit-msg` doing nothing (`exit 0`): what specflow adds over its hook manager.
 * - `noVerify`, context: specflow's hooks vs `--no-verify` (the budget as first written).
 * - `floor`, context: the no-op hooks vs `--no-verify`, what any two hooks cost under husky,
 *   a floor no hook can go under.
 * @param {string} repo @param {NodeJS.ProcessEnv} env
 * @param {{ pairs: number, contextPairs: number, warmup?: number }} options
 */
export function commitCosts(repo, env, { pairs, contextPairs, warmup = 1 }) {
  const hooks = ['pre-commit', 'commit-msg'].map((h) => join(repo, '.husky', h));
  const installed = hooks.map((h) => readFileSync(h, 'utf8'));
  let n = 0;
  const stage = () => {
    appendFileSync(join(repo, 'README.md'), `line ${++n}\n`);
    git(repo, ['add', 'README.md'], env);
  };
  /** @param {string[]} extra */
  const commit = (extra) => timed('git', ['commit', '-q', ...extra, '-m', `Change ${n}`], { cwd: repo, env });
  const noop = () => hooks.forEach((h) => writeFileSync(h, 'exit 0\n'));
  const restore = () => hooks.forEach((h, i) => writeFileSync(h, installed[i]));
  /**
   * Stages the next change and installs the hooks each side of a pair runs with.
   * @param {Record<'baseline' | 'ours', 'noop' | 'specflow'>} hooksOf
   * @returns {(side: 'baseline' | 'ours') => void}
   */
  const stageWith = (hooksOf) => (side) => {
    stage();
    if (hooksOf[side] === 'noop') noop();
    else restore();
  };
  try {
    const own = abPairs({ pairs, warmup, between: stageWith({ baseline: 'noop', ours: 'specflow' }), baseline: () => commit([]), ours: () => commit([]) });
    const noVerify = abPairs({ pairs: contextPairs, warmup, between: stageWith({ baseline: 'specflow', ours: 'specflow' }), baseline: () => commit(['--no-verify']), ours: () => commit([]) });
    const floor = abPairs({ pairs: contextPairs, warmup, between: stageWith({ baseline: 'noop', ours: 'noop' }), baseline: () => commit(['--no-verify']), ours: () => commit([]) });
    return { own, noVerify, floor };
  } finally {
    restore();
  }
}

/**
 * B2: the installed pre-commit hook file, run as husky runs it (`sh -e .husky/pre-commit`: the
 * shim's staged check, then the bundled hook entry), with one forward phase move staged, vs a
 * bare `node -e 0`. husky's own dispatcher in front of it is measured in B1.
 */
export function preCommitCheck(repo, env, { pairs, warmup = 1 }) {
  const ledger = join(repo, '.maestro', 'ledger.yaml');
  const move = movePhase(readFileSync(ledger, 'utf8'), 'F-1');
  if (move.from !== 'plan' || move.to !== 'tasks') throw new Error(`B2 expects F-1 to move plan -> tasks, not ${move.from} -> ${move.to}`);
  return hookWithStaged(repo, env, '.maestro/ledger.yaml', move.text, { pairs, warmup });
}

/**
 * The installed pre-commit hook file (`sh -e .husky/pre-commit`) vs `node -e 0`, with `rel`
 * changed to `text` and staged for the run, and put back afterwards.
 * @param {string} repo @param {NodeJS.ProcessEnv} env @param {string} rel @param {string} text
 * @param {{ pairs: number, warmup?: number }} options
 */
function hookWithStaged(repo, env, rel, text, { pairs, warmup = 1 }) {
  const file = join(repo, rel);
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, text);
  git(repo, ['add', rel], env);
  try {
    return abPairs({
      pairs,
      warmup,
      baseline: () => timed(process.execPath, ['-e', '0'], { cwd: repo, env }),
      ours: () => timed('sh', ['-e', join('.husky', 'pre-commit')], { cwd: repo, env }),
    });
  } finally {
    git(repo, ['reset', '-q', '--', rel], env);
    writeFileSync(file, original);
  }
}

/**
 * B7: the same hook file with an edit to one feature's plan staged and the ledger untouched: the
 * regression check (its documents must still pass every gate up to its phase) vs `node -e 0`.
 */
export function preCommitRegression(repo, env, { pairs, warmup = 1 }) {
  const ledgerText = readFileSync(join(repo, '.maestro', 'ledger.yaml'), 'utf8');
  const folder = /\n {2}F-1:\n(?: {4}.*\n)*? {4}spec_path: (\S+)/.exec(ledgerText)?.[1];
  if (!folder) throw new Error('B7 expects F-1 with a spec_path in the ledger');
  const plan = `${folder}/plan.md`;
  const text = `${readFileSync(join(repo, plan), 'utf8')}\nOne more sentence of real content, as an edit would add.\n`;
  return hookWithStaged(repo, env, plan, text, { pairs, warmup });
}

/** B3: the installed pre-push hook over `base..tip` (every commit changes the ledger) vs `git log -p base..tip`. */
export function prePushHistory(repo, env, { base, tip, pairs, warmup = 1 }) {
  const input = `refs/heads/history ${tip} refs/heads/history ${base}\n`;
  return abPairs({
    pairs,
    warmup,
    baseline: () => timed('git', ['log', '-p', `${base}..${tip}`], { cwd: repo, env }),
    ours: () => timed(join(repo, '.husky', '_', 'pre-push'), ['origin', 'https://example.com/bench.git'], { cwd: repo, env, input }),
  });
}
