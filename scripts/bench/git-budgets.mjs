// B1–B3: the git hooks, on the 1,000-feature repository with husky.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './generate.mjs';
import { movePhase } from './history.mjs';
import { timed } from './setup.mjs';
import { abPairs } from './stats.mjs';

/** B1: `git commit` of one changed file (ledger not staged), hooks vs `--no-verify`. */
export function commitWithHooks(repo, env, { pairs, warmup = 1 }) {
  let n = 0;
  const stage = () => {
    appendFileSync(join(repo, 'README.md'), `line ${++n}\n`);
    git(repo, ['add', 'README.md'], env);
  };
  return abPairs({
    pairs,
    warmup,
    between: stage,
    baseline: () => timed('git', ['commit', '-q', '--no-verify', '-m', `Change ${n}`], { cwd: repo, env }),
    ours: () => timed('git', ['commit', '-q', '-m', `Change ${n}`], { cwd: repo, env }),
  });
}

/**
 * B1's context: what any pre-commit and commit-msg hook costs under husky on this machine. The
 * same commit with `.husky/pre-commit` and `.husky/commit-msg` doing nothing (`exit 0`) vs
 * `--no-verify` (the floor no hook can go under), and specflow's hooks vs those no-op hooks
 * (what specflow itself adds).
 */
export function commitFloor(repo, env, { pairs, warmup = 1 }) {
  const hooks = ['pre-commit', 'commit-msg'].map((h) => join(repo, '.husky', h));
  const installed = hooks.map((h) => readFileSync(h, 'utf8'));
  let n = 0;
  const stage = () => {
    appendFileSync(join(repo, 'README.md'), `floor ${++n}\n`);
    git(repo, ['add', 'README.md'], env);
  };
  const commit = (extra) => timed('git', ['commit', '-q', ...extra, '-m', `Floor ${n}`], { cwd: repo, env });
  const noop = () => hooks.forEach((h) => writeFileSync(h, 'exit 0\n'));
  const restore = () => hooks.forEach((h, i) => writeFileSync(h, installed[i]));
  try {
    noop();
    const floor = abPairs({ pairs, warmup, between: stage, baseline: () => commit(['--no-verify']), ours: () => commit([]) });
    const own = abPairs({
      pairs,
      warmup,
      between: (side) => {
        stage();
        if (side === 'baseline') noop();
        else restore();
      },
      baseline: () => commit([]),
      ours: () => commit([]),
    });
    return { floor, own };
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
  const original = readFileSync(ledger, 'utf8');
  const move = movePhase(original, 'F-1');
  if (move.from !== 'plan' || move.to !== 'tasks') throw new Error(`B2 expects F-1 to move plan -> tasks, not ${move.from} -> ${move.to}`);
  writeFileSync(ledger, move.text);
  git(repo, ['add', '.maestro/ledger.yaml'], env);
  try {
    return abPairs({
      pairs,
      warmup,
      baseline: () => timed(process.execPath, ['-e', '0'], { cwd: repo, env }),
      ours: () => timed('sh', ['-e', join('.husky', 'pre-commit')], { cwd: repo, env }),
    });
  } finally {
    git(repo, ['reset', '-q', '--', '.maestro/ledger.yaml'], env);
    writeFileSync(ledger, original);
  }
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
