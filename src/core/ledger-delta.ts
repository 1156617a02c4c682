import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import { canonicalId } from './feature-id.js';
import type { Finding } from './finding.js';
import { splitLedger, type LedgerBlocks } from './ledger-blocks.js';
import { canonicalHeader, readCanonicalBlock } from './ledger-canonical.js';
import { diffLedgers, type LedgerChange } from './ledger-diff.js';
import { LEDGER_PATH, LedgerSyntaxError, parseLedger, type LedgerFeature, type ParsedLedger } from './ledger.js';

/**
 * What one commit does to the ledger: the phase changes between a parent's ledger text and the
 * new one, the new entries of the features that change, and the ledger problems that must
 * block the commit.
 *
 * Two ways to get there, which must always agree (a property test holds them to it):
 * - blocks: cut both texts into per-feature blocks (`splitLedger`), skip identical blocks, and
 *   YAML-parse only the blocks that differ, each on its own;
 * - full: parse both texts whole. Used whenever the scanner cannot split a text safely, a
 *   block does not parse on its own, or a text cannot be parsed at all — so every error
 *   message comes from the full parse.
 *
 * A feature's entry "changes" when its data differs (comments and layout do not count). Only
 * changed entries can block with `ledger.phase.unknown`: an old problem elsewhere in the
 * ledger does not stop unrelated work (the commit that introduced it was checked).
 */
export interface LedgerDelta {
  changes: LedgerChange[];
  /** The new ledger's entry of every feature added, advanced or moved back, by canonical id. */
  after: Map<string, LedgerFeature>;
  /** The new ledger's entry of every feature whose entry data changed in any way (phase, spec_path, approval, …). */
  changedEntries: Map<string, LedgerFeature>;
  /** Problems that make the new ledger unfit to commit. */
  blocking: Finding[];
  /** Set when the parent's ledger cannot be parsed: every feature then counts as new. */
  parentUnreadable?: Finding;
  /** How the texts were compared; for tests and diagnostics. */
  path: 'blocks' | 'full';
}

/** Codes that block wherever they occur in the new ledger. */
const ALWAYS_BLOCKING = new Set(['ledger.duplicate-key']);
/** Codes that block when they sit in an entry the commit changes. */
const BLOCKING_IN_CHANGED = new Set(['ledger.phase.unknown']);

interface EntryParse {
  key: string;
  feature: LedgerFeature | undefined;
  findings: Finding[];
  /** The entry's data as JSON, to tell a real change from a comment or layout edit. */
  data: string;
}

const idOf = (key: string) => canonicalId(key) ?? key;

function featuresNode(doc: Document): YAMLMap | undefined {
  const node = doc.get('features', true);
  return isMap(node) ? node : undefined;
}

const keyText = (k: unknown) => (isScalar(k) ? String(k.value) : String(k));

/** Ledger text with memoised views: its blocks, its header check, parsed blocks, the full parse. */
export class PreparedLedger {
  private split: LedgerBlocks | null | undefined;
  private headerOk: boolean | undefined;
  private readonly entries = new Map<string, EntryParse | null>();
  private whole: ParsedLedger | LedgerSyntaxError | undefined;

  constructor(
    readonly text: string,
    readonly file = LEDGER_PATH,
  ) {}

  blocks(): LedgerBlocks | undefined {
    if (this.split === undefined) this.split = splitLedger(this.text) ?? null;
    return this.split ?? undefined;
  }

  /** Does the header (everything before `features:`) make a valid ledger on its own? */
  headerParses(): boolean {
    if (this.headerOk === undefined) {
      const split = this.blocks();
      this.headerOk = split !== undefined && (canonicalHeader(split.header) || tryParse(`${split.header}features:\n`, this.file) !== undefined);
    }
    return this.headerOk;
  }

