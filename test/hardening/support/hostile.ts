import { createHash } from 'node:crypto';
import { appendFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { GOOD_SPEC, GOOD_TASKS, goodPlan } from '../../helpers/docs.js';
import { commit, pushToNewRemote } from '../../helpers/gate.js';
import { CLI, initRepo, LEDGER, PROJECT_ROOT, runAsync, SPECS, type RunResult, type TestRepo } from '../../helpers/repo.js';

/**
 * Hostile and broken input, run through the real CLI. Every run is held to the same promises:
 * the exit code of DESIGN §4, a message a person can act on, no stack trace, exactly one JSON
 * document with --json, nothing outside the repository read (the files out there carry a
 * marker, and passing documents, that would show if they were) or written, and the ledger
 * byte for byte as it was unless the command was asked to change it.
 */
export { commit, LEDGER, SPECS };
export const F1_DIR = `${SPECS}/f-1-vector-configuration`;
export const OUTSIDE_MARKER = 'OUTSIDE-THE-REPOSITORY-b7e1';

export interface Sandbox {
  repo: TestRepo;
  /** A folder beside the repository, holding a complete, passing feature folder `f-1`. */
  outside: string;
  /** The repository's specs folder, absolute. */
  specs: string;
}

const outsideDoc = (text: string) => text.replace(/\n/, `\n\n${OUTSIDE_MARKER}\n`);

/** An initialised repository with F-1 registered (its folder empty), and a passing feature outside it. */
export function sandbox(): Sandbox {
  const repo = initRepo();
  const r = repo.cli(['add', 'Vector Configuration', '--id', 'F-1']);
  expect(r.code, r.stderr).toBe(0);
  const outside = join(dirname(repo.dir), 'outside');
  for (const [name, text] of [
    ['spec.md', GOOD_SPEC],
    ['plan.md', goodPlan()],
    ['tasks.md', GOOD_TASKS],
  ] as const) {
    mkdirSync(join(outside, 'f-1'), { recursive: true });
    writeFileSync(join(outside, 'f-1', name), outsideDoc(text));
  }
  return { repo, outside, specs: join(repo.dir, SPECS) };
}

/** A fingerprint of a folder tree: every entry's path, kind, size, mtime and content hash. */
export function fingerprint(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      const st = lstatSync(abs);
      const path = `${rel}${name}`;
      if (st.isSymbolicLink()) lines.push(`${path} -> ${readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        lines.push(`${path}/ ${st.mtimeMs}`);
        walk(abs, `${path}/`);
      } else lines.push(`${path} ${st.size} ${st.mtimeMs} ${st.mode.toString(8)} ${createHash('sha1').update(readFileSync(abs)).digest('hex')}`);
    }
  };
  walk(dir, '');
  return lines.join('\n');
}

export interface Expect {
  /** The exit code(s) DESIGN §4 calls for. */
  exit: number | readonly number[];
  /** The command was asked to change the ledger (and may). Otherwise it must stay byte for byte. */
  writes?: boolean;
  /** A pattern the message (stdout and stderr together) must match. */
  says?: RegExp;
  /** Finding or error codes that must appear in the JSON document (with --json). */
  codes?: readonly string[];
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/** The promises every run keeps, whatever the input. */
export function assertSane(repo: TestRepo, args: readonly string[], r: RunResult, want: Expect, ledgerBefore: string | undefined, outside?: { dir: string; before: string }): void {
  const what = `specflow ${args.join(' ')}\n--- exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 3000)}\n--- stderr\n${r.stderr.slice(0, 3000)}`;
  const exits = typeof want.exit === 'number' ? [want.exit] : want.exit;
  expect(exits, what).toContain(r.code);
  expect(r.stderr, what).not.toMatch(STACK);
  expect(r.stdout, what).not.toMatch(STACK);
  expect(`${r.stdout}${r.stderr}`, what).not.toMatch(/internal error/i);
  expect(`${r.stdout}${r.stderr}`, what).not.toContain(OUTSIDE_MARKER);
  if (r.code !== 0) expect(`${r.stdout}${r.stderr}`.trim(), what).not.toBe('');
  if (want.says) expect(`${r.stdout}\n${r.stderr}`, what).toMatch(want.says);
  if (args.includes('--json')) {
    let doc: unknown;
    expect(() => (doc = JSON.parse(r.stdout) as unknown), what).not.toThrow();
    if (want.codes) {
      const text = JSON.stringify(doc);
      for (const code of want.codes) expect(text, what).toContain(`"${code}"`);
    }
  }
  if (!want.writes) expect(readOrUndefined(join(repo.dir, LEDGER)), `${what}\n--- the ledger changed`).toBe(ledgerBefore);
  if (outside) expect(fingerprint(outside.dir), `${what}\n--- something outside the repository changed`).toBe(outside.before);
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Runs the built CLI with a time limit (a hang is a failure, reported as such), then
 * {@link assertSane}. Runs are asynchronous so several can go at once.
 */
export async function runChecked(sb: Pick<Sandbox, 'repo'> & { outside?: string }, args: readonly string[], want: Expect, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const { repo } = sb;
  const ledgerBefore = readOrUndefined(join(repo.dir, LEDGER));
  const outside = sb.outside ? { dir: sb.outside, before: fingerprint(sb.outside) } : undefined;
  const r = await runAsync(process.execPath, [CLI, ...args], { ...repo.env, ...env }, repo.dir, 60_000);
  assertSane(repo, args, r, want, ledgerBefore, outside);
  return r;
}

/** The read-only commands every case goes through: each reader once, and each output mode. */
export const READERS: readonly (readonly string[])[] = [['status'], ['status', 'F-1', '--json'], ['validate', '--json'], ['doctor']];

/** The commands that change the ledger when they succeed. */
export const WRITERS: readonly (readonly string[])[] = [['doctor', '--fix', '--json'], ['plan', 'F-1'], ['phase', 'F-1', 'none'], ['approve', 'F-1', '--by', 'Ann Example <ann@example.com>'], ['skip', 'F-1', '--reason', 'hostile'], ['add', 'Another Feature']];

/** Writes a file, creating its folder. */
export function put(repo: TestRepo, rel: string, content: string | Buffer): void {
  mkdirSync(dirname(join(repo.dir, rel)), { recursive: true });
  writeFileSync(join(repo.dir, rel), content);
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Makes the installed hooks find this build as a project dependency would
 * (`node_modules/specflowd`), kept out of commits by `.git/info/exclude`.
 */
export function installTool(repo: TestRepo): void {
  mkdirSync(join(repo.dir, 'node_modules'), { recursive: true });
  symlinkSync(PROJECT_ROOT, join(repo.dir, 'node_modules', 'specflowd'));
  appendFileSync(join(repo.dir, '.git', 'info', 'exclude'), '/node_modules\n');
}

/** A git run that a hook answered: its exit code and that it held to the same promises as the CLI. */
export function assertHookSane(r: RunResult, want: { refused: boolean; says?: RegExp }): void {
  const what = `--- exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 3000)}\n--- stderr\n${r.stderr.slice(0, 3000)}`;
  if (want.refused) expect(r.code, what).not.toBe(0);
  else expect(r.code, what).toBe(0);
  expect(r.stderr, what).not.toMatch(STACK);
  expect(r.stderr, what).not.toContain(OUTSIDE_MARKER);
  expect(r.stderr, what).not.toMatch(/not installed/);
  if (want.says) expect(`${r.stdout}${r.stderr}`, what).toMatch(want.says);
}

/** F-1 specified and approved, committed and pushed to a bare remote: `main` and `origin/main` agree. */
export function pushedRepo(): TestRepo {
  const { repo } = sandbox();
  installTool(repo);
  repo.write(`${F1_DIR}/spec.md`, GOOD_SPEC);
  expect(repo.cli(['specify', 'F-1']).code).toBe(0);
  expect(repo.cli(['approve', 'F-1', '--by', 'Ann Example <ann@example.com>']).code).toBe(0);
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'F-1: spec, approved']);
  pushToNewRemote(repo);
  return repo;
}
