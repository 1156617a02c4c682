// `npm run compat`: runs the phase guards of the Maestro "SpecFlow_Development" playbook against
// a sample repository at every phase, with the built `specflow` on PATH, and fails on any answer
// that differs from the expectation written below. The playbook is read at run time from
// ../shared/corpus (never copied into this project); without it, or without bash and jq, the
// script says why and exits 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedGitEnv } from './lib/git-env.mjs';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const playbook = resolve(project, '..', 'shared', 'corpus', 'mellanon__maestro-pai-playbooks', 'playbooks', 'SpecFlow_Development');
const cli = join(project, 'bin', 'specflow.js');

const skipWith = (why) => {
  process.stdout.write(`compat: skipped: ${why}\n`);
  process.exit(0);
};
if (!existsSync(playbook)) skipWith(`the playbook folder is absent (${playbook})`);
for (const tool of ['bash', 'jq']) if (spawnSync(tool, ['--version'], { encoding: 'utf8' }).error) skipWith(`\`${tool}\` is not installed; the playbook guards need it`);
if (!existsSync(join(project, 'dist', 'specflow.js'))) skipWith('dist/ is missing; run `npm run build` first');

/**
 * What each guard should answer, by the intent its playbook step states:
 * 1 SPECIFY runs at none/specify; 2 PLAN at specify; 3 TASKS at plan; 4 IMPLEMENT while tasks are
 * open; 5 VERIFY for any active feature not yet complete; 6 COMPLETE only once every task is
 * checked (and again at complete, to finish the feature loop). With no current feature, or
 * ALL_FEATURES_COMPLETE, every guard skips.
 */
const STATES = ['none', 'specify', 'plan', 'tasks', 'implement', 'implement✓', 'complete'];
const P = 'PROCEED';
const S = 'SKIP';
const EXPECT = {
  1: [P, P, S, S, S, S, S],
  2: [S, P, S, S, S, S, S],
  3: [S, S, P, S, S, S, S],
  4: [S, S, S, P, P, S, S],
  5: [P, P, P, P, P, P, S],
  6: [S, S, S, S, S, P, P],
};

