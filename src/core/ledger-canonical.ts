import { canonicalId, compareIds } from './feature-id.js';
import type { LedgerFeature } from './ledger.js';
import { isPhase } from './phase.js';

/**
 * A reader for ledgers in canonical layout — the text `renderLedger` writes, with plain values —
 * that needs no YAML parser. YAML parsing costs milliseconds per hundred entries, and every
 * ledger that specflow wrote (and that nobody edited by hand in an unusual way) is canonical:
 * `doctor`, the daemon and the hooks read those without loading or running the parser.
 *
 * It is deliberately narrow. It accepts only what it can read exactly as `parseLedger` does —
 * a header of comments and `version: 1`, entries in id order, one blank line between them, the
 * known fields once each, plain values that YAML reads as the same string, no findings — and
 * answers `undefined` for anything else ("not canonical, or not sure"); callers then parse
 * with YAML. A property test holds it to `parseLedger` and `renderLedger`.
 */
export interface CanonicalLedger {
  /** The entries, as `parseLedger` reads them (field order included). */
  features: LedgerFeature[];
}

export interface CanonicalEntry {
  feature: LedgerFeature;
  /** The entry's data as JSON, as `JSON.stringify` prints the YAML map (source order). */
  data: () => string;
}

/** `version: 1`, with an optional comment block and one blank line above it. */
const HEADER = /^(?:(?:#[^\n]*\n)+\n)?version: 1\nfeatures:\n/;
/** A comment line YAML prints back as it was: `#` and text that neither starts nor ends with whitespace, or `# text`. */
const COMMENT_LINE = /^#(?: ?[^\s][^\n]*[^\s]| ?[^\s])$/;
const KEY_LINE = /^ {2}([A-Za-z][A-Za-z0-9_-]*|"\d{1,9}"):$/;
const APPROVED = /^\{ by: ([^,[\]{}\n]+), at: ([^,[\]{}\n]+)(?:, spec: ([0-9a-f]{40}|[0-9a-f]{64}))? \}$/;
const PRIORITY = /^(?:0|[1-9]\d{0,14})$/;

/** What YAML 1.2's core schema reads as something other than a string (null, bool, numbers). */
const NOT_A_STRING = [
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/,
  /^[-+]?\d+$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
];
/** Characters a plain scalar may hold here: printable, no line breaks, no byte order mark. */
const PRINTABLE = /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]+$/;
/** Characters that may not start a plain scalar (YAML indicators, and `~`). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`~\s]/;

/** Is `v` read by YAML as exactly this string when written plain after `key: `? */
function plainString(v: string, flow: boolean): boolean {
  if (v === '' || !PRINTABLE.test(v) || INDICATOR.test(v) || /\s$/.test(v)) return false;
  if (v.includes(': ') || v.includes(' #') || v.endsWith(':')) return false;
  if (flow && /[,[\]{}]/.test(v)) return false;
  return !NOT_A_STRING.some((re) => re.test(v));
}

const FIELDS = new Set(['name', 'phase', 'spec_path', 'priority', 'description', 'status', 'reason', 'approved']);

/**
 * One entry's lines (the key line and its field lines, no blank or comment lines), the way
 * `parseLedger` reads it, or undefined when this reader is not sure.
 */
function readEntry(key: string, fieldLines: readonly string[], line: number): CanonicalEntry | undefined {
  const values = new Map<string, string | number | { by: string; at: string; spec?: string }>();
  for (const text of fieldLines) {
    // `    field: value`, without a regular expression: this runs for every line of a large ledger.
    const colon = text.indexOf(': ', 4);
    if (colon < 0 || !text.startsWith('    ') || text.charCodeAt(4) === 32) return undefined;
    const field = text.slice(4, colon);
    const raw = text.slice(colon + 2);
    if (!FIELDS.has(field) || values.has(field)) return undefined;
    if (field === 'approved') {
      const a = APPROVED.exec(raw);
      if (!a || !plainString(a[1]!, true) || !plainString(a[2]!, true)) return undefined;
      values.set(field, a[3] ? { by: a[1]!, at: a[2]!, spec: a[3] } : { by: a[1]!, at: a[2]! });
    } else if (field === 'priority') {
      if (!PRIORITY.test(raw)) return undefined;
      values.set(field, Number(raw));
    } else {
      if (!plainString(raw, false)) return undefined;
      values.set(field, raw);
    }
  }
  const name = values.get('name');
  const phase = values.get('phase');
  const specPath = values.get('spec_path');
  const status = values.get('status');
  if (typeof name !== 'string' || typeof specPath !== 'string' || !isPhase(phase)) return undefined;
  if (status !== undefined && status !== 'skipped' && status !== 'blocked') return undefined;
  // Built in the order parseLedger's readFeature builds it.
  const feature: LedgerFeature = { id: key, name, phase, spec_path: specPath, line };
  const priority = values.get('priority');
  if (typeof priority === 'number') feature.priority = priority;
  const description = values.get('description');
  if (typeof description === 'string') feature.description = description;
  if (status !== undefined) feature.status = status;
  const reason = values.get('reason');
  if (typeof reason === 'string') feature.reason = reason;
  const approved = values.get('approved');
  if (typeof approved === 'object') feature.approved = approved;
  return { feature, data: () => JSON.stringify(Object.fromEntries(values)) };
}

/** The key as `parseLedger` reports it, when the key line is one this reader knows. */
function keyOf(line: string): string | undefined {
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  const key = m[1]!.startsWith('"') ? m[1]!.slice(1, -1) : m[1]!;
  if (canonicalId(key) === undefined) return undefined;
  // A plain key must not be something YAML reads as another type (a digit-only key is quoted).
  if (!m[1]!.startsWith('"') && NOT_A_STRING.some((re) => re.test(key))) return undefined;
  return key;
}

/**
 * The whole ledger, when it is in canonical layout (so `renderLedger` would write it back
 * unchanged) and every entry reads without findings; otherwise undefined.
 */
export function readCanonicalLedger(text: string): CanonicalLedger | undefined {
  const header = HEADER.exec(text);
  if (!header || !text.endsWith('\n') || text.includes('\r')) return undefined;
  const headerLines = header[0].split('\n');
  for (const l of headerLines) if (l.startsWith('#') && !COMMENT_LINE.test(l)) return undefined;
  const lines = text.slice(header[0].length, -1).split('\n');
  // No entries at all is written as `features: {}`: the YAML path handles that small case.
  if (lines.length === 0 || lines[0] === '') return undefined;
  const features: LedgerFeature[] = [];
  const lineNo = headerLines.length - 1;
  let i = 0;
  while (i < lines.length) {
    const key = keyOf(lines[i]!);
    if (key === undefined) return undefined;
    const start = i;
    i++;
    while (i < lines.length && lines[i] !== '') i++;
    const entry = readEntry(key, lines.slice(start + 1, i), lineNo + start + 1);
    if (!entry) return undefined;
    const previous = features[features.length - 1];
    if (previous && compareIds(previous.id, key) >= 0) return undefined;
    features.push(entry.feature);
    // Exactly one blank line between entries, none after the last.
    if (i < lines.length) {
      i++;
      if (i >= lines.length || lines[i] === '') return undefined;
    }
  }
  const ids = new Set(features.map((f) => canonicalId(f.id)));
  if (ids.size !== features.length) return undefined;
  return { features };
}

/**
 * One feature block as `splitLedger` cuts it (its key line, its field lines and the blank line
 * that may follow), read as `parseLedger` would read it alone; undefined when not sure.
 * `line` is the key line's line number in the whole text.
 */
export function readCanonicalBlock(blockText: string, line: number): CanonicalEntry | undefined {
  const lines = blockText.split('\n');
  if (lines.pop() !== '') return undefined;
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const key = keyOf(lines[0] ?? '');
  if (key === undefined || lines.some((l) => l === '')) return undefined;
  return readEntry(key, lines.slice(1), line);
}

/** Is this header (everything before `features:`) one the canonical reader accepts? Then it parses. */
export function canonicalHeader(header: string): boolean {
  const m = HEADER.exec(`${header}features:\n`);
  return m !== null && m[0].length === header.length + 'features:\n'.length && header.split('\n').every((l) => !l.startsWith('#') || COMMENT_LINE.test(l));
}
