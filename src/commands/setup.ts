import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, SetupResult } from '../core/command-results.js';
import { SpecflowError } from '../core/errors.js';
import { LEDGER_PATH } from '../core/ledger.js';
import { installGitGate } from '../git/hook-install.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Context } from '../ui/context.js';

/**
 * `setup`: what a clone needs that git does not carry — the ledger's merge driver in the clone's
 * git config, and, without a hook manager, the hook shims in its hooks directory. The rest
 * (`.maestro/`, the husky lines, lefthook's or the pre-commit framework's entries) is committed.
 * `init` puts it in the project's `prepare` script, so `npm ci` in a teammate's clone runs it.
 *
 * It must never make an install fail: outside a repository (a container build without `.git`)
 * or where specflow is not set up it does nothing, and what stops it is a note, not an exit code.
 */
export function setup(ctx: Context): CommandResult<SetupResult> {
  let root: string;
  try {
    root = findRepoRoot(ctx.cwd);
  } catch {
    return { exitCode: 0, data: { steps: [], skipped: 'not inside a git repository' } };
  }
  if (!existsSync(join(root, '.git'))) return { exitCode: 0, data: { steps: [], skipped: 'not inside a git repository' } };
  if (!existsSync(join(root, LEDGER_PATH))) return { exitCode: 0, data: { steps: [], skipped: `no ${LEDGER_PATH} here (run specflow init to start)` } };
  try {
    return { exitCode: 0, data: { steps: installGitGate(root) } };
  } catch (e) {
    if (!(e instanceof SpecflowError)) throw e;
    const note = `specflow setup: ${e.message}${e.hint ? `\n  ${e.hint.replace(/\n/g, '\n  ')}` : ''}`;
    return { exitCode: 0, data: { steps: [], skipped: e.message }, notes: [note] };
  }
}
