import { Document, isMap, isScalar, LineCounter, parseDocument, Scalar, visit, YAMLMap, type Pair } from 'yaml';
import { StateError } from './errors.js';
import { printable } from './printable.js';
import { openedAt } from './yaml-errors.js';
import { canonicalId, compareIds, isFeatureId } from './feature-id.js';
import { error, type Finding, type FindingCode } from './finding.js';
import { isPhase, type Phase } from './phase.js';

/**
 * The ledger (`.maestro/ledger.yaml`, version 1): the phase of every feature. Parsing keeps the
 * YAML Document so that a rewrite keeps comments, unknown fields and the user's layout; the
 * plain `features` list is what the rest of the core reads.
 */
export const LEDGER_PATH = '.maestro/ledger.yaml';
export const LEDGER_VERSION = 1;

/** The last line lets editors with yaml-language-server check the ledger against the shipped schema. */
export const LEDGER_HEADER =
  ' Phase ledger kept by specflow. Change phases with `specflow <phase> <id>`.\n' +
  ' specflowd repairs paths and formatting here, never phases.\n' +
  ' yaml-language-server: $schema=../node_modules/specflowd/schemas/ledger.schema.json';

export interface Approval {
  by: string;
  at: string;
  /** The blob id of the spec that was approved. */
  spec?: string;
  /** How it was recorded when not by `specflow approve`: `adopt`, when `init --adopt-phases` vouched for a feature's history. */
  via?: string;
}

export type ExplicitStatus = 'skipped' | 'blocked';

export interface LedgerFeature {
  /** The key as written in the ledger (may be non-canonical, e.g. `f-12`). */
  id: string;
  name: string;
  /** `none` when the ledger's value is missing or unknown (a finding says so). */
  phase: Phase;
  spec_path: string;
  approved?: Approval;
  priority?: number;
  description?: string;
  status?: ExplicitStatus;
  reason?: string;
  /** 1-based line of the feature's key in the ledger text. */
  line: number;
}

export interface ParsedLedger {
  doc: Document;
  features: LedgerFeature[];
  /** Problems with individual entries; the ledger is still usable. */
  findings: Finding[];
}

/** The ledger cannot be used at all: not YAML, conflict markers, wrong shape or version. Exit 3. */
export class LedgerSyntaxError extends Error {
  readonly code: FindingCode;
  constructor(
    code: FindingCode,
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.code = code;
  }

  get location(): string {
    return `${this.file}${this.line ? `:${this.line}` : ''}${this.line && this.column ? `:${this.column}` : ''}`;
  }

  toFinding(): Finding {
    return error(this.code, this.message, {
      file: this.file,
      ...(this.line ? { line: this.line } : {}),
      ...(this.column ? { column: this.column } : {}),
      hint: LEDGER_FIX,
    });
  }
}

/** What to do about a ledger specflow cannot read; said once, by the finding and the error alike. */
export const LEDGER_FIX = 'Fix the ledger by hand, or restore it from git (git checkout -- .maestro/ledger.yaml).';

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/m;
/** Aliases are legal YAML but a ledger never needs them; a small cap defuses alias bombs. */
const MAX_ALIAS_COUNT = 50;

