import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cleanupTempDirs, type RunResult } from '../helpers/repo.js';
import { seedFromEnv } from './support/fixtures.js';
import { describeEdit, editArb, makeTemplate, moveArb, Oracle, World, type CommitJudgement, type Edit, type Move, type Template } from './support/invariant-model.js';

/**
 * DESIGN §5, "What no sequence of commits may do", as a model-based property: random sequences
 * of real git and CLI moves (ordinary, `--no-verify` and amended commits, rebases, cherry-picks,
 * merges, symlinks, config edits, renamed folders, borrowed spec_paths, lying trailers, phase
 * moves, document edits) on a real repository with the real hooks, then every commit of
 * `origin/main..HEAD` judged by an oracle that does not use the implementation's git code (see
 * support/invariant-model.ts). A commit at which a feature becomes unsupported must be failed by
 * `specflow verify` and the push refused; a range with nothing unsupported must pass both.
 *
 * SPECFLOW_PROPERTY_RUNS raises the number of sequences; SPECFLOW_TEST_SEED (and
 * SPECFLOW_PROPERTY_PATH, from a failure report) replays one; SPECFLOW_PROPERTY_SHRINK=1 shrinks
 * a failure to a smaller sequence (off by default: every step replays whole sequences on real
 * repositories, minutes; the report's journal already tells each move and its outcome).
 */

const RUNS = Number(process.env.SPECFLOW_PROPERTY_RUNS) || 6;
const SHRINK = process.env.SPECFLOW_PROPERTY_SHRINK === '1';
const PATH = process.env.SPECFLOW_PROPERTY_PATH;
const seed = seedFromEnv();
/**
 * SPECFLOW_PROPERTY_COLLECT=1 goes on after a failing sequence and reports every one at the
 * end, each with the path that replays it (with the same seed), instead of stopping at the
 * first and shrinking it: for long runs that look for more than one bug.
 */
const COLLECT = process.env.SPECFLOW_PROPERTY_COLLECT === '1';
/** SPECFLOW_PROPERTY_TRACE=1 prints every sequence and the oracle's table on stderr. */
const TRACE = process.env.SPECFLOW_PROPERTY_TRACE === '1';
const params = (runs: number) => ({ numRuns: runs, seed, ...(PATH ? { path: PATH } : {}), endOnFailure: !SHRINK || COLLECT });

/** Runs one sequence's check; with COLLECT, a failure is kept (with its replay path) and the run goes on. */
function collecting(collected: string[], index: number, check: () => void): void {
  if (!COLLECT) return check();
  try {
    check();
  } catch (e) {
    collected.push(`--- seed ${seed}, path "${PATH ?? index}"\n${(e as Error).message}`);
  }
}

function reportCollected(collected: readonly string[]): void {
  if (collected.length) throw new Error(`${collected.length} failing sequence(s):\n${collected.join('\n\n')}`);
}
/** Generous: a failure replays sequences while shrinking. */
const TIMEOUT = 60 * 60_000;

let template: Template;
beforeAll(() => {
  template = makeTemplate();
}, 60_000);
afterAll(cleanupTempDirs);

interface VerifyCommit {
  commit: string;
  ok: boolean;
  blocking: { code: string }[];
  regressions: { findings: { code: string }[] }[];
  moves: { findings: { code: string }[] }[];
}

const codesOf = (c: VerifyCommit) => [...c.blocking.map((f) => f.code), ...c.regressions.flatMap((r) => r.findings.map((f) => f.code)), ...c.moves.flatMap((m) => m.findings.map((f) => f.code))];

