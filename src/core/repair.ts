import type { Document } from 'yaml';
import type { REPAIR_CODES } from './finding-codes.js';
import { addFeature, renameFeature, updateFeature, type LedgerFeature } from './ledger.js';

/**
 * A safe repair (DESIGN §6): a change to the ledger that needs no judgement. Each carries what
 * it changes from and to, so that `doctor` can show it and the daemon can log it. A repair
 * never touches a phase and never removes an entry.
 */
export type RepairCode = keyof typeof REPAIR_CODES;

export interface Repair {
  code: RepairCode;
  /** The feature's id after the repair (canonical when the key is an id). */
  feature?: string;
  field: 'spec_path' | 'id' | 'entry' | 'layout';
  before: string | null;
  after: string;
  message: string;
  /** For `feature.registered`: the entry to add. */
  entry?: { name: string; spec_path: string };
}

/**
 * Applies repairs to the ledger document. Renames come first, so every other repair can address
 * its feature by the id it has afterwards. The layout repair needs no edit: rendering the
 * document is what reformats it.
 */
export function applyRepairs(doc: Document, repairs: readonly Repair[]): void {
  for (const r of repairs) if (r.code === 'id.repaired' && r.before !== null) renameFeature(doc, r.before, r.after);
  for (const r of repairs) {
    if (!r.feature) continue;
    if (r.field === 'spec_path') updateFeature(doc, r.feature, { spec_path: r.after });
    else if (r.code === 'feature.registered' && r.entry) addFeature(doc, r.feature, { name: r.entry.name, phase: 'none', spec_path: r.entry.spec_path });
  }
}

/** The ledger's features as they are once `repairs` are applied (line numbers of added entries are 0). */
export function repairedFeatures(features: readonly LedgerFeature[], repairs: readonly Repair[]): LedgerFeature[] {
  const renamed = new Map<string, string>();
  for (const r of repairs) if (r.code === 'id.repaired' && r.before !== null) renamed.set(r.before, r.after);
  const paths = new Map<string, string>();
  for (const r of repairs) if (r.field === 'spec_path' && r.feature) paths.set(r.feature, r.after);
  const out = features.map((f) => {
    const id = renamed.get(f.id) ?? f.id;
    const spec_path = paths.get(id) ?? f.spec_path;
    return id === f.id && spec_path === f.spec_path ? f : { ...f, id, spec_path };
  });
  for (const r of repairs)
    if (r.code === 'feature.registered' && r.feature && r.entry)
      out.push({ id: r.feature, name: r.entry.name, phase: 'none', spec_path: r.entry.spec_path, line: 0 });
  return out;
}

/**
 * The layout repair, when rendering changes the text: names the first line that differs, which
 * is enough for a person to see what kind of change it is (order, spacing, quoting).
 */
export function layoutRepair(text: string, rendered: string): Repair | undefined {
  if (text === rendered) return undefined;
  const a = text.replace(/^\uFEFF/, '').split('\n');
  const b = rendered.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = (s: string | undefined) => (s === undefined ? '(end of file)' : JSON.stringify(s.replace(/\r$/, '\\r')));
  const why = text.includes('\r') ? 'line endings' : text.startsWith('\uFEFF') ? 'byte order mark' : `line ${i + 1}`;
  return {
    code: 'ledger.reformatted',
    field: 'layout',
    before: `${why}: ${line(a[i])}`,
    after: `${why}: ${line(b[i])}`,
    message: 'the ledger is rewritten in its canonical layout (features in id order, one block each)',
  };
}