export function parseLedger(text: string, file = LEDGER_PATH): ParsedLedger {
  const source = text.replace(/^\uFEFF/, '');
  const conflict = CONFLICT_MARKER.exec(source);
  if (conflict) {
    const line = source.slice(0, conflict.index).split('\n').length;
    throw new LedgerSyntaxError('ledger.conflict', 'the ledger has git conflict markers', file, line, 1);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  const fatal = doc.errors[0];
  if (fatal) {
    const pos = lineCounter.linePos(fatal.pos[0]);
    const msg = fatal.message.split('\n')[0] ?? 'YAML syntax error';
    const at = openedAt(source, pos.line, msg);
    throw new LedgerSyntaxError('ledger.unparsable', msg, file, at ?? pos.line, at === undefined ? pos.col : 1);
  }
  const lineAt = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  if (doc.contents === null) throw new LedgerSyntaxError('ledger.empty', 'the ledger is empty', file, 1, 1);
  if (!isMap(doc.contents)) throw new LedgerSyntaxError('ledger.invalid', 'the ledger must be a mapping with `version` and `features`', file, lineAt(doc.contents), 1);
  countAliases(doc, file);
  const version = doc.get('version');
  if (version !== LEDGER_VERSION)
    throw new LedgerSyntaxError('ledger.version', `unsupported ledger version ${JSON.stringify(version ?? null)} (expected ${LEDGER_VERSION})`, file, lineAt(doc.get('version', true)), 1);
  const featuresNode = doc.get('features', true);
  const findings: Finding[] = [];
  const features: LedgerFeature[] = [];
  if (featuresNode === undefined || (isScalar(featuresNode) && featuresNode.value === null)) return { doc, features, findings };
  if (!isMap(featuresNode)) throw new LedgerSyntaxError('ledger.invalid', '`features` must be a mapping of feature id to entry', file, lineAt(featuresNode), 1);

  const seen = new Map<string, number>();
  for (const pair of featuresNode.items) {
    const key = featureKey(pair);
    // A plain `001:` reads as the integer 1; keep the id as written, and as a string so a rewrite quotes it.
    if (isScalar(pair.key) && typeof pair.key.value === 'number') pair.key.value = key;
    const line = lineAt(pair.key);
    const at = { file, line };
    const canonical = canonicalId(key) ?? key;
    const dup = seen.get(canonical);
    if (dup !== undefined) {
      findings.push(error('ledger.duplicate-key', `feature ${key} appears twice (first at line ${dup})`, { ...at, feature: canonical, hint: 'Keep one entry per feature.' }));
      continue;
    }
    seen.set(canonical, line);
    if (!isFeatureId(key))
      findings.push(error('ledger.id.invalid', `"${printable(key)}" is not a feature id (F-<n>, a number, a folder name, or <root>/<id>)`, { ...at, feature: key }));
    if (!isMap(pair.value)) {
      findings.push(error('ledger.feature.invalid', `feature ${key} must be a mapping`, { ...at, feature: key }));
      continue;
    }
    // A field that is missing has no line of its own: its finding points at the feature's key.
    features.push(readFeature(key, pair.value, line, findings, file, (node) => (node === undefined ? 0 : lineAt(node))));
  }
  return { doc, features, findings };
}

function readFeature(
  id: string,
  map: YAMLMap,
  line: number,
  findings: Finding[],
  file: string,
  lineAt: (node: unknown) => number,
): LedgerFeature {
  const bad = (field: string, message: string) =>
    findings.push(error('ledger.field.invalid', `${id}.${field}: ${message}`, { file, line: lineAt(map.get(field, true)) || line, feature: id }));
  const str = (field: string): string | undefined => {
    const v: unknown = map.get(field);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    bad(field, 'must be a string');
    return undefined;
  };
  const fieldLines = new Map<string, number>();
  for (const pair of map.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const first = fieldLines.get(name);
    const at = lineAt(pair.key) || line;
    if (first === undefined) fieldLines.set(name, at);
    else
      findings.push(
        error('ledger.duplicate-key', `${id}.${printable(name)} appears twice (first at line ${first}); specflow cannot tell which one holds`, {
          file,
          line: at,
          feature: id,
          hint: 'Keep one value per field.',
        }),
      );
  }
  const feature: LedgerFeature = { id, name: str('name') ?? '', phase: 'none', spec_path: str('spec_path') ?? '', line };
  const phase: unknown = map.get('phase');
  if (isPhase(phase)) feature.phase = phase;
  else
    findings.push(
      error('ledger.phase.unknown', `${id}.phase: ${phase === undefined ? 'missing' : `unknown phase "${printable(typeof phase === 'string' ? phase : JSON.stringify(phase))}"`}`, {
        file,
        line: lineAt(map.get('phase', true)) || line,
        feature: id,
        hint: 'One of: none, specify, plan, tasks, implement, complete.',
      }),
    );
  const priority: unknown = map.get('priority');
  if (priority !== undefined && priority !== null) {
    if (typeof priority === 'number' && Number.isInteger(priority)) feature.priority = priority;
    else bad('priority', 'must be an integer');
  }
  const description = str('description');
  if (description !== undefined) feature.description = description;
  const status = str('status');
  if (status === 'skipped' || status === 'blocked') feature.status = status;
  else if (status !== undefined && status !== '') bad('status', 'must be skipped or blocked');
  const reason = str('reason');
  if (reason !== undefined) feature.reason = reason;
  const approved: unknown = map.get('approved');
  if (approved !== undefined && approved !== null) {
    if (isMap(approved)) {
      const by: unknown = approved.get('by');
      const rawAt: unknown = approved.get('at');
      const at = rawAt instanceof Date ? rawAt.toISOString() : rawAt;
      const spec: unknown = approved.get('spec');
      const via: unknown = approved.get('via');
      if (typeof by === 'string' && typeof at === 'string' && (spec === undefined || typeof spec === 'string') && (via === undefined || typeof via === 'string'))
        feature.approved = { by, at, ...(typeof spec === 'string' ? { spec } : {}), ...(typeof via === 'string' ? { via } : {}) };
      else bad('approved', 'must be { by: <name>, at: <time>, spec: <blob id> } (via: adopt when init --adopt-phases recorded it)');
    } else bad('approved', 'must be { by: <name>, at: <time> }');
  }
  return feature;
}

/**
 * The findings that make a ledger unreadable state: a value specflow cannot read — an unknown
 * phase, a key or field written twice, an entry that is not a mapping, a spec_path that is not
 * a string. Reads stop there (exit 3) rather than show a value the ledger does not hold, and
 * nothing rewrites the ledger until a person fixes it.
 */
export function unreadableValues(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (f) =>
      f.code === 'ledger.phase.unknown' ||
      f.code === 'ledger.duplicate-key' ||
      f.code === 'ledger.feature.invalid' ||
      (f.code === 'ledger.field.invalid' && f.feature !== undefined && f.message.startsWith(`${f.feature}.spec_path:`)),
  );
}