function table(judged: readonly CommitJudgement[], verdicts?: ReadonlyMap<string, VerifyCommit>): string {
  return judged
    .map((j) => {
      const v = verdicts?.get(j.commit);
      const said = !verdicts ? '' : v ? (v.ok ? 'verify: ok' : `verify: FAILED ${codesOf(v).join(',')}`) : 'verify: not judged';
      return [
        `  ${j.commit.slice(0, 7)}${j.parents.length > 1 ? ` (merge of ${j.parents.map((p) => p.slice(0, 7)).join(' ')})` : ''} "${j.subject}" gates: ${j.gates}; ${said}`,
        ...(j.unsupported.length ? [`      unsupported: ${j.unsupported.join('; ')}`] : []),
        ...j.violations.map((x) => `      MUST BE REFUSED: ${x}`),
      ].join('\n');
    })
    .join('\n');
}

const shortOutput = (r: RunResult) => `${r.stderr}${r.stdout}`.trim().split('\n').slice(0, 12).join('\n');

/** The outer checks of one finished sequence against the oracle. Throws with the whole story when they disagree. */
function checkRange(world: World): void {
  const judged = new Oracle(world).judgeRange();
  const verify = world.cli(['verify', '--range', 'origin/main..HEAD', '--json']);
  let report: { commits: VerifyCommit[] } | undefined;
  try {
    report = JSON.parse(verify.stdout) as { commits: VerifyCommit[] };
  } catch {
    report = undefined;
  }
  const verdicts = new Map((report?.commits ?? []).map((c) => [c.commit, c]));
  const problems: string[] = [];
  if (!report) problems.push(`verify printed no JSON document (exit ${verify.code}): ${shortOutput(verify)}`);
  const mustFail = judged.filter((j) => j.violations.length > 0);
  for (const j of mustFail) {
    const v = verdicts.get(j.commit);
    if (!v || v.ok) problems.push(`${j.commit.slice(0, 7)} must be failed by verify (${j.violations.join('; ')}), but verify ${v ? 'passed it' : 'did not judge it'}`);
  }
  const clean = judged.every((j) => j.violations.length === 0 && j.unsupported.length === 0);
  const push = world.git(['push', 'origin', 'HEAD:main'], { allowFail: true });
  if (mustFail.length) {
    if (verify.code !== 1) problems.push(`verify must exit 1, exited ${verify.code}`);
    if (push.code === 0) problems.push('the push must be refused, and was accepted');
    else if (!push.stderr.includes('push refused')) problems.push(`the push failed, but not by the pre-push check: ${shortOutput(push)}`);
  }
  if (clean) {
    if (verify.code !== 0) problems.push(`nothing is unsupported anywhere, yet verify exited ${verify.code}: ${[...verdicts.values()].filter((c) => !c.ok).map((c) => `${c.commit.slice(0, 7)} ${codesOf(c).join(',')}`).join('; ')}`);
    if (push.code !== 0) problems.push(`nothing is unsupported anywhere, yet the push was refused: ${shortOutput(push)}`);
  }
  if (TRACE)
    process.stderr.write(
      `--- sequence: verify exit ${verify.code}, push ${push.code === 0 ? 'accepted' : 'refused'}, ${mustFail.length} commit(s) must be refused${clean ? ', clean' : ''}\n${world.journal.map((m, i) => `  ${i + 1}. ${m}`).join('\n')}\n${table(judged, verdicts)}\n`,
    );
  if (problems.length)
    throw new Error(
      [
        'The invariant does not hold:',
        ...problems.map((p) => `- ${p}`),
        'Moves:',
        ...world.journal.map((m, i) => `  ${i + 1}. ${m}`),
        'Commits of origin/main..HEAD, oldest first, as the oracle judges them:',
        table(judged, verdicts),
      ].join('\n'),
    );
}

/**
 * Sequences the property found (shrunk by hand to their core), replayed on every run so that
 * they keep being checked whatever the seed.
 */
