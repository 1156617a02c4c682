import type { Document } from 'yaml';
import { splitLedger, type LedgerBlock, type LedgerBlocks } from './ledger-blocks.js';
import { parseLedger, renderLedger, updateFeature, type LedgerFeature } from './ledger.js';
import type { Repair } from './repair.js';

/**
 * The daemon's fast path. Parsing a whole ledger costs far more than the daemon's repair budget
 * once it holds thousands of features, and a person or an agent usually edits one entry at a
 * time. So when the daemon knows the previous text (canonical, fully reconciled) and the new text
 * differs only inside existing feature blocks, it parses just those blocks, and writes a
 * `spec_path` repair back by re-rendering just the block it changes.
 *
 * Every step refuses what it does not fully understand — a different header, added, removed or
 * reordered entries, a block that does not parse alone or is not in canonical layout, a repair
 * other than `spec_path` — and the caller then takes the full path (parse, repair, render the
 * whole ledger). The result must be byte-for-byte what the full path writes; a test holds the
 * two to it.
 */
export interface LedgerBase {
  text: string;
  blocks: LedgerBlocks;
  /** The entries in block order, with the lines of this text. */
  features: LedgerFeature[];
}

export interface LedgerPatch {
  text: string;
  blocks: LedgerBlocks;
  features: LedgerFeature[];
  /** Indexes of the blocks that differ from the base. */
  changed: Set<number>;
  /** Each changed block parsed alone (a one-entry ledger), by index. */
  docs: Map<number, Document>;
}

const MINI_HEADER = 'version: 1\nfeatures:\n';

/** A base for later patches, when `features` (as parsed from `text`) line up with its blocks. */
export function ledgerBase(text: string, features: readonly LedgerFeature[]): LedgerBase | undefined {
  const blocks = splitLedger(text);
  if (!blocks || blocks.blocks.length !== features.length) return undefined;
  for (let i = 0; i < features.length; i++) if (blocks.blocks[i]!.key !== features[i]!.id) return undefined;
  return { text, blocks, features: [...features] };
}

/** The blocks of a one-entry document, rendered as they sit in a canonical ledger. */
function renderBlock(doc: Document, last: boolean): string {
  const text = renderLedger(doc);
  if (!text.startsWith(MINI_HEADER)) return '';
  return text.slice(MINI_HEADER.length) + (last ? '' : '\n');
}

export function patchLedger(base: LedgerBase, text: string): LedgerPatch | undefined {
  const blocks = splitLedger(text);
  const old = base.blocks;
  if (!blocks || blocks.header !== old.header || blocks.preamble !== old.preamble || blocks.blocks.length !== old.blocks.length) return undefined;
  if (!text.endsWith(blocks.preamble + blocks.blocks.map((b) => b.text).join(''))) return undefined;
  const features = [...base.features];
  const changed = new Set<number>();
  const docs = new Map<number, Document>();
  const n = blocks.blocks.length;
  for (let i = 0; i < n; i++) {
    const b = blocks.blocks[i]!;
    const o = old.blocks[i]!;
    if (b.key !== o.key) return undefined;
    if (b.text === o.text) {
      if (b.line !== o.line) features[i] = { ...features[i]!, line: b.line };
      continue;
    }
    let mini;
    try {
      mini = parseLedger(MINI_HEADER + b.text);
    } catch {
      return undefined;
    }
    const entry = mini.features[0];
    if (mini.findings.length > 0 || mini.features.length !== 1 || entry?.id !== b.key) return undefined;
    if (renderBlock(mini.doc, i === n - 1) !== b.text) return undefined;
    features[i] = { ...entry, line: b.line };
    changed.add(i);
    docs.set(i, mini.doc);
  }
  return { text, blocks, features, changed, docs };
}

/**
 * The ledger once the repairs are applied — its text, blocks and entries, ready to be the next
 * base — or undefined when one of them is not a `spec_path` change to a block that changed (the
 * full path handles those).
 */
export function applyPatch(patch: LedgerPatch, repairs: readonly Repair[]): LedgerBase | undefined {
  const index = new Map<string, number>();
  for (const i of patch.changed) index.set(patch.features[i]!.id, i);
  const features = [...patch.features];
  const touched = new Set<number>();
  for (const r of repairs) {
    const i = r.feature === undefined ? undefined : index.get(r.feature);
    if (r.field !== 'spec_path' || i === undefined) return undefined;
    updateFeature(patch.docs.get(i)!, r.feature!, { spec_path: r.after });
    features[i] = { ...features[i]!, spec_path: r.after };
    touched.add(i);
  }
  if (touched.size === 0) return { text: patch.text, blocks: patch.blocks, features };
  const old = patch.blocks;
  const n = old.blocks.length;
  const blocks: LedgerBlock[] = [];
  const byKey = new Map<string, LedgerBlock>();
  let shift = 0;
  for (let i = 0; i < n; i++) {
    const b = old.blocks[i]!;
    const text = touched.has(i) ? renderBlock(patch.docs.get(i)!, i === n - 1) : b.text;
    const block = { key: b.key, text, line: b.line + shift };
    shift += lineCount(text) - lineCount(b.text);
    blocks.push(block);
    byKey.set(block.key, block);
    if (block.line !== features[i]!.line) features[i] = { ...features[i]!, line: block.line };
  }
  const oldBody = old.preamble + old.blocks.map((b) => b.text).join('');
  const text = patch.text.slice(0, patch.text.length - oldBody.length) + old.preamble + blocks.map((b) => b.text).join('');
  return { text, blocks: { header: old.header, preamble: old.preamble, blocks, byKey }, features };
}

function lineCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
