import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedGitEnv } from '../../scripts/lib/git-env.mjs';

/**
 * Real temporary git repositories with isolated git config (no global hooks, templates or
 * identity leak in), and the real built CLI spawned against them.
 */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(PROJECT_ROOT, 'bin', 'specflow.js');
export const DAEMON = join(PROJECT_ROOT, 'bin', 'specflowd.js');

/** Where specflow keeps the ledger, and where spec-kit keeps feature folders, in a repository. */
export const LEDGER = '.maestro/ledger.yaml';
export const SPECS = '.specify/specs';

const created: string[] = [];

/** Fixed dates on top of the isolated identity, so commit ids repeat from run to run. */
const TEST_DATES = { GIT_AUTHOR_DATE: '2026-11-24T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-24T10:00:00Z' };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestRepo {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Runs git; throws on failure unless `allowFail`. */
  git(args: string[], opts?: { allowFail?: boolean; input?: string; env?: NodeJS.ProcessEnv }): RunResult;
  /** Runs the built `specflow` CLI. */
  cli(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string }): RunResult;
  write(rel: string, text: string | Buffer): void;
  read(rel: string): string;
  /** Writes files (path → content) relative to the repository. */
  files(tree: Record<string, string>): void;
}

function run(cmd: string, args: string[], opts: SpawnSyncOptions): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return { code: r.status ?? (r.signal ? 128 : 1), stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Runs a command; a run that outlives `timeoutMs` is killed and reported as a hang. */
export function runAsync(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} hung for ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, stdout, stderr });
    });
  });
}

export function tempDir(prefix = 'specflow-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A new git repository (unless `git: false`) in a temporary folder. */
export function makeRepo(options: { git?: boolean; objectFormat?: 'sha1' | 'sha256'; files?: Record<string, string> } = {}): TestRepo {
  const base = tempDir();
  const home = join(base, 'home');
  const dir = join(base, 'repo');
  mkdirSync(home, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const env = isolatedGitEnv(home, { config: '[advice]\n\tdetachedHead = false\n', extra: TEST_DATES });
  const repo: TestRepo = {
    dir,
    env,
    git(args, opts = {}) {
      const r = run('git', args, { cwd: dir, env: { ...env, ...opts.env }, ...(opts.input !== undefined ? { input: opts.input } : {}) });
      if (r.code !== 0 && !opts.allowFail) throw new Error(`git ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return r;
    },
    cli(args, opts = {}) {
      return run(process.execPath, [CLI, ...args], {
        cwd: opts.cwd ?? dir,
        env: { ...env, ...opts.env },
        ...(opts.input !== undefined ? { input: opts.input } : {}),
      });
    },
    write(rel, text) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    },
    read(rel) {
      return readFileSync(join(dir, rel), 'utf8');
    },
    files(tree) {
      for (const [rel, text] of Object.entries(tree)) repo.write(rel, text);
    },
  };
  if (options.git !== false) repo.git(['init', '-q', ...(options.objectFormat ? [`--object-format=${options.objectFormat}`] : [])]);
  if (options.files) repo.files(options.files);
  return repo;
}

/** A new git repository where `specflow init` has run. */
export function initRepo(): TestRepo {
  const repo = makeRepo();
  const r = repo.cli(['init']);
  if (r.code !== 0) throw new Error(`specflow init failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return repo;
}

/** Removes every temporary folder made by this test file. Call from afterAll. */
export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Parses stdout as exactly one JSON document. */
export function json<T = unknown>(r: RunResult): T {
  return JSON.parse(r.stdout) as T;
}
