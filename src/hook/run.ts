import { UsageError } from '../core/errors.js';
import { reportFailure } from '../ui/failure.js';
import type { StagedReads } from './staged-reads.js';

/**
 * The git hooks' Node side, shared by the small bundled entry (`dist/hook.cjs`, which the shims
 * call directly) and `specflow hook <name>`. Hooks never prompt, need no TTY and never write
 * the ledger. Any failure to check is a refusal: a gate that cannot look must not wave through.
 * Each hook's module is imported when it runs: commit-msg, for one, needs no markdown parser.
 */
export const HOOKS = ['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push', 'pre-receive', 'update'] as const;
/** Hooks of a bare repository on a server: they run in the git directory, with no working tree. */
export const SERVER_HOOKS: readonly string[] = ['pre-receive', 'update'];
export type HookName = (typeof HOOKS)[number];

export const isHook = (name: string): name is HookName => (HOOKS as readonly string[]).includes(name);

/** `started`: the staged reads the bundled entry began before loading this module (commit hooks only). */
export async function runHook(name: string, args: readonly string[], root: string = process.cwd(), started?: StagedReads): Promise<number> {
  if (!isHook(name) || process.env.SPECFLOW_SKIP === '1') started?.objects.close();
  if (!isHook(name)) return reportFailure(new UsageError(`unknown hook "${name}" (known: ${HOOKS.join(', ')})`, undefined, 'usage.hook'), { program: 'specflow' });
  if (process.env.SPECFLOW_SKIP === '1') return 0;
  try {
    switch (name) {
      case 'pre-commit':
      case 'pre-merge-commit':
        return await (await import('./pre-commit.js')).preCommit(root, name, started);
      case 'commit-msg':
        return await (await import('./commit-msg.js')).commitMsg(root, args[0], started);
      case 'pre-push':
        started?.objects.close();
        return await (await import('./pre-push.js')).prePush(root, args[0], await readStdin());
      case 'pre-receive':
        started?.objects.close();
        return await (await import('./pre-receive.js')).preReceive(root, await readStdin());
      case 'update':
        started?.objects.close();
        return await (await import('./pre-receive.js')).updateHook(root, args);
    }
  } catch (e) {
    // An error is a refusal with its exit code (an internal one: 1), never a pass.
    return reportFailure(e, {
      program: 'specflow',
      doing: `${name} could not check this ${name === 'pre-push' || SERVER_HOOKS.includes(name) ? 'push' : 'commit'}`,
      advice: 'Refusing, to be safe. Bypass once with SPECFLOW_SKIP=1.',
    });
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