const KNOWN: readonly (readonly [string, Move[]])[] = [
  [
    'a phase advanced in the same commit that empties a document of an earlier gate',
    [{ k: 'commit', how: 'hooks', edits: [{ k: 'advance', f: 1, via: 'cli' }, { k: 'doc', f: 1, doc: 'spec', content: 'empty' }] }],
  ],
  [
    'a gate loosened and passed in the commit after one that made .maestro a symlink',
    [
      { k: 'commit', how: 'no-verify', edits: [{ k: 'symlink', what: 'maestro' }] },
      {
        k: 'commit',
        how: 'no-verify',
        edits: [{ k: 'unlink' }, { k: 'config', change: 'no-sections' }, { k: 'doc', f: 1, doc: 'plan', content: 'alt' }, { k: 'phase', f: 1, to: 'plan', via: 'text' }],
      },
    ],
  ],
  [
    'a gate loosened and passed in the commit that brings .maestro back after a commit that removed it',
    [
      { k: 'commit', how: 'hooks', edits: [{ k: 'uninstall' }] },
      {
        k: 'commit',
        how: 'hooks',
        edits: [{ k: 'reinstall' }, { k: 'config', change: 'no-sections' }, { k: 'doc', f: 1, doc: 'plan', content: 'alt' }, { k: 'phase', f: 1, to: 'plan', via: 'text' }],
      },
    ],
  ],
  [
    // `regression: warn|off` weakens the invariant for document edits (DESIGN §5); a spec_path
    // pointed at another feature's folder is an edit of the ledger, and borrows documents.
    'a spec_path pointed at another feature\'s folder under regression: warn',
    [
      { k: 'commit', how: 'hooks', edits: [{ k: 'config', change: 'regression-warn' }] },
      { k: 'commit', how: 'hooks', edits: [{ k: 'spec-path', f: 1, how: 'other' }] },
    ],
  ],
  [
    // Found with seed 636014508: the oracle let this lie through (it judged no trailer of a feature
    // a commit brings in); verify and pre-push rightly refused it.
    'a lying trailer on the commit that brings .maestro back',
    [
      { k: 'commit', how: 'hooks', edits: [{ k: 'uninstall' }] },
      { k: 'commit', how: 'no-verify', edits: [{ k: 'reinstall' }], lie: { f: 1, from: 'implement', to: 'specify' } },
    ],
  ],
  [
    // Skipped features are exempt from the move gates as from regression: nothing is unsupported.
    'a skipped feature moved forward past documents it does not have',
    [
      { k: 'commit', how: 'hooks', edits: [{ k: 'skip', f: 2, on: true }] },
      { k: 'commit', how: 'hooks', edits: [{ k: 'phase', f: 2, to: 'tasks', via: 'text' }] },
    ],
  ],
  [
    // SpecFlow's verify.md completes a feature when it records a pass; one that records a failure
    // afterwards leaves the phase unsupported (a regression), with the hooks or past them.
    'a feature completed by a passed verification, whose record then says FAIL',
    [
      { k: 'commit', how: 'hooks', edits: [{ k: 'advance', f: 1, via: 'cli' }] },
      { k: 'commit', how: 'hooks', edits: [{ k: 'advance', f: 1, via: 'cli' }, { k: 'advance', f: 1, via: 'text' }] },
      { k: 'commit', how: 'hooks', edits: [{ k: 'doc', f: 1, doc: 'verify', content: 'good' }, { k: 'phase', f: 1, to: 'complete', via: 'cli' }] },
      { k: 'commit', how: 'hooks', edits: [{ k: 'doc', f: 1, doc: 'verify', content: 'alt' }] },
      { k: 'commit', how: 'no-verify', edits: [{ k: 'doc', f: 1, doc: 'verify', content: 'alt' }] },
    ],
  ],
  [
    // Found with seed 1427103583: the oracle let a trailer claim a phase change on a commit where
    // neither it nor its parent has a ledger (specflow removed); verify rightly flags it.
    'a trailer claiming a phase change on a commit without a ledger',
    [
      { k: 'commit', how: 'no-verify', edits: [{ k: 'uninstall' }] },
      { k: 'commit', how: 'hooks', edits: [{ k: 'doc', f: 2, doc: 'tasks', content: 'good' }] },
      { k: 'commit', how: 'amend', edits: [{ k: 'symlink', what: 'ledger' }], lie: { f: 2, from: 'complete', to: 'specify' } },
    ],
  ],
];

