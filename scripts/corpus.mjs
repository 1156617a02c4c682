// `npm run corpus`: runs the built CLI over every spec tree in ../shared/corpus (each copied into
// a temporary git repository first; the corpus itself is only read), and prints, per tree: the
// feature folders in it (every folder directly under a known root: `.specify/specs/`, `specs/`,
// `.kiro/specs/`, `openspec/changes/` and its archive, at any depth), the features `init
// --adopt-phases` found, the phases it adopted them at, whether the adoption commit passes
// `verify`, findings by code, and crashes. A crash is stdout that is not exactly one JSON
// document, an exit code other than 0 or 1, or a stack trace. Exits 1 on any crash. Skips
// cleanly when the corpus folder is absent. `SPECFLOW_CLI=<path>` runs another build.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedGitEnv } from './lib/git-env.mjs';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(project, '..', 'shared', 'corpus');
const cli = process.env.SPECFLOW_CLI ? resolve(process.env.SPECFLOW_CLI) : join(project, 'bin', 'specflow.js');
if (!existsSync(corpus)) {
  process.stdout.write(`corpus: skipped: ${corpus} is absent\n`);
  process.exit(0);
}

const base = mkdtempSync(join(tmpdir(), 'specflow-corpus-'));
const env = isolatedGitEnv(join(base, 'home'), { name: 'Corpus Run', email: 'corpus@example.com' });