/** Exit 3 for a ledger holding values specflow cannot read (see `unreadableValues`), naming the first. */
export function refuseUnreadable(findings: readonly Finding[], file = LEDGER_PATH): void {
  const unreadable = unreadableValues(findings);
  if (!unreadable.length) return;
  const first = unreadable[0]!;
  throw new StateError(
    `${file} holds a value specflow cannot read: ${first.message}`,
    first.code,
    LEDGER_FIX,
    unreadable,
  );
}

function countAliases(doc: Document, file: string): void {
  // yaml's own limit applies only to toJS(); ledger values are read node by node, so cap here.
  let aliases = 0;
  visit(doc, { Alias: () => void aliases++ });
  if (aliases > MAX_ALIAS_COUNT) throw new LedgerSyntaxError('ledger.invalid', `the ledger uses ${aliases} YAML aliases; a ledger needs none`, file, 1, 1);
}

// ---------------------------------------------------------------------------------------------
// Changes. Each mutates the Document in place; renderLedger() then orders and prints it.

export type FeatureFields = Partial<Omit<LedgerFeature, 'id' | 'line'>>;

function featuresMap(doc: Document): YAMLMap {
  let node = doc.get('features', true);
  if (!isMap(node)) {
    node = new YAMLMap();
    doc.set('features', node);
  }
  return node as YAMLMap;
}

/**
 * A feature's id as written in the ledger. YAML reads a plain `001:` or `12:` as a number; the
 * id is the source text (`001`), so spec-kit ids survive a round trip.
 */
export function featureKey(pair: Pair): string {
  if (!isScalar(pair.key)) return String(pair.key);
  const { value, source } = pair.key as Scalar & { source?: string };
  if (typeof value === 'number' && typeof source === 'string' && /^\d+$/.test(source)) return source;
  return String(value);
}

function findPair(doc: Document, id: string): Pair | undefined {
  return featuresMap(doc).items.find((p) => featureKey(p) === id);
}

export function hasFeature(doc: Document, id: string): boolean {
  return findPair(doc, id) !== undefined;
}

/** Sets (or, with `undefined`, deletes) fields of an existing feature. Unknown fields are untouched. */
export function updateFeature(doc: Document, id: string, fields: FeatureFields): void {
  const pair = findPair(doc, id);
  if (!pair || !isMap(pair.value)) throw new Error(`no feature ${id} in the ledger`);
  const map = pair.value;
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) map.delete(field);
    else if (field === 'approved') map.set(field, doc.createNode(value, { flow: true }));
    else map.set(field, value);
  }
}

export function addFeature(doc: Document, id: string, fields: FeatureFields & { name: string; phase: Phase; spec_path: string }): void {
  if (hasFeature(doc, id)) throw new Error(`feature ${id} is already in the ledger`);
  const map = new YAMLMap();
  const ordered = ['name', 'phase', 'spec_path', 'priority', 'description', 'status', 'reason', 'approved'] as const;
  for (const field of ordered) {
    const value = fields[field];
    if (value === undefined) continue;
    map.set(field, field === 'approved' ? doc.createNode(value, { flow: true }) : value);
  }
  featuresMap(doc).items.push(doc.createPair(id, map));
}

/** Renames a feature's key (id case repair), keeping its entry and comments. */
export function renameFeature(doc: Document, from: string, to: string): void {
  const pair = findPair(doc, from);
  if (!pair) throw new Error(`no feature ${from} in the ledger`);
  if (isScalar(pair.key)) pair.key.value = to;
  else pair.key = new Scalar(to);
}

export function newLedgerDocument(): Document {
  const doc = new Document({ version: LEDGER_VERSION, features: {} });
  doc.commentBefore = LEDGER_HEADER;
  return doc;
}

/**
 * Prints the ledger: features in numeric id order, a blank line between feature blocks (so
 * that edits to neighbouring features do not touch the same lines), LF, trailing newline.
 */
export function renderLedger(doc: Document): string {
  const features = featuresMap(doc);
  const key = featureKey;
  features.items.sort((a, b) => compareIds(key(a), key(b)));
  features.flow = features.items.length === 0;
  features.items.forEach((pair, i) => {
    const k = isScalar(pair.key) ? pair.key : (pair.key = new Scalar(key(pair)));
    k.spaceBefore = i > 0;
  });
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: true }).replace(/\r\n?/g, '\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** A fresh ledger's text. */
export function emptyLedgerText(): string {
  return renderLedger(newLedgerDocument());
}
