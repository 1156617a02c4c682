/**
 * A cheap line scanner that cuts a ledger's text into its header and one text block per
 * feature, without parsing YAML. Comparing two ledgers block by block lets a hook parse only
 * the few entries that changed: a full YAML parse of a 1,000-feature ledger costs far more than
 * the whole hook may.
 *
 * The scanner is deliberately strict. It answers `undefined` ("cannot split safely") for
 * anything it does not fully understand — flow style, anchors and aliases, tabs or odd
 * indentation, top-level keys after `features`, document markers, CRLF, conflict markers,
 * duplicate ids — and callers then parse the whole text. Correctness never depends on it.
 */
import { canonicalId } from './feature-id.js';

export interface LedgerBlock {
  /** The key as written (quotes removed). */
  key: string;
  /** The block's lines, from its key line up to the next key line (comments and blank lines included). */
  text: string;
  /** 1-based line of the key line in the whole text. */
  line: number;
}

export interface LedgerBlocks {
  /** Everything before the `features:` line (comments, `version`, other top-level keys). */
  header: string;
  /** Comments and blank lines between `features:` and the first feature. */
  preamble: string;
  blocks: LedgerBlock[];
  byKey: Map<string, LedgerBlock>;
}

const FEATURES_LINE = /^features:[ \t]*(#.*)?$/;
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/m;
/** An anchor or alias at a place where a YAML node may start; false positives only cost speed. */
const ANCHOR_OR_ALIAS = /(?:^[ \t]*|[:-][ \t]+|[[{,][ \t]*)[&*][^\s,[\]{}]/m;
const PLAIN_KEY = /^([A-Za-z0-9][A-Za-z0-9_.-]*)[ \t]*:(?:[ \t]|$)/;
const DOUBLE_QUOTED_KEY = /^"([^"\\]*)"[ \t]*:(?:[ \t]|$)/;
const SINGLE_QUOTED_KEY = /^'([^']*)'[ \t]*:(?:[ \t]|$)/;

function keyOf(rest: string): string | undefined {
  const m = PLAIN_KEY.exec(rest) ?? DOUBLE_QUOTED_KEY.exec(rest) ?? SINGLE_QUOTED_KEY.exec(rest);
  return m?.[1];
}

const isBlankOrComment = (line: string) => /^[ ]*(#.*)?$/.test(line);
const indentOf = (line: string) => line.length - line.trimStart().length;

/** Splits ledger text into header and feature blocks, or `undefined` when that is not safe. */
export function splitLedger(raw: string): LedgerBlocks | undefined {
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  if (text.includes('\r') || text.includes('\t') || CONFLICT_MARKER.test(text) || ANCHOR_OR_ALIAS.test(text)) return undefined;
  const lines = text.split('\n');
  // A trailing newline leaves one empty string behind; it belongs to no block.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  let featuresAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^(---|\.\.\.|%)/.test(line)) return undefined;
    if (line === '' || line.startsWith(' ') || line.startsWith('#')) continue;
    if (FEATURES_LINE.test(line)) {
      featuresAt = i;
      break;
    }
  }
  if (featuresAt < 0) return undefined;

  const blocks: LedgerBlock[] = [];
  const byKey = new Map<string, LedgerBlock>();
  const canonical = new Set<string>();
  const preamble: string[] = [];
  let current: { key: string; line: number; lines: string[] } | undefined;
  let indent = -1;
  const close = () => {
    if (!current) return;
    const block = { key: current.key, line: current.line, text: `${current.lines.join('\n')}\n` };
    blocks.push(block);
    byKey.set(block.key, block);
  };

  for (let i = featuresAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^(---|\.\.\.)/.test(line)) return undefined;
    if (isBlankOrComment(line)) {
      (current ? current.lines : preamble).push(line);
      continue;
    }
    const n = indentOf(line);
    if (n === 0) return undefined; // a top-level key after `features:`
    if (indent < 0) indent = n;
    if (n < indent) return undefined;
    if (n > indent) {
      if (!current) return undefined;
      current.lines.push(line);
      continue;
    }
    const key = keyOf(line.slice(n));
    if (key === undefined) return undefined; // a sequence item, a complex key, a continued scalar…
    const id = canonicalId(key) ?? key;
    if (canonical.has(id)) return undefined; // duplicates: let the full parse report them
    canonical.add(id);
    close();
    current = { key, line: i + 1, lines: [line] };
  }
  close();
  const header = lines.slice(0, featuresAt).join('\n');
  return { header: header === '' ? '' : `${header}\n`, preamble: preamble.length ? `${preamble.join('\n')}\n` : '', blocks, byKey };
}