  /** One block parsed on its own, with lines mapped back to the whole text; null when it does not parse alone. */
  entry(key: string): EntryParse | null {
    let e = this.entries.get(key);
    if (e === undefined) {
      e = parseBlock(this.blocks()?.byKey.get(key), this.file);
      this.entries.set(key, e);
    }
    return e;
  }

  /**
   * Every entry's key and raw `spec_path`, read from the blocks' text without YAML where the
   * line is plain (the usual case); the whole text is parsed otherwise.
   */
  specPaths(): { key: string; specPath: string }[] {
    const split = this.blocks();
    const out: { key: string; specPath: string }[] = [];
    if (split) {
      for (const block of split.blocks) {
        const plain = PLAIN_SPEC_PATH.exec(block.text);
        const specPath = plain ? plain[1] : this.entry(block.key)?.feature?.spec_path;
        if (specPath === undefined) return this.specPathsFromFull();
        out.push({ key: block.key, specPath });
      }
      return out;
    }
    return this.specPathsFromFull();
  }

  /** The entry of one key, parsed on its own where possible. */
  feature(key: string): LedgerFeature | undefined {
    const e = this.blocks() ? this.entry(key) : null;
    if (e) return e.feature;
    const whole = this.full();
    return whole instanceof LedgerSyntaxError ? undefined : whole.features.find((f) => idOf(f.id) === idOf(key));
  }

  private specPathsFromFull(): { key: string; specPath: string }[] {
    const whole = this.full();
    return whole instanceof LedgerSyntaxError ? [] : whole.features.map((f) => ({ key: f.id, specPath: f.spec_path }));
  }

  full(): ParsedLedger | LedgerSyntaxError {
    if (this.whole === undefined) {
      try {
        this.whole = parseLedger(this.text, this.file);
      } catch (e) {
        if (!(e instanceof LedgerSyntaxError)) throw e;
        this.whole = e;
      }
    }
    return this.whole;
  }
}

