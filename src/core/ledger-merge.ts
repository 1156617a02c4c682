import { isMap, isScalar, type Document, type Pair, type YAMLMap } from 'yaml';
import { canonicalId, compareIds } from './feature-id.js';
import { splitLedger } from './ledger-blocks.js';
import { newLedgerDocument, parseLedger, renderLedger } from './ledger.js';

/**
 * The ledger's three-way merge (the `specflow-ledger` git merge driver). Features are merged
 * one by one, and within a feature field by field: two branches that touch different features
 * — or different fields of one — merge clean; the same change on both sides merges; two
 * different changes to one field are a conflict, written as conflict markers around that
 * feature's two versions so a person can read and resolve it. Works on "ours" as a YAML
 * Document, so comments and unknown fields survive.
 *
 * Throws `LedgerSyntaxError` when a side cannot be parsed, and `TextMergeNeeded` when the
 * conflict is outside the features (e.g. `version`); the caller then falls back to git's
 * line-based merge.
 */
export interface LedgerMerge {
  text: string;
  /** Ids of the features in conflict; empty when the merge is clean. */
  conflicts: string[];
}

export class TextMergeNeeded extends Error {}

const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));
const keyText = (p: Pair) => (isScalar(p.key) ? String(p.key.value) : String(p.key));
const idOf = (key: string) => canonicalId(key) ?? key;

function parseSide(text: string): Document {
  return text.trim() === '' ? newLedgerDocument() : parseLedger(text).doc;
}

function featureMap(doc: Document): YAMLMap {
  const node = doc.get('features', true);
  if (isMap(node)) return node;
  const fresh = doc.createNode({}) as YAMLMap;
  doc.set('features', fresh);
  return fresh;
}

function pairsById(map: YAMLMap): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const p of map.items) if (!out.has(idOf(keyText(p)))) out.set(idOf(keyText(p)), p);
  return out;
}

/** Which side a three-way decision takes, or `conflict`. */
function decide(o: string | undefined, a: string | undefined, b: string | undefined): 'ours' | 'theirs' | 'conflict' {
  if (a === b || b === o) return 'ours';
  if (a === o) return 'theirs';
  return 'conflict';
}

export function mergeLedgers(base: string, ours: string, theirs: string): LedgerMerge {
  const [O, A, B] = [parseSide(base), parseSide(ours), parseSide(theirs)];
  mergeHeader(O, A, B);
  const [fo, fa, fb] = [featureMap(O), featureMap(A), featureMap(B)];
  const [po, pa, pb] = [pairsById(fo), pairsById(fa), pairsById(fb)];
  const conflicts: string[] = [];
  const ids = [...new Set([...pa.keys(), ...pb.keys(), ...po.keys()])];
  for (const id of ids) {
    const [o, a, b] = [po.get(id), pa.get(id), pb.get(id)];
    const choice = decide(json(o?.value), json(a?.value), json(b?.value));
    if (choice === 'ours') continue;
    if (choice === 'theirs') {
      if (!b) fa.items.splice(fa.items.indexOf(a!), 1);
      else if (!a) fa.items.push(b.clone());
      else a.value = cloneNode(b.value);
      continue;
    }
    if (a && b && isMap(a.value) && isMap(b.value) && (!o || isMap(o.value)) && mergeFields(o?.value as YAMLMap | undefined, a.value, b.value)) continue;
    conflicts.push(id);
  }
  const merged = renderLedger(A);
  return { text: conflicts.length ? markConflicts(merged, renderLedger(B), conflicts) : merged, conflicts };
}

/** Top-level keys other than `features` (the version, unknown keys): taken whole from one side. */
function mergeHeader(O: Document, A: Document, B: Document): void {
  const keys = (d: Document) => (isMap(d.contents) ? (d.contents.items).map(keyText) : []);
  for (const key of new Set([...keys(A), ...keys(B)])) {
    if (key === 'features') continue;
    const choice = decide(json(O.get(key, true)), json(A.get(key, true)), json(B.get(key, true)));
    if (choice === 'conflict') throw new TextMergeNeeded(`both sides changed "${key}"`);
    if (choice === 'theirs') {
      const node: unknown = B.get(key, true);
      if (node === undefined) A.delete(key);
      else A.set(key, cloneNode(node));
    }
  }
}

/** Field-by-field merge of one feature into `a`; false (and `a` untouched) on a field conflict. */
function mergeFields(o: YAMLMap | undefined, a: YAMLMap, b: YAMLMap): boolean {
  const fields = (m: YAMLMap | undefined) => (m ? (m.items).map(keyText) : []);
  const plan: { field: string; take: unknown }[] = [];
  for (const field of new Set([...fields(a), ...fields(b), ...fields(o)])) {
    const choice = decide(json(o?.get(field, true)), json(a.get(field, true)), json(b.get(field, true)));
    if (choice === 'conflict') return false;
    if (choice === 'theirs') plan.push({ field, take: b.get(field, true) });
  }
  for (const { field, take } of plan) {
    if (take === undefined) a.delete(field);
    else a.set(field, cloneNode(take));
  }
  return true;
}

function cloneNode(node: unknown): unknown {
  return node && typeof node === 'object' && 'clone' in node && typeof node.clone === 'function' ? (node.clone as () => unknown)() : node;
}

/**
 * Replaces each conflicting feature's block in `merged` (ours) with git-style markers around
 * ours and theirs. A side without the feature shows an empty section.
 */
function markConflicts(merged: string, theirsText: string, ids: string[]): string {
  const mine = splitLedger(merged);
  const theirs = splitLedger(theirsText);
  if (!mine || !theirs) throw new TextMergeNeeded('the ledger cannot be cut into feature blocks');
  const find = (split: NonNullable<typeof mine>, id: string) => split.blocks.find((b) => idOf(b.key) === id);
  const trimBlank = (text: string) => text.replace(/(\n[ \t]*)+$/, '\n');
  const conflicted = new Set(ids);
  const section = (id: string) => {
    const ours = find(mine, id);
    const other = find(theirs, id);
    return `<<<<<<< ours (${id} changed on both sides)\n${ours ? trimBlank(ours.text) : ''}=======\n${other ? trimBlank(other.text) : ''}>>>>>>> theirs\n`;
  };
  const parts: string[] = [mine.header, 'features:\n', mine.preamble];
  const pending = ids.filter((id) => !find(mine, id)).sort(compareIds);
  for (const block of mine.blocks) {
    const id = idOf(block.key);
    while (pending.length && compareIds(pending[0]!, id) < 0) parts.push(section(pending.shift()!), '\n');
    parts.push(conflicted.has(id) ? `${section(id)}${/\n\n$/.test(block.text) ? '\n' : ''}` : block.text);
  }
  for (const id of pending) parts.push(section(id));
  return parts.join('');
}