describe('the invariant (DESIGN §5): sequences found before', () => {
  it.each(KNOWN)('%s', (_name, moves) => {
    const world = new World(template);
    try {
      for (const m of moves) world.apply(m);
      checkRange(world);
    } finally {
      world.dispose();
    }
  });
});

describe('the invariant (DESIGN §5) over generated sequences of commits', () => {
  it(
    'every commit at which a feature becomes unsupported is failed by verify and refused by pre-push; a range with nothing unsupported passes both',
    async () => {
      const collected: string[] = [];
      let index = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(moveArb, { minLength: 5, maxLength: 8 }), async (moves) => {
          const world = new World(template);
          try {
            for (const m of moves) world.apply(m);
            collecting(collected, index++, () => checkRange(world));
          } finally {
            world.dispose();
          }
          await Promise.resolve();
        }),
        params(RUNS),
      );
      reportCollected(collected);
    },
    TIMEOUT,
  );

  /** The state edits that keep the config as it is: the pre-commit hook alone must then refuse exactly the commits the oracle rejects. */
  const stateEdit = editArb.filter((e) => e.k !== 'config' || e.change === 'break' || e.change === 'schema');

  it(
    'pre-commit refuses a commit exactly when the state it records breaks something',
    async () => {
      const collected: string[] = [];
      let index = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(stateEdit, { minLength: 1, maxLength: 3 }), { minLength: 6, maxLength: 10 }), async (steps) => {
          const world = new World(template);
          try {
            const oracle = new Oracle(world);
            collecting(collected, index++, () => {
              for (const edits of steps) checkPreCommit(world, oracle, edits);
            });
          } finally {
            world.dispose();
          }
          await Promise.resolve();
        }),
        params(Math.max(2, Math.round(RUNS / 2))),
      );
      reportCollected(collected);
    },
    TIMEOUT,
  );
});

/**
 * One step of the cheaper property: the edits are committed through the hooks; when refused,
 * the same index is committed with --no-verify so that the oracle judges a real commit, which
 * is then taken back.
 */
function checkPreCommit(world: World, oracle: Oracle, edits: readonly Edit[]): void {
  const parent = world.rev('HEAD');
  for (const e of edits) world.applyEdit(e);
  world.git(['add', '-A']);
  const hooked = world.git(['commit', '-q', '-m', `step ${world.journal.length}`], { allowFail: true });
  const refused = hooked.code !== 0;
  if (refused && world.git(['commit', '-q', '--no-verify', '-m', `step ${world.journal.length}`], { allowFail: true }).code !== 0) {
    world.journal.push(`${edits.map(describeEdit).join(', ')} => nothing to commit`);
    world.git(['reset', '-q', '--hard']);
    world.git(['clean', '-q', '-fd']);
    return;
  }
  const commit = world.rev('HEAD');
  const j = oracle.judge(commit, [parent]);
  world.journal.push(`${edits.map(describeEdit).join(', ')} => ${refused ? 'refused' : 'committed'} ${commit.slice(0, 7)}`);
  const breaks = j.violations.length > 0;
  if (breaks !== refused)
    throw new Error(
      [
        breaks ? 'pre-commit let through a commit that breaks the invariant:' : 'pre-commit refused a commit that breaks nothing:',
        ...(refused ? [shortOutput(hooked)] : []),
        'Steps:',
        ...world.journal.map((m, i) => `  ${i + 1}. ${m}`),
        'The last commit as the oracle judges it:',
        table([j]),
      ].join('\n'),
    );
  if (refused) {
    world.git(['reset', '-q', '--hard', parent]);
    world.git(['clean', '-q', '-fd']);
  }
}
