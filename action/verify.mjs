// The GitHub Action's step (action.yml): works out the commits a push or pull request brings
// from the event GitHub describes (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH), makes sure the
// checkout holds them (fetching what a shallow checkout lacks), and runs the repository's own
// `specflow verify --format github` over them; optionally SARIF too. The exit code is verify's:
// annotations alone never fail a job. Plain Node, no dependencies: this file runs from the
// action's checkout, where nothing is installed; specflow itself comes from the repository's
// node_modules.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const env = process.env;
const cwd = process.cwd();
const ZERO = /^0+$/;

/** A workflow command's data, escaped as GitHub requires. */
const escape = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const say = (s) => process.stdout.write(`${s}\n`);
function fail(message, fix, code = 2) {
  say(`::error title=specflow verify::${escape(`${message}\n${fix}`)}`);
  process.stderr.write(`specflow verify: ${message}\n  ${fix}\n`);
  process.exit(code);
}

function git(args, opts = {}) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', ...opts });
  return { code: r.status ?? 1, stdout: (r.stdout ?? '').trim(), stderr: (r.stderr ?? '').trim() };
}
const hasCommit = (rev) => git(['cat-file', '-e', `${rev}^{commit}`]).code === 0;
const isShallow = () => git(['rev-parse', '--is-shallow-repository']).stdout === 'true';
const input = (name, fallback = '') => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim() || fallback;

/** The repository's own specflow: node_modules/.bin, or the package's bin file. */
function specflowCommand() {
  const bin = join(cwd, 'node_modules', '.bin', 'specflow');
  if (existsSync(bin)) return [bin];
  const pkg = join(cwd, 'node_modules', 'specflowd', 'bin', 'specflow.js');
  if (existsSync(pkg)) return [process.execPath, pkg];
  fail('specflow is not installed in this repository', 'Install dependencies before this step (npm ci), with specflowd in devDependencies.');
}

function readEvent() {
  const path = env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    fail(`cannot read the event payload ${path}`, 'Run this action from a GitHub workflow.');
  }
}

/** The commits to judge, as `{base, head}` (base undefined: all history of head) or a range given as input. */
function wanted(event) {
  const given = input('range');
  if (given) return { range: given };
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (name === 'pull_request' || name === 'pull_request_target') {
    const pr = event.pull_request ?? {};
    return { base: pr.base?.sha, head: pr.head?.sha, baseRef: pr.base?.ref };
  }
  if (name === 'merge_group') return { base: event.merge_group?.base_sha, head: event.merge_group?.head_sha };
  if (name === 'push') {
    if (event.deleted || ZERO.test(event.after ?? '')) return { nothing: 'the push deletes a ref' };
    const base = ZERO.test(event.before ?? '0') ? undefined : event.before;
    return { base, head: event.after ?? env.GITHUB_SHA, baseRef: event.repository?.default_branch, newBranch: base === undefined };
  }
  fail(`no range for a ${name || 'manual'} run`, 'Pass the commits to judge: with: range: origin/main..HEAD');
}

/** Makes sure `revs` are in the checkout; fetches what is missing unless `fetch: false`. */
function ensure(revs, fetch) {
  const missing = () => revs.filter((r) => r && !hasCommit(r));
  if (!isShallow() && missing().length === 0) return;
  if (fetch) {
    if (isShallow()) git(['fetch', '--no-tags', '--quiet', '--unshallow', 'origin']);
    for (const rev of missing()) git(['fetch', '--no-tags', '--quiet', 'origin', rev]);
  }
  const still = missing();
  if (isShallow() || still.length)
    fail(
      isShallow() ? 'the checkout is shallow: the commits before its boundary cannot be judged' : `commit ${still[0]} is not in the checkout`,
      'Check out the whole history: actions/checkout with fetch-depth: 0 (or leave this action\'s fetch input at true).',
    );
}

const event = readEvent();
const target = wanted(event);
if (target.nothing) {
  say(`specflow verify: nothing to judge (${target.nothing}).`);
  process.exit(0);
}
const fetch = input('fetch', 'true') !== 'false';
let range = target.range;
if (!range) {
  if (!target.head) fail('the event names no commit to judge', 'Pass the commits to judge: with: range: <base>..<head>');
  let base = target.base;
  if (base === undefined && target.baseRef) {
    // A new branch: what it adds to the default branch, when the default branch is another one.
    const branch = (env.GITHUB_REF ?? '').replace(/^refs\/heads\//, '');
    if (branch !== target.baseRef) {
      if (fetch) git(['fetch', '--no-tags', '--quiet', 'origin', `+refs/heads/${target.baseRef}:refs/remotes/origin/${target.baseRef}`]);
      if (hasCommit(`origin/${target.baseRef}`)) base = `origin/${target.baseRef}`;
    }
  }
  ensure([base, target.head], fetch);
  range = base ? `${base}..${target.head}` : target.head;
} else ensure([], fetch);

const specflow = specflowCommand();
const run = (format) => spawnSync(specflow[0], [...specflow.slice(1), 'verify', '--range', range, '--format', format], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
say(`specflow verify --range ${range}`);
const verdict = run('github');
process.stdout.write(verdict.stdout ?? '');
const sarif = input('sarif');
if (sarif) {
  const log = run('sarif');
  if (log.stdout) writeFileSync(resolve(cwd, sarif), log.stdout);
}
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `range=${range}\n${sarif ? `sarif=${sarif}\n` : ''}`);
process.exit(verdict.status ?? 1);
