import type { CommandResult, HookResult } from '../core/command-results.js';
import type { ExitCode } from '../core/errors.js';
import { runHook, SERVER_HOOKS } from './run.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Context } from '../ui/context.js';

/** `specflow hook <name> [args…]`: the same entry the installed shims call; hooks print to stderr themselves. */
export async function hook(ctx: Context, name: string, args: string[]): Promise<CommandResult<HookResult>> {
  // A server's bare repository has no working tree to look for: git runs its hooks in the git directory.
  const code = await runHook(name, args, SERVER_HOOKS.includes(name) ? ctx.cwd : findRepoRoot(ctx.cwd));
  return { exitCode: code as ExitCode, data: { hook: name } };
}
