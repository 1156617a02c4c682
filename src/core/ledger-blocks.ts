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

const FEATURES_LINE = /^features:[ \t]*(#.*)?$/m;
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/m;
/** An anchor or alias at a place where a YAML node may start; false positives only cost speed. */
const ANCHOR_OR_ALIAS = /(?:^[ \t]*|[:-][ \t]+|[[{,][ \t]*)[&*][^\s,[\]{}]/m;
const DOCUMENT_MARKER = /^(---|\.\.\.|%)/m;
/** The first line with content (not blank, not a comment), capturing its indentation. */
const FIRST_CONTENT = /^( *)[^ \n#]/m;
const KEY = /^(?:([A-Za-z0-9][A-Za-z0-9_.-]*)|"([^"\\\n]*)"|'([^'\n]*)')[ \t]*:(?:[ \t]|$)/;

/**
 * Splits ledger text into header and feature blocks, or `undefined` when that is not safe.
 * Written with whole-text regular expressions rather than a loop over lines: a hook runs it
 * once, cold, over a ledger of thousands of lines.
 */
export function splitLedger(raw: string): LedgerBlocks | undefined {
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  if (text.includes('\r') || text.includes('\t') || CONFLICT_MARKER.test(text) || ANCHOR_OR_ALIAS.test(text) || DOCUMENT_MARKER.test(text)) return undefined;
  // The first top-level content line that is `features:`; any other top-level content before it is header.
  const features = FEATURES_LINE.exec(text);
  if (!features) return undefined;
  const headerEnd = features.index;
  const bodyStart = headerEnd + features[0].length + 1;
  if (bodyStart > text.length) return { header: text.slice(0, headerEnd), preamble: '', blocks: [], byKey: new Map() };
  const body = text.slice(bodyStart);
  const first = FIRST_CONTENT.exec(body);
  if (!first) return { header: text.slice(0, headerEnd), preamble: body, blocks: [], byKey: new Map() };
  const n = first[1]!.length;
  if (n === 0) return undefined; // a top-level key right after `features:`
  // Content less indented than the entries (a top-level key, a stray line) cannot be split safely.
  if (new RegExp(`^ {0,${n - 1}}[^ \n#]`, 'm').test(body)) return undefined;

  const blocks: LedgerBlock[] = [];
  const byKey = new Map<string, LedgerBlock>();
  const canonical = new Set<string>();
  const keyLines = new RegExp(`^ {${n}}(?! |#|$)[^\n]*`, 'gm');
  const starts: { at: number; key: string }[] = [];
  for (let m = keyLines.exec(body); m; m = keyLines.exec(body)) {
    const k = KEY.exec(m[0].slice(n));
    if (!k) return undefined; // a sequence item, a complex key, a continued scalar…
    const key = k[1] ?? k[2] ?? k[3]!;
    const id = canonicalId(key) ?? key;
    if (canonical.has(id)) return undefined; // duplicates: let the full parse report them
    canonical.add(id);
    starts.push({ at: m.index, key });
  }
  let line = countLines(text, 0, bodyStart) + 1;
  let previous = starts[0]!.at;
  line += countLines(body, 0, previous);
  for (let i = 0; i < starts.length; i++) {
    const { at, key } = starts[i]!;
    line += countLines(body, previous, at);
    previous = at;
    const end = starts[i + 1]?.at ?? body.length;
    let blockText = body.slice(at, end);
    if (!blockText.endsWith('\n')) blockText += '\n';
    const block = { key, line, text: blockText };
    blocks.push(block);
    byKey.set(key, block);
  }
  return { header: text.slice(0, headerEnd), preamble: body.slice(0, starts[0]!.at), blocks, byKey };
}

function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
