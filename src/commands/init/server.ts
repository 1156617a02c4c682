import type { CommandResult, InitServerResult } from '../../core/command-results.js';
import { EXIT } from '../../core/errors.js';
import { installServerHook } from '../../git/server-hook-install.js';
import type { Context } from '../../ui/context.js';

/** `specflow init --server <bare repo>`: the server-side pre-receive (DESIGN §9). */
export function initServer(ctx: Context, target: string): CommandResult<InitServerResult> {
  const { repository, hook, steps } = installServerHook(ctx.cwd, target);
  return { exitCode: EXIT.ok, data: { server: repository, hook, steps } };
}