/** The first ```bash block after the "Phase Guard" heading of a step file, dedented. */
function guardOf(text) {
  const lines = text.split('\n');
  const heading = lines.findIndex((l) => /^#+\s*Phase Guard/i.test(l));
  if (heading < 0) return undefined;
  const open = lines.findIndex((l, i) => i > heading && /^\s*```bash\s*$/.test(l));
  if (open < 0) return undefined;
  const indent = /^\s*/.exec(lines[open])?.[0] ?? '';
  const close = lines.findIndex((l, i) => i > open && l.trim() === '```');
  return lines
    .slice(open + 1, close)
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
    .join('\n');
}

/** Bash blocks of a step file that contain `needle`, dedented. */
function blocksWith(text, needle) {
  const out = [];
  const re = /^([ \t]*)```bash[ \t]*\n([\s\S]*?)^\1```[ \t]*$/gm;
  for (const m of text.matchAll(re)) {
    if (!m[2].includes(needle)) continue;
    out.push(m[2].split('\n').map((l) => (l.startsWith(m[1]) ? l.slice(m[1].length) : l)).join('\n'));
  }
  return out;
}

const steps = readdirSync(playbook)
  .filter((f) => /^\d+_.*\.md$/.test(f))
  .sort()
  .map((file) => ({ file, n: Number(file.split('_')[0]), text: readFileSync(join(playbook, file), 'utf8') }));
const guards = steps.map((s) => ({ ...s, guard: guardOf(s.text) })).filter((s) => s.guard);
if (guards.length === 0) skipWith('no phase guards found in the playbook');

// A throwaway repository, isolated git config, and a bin dir with `specflow` and a `bun` stand-in
// (guard 6 runs `bun test`; the sample repository has no test suite, so the stand-in passes).
const base = mkdtempSync(join(tmpdir(), 'specflow-compat-'));
const home = join(base, 'home');
const bin = join(base, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'specflow'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
writeFileSync(join(bin, 'bun'), '#!/bin/sh\necho "1 pass"\n', { mode: 0o755 });
const env = isolatedGitEnv(home, { name: 'Compat Check', email: 'compat@example.com', extra: { PATH: `${bin}:${process.env.PATH}` } });

function newRepo(name) {
  const dir = join(base, name);
  mkdirSync(dir);
  sh(dir, 'git init -q && specflow init >/dev/null');
  return dir;
}
/**
 * Runs `cmd` with bash in `dir`; throws unless it exits `expectCode` (`null`: any code).
 * @param {string} dir @param {string} cmd @param {number | null} [expectCode]
 */
function sh(dir, cmd, expectCode = 0) {
  const r = spawnSync('bash', ['-c', cmd], { cwd: dir, env, encoding: 'utf8' });
  if (expectCode !== null && r.status !== expectCode) throw new Error(`\`${cmd}\` exited ${r.status}, expected ${expectCode}\n${r.stdout}${r.stderr}`);
  return r;
}
const write = (dir, rel, text) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
};

const SPEC = '# Vector Configuration\n\n## Problem\n\nOperators edit three files by hand to tune vector search.\n\n## Requirements\n\n- One validated file holds every vector setting.\n';
const PLAN_SECTIONS = ['Data models', 'API/Interface design', 'Error handling strategy', 'Failure modes', 'Dependencies', 'Testing strategy'];
const PLAN = `# Vector Configuration — plan\n\n${PLAN_SECTIONS.map((s) => `## ${s}\n\nWritten for the compat check: ${s.toLowerCase()}.\n`).join('\n')}
## Principles\n\n- [x] Code before prompts\n- [x] Deterministic where possible\n- [x] CLI-first interfaces\n`;
const tasks = (done) => `# Vector Configuration — tasks\n\n- [x] Write the loader\n- [${done ? 'x' : ' '}] Add the check command\n`;
const DIR = '.specify/specs/f-12-vector-configuration';

/** Walks F-12 through the workflow with the verbs the playbook steps call, yielding each state. */
function* walk(dir) {
  sh(dir, 'specflow add "Vector Configuration" --id F-12 >/dev/null && specflow add "Vector Collector" --id F-11 >/dev/null');
  yield 'none';
  write(dir, `${DIR}/spec.md`, SPEC);
  sh(dir, 'specflow specify F-12 >/dev/null');
  yield 'specify';
  write(dir, `${DIR}/plan.md`, PLAN);
  sh(dir, 'specflow approve F-12 >/dev/null && specflow plan F-12 >/dev/null');
  yield 'plan';
  write(dir, `${DIR}/tasks.md`, tasks(false));
  sh(dir, 'specflow tasks F-12 >/dev/null');
  yield 'tasks';
  sh(dir, 'specflow implement --feature F-12 >/dev/null');
  yield 'implement';
  write(dir, `${DIR}/tasks.md`, tasks(true));
  yield 'implement✓';
  sh(dir, 'specflow complete F-12 >/dev/null');
  yield 'complete';
}

const CURRENT = {
  'Feature ID: F-12': 'Feature ID: F-12\n',
  '- **Feature ID:** F-12': '# Current Feature\n\n- **Feature ID:** F-12\n- **Feature Name:** Vector Configuration\n- **Phase:** none\n',
};

function answer(dir, guard) {
  const r = spawnSync('bash', ['-c', guard], { cwd: dir, env, encoding: 'utf8' });
  return /PHASE_GUARD:\s*(PROCEED|SKIP)/.exec(r.stdout)?.[1] ?? `?? (exit ${r.status})`;
}

const rows = [];
let wrong = 0;
const repo = newRepo('sample');
const got = new Map(); // `${n}|${form}` → answers by state
for (const _state of walk(repo)) {
  for (const [form, text] of Object.entries(CURRENT)) {
    write(repo, '.maestro/CURRENT_FEATURE.md', text);
    for (const g of guards) {
      const key = `${g.n}|${form}`;
      if (!got.has(key)) got.set(key, []);
      got.get(key).push(answer(repo, g.guard));
    }
  }
}
const edge = { 'no CURRENT_FEATURE.md': null, ALL_FEATURES_COMPLETE: '# Current Feature\nALL_FEATURES_COMPLETE\n' };
const edgeAnswers = new Map();
for (const [label, text] of Object.entries(edge)) {
  rmSync(join(repo, '.maestro/CURRENT_FEATURE.md'), { force: true });
  if (text) write(repo, '.maestro/CURRENT_FEATURE.md', text);
  for (const g of guards) edgeAnswers.set(`${g.n}|${label}`, answer(repo, g.guard));
}

const short = (a) => (a === P ? 'PROCEED' : a === S ? 'skip' : a);
for (const g of guards) {
  const expected = EXPECT[g.n];
  if (!expected) {
    rows.push([g.file, 'no expectation written down', ...STATES.map(() => ''), '', '']);
    wrong++;
    continue;
  }
  for (const form of Object.keys(CURRENT)) {
    const answers = got.get(`${g.n}|${form}`);
    const cells = answers.map((a, i) => (a === expected[i] ? short(a) : `${short(a)} ✗`));
    wrong += answers.filter((a, i) => a !== expected[i]).length;
    const edges = Object.keys(edge).map((label) => {
      const a = edgeAnswers.get(`${g.n}|${label}`);
      if (a !== S) wrong++;
      return a === S ? short(a) : `${short(a)} ✗`;
    });
    rows.push([g.file.replace(/\.md$/, ''), form, ...cells, ...(form === Object.keys(CURRENT)[0] ? edges : ['', ''])]);
  }
}

// The selection commands of steps 0 and 6: the first pending feature in id order.
const pick = newRepo('selection');
sh(pick, ['F-1 One', 'F-2 Two', 'F-3 Three', 'F-4 Four', 'F-10 Ten'].map((s) => `specflow add "${s.slice(s.indexOf(' ') + 1)}" --id ${s.split(' ')[0]} >/dev/null`).join(' && '));
write(pick, '.specify/specs/f-3-three/spec.md', SPEC);
sh(pick, 'specflow specify F-3 >/dev/null && specflow skip F-2 --reason deferred --justification "later" >/dev/null');
sh(pick, 'specflow skip F-1 --reason duplicate --duplicate-of F-3 >/dev/null');
const selections = [];
for (const s of steps) {
  for (const block of blocksWith(s.text, 'select(.status == "pending") | .id')) {
    const out = sh(pick, block).stdout.trim().split('\n').pop() ?? '';
    const id = out.replace(/^.*:\s*/, '');
    selections.push([s.file, id, id === 'F-4' ? 'ok' : 'expected F-4 ✗']);
    if (id !== 'F-4') wrong++;
  }
}

// The validated skip examples of step 0: a deferral passes; a duplicate of pending work fails.
const skips = [];
for (const block of blocksWith(steps.find((s) => s.n === 0)?.text ?? '', 'specflow skip F-12')) {
  const dir = newRepo(`skip-${skips.length}`);
  sh(dir, 'specflow add "Vector Collector" --id F-11 >/dev/null && specflow add "Vector Configuration" --id F-12 >/dev/null');
  const code = sh(dir, block, null).status;
  const expected = block.includes('--duplicate-of') ? 1 : 0;
  skips.push([block.split('\n')[0].replace(/\s*\\$/, ''), String(code), code === expected ? 'ok' : `expected ${expected} ✗`]);
  if (code !== expected) wrong++;
}

const table = (rs, header) => {
  const all = [header, ...rs];
  const w = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  return all.map((r) => r.map((c, i) => (c ?? '') + ' '.repeat(w[i] - [...(c ?? '')].length)).join(' | ').trimEnd()).join('\n');
};
process.stdout.write(`Phase guards of ${guards.length} playbook steps × feature state (✗ = wrong answer)\n\n`);
process.stdout.write(`${table(rows, ['guard', 'CURRENT_FEATURE.md', ...STATES, ...Object.keys(edge)])}\n\n`);
process.stdout.write(`Next-feature selection (F-1 skipped as duplicate, F-2 deferred, F-3 in progress; F-4 and F-10 pending)\n\n${table(selections, ['step', 'selected', 'verdict'])}\n\n`);
process.stdout.write(`Validated skip examples (F-11 is pending, so a duplicate of it is refused)\n\n${table(skips, ['command', 'exit', 'verdict'])}\n\n`);
rmSync(base, { recursive: true, force: true });
if (wrong) {
  process.stdout.write(`compat: ${wrong} wrong answer(s)\n`);
  process.exitCode = 1;
} else process.stdout.write('compat: every guard answered as expected\n');
