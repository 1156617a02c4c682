import { spawn, spawnSync } from 'node:child_process';

/**
 * Runs git with plain `node:child_process`: the hook path must not load simple-git, and a
 * synchronous call is the simplest correct thing for the handful of calls a hook makes.
 */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(' ')} failed: ${result.stderr.trim().split('\n')[0] ?? `exit ${result.code}`}`);
  }
}

export function runGit(cwd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): GitResult {
  const r = spawnSync('git', args, {
    cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : { stdio: ['ignore', 'pipe', 'pipe'] }),
  });
  if (r.error) throw new Error(`cannot run git: ${r.error.message}`);
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** Runs git and returns stdout; throws `GitCommandError` on a non-zero exit. */
export function git(cwd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const r = runGit(cwd, args, options);
  if (r.code !== 0) throw new GitCommandError(args, r);
  return r.stdout;
}

/** A pathspec that matches exactly this path: no globbing, whatever characters it holds. */
export function literalPath(path: string): string {
  return `:(literal)${path}`;
}

/** Runs git without waiting: a hook starts it early and reads the answer when it needs it. */
export function gitLater(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ code: 128, stdout: '', stderr: `cannot run git: ${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 128, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}
