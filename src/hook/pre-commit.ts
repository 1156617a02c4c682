import { BYPASS_NOTE, describeFailures, hookStyle, say } from './report.js';
import type { StagedReads } from './staged-reads.js';
import { checkStaged } from './staged.js';

/**
 * pre-commit and pre-merge-commit: refuse a commit whose ledger moves a phase forward while the
 * documents being committed do not pass the gates crossed, or whose ledger cannot be read.
 * Moving back needs no gate. Returns the exit code.
 */
export async function preCommit(root: string, hook: 'pre-commit' | 'pre-merge-commit', started?: StagedReads): Promise<number> {
  const { verdict } = await checkStaged(root, process.env, started);
  const style = hookStyle();
  if (verdict.ok) {
    if (verdict.warnings.length) say(`${style.yellow('specflow: warning (regression: warn)')} — documents changed in this commit no longer back their phase:\n${describeFailures([], verdict.warnings, style)}`);
    return 0;
  }
  const failed = verdict.gates.filter((g) => !g.held);
  const what = hook === 'pre-merge-commit' ? 'merge' : 'commit';
  const reason = failed.length
    ? `a phase change is not supported by the documents being committed`
    : verdict.regressions.length
      ? `it changes documents that then no longer back their feature's phase`
      : `what it commits under .maestro/ cannot be used`;
  say(`${style.red(`specflow: ${what} refused`)} — ${reason}\n`);
  say(describeFailures(failed, verdict.blocking, style, '  ', verdict.regressions));
  const fix =
    failed.length || verdict.regressions.length
      ? `Fix the documents and stage them (git add), or move the phase back in this commit (specflow phase <id> <phase>).`
      : `Fix .maestro/ (a directory holding ledger.yaml and config.yaml as regular files that parse) and stage it again.`;
  say(`\n${fix}\n${style.dim(BYPASS_NOTE)}`);
  return 1;
}
