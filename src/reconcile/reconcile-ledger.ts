import type { Config } from '../core/config.js';
import type { Finding } from '../core/finding.js';
import { readCanonicalLedger } from '../core/ledger-canonical.js';
import { renderLedger, type LedgerFeature, type ParsedLedger } from '../core/ledger.js';
import { reconcile, type HeldLookup, type Reconciliation, type SpecsFolder } from '../core/reconcile.js';
import { applyRepairs, layoutRepair, repairedFeatures, type Repair } from '../core/repair.js';
import { StateError } from '../core/errors.js';
import type { WorkingTree } from '../tree/working-tree.js';
import { parseLedgerOrThrow, readLedgerText, updateLedger } from '../store/ledger-store.js';
import { gatherSnapshot } from '../tree/specs-snapshot.js';

/**
 * The one path from "ledger and files" to "repairs decided (and applied)", shared by
 * `specflow doctor` and `specflowd`. Applying happens under the ledger lock on a fresh parse,
 * through `updateLedger`, so a repair never overwrites a change made meanwhile.
 */
export interface LedgerView {
  features: LedgerFeature[];
  findings: Finding[];
  layout?: Repair | undefined;
}

export interface LedgerVerdict {
  reconciliation: Reconciliation;
  /** The features once the repairs are applied (or would be). */
  features: LedgerFeature[];
  /** The ledger text the verdict ends with: the text written, or the text read. */
  text: string;
  written: boolean;
  /** Findings from parsing the ledger itself (also among the reconciliation's findings). */
  parseFindings: Finding[];
}

/**
 * The view of a ledger in canonical layout, read without YAML: no findings, nothing to
 * reformat. Undefined for any other text, which then needs the full parse.
 */
export function canonicalView(text: string): LedgerView | undefined {
  const read = readCanonicalLedger(text);
  return read && { features: read.features, findings: [], layout: undefined };
}

/** What reconcile needs from a parsed ledger. Renders the document (reordering it in place). */
export function viewOf(parsed: ParsedLedger, text: string): LedgerView {
  return { features: parsed.features, findings: parsed.findings, layout: layoutRepair(text, renderLedger(parsed.doc)) };
}

/** Folders whose registration waits (see `ReconcileInput.held`): the daemon's, never doctor's. */
export type Held = HeldLookup;

export function decide(tree: WorkingTree, config: Config, view: LedgerView, folders?: readonly SpecsFolder[], held?: Held): Reconciliation {
  return reconcile({
    ...(held ? { held } : {}),
    features: view.features,
    ledgerFindings: view.findings,
    layout: view.layout,
    config,
    snapshot: gatherSnapshot(tree, config, view.features, folders),
    repoRoot: tree.root.replace(/\\/g, '/'),
  });
}

/** Reads the ledger text, or exit 3 when it is missing. */
export function requireLedgerText(root: string): string {
  const text = readLedgerText(root);
  if (text === undefined) throw new StateError('.maestro/ledger.yaml not found', 'ledger.missing', 'Run `specflow init` to create it.');
  return text;
}

/** Decides without writing (doctor without `--fix`, or the daemon while git is mid-operation). */
export function inspectLedger(tree: WorkingTree, config: Config, text: string, folders?: readonly SpecsFolder[], held?: Held): LedgerVerdict {
  return inspectView(tree, config, canonicalView(text) ?? viewOf(parseLedgerOrThrow(text), text), text, folders, held);
}

/** As {@link inspectLedger}, from a view already at hand (e.g. cached by the ledger's hash). */
export function inspectView(tree: WorkingTree, config: Config, view: LedgerView, text: string, folders?: readonly SpecsFolder[], held?: Held): LedgerVerdict {
  const reconciliation = decide(tree, config, view, folders, held);
  return { reconciliation, features: repairedFeatures(view.features, reconciliation.repairs), text, written: false, parseFindings: view.findings };
}

/**
 * Locks the ledger, decides on a fresh parse and applies the safe repairs. A ledger that
 * cannot be parsed, or has an entry twice, is left byte-for-byte as it is (exit 3 / reported).
 */
/** Thrown inside the locked update to leave the ledger untouched; carries what was decided. */
class Postponed extends Error {
  constructor(readonly verdict: LedgerVerdict) {
    super('postponed');
  }
}

/**
 * `mayWrite` (the daemon's) can hold a write back after deciding — e.g. while the file was
 * modified a moment ago by a writer that does not take the lock; the verdict then says
 * `written: false` and lists the repairs as pending.
 */
export function fixLedger(
  tree: WorkingTree,
  config: Config,
  folders?: readonly SpecsFolder[],
  mayWrite?: (r: Reconciliation) => boolean,
  held?: Held,
): LedgerVerdict {
  // A canonical ledger with nothing to repair needs neither the lock nor a YAML parse.
  const current = readLedgerText(tree.root);
  const view = current === undefined ? undefined : canonicalView(current);
  if (view) {
    const verdict = inspectView(tree, config, view, current!, folders, held);
    if (verdict.reconciliation.repairs.length === 0) return verdict;
  }
  let features: LedgerFeature[] = [];
  let parseFindings: Finding[] = [];
  try {
    const update = updateLedger(tree.root, (parsed, doc, text) => {
      const reconciliation = decide(tree, config, viewOf(parsed, text), folders, held);
      features = repairedFeatures(parsed.features, reconciliation.repairs);
      parseFindings = parsed.findings;
      if (reconciliation.repairs.length && mayWrite && !mayWrite(reconciliation)) throw new Postponed({ reconciliation, features, text, written: false, parseFindings });
      if (reconciliation.writable) applyRepairs(doc, reconciliation.repairs);
      return reconciliation;
    });
    return { reconciliation: update.result, features, text: update.after, written: update.changed, parseFindings };
  } catch (e) {
    if (e instanceof Postponed) return e.verdict;
    // An entry that appears twice blocks every rewrite; still say what reconcile sees.
    if (e instanceof StateError && e.code === 'ledger.unsafe') return inspectLedger(tree, config, requireLedgerText(tree.root), folders, held);
    throw e;
  }
}
