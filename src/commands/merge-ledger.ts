import { readFileSync, writeFileSync } from 'node:fs';
import { LedgerSyntaxError } from '../core/ledger.js';
import { mergeLedgers, TextMergeNeeded } from '../core/ledger-merge.js';
import { EXIT, UsageError } from '../core/errors.js';
import { runGit } from '../git/run.js';
import type { CommandResult, MergeLedgerResult } from '../core/command-results.js';
import type { Context } from '../ui/context.js';

/**
 * `specflow merge-ledger %O %A %B`: git's merge driver for `.maestro/ledger.yaml`. Writes the
 * result into %A (git's contract) and exits 0 when clean, 1 on a conflict. A side that cannot
 * be parsed (or a conflict outside the features) falls back to git's own line merge, so the
 * user always gets a file with ordinary conflict markers rather than a lost change.
 */
export function mergeLedger(ctx: Context, base: string | undefined, ours: string | undefined, theirs: string | undefined): CommandResult<MergeLedgerResult> {
  if (!base || !ours || !theirs) throw new UsageError('merge-ledger needs three files: %O %A %B', 'Git runs it as the merge driver: specflow merge-ledger %O %A %B', 'usage.merge');
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (e) {
      throw new UsageError(`merge-ledger cannot read ${f} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'Git runs it as the merge driver with three files: specflow merge-ledger %O %A %B', 'usage.merge');
    }
  };
  try {
    const result = mergeLedgers(read(base), read(ours), read(theirs));
    writeFileSync(ours, result.text);
    const conflict = result.conflicts.length > 0;
    return {
      exitCode: conflict ? EXIT.failed : EXIT.ok,
      data: { conflicts: result.conflicts, fallback: false },
      notes: conflict ? [`specflow: the ledger has a conflict in ${result.conflicts.join(', ')}: both sides changed the same field differently; edit the marked block(s) in .maestro/ledger.yaml.`] : [],
    };
  } catch (e) {
    if (!(e instanceof LedgerSyntaxError) && !(e instanceof TextMergeNeeded)) throw e;
    const r = runGit(ctx.cwd, ['merge-file', '-L', 'ours', '-L', 'base', '-L', 'theirs', ours, base, theirs]);
    const clean = r.code === 0;
    return {
      exitCode: clean ? EXIT.ok : EXIT.failed,
      data: { conflicts: [], fallback: true },
      notes: [`specflow: merged the ledger line by line (${e.message})${clean ? '' : '; resolve the conflict markers in .maestro/ledger.yaml'}.`],
    };
  }
}