/** A block's `spec_path` line as a plain scalar: no quotes, no comment, nothing YAML would read otherwise. */
const PLAIN_SPEC_PATH = /^ {4}spec_path: ([A-Za-z0-9._/-][^\s#'"]*)$/m;

function tryParse(text: string, file: string): ParsedLedger | undefined {
  try {
    return parseLedger(text, file);
  } catch {
    return undefined;
  }
}

const MINI_HEADER = 'version: 1\nfeatures:\n';
const MINI_HEADER_LINES = 2;

function parseBlock(block: { key: string; text: string; line: number } | undefined, file: string): EntryParse | null {
  if (!block) return null;
  // A block in canonical layout reads without YAML (and, being canonical, without findings).
  const canonical = readCanonicalBlock(block.text, block.line);
  if (canonical) return { key: block.key, feature: canonical.feature, findings: [], data: canonical.data() };
  const parsed = tryParse(MINI_HEADER + block.text, file);
  const pair = parsed && featuresNode(parsed.doc)?.items;
  if (!parsed || !pair || pair.length !== 1 || keyText(pair[0]!.key) !== block.key) return null;
  const shift = block.line - 1 - MINI_HEADER_LINES;
  const move = <T extends { line?: number }>(x: T): T => (x.line === undefined ? x : { ...x, line: x.line + shift });
  return {
    key: block.key,
    feature: parsed.features[0] && move(parsed.features[0]),
    findings: parsed.findings.map(move),
    data: JSON.stringify(pair[0]!.value ?? null),
  };
}

/** Compares two ledger texts (undefined: no ledger at that commit). */
export function ledgerDelta(before: PreparedLedger | undefined, after: PreparedLedger | undefined, options: { fast?: boolean } = {}): LedgerDelta {
  if (options.fast !== false && before && after) {
    // The same text on both sides (a commit of documents only) is split once.
    const fast = blockDelta(before.text === after.text ? after : before, after);
    if (fast) return fast;
  }
  return fullDelta(before, after);
}

function blockDelta(before: PreparedLedger, after: PreparedLedger): LedgerDelta | undefined {
  const prev = before.blocks();
  const next = after.blocks();
  if (!prev || !next || !after.headerParses() || !before.headerParses()) return undefined;
  const nextEntries: EntryParse[] = [];
  const prevEntries: EntryParse[] = [];
  for (const block of next.blocks) {
    const old = prev.byKey.get(block.key);
    if (old && old.text === block.text) continue;
    const entry = after.entry(block.key);
    if (!entry) return undefined;
    nextEntries.push(entry);
    if (old) {
      const oldEntry = before.entry(old.key);
      if (!oldEntry) return undefined;
      prevEntries.push(oldEntry);
    }
  }
  for (const block of prev.blocks) {
    if (next.byKey.has(block.key)) continue;
    const entry = before.entry(block.key);
    if (!entry) return undefined;
    prevEntries.push(entry);
  }
  return assemble(prevEntries, nextEntries, [], 'blocks');
}

function fullDelta(before: PreparedLedger | undefined, after: PreparedLedger | undefined): LedgerDelta {
  const prev = before?.full();
  const next = after?.full();
  if (next instanceof LedgerSyntaxError) return { changes: [], after: new Map(), changedEntries: new Map(), blocking: [next.toFinding()], path: 'full' };
  const parentUnreadable = prev instanceof LedgerSyntaxError ? prev.toFinding() : undefined;
  const prevEntries = prev && !(prev instanceof LedgerSyntaxError) ? entriesOf(prev) : [];
  const nextEntries = next ? entriesOf(next) : [];
  const always = next ? next.findings.filter((f) => ALWAYS_BLOCKING.has(f.code)) : [];
  const delta = assemble(prevEntries, nextEntries, always, 'full');
  if (parentUnreadable) delta.parentUnreadable = { ...parentUnreadable, severity: 'warning' };
  return delta;
}

/** Every entry of a fully parsed ledger, with its findings; a duplicate key keeps its first entry, as parseLedger does. */
function entriesOf(parsed: ParsedLedger): EntryParse[] {
  const items = featuresNode(parsed.doc)?.items ?? [];
  // parseLedger keeps the first entry of each id, and only entries that are mappings.
  const featureOf = new Map(parsed.features.map((f) => [idOf(f.id), f]));
  const seen = new Set<string>();
  const out: EntryParse[] = [];
  for (const pair of items) {
    const key = keyText(pair.key);
    if (seen.has(idOf(key))) continue;
    seen.add(idOf(key));
    const feature = featureOf.get(idOf(key));
    out.push({
      key,
      feature,
      findings: parsed.findings.filter((f) => f.feature === key && !ALWAYS_BLOCKING.has(f.code)),
      data: JSON.stringify(pair.value ?? null),
    });
  }
  return out;
}

function assemble(prevEntries: EntryParse[], nextEntries: EntryParse[], always: Finding[], path: LedgerDelta['path']): LedgerDelta {
  const prevData = new Map(prevEntries.map((e) => [idOf(e.key), e.data]));
  const changed = nextEntries.filter((e) => prevData.get(idOf(e.key)) !== e.data);
  const features = (entries: EntryParse[]) => entries.flatMap((e) => (e.feature ? [e.feature] : []));
  const changes = diffLedgers(features(prevEntries), features(nextEntries));
  const after = new Map<string, LedgerFeature>();
  for (const e of nextEntries) if (e.feature && changes.some((c) => c.kind !== 'removed' && c.id === idOf(e.key))) after.set(idOf(e.key), e.feature);
  const changedEntries = new Map<string, LedgerFeature>();
  for (const e of changed) if (e.feature) changedEntries.set(idOf(e.key), e.feature);
  const blocking = [...always, ...changed.flatMap((e) => e.findings.filter((f) => BLOCKING_IN_CHANGED.has(f.code)))];
  return { changes, after, changedEntries, blocking, path };
}
