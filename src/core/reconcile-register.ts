import { Document } from 'yaml';
import { compareIds } from './feature-id.js';
import { readCanonicalBlock } from './ledger-canonical.js';
import { splitLedger, type LedgerBlock } from './ledger-blocks.js';
import { addFeature, renderLedger, type LedgerFeature } from './ledger.js';
import type { Repair } from './repair.js';

/**
 * The daemon's registration path. A burst of new feature folders (an agent scaffolding a
 * backlog, a checkout that brings thousands) sets off one reconcile after another while it
 * lasts; if each parsed and re-rendered the whole ledger, the cost would grow with the square of
 * the burst. So registrations into a canonical ledger are spliced in as text: the new entries
 * alone are rendered (one small document for all of them), and their blocks are merged into the
 * existing ones in id order. Nothing else of the ledger is parsed or rendered.
 *
 * It refuses (undefined) anything it does not fully understand — a repair other than a
 * registration, a text that does not split into blocks, comment lines among the entries, an id
 * already there — and the caller takes the full path. The result is byte for byte what the full
 * path (parse, add, render) writes; a unit test holds the two to it.
 */
export interface Registered {
  text: string;
  /** Every entry in the order of the new text, each with its line. */
  features: LedgerFeature[];
}

const MINI_HEADER = 'version: 1\nfeatures:\n';

/**
 * The new entries' blocks, in id order. An entry whose values are plain strings is written as
 * text, and kept only if the canonical reader reads it back as exactly that entry — canonical
 * text is what `renderLedger` writes, so that is what the full path would print. The others
 * (a name YAML must quote, say) are rendered by YAML, together in one small document.
 */
function renderEntries(repairs: readonly Repair[]): LedgerBlock[] | undefined {
  const blocks: LedgerBlock[] = [];
  const doc = new Document({ version: 1, features: {} });
  let viaYaml = 0;
  for (const r of repairs) {
    const id = r.feature!;
    const { name, spec_path } = r.entry!;
    const text = `  ${/^\d+$/.test(id) ? `"${id}"` : id}:\n    name: ${name}\n    phase: none\n    spec_path: ${spec_path}\n`;
    const read = readCanonicalBlock(text, 1)?.feature;
    if (read && read.id === id && read.name === name && read.phase === 'none' && read.spec_path === spec_path && Object.keys(read).length === 5) {
      blocks.push({ key: id, text, line: 0 });
      continue;
    }
    addFeature(doc, id, { name, phase: 'none', spec_path });
    viaYaml++;
  }
  if (viaYaml > 0) {
    const rendered = renderLedger(doc);
    if (!rendered.startsWith(MINI_HEADER)) return undefined;
    const split = splitLedger(rendered);
    if (!split || split.blocks.length !== viaYaml || split.preamble !== '') return undefined;
    blocks.push(...split.blocks);
  }
  return blocks.sort((a, b) => compareIds(a.key, b.key));
}

/** A block's lines without the blank line that separates it from the next. */
const bare = (b: LedgerBlock) => (b.text.endsWith('\n\n') ? b.text.slice(0, -1) : b.text);

/**
 * `text` (canonical, read as `features` in block order) with the entries of `repairs` added.
 * The objects of `features` are reused, their `line` moved to the new text's.
 */
export function registerInText(text: string, features: LedgerFeature[], repairs: readonly Repair[]): Registered | undefined {
  if (repairs.length === 0) return undefined;
  if (!repairs.every((r) => r.code === 'feature.registered' && r.feature !== undefined && r.entry !== undefined)) return undefined;
  const split = splitLedger(text);
  if (!split || split.blocks.length !== features.length || split.preamble !== '') return undefined;
  if (split.blocks.some((b, i) => b.key !== features[i]!.id || /^ *#/m.test(b.text))) return undefined;
  if (split.blocks.some((b, i) => !b.text.endsWith(i === split.blocks.length - 1 ? '\n' : '\n\n') || (i === split.blocks.length - 1 && b.text.endsWith('\n\n')))) return undefined;

  const ids = new Set(split.blocks.map((b) => b.key));
  for (const r of repairs) {
    if (ids.has(r.feature!)) return undefined;
    ids.add(r.feature!);
  }
  const added = renderEntries(repairs);
  if (!added) return undefined;

  // Both lists are in id order: merge them, splicing each new block into the text before the
  // old block it precedes (or after the last). Old entries keep their objects (made for this
  // pass by the caller's read); only their lines move along.
  const old = split.blocks;
  const fresh = added;
  const entries = new Map(repairs.map((r) => [r.feature!, r.entry!]));
  const headLength = text.length - old.reduce((n, b) => n + b.text.length, 0);
  const pieces: string[] = [];
  const order: LedgerFeature[] = [];
  let at = 0;
  let offset = headLength;
  let shift = 0;
  let j = 0;
  const lines = (s: string) => {
    let n = 0;
    for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
    return n;
  };
  const insert = (before: number, line: number, last: boolean) => {
    while (j < fresh.length && (before >= old.length || compareIds(fresh[j]!.key, old[before]!.key) < 0)) {
      const b = fresh[j++]!;
      const body = bare(b);
      pieces.push(text.slice(at, offset), last ? `\n${body}` : `${body}\n`);
      at = offset;
      const e = entries.get(b.key)!;
      order.push({ id: b.key, name: e.name, phase: 'none', spec_path: e.spec_path, line: line + shift + (last ? 1 : 0) });
      shift += lines(body) + 1;
    }
  };
  for (let i = 0; i < old.length; i++) {
    insert(i, old[i]!.line, false);
    const f = features[i]!;
    f.line = old[i]!.line + shift;
    order.push(f);
    offset += old[i]!.text.length;
  }
  insert(old.length, old.length ? old[old.length - 1]!.line + lines(old[old.length - 1]!.text) : 0, true);
  pieces.push(text.slice(at));
  return { text: pieces.join(''), features: order };
}