/** The corpus is read-only; the copy must be writable for `.maestro/`. */
function makeWritable(path) {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  chmodSync(path, st.mode | 0o200 | (st.isDirectory() ? 0o100 : 0));
  if (st.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

/** Feature folders as a person counts them: folders directly under a root of a known layout (not its archive or notes folders). */
const NOT_FEATURES = /^(attic|archived?|archives|old|deprecated|obsolete|drafts?|rfcs?|adrs?|notes|templates?|memory|research|docs?)$/i;
function featureFolders(dir) {
  const out = [];
  const subdirs = (p) => {
    try {
      return readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    } catch {
      return [];
    }
  };
  const walk = (rel, depth) => {
    const abs = join(dir, rel);
    const names = new Set(readdirSync(abs, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
    const roots = [];
    if (names.has('.specify')) roots.push('.specify/specs');
    if (names.has('.kiro')) roots.push('.kiro/specs');
    if (names.has('openspec')) roots.push('openspec/changes', 'openspec/changes/archive');
    if (names.has('specs') && (rel === '' || names.has('.specify'))) roots.push('specs');
    for (const r of roots)
      for (const f of subdirs(join(abs, r)))
        if (!NOT_FEATURES.test(f) && !(r === 'openspec/changes' && f === 'archive') && (r !== 'specs' || /^\d+-/.test(f))) out.push(join(rel, r, f));
    if (depth < 3) for (const n of names) if (!n.startsWith('.') && n !== 'node_modules' && n !== 'specs' && n !== 'openspec') walk(join(rel, n), depth + 1);
  };
  walk('', 0);
  return out;
}

/** Runs one CLI command; returns its JSON and whether it crashed (and why). */
function run(dir, args) {
  const r = spawnSync(process.execPath, [cli, ...args, '--json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let json;
  let crash;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    crash = `stdout is not one JSON document (${r.stdout.slice(0, 60).replace(/\n/g, ' ')}…)`;
  }
  if (r.status !== 0 && r.status !== 1 && !(r.status === 2 && json?.error?.code === 'usage')) crash ??= `exit ${r.status}: ${json?.error?.message ?? r.stderr.split('\n')[0]}`;
  if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr) || /internal error/.test(r.stderr)) crash ??= `stack trace: ${r.stderr.split('\n')[0]}`;
  const unknownCommand = r.status === 2 && /unknown command/i.test(json?.error?.message ?? r.stderr);
  return { json, crash, code: r.status, unknownCommand };
}

function byCode(findings = []) {
  const counts = new Map();
  for (const f of findings) {
    const k = `${f.severity === 'warning' ? 'w:' : ''}${f.code}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k}×${n}`);
}

const GLYPH = { none: '○', specify: '①', plan: '②', tasks: '③', implement: '④', complete: '●' };
const rows = [];
const details = [];
let crashes = 0;
for (const name of readdirSync(corpus).sort()) {
  const src = join(corpus, name);
  if (!lstatSync(src).isDirectory()) continue;
  const dir = join(base, name);
  cpSync(src, dir, { recursive: true });
  makeWritable(dir);
  spawnSync('git', ['init', '-q'], { cwd: dir, env });
  const folders = featureFolders(dir);
  const init = run(dir, ['init', '--adopt-phases']);
  // The adoption commit must pass verify: it records no phase its documents do not support.
  spawnSync('git', ['add', '-A'], { cwd: dir, env });
  spawnSync('git', ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--no-verify', '-m', 'adopt specflow'], { cwd: dir, env });
  const verify = run(dir, ['verify', '--range', 'HEAD']);
  const status = run(dir, ['status']);
  const validate = run(dir, ['validate']);
  const doctor = run(dir, ['doctor']);
  const problems = Object.entries({ init, verify, status, validate, doctor })
    .filter(([, r]) => r.crash)
    .map(([c, r]) => `${c}: ${r.crash}`);
  crashes += problems.length;
  const reg = init.json?.registered ?? [];
  const phases = (key) =>
    Object.entries(GLYPH)
      .reverse()
      .map(([p, g]) => [g, reg.filter((r) => r[key] === p).length])
      .filter(([, n]) => n)
      .map(([g, n]) => `${g}${n}`)
      .join(' ');
  const adoptedPhases = phases('phase');
  const verified = verify.json ? (verify.code === 0 ? 'pass' : `fail(${(verify.json.findings ?? []).length})`) : '?';
  const v = validate.json?.findings ?? [];
  const d = doctor.unknownCommand ? undefined : (doctor.json?.findings ?? []);
  const count = (fs) => (fs === undefined ? 'n/a' : `${fs.filter((f) => f.severity === 'error').length}/${fs.filter((f) => f.severity !== 'error').length}`);
  rows.push([
    name,
    init.json?.layout?.layout ?? init.json?.layout?.id_scheme ?? '?',
    String(folders.length),
    String(status.json?.features?.length ?? '?'),
    String(init.json?.ignored?.length ?? '?'),
    adoptedPhases || '—',
    verified,
    count(v),
    count(d),
    String(problems.length),
  ]);
  // Where adoption stops: the first gate each feature's documents do not pass, and why.
  const stops = new Map();
  for (const r of reg) if (r.stopped_at) for (const c of r.stopped_at.codes) stops.set(`${GLYPH[r.stopped_at.phase]}${c}`, (stops.get(`${GLYPH[r.stopped_at.phase]}${c}`) ?? 0) + 1);
  const stopText = [...stops].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`);
  const found = new Set((status.json?.features ?? []).map((f) => f.spec_path));
  const missed = folders.filter((f) => !found.has(f));
  details.push({
    name,
    stops: stopText,
    init: byCode(init.json?.findings ?? []),
    validate: byCode(v),
    doctor: d === undefined ? ['n/a (no doctor command yet)'] : byCode(d),
    verify: byCode(verify.json?.findings ?? []),
    problems,
    ignored: init.json?.ignored ?? [],
    missed,
  });
}
rmSync(base, { recursive: true, force: true });

const table = (rs, header) => {
  const all = [header, ...rs];
  const w = header.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  return all.map((r) => r.map((c, i) => c + ' '.repeat(w[i] - [...c].length)).join(' | ').trimEnd()).join('\n');
};
const out = [
  'specflow over the corpus (init --adopt-phases in a temporary copy, committed and verified, then status, validate, doctor; findings as errors/warnings)',
  '',
  table(rows, ['repository', 'layout', 'folders', 'found', 'ignored', 'adopted phases', 'verify', 'validate', 'doctor', 'crashes']),
  '',
];
for (const d of details) {
  out.push(`${d.name}`);
  if (d.stops.length) out.push(`  stops at: ${d.stops.join(', ')}`);
  if (d.init.length) out.push(`  init:     ${d.init.join(', ')}`);
  if (d.verify.length) out.push(`  verify:   ${d.verify.join(', ')}`);
  for (const m of d.missed) out.push(`  not found: ${m}`);
  out.push(`  validate: ${d.validate.join(', ') || 'no findings'}`);
  out.push(`  doctor:   ${d.doctor.join(', ') || 'no findings'}`);
  for (const i of d.ignored) out.push(`  ignored:  ${i.path} (${i.reason.split(';')[0]})`);
  for (const p of d.problems) out.push(`  CRASH:    ${p}`);
}
out.push('', crashes ? `corpus: ${crashes} crash(es)` : 'corpus: no crashes');
process.stdout.write(`${out.join('\n')}\n`);
process.exitCode = crashes ? 1 : 0;
