import type { Finding } from '../../core/finding.js';
import { EXIT } from '../../core/errors.js';
import { refuseUnreadable } from '../../core/ledger.js';
import { refuseInvalidConfig } from '../../core/config.js';
import { readConfig } from '../../store/config-store.js';
import { WorkingTree } from '../../tree/working-tree.js';
import { loadDoctorCache, saveDoctorCache, textHash } from './verdict-cache.js';
import { parseLedgerOrThrow } from '../../store/ledger-store.js';
import { configHash, PhaseVerdicts } from '../../reconcile/phase-verdicts.js';
import { canonicalView, fixLedger, inspectView, requireLedgerText, viewOf, type LedgerVerdict } from '../../reconcile/reconcile-ledger.js';
import { findRepoRoot } from '../../tree/repo.js';
import { scanSpecsDir } from '../../tree/specs-tree.js';
import type { CommandResult, DoctorResult } from '../../core/command-results.js';
import type { Context } from '../../ui/context.js';

/**
 * `specflow doctor [--fix]`: the ledger against the files. Shows the safe repairs (and with
 * `--fix` applies them, through the same code as specflowd) and what needs a human. Exit 1 when
 * something needs a human, 3 when the ledger cannot be parsed (nothing written), else 0.
 */
export function doctor(ctx: Context, opts: { fix?: boolean }): CommandResult<DoctorResult> {
  const root = findRepoRoot(ctx.cwd);
  const read = readConfig(root);
  if ('failure' in read) throw read.failure;
  const { text: configText, parsed: { config, findings: configFindings } } = read;
  refuseInvalidConfig(configFindings);
  const tree = new WorkingTree(root);
  const text = requireLedgerText(root);
  const cache = loadDoctorCache(root);
  const hash = textHash(text);
  const view = cache.ledger?.hash === hash ? cache.ledger.view : (canonicalView(text) ?? viewOf(parseLedgerOrThrow(text), text));
  refuseUnreadable(view.findings);
  cache.ledger = { hash, view };
  const folders = scanSpecsDir(tree, config);

  let verdict: LedgerVerdict = inspectView(tree, config, view, text, folders);
  const wanted = verdict.reconciliation.repairs.length > 0 && verdict.reconciliation.writable;
  if (opts.fix && wanted) {
    verdict = fixLedger(tree, config, folders);
    if (verdict.written) cache.ledger = undefined;
  }
  const applied = opts.fix === true && verdict.written;
  const { reconciliation } = verdict;

  const verdicts = new PhaseVerdicts(tree, config, configHash(configText), 'content', cache.verdicts);
  const progress = ctx.progress?.('doctor: checking features');
  const phaseFindings = reconciliation.checkable.flatMap((f, i, all) => {
    progress?.(i, all.length);
    return verdicts.check(f);
  });
  progress?.(reconciliation.checkable.length, reconciliation.checkable.length);
  verdicts.keepOnly(verdict.features.map((f) => f.id));
  saveDoctorCache(root, cache);

  const findings: Finding[] = [...configFindings, ...reconciliation.findings, ...phaseFindings];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const repairs = reconciliation.repairs.map((r) => ({ ...r, applied }));
  const summary = { features: verdict.features.length, repairs: repairs.length, applied: applied ? repairs.length : 0, errors, warnings: findings.length - errors };
  return {
    exitCode: errors > 0 ? EXIT.failed : EXIT.ok,
    data: { fixed: applied, writable: reconciliation.writable, summary, repairs, findings },
  };
}
