import type { ExitCode } from '../core/errors.js';
import { runHook } from './run.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Context, Outcome } from '../ui/context.js';

/** `specflow hook <name> [args…]`: the same entry the installed shims call; hooks print to stderr themselves. */
export async function hook(ctx: Context, name: string, args: string[]): Promise<Outcome> {
  const code = await runHook(name, args, findRepoRoot(ctx.cwd));
  return { exitCode: code as ExitCode, json: { hook: name, ok: code === 0 }, text: '' };
}
