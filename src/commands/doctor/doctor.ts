import type { Finding } from '../../core/finding.js';
import { printable } from '../../core/printable.js';
import type { Repair } from '../../core/repair.js';
import { EXIT } from '../../core/errors.js';
import { readConfig } from '../../store/config-store.js';
import { WorkingTree } from '../../tree/working-tree.js';
import { loadDoctorCache, saveDoctorCache, textHash } from './verdict-cache.js';
import { parseLedgerOrThrow } from '../../store/ledger-store.js';
import { configHash, PhaseVerdicts } from '../../reconcile/phase-verdicts.js';
import { canonicalView, fixLedger, inspectView, requireLedgerText, viewOf, type LedgerVerdict } from '../../reconcile/reconcile-ledger.js';
import { findRepoRoot } from '../../tree/repo.js';
import { scanSpecsDir } from '../../tree/specs-tree.js';
import type { Context, Outcome } from '../../ui/context.js';
import { formatFindings, type Style } from '../../ui/format.js';

/**
 * `specflow doctor [--fix]`: the ledger against the files. Shows the safe repairs (and with
 * `--fix` applies them, through the same code as specflowd) and what needs a human. Exit 1 when
 * something needs a human, 3 when the ledger cannot be parsed (nothing written), else 0.
 */
export function doctor(ctx: Context, opts: { fix?: boolean }): Outcome {
  const root = findRepoRoot(ctx.cwd);
  const read = readConfig(root);
  if ('failure' in read) throw read.failure;
  const { text: configText, parsed: { config, findings: configFindings } } = read;
  const tree = new WorkingTree(root);
  const text = requireLedgerText(root);
  const cache = loadDoctorCache(root);
  const hash = textHash(text);
  const view = cache.ledger?.hash === hash ? cache.ledger.view : (canonicalView(text) ?? viewOf(parseLedgerOrThrow(text), text));
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
  const phaseFindings = reconciliation.checkable.flatMap((f) => verdicts.check(f));
  verdicts.keepOnly(verdict.features.map((f) => f.id));
  saveDoctorCache(root, cache);

  const findings: Finding[] = [...configFindings, ...reconciliation.findings, ...phaseFindings];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const repairs = reconciliation.repairs.map((r) => ({ ...r, applied }));
  const summary = { features: verdict.features.length, repairs: repairs.length, applied: applied ? repairs.length : 0, errors, warnings: findings.length - errors };
  return {
    exitCode: errors > 0 ? EXIT.failed : EXIT.ok,
    json: { ok: errors === 0, fixed: applied, summary, repairs, findings },
    text: render(ctx.style, repairs, findings, summary, opts.fix === true, reconciliation.writable),
  };
}

export function formatRepair(r: Repair, style: Style): string {
  const who = r.feature ? `${printable(r.feature)} ` : '';
  const change =
    r.before === null ? `${printable(r.after)}${r.entry ? ` as "${printable(r.entry.name)}" at ○ none` : ''}` : `${printable(r.before)} → ${printable(r.after)}`;
  return `  ${who}${r.field}: ${change} ${style.dim(`[${r.code}]`)}`;
}

function render(
  style: Style,
  repairs: (Repair & { applied: boolean })[],
  findings: Finding[],
  summary: { features: number; errors: number; warnings: number },
  fix: boolean,
  writable: boolean,
): string {
  const parts: string[] = [];
  if (repairs.length) {
    const applied = repairs[0]!.applied;
    const head = applied
      ? style.green(`Repaired (${repairs.length}):`)
      : !writable
        ? style.yellow(`Safe repairs (${repairs.length}), blocked until the ledger's duplicate entry is fixed:`)
        : style.yellow(`Safe repairs (${repairs.length})${fix ? '' : '; `specflow doctor --fix` applies them'}:`);
    parts.push([head, ...repairs.map((r) => formatRepair(r, style))].join('\n'));
  }
  if (findings.length) parts.push(`${summary.errors ? style.bold(`Needs a human (${summary.errors}):`) : 'Notes:'}\n${formatFindings(findings, style)}`);
  const line = `doctor: ${summary.features} feature(s); ${repairs.length ? `${repairs.length} repair(s) ${repairs[0]!.applied ? 'applied' : 'pending'}` : 'nothing to repair'}; ${summary.errors} problem(s) need a human`;
  parts.push(summary.errors ? style.red(line) : style.green(line));
  return parts.join('\n\n');
}
