import type { Document } from 'yaml';
import { splitLedger, type LedgerBlocks } from './ledger-blocks.js';
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
  /** Offset of each block in `text`. */
  starts: number[];
  /** The entries in block order, with the lines of this text. */
  features: LedgerFeature[];
}

export interface LedgerPatch extends LedgerBase {
  /** Indexes of the blocks that differ from the base. */
  changed: Set<number>;
  /** Each changed block parsed alone (a one-entry ledger), by index. */
  docs: Map<number, Document>;
}

const MINI_HEADER = 'version: 1\nfeatures:\n';
const CHUNK = 4096;

/** A base for later patches, when `features` (as parsed from `text`) line up with its blocks. */
export function ledgerBase(text: string, features: readonly LedgerFeature[]): LedgerBase | undefined {
  const blocks = splitLedger(text);
  if (!blocks || blocks.blocks.length !== features.length || blocks.blocks.length === 0) return undefined;
  for (let i = 0; i < features.length; i++) if (blocks.blocks[i]!.key !== features[i]!.id) return undefined;
  const body = blocks.blocks.reduce((n, b) => n + b.text.length, 0);
  if (!text.endsWith('\n')) return undefined;
  const starts: number[] = [];
  let at = text.length - body;
  for (const b of blocks.blocks) {
    starts.push(at);
    at += b.text.length;
  }
  return { text, blocks, starts, features: [...features] };
}

/** The blocks of a one-entry document, rendered as they sit in a canonical ledger. */
function renderBlock(doc: Document, last: boolean): string {
  const text = renderLedger(doc);
  if (!text.startsWith(MINI_HEADER)) return '';
  return text.slice(MINI_HEADER.length) + (last ? '' : '\n');
}

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + CHUNK <= max && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) i += CHUNK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function lineCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Index of the last block starting before `offset` (-1 when none does). */
function blockBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Blocks `a..b` of `base` replaced by `texts` (same keys), with the lines and offsets of every
 * later block moved along. Shared by patching (a new text) and applying (rendered repairs).
 */
function replaceBlocks(base: LedgerBase, a: number, texts: readonly string[], features: LedgerFeature[]): LedgerBase {
  const old = base.blocks.blocks;
  const b = a + texts.length - 1;
  const blocks = old.slice();
  const starts = base.starts.slice();
  let line = old[a]!.line;
  let at = base.starts[a]!;
  for (let j = a; j <= b; j++) {
    const text = texts[j - a]!;
    blocks[j] = text === old[j]!.text && line === old[j]!.line ? old[j]! : { key: old[j]!.key, text, line };
    starts[j] = at;
    line += lineCount(text);
    at += text.length;
  }
  const lineShift = line - (b + 1 < old.length ? old[b + 1]!.line : line);
  const offsetShift = at - (b + 1 < old.length ? base.starts[b + 1]! : at);
  for (let j = b + 1; j < old.length; j++) {
    starts[j] = base.starts[j]! + offsetShift;
    if (lineShift !== 0) blocks[j] = { ...old[j]!, line: old[j]!.line + lineShift };
  }
  for (let j = a; j < old.length; j++) {
    if (j > b && lineShift === 0) break;
    if (features[j]!.line !== blocks[j]!.line) features[j] = { ...features[j]!, line: blocks[j]!.line };
  }
  const byKey = new Map(base.blocks.byKey);
  for (let j = a; j < (lineShift === 0 ? b + 1 : old.length); j++) byKey.set(blocks[j]!.key, blocks[j]!);
  const endOld = b + 1 < old.length ? base.starts[b + 1]! : base.text.length;
  const text = base.text.slice(0, base.starts[a]) + texts.join('') + base.text.slice(endOld);
  return { text, blocks: { header: base.blocks.header, preamble: base.blocks.preamble, blocks, byKey }, starts, features };
}

export function patchLedger(base: LedgerBase, text: string): LedgerPatch | undefined {
  const old = base.text;
  const n = base.starts.length;
  if (!text.endsWith('\n')) return undefined;
  const p = commonPrefix(old, text);
  if (p === old.length && p === text.length) return { ...base, features: [...base.features], changed: new Set(), docs: new Map() };
  // The changed region, widened to whole blocks. A change at a block's very start may belong to
  // the block before (lines above a key line are part of the previous block), so that one is
  // included; a change before the first key line (header, preamble) is refused.
  const a = blockBefore(base.starts, p);
  if (a < 0) return undefined;
  const s = commonSuffix(old, text, Math.min(old.length, text.length) - p);
  const oldEnd = old.length - s;
  const b = Math.max(a, blockBefore(base.starts, oldEnd));
  const endOld = b + 1 < n ? base.starts[b + 1]! : old.length;
  const slice = text.slice(base.starts[a], endOld + text.length - old.length);
  const split = splitLedger(MINI_HEADER + slice);
  if (!split || split.blocks.length !== b - a + 1) return undefined;
  const features = [...base.features];
  const changed = new Set<number>();
  const docs = new Map<number, Document>();
  for (let j = a; j <= b; j++) {
    const nb = split.blocks[j - a]!;
    const ob = base.blocks.blocks[j]!;
    if (nb.key !== ob.key) return undefined;
    if (nb.text === ob.text) continue;
    let mini;
    try {
      mini = parseLedger(MINI_HEADER + nb.text);
    } catch {
      return undefined;
    }
    const entry = mini.features[0];
    if (mini.findings.length > 0 || mini.features.length !== 1 || entry?.id !== nb.key) return undefined;
    if (renderBlock(mini.doc, j === n - 1) !== nb.text) return undefined;
    features[j] = entry;
    changed.add(j);
    docs.set(j, mini.doc);
  }
  const next = replaceBlocks(base, a, split.blocks.map((x) => x.text), features);
  if (next.text !== text) return undefined;
  return { ...next, changed, docs };
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
  if (touched.size === 0) return { text: patch.text, blocks: patch.blocks, starts: patch.starts, features };
  const a = Math.min(...touched);
  const b = Math.max(...touched);
  const n = patch.blocks.blocks.length;
  const texts: string[] = [];
  for (let j = a; j <= b; j++) texts.push(touched.has(j) ? renderBlock(patch.docs.get(j)!, j === n - 1) : patch.blocks.blocks[j]!.text);
  return replaceBlocks(patch, a, texts, features);
}
