/**
 * Text-level rules of DESIGN §2 applied to the visible text of one block (a paragraph, heading,
 * table cell): HTML comments, template placeholders, `[NEEDS CLARIFICATION]` markers, "real
 * content" and "marked applied". Callers hand in text built from markdown-it's inline tokens, in
 * which code spans, links and images are already replaced by {@link OPAQUE}, so nothing inside
 * them is ever taken for a placeholder.
 */

/** Stands for a code span, link or image: real content that can never be (part of) a placeholder. */
export const OPAQUE = '\uE000';

/** HTML comments can span blocks (html is off, so markdown-it leaves `<!--` as text); the caller carries this across blocks. */
export interface CommentState {
  open: boolean;
}

export interface Hit {
  /** Offset in the scanned text. */
  offset: number;
  /** The placeholder as written, whitespace collapsed. */
  text: string;
  kind: 'placeholder' | 'clarification';
}

const NOT_NEWLINE = /[^\n]/g;
const blank = (s: string) => s.replace(NOT_NEWLINE, ' ');

/** Blanks out HTML comments (keeping newlines, so offsets and lines stay put) and updates `state`. */
export function stripComments(text: string, state: CommentState): string {
  if (!state.open && !text.includes('<!--')) return text;
  let out = '';
  let pos = 0;
  while (pos < text.length) {
    if (state.open) {
      const end = text.indexOf('-->', pos);
      if (end === -1) return out + blank(text.slice(pos));
      out += blank(text.slice(pos, end + 3));
      pos = end + 3;
      state.open = false;
    } else {
      const start = text.indexOf('<!--', pos);
      if (start === -1) return out + text.slice(pos);
      out += `${text.slice(pos, start)}    `;
      pos = start + 4;
      state.open = true;
    }
  }
  return out;
}

const CLARIFICATION = /\[\s*NEEDS CLARIFICATION/gi;
/**
 * `[Describe the data model]`, `[...]`. Not links (`[a](b)`, `[a][b]`, `[[wiki]]`), checkboxes
 * (`[ ]`, `[x]`), footnotes (`[^1]`), alerts (`[!NOTE]`), flags (`[--force]`), numbers (`[1]`),
 * indexing or hotkeys glued to a word (`items[i]`, `[y]es`) or literal lists (`[A, B, C]`).
 */
const BRACKETED = /(?<![\p{L}\p{N}_])\[([^[\]\n]*)\](?![([\p{L}\p{N}])/gu;
/** `[A, B, C]`, `[Idle, Working]`: a literal list of single words, not a placeholder. */
const WORD_LIST = /^[^\s,]+(?:,\s*[^\s,]+)+$/;
/** `[P]`, `[US1]`, `[T012]`, `[FR-3]`: task markers and requirement tags (spec-kit's parallel mark, user-story labels). */
const TAG = /^[A-Z]{1,3}(?:-?\d+)?$/;
/**
 * `[AI-evaluated]`, `[auto-generated]`: a status note a tool wrote after real text (SpecFlow's
 * Doctorow Gate writes "Confirmed [AI-evaluated]"), one hyphenated word ending in a past
 * participle. A blank in a template names what to write (`[choice]`, `[Entity 1]`), never that.
 */
const STATUS_NOTE = /^\p{L}[\p{L}\p{N}]*(?:-\p{L}+)*-\p{L}+ed$/u;
/** `[stub] indicator`, `the [WIP] label`: a literal token the text names as such, not a blank. */
const NAMED_TOKEN = /^\s+(?:indicator|marker|tag|label|prefix|suffix|badge|flag|token)s?\b/i;
/** Enough of what follows a bracket for {@link NAMED_TOKEN}. */
const AFTER_WINDOW = 12;
/** `["a", "b c"]`, `['x']`: a quoted (JSON) array written in prose. */
const QUOTED_ARRAY = /^\s*(?:"[^"]*"|'[^']*')(?:\s*,\s*(?:"[^"]*"|'[^']*'))*\s*$/;
/** `[a/b/c]`, `[yes/no]`: an enumeration of choices, not a blank. */
const ENUMERATION = /^[^\s/]+(?:\/[^\s/]+)+$/;
/** `<fill in>`, `<feature name>`, `<...>`; not `Array<T>` (glued to a word) and not HTML tags. */
const ANGLED = /(?<![\p{L}\p{N}_])<([^\s<>][^<>\n]*)>/gu;
/**
 * `TBD` anywhere; `TODO` only as a note (`TODO: …`, `TODO(ann): …`, `TODO - …`) or at the end of
 * a line, so that prose such as "a TODO app" is left alone. Lowercase "todo" is prose. A note
 * runs to the end of its line.
 */
const TODO = /\b(TBD|TODO)\b((?:\([^)\n]*\))?(?:\s*:|\s+[-–—](?=\s))[^\n]*)?/g;
/** Only `.`/`!` and blanks up to the end of the line, read in place (sticky) so that many TODOs stay linear. */
const LINE_END = /[ \t.!]*(?:\n|$)/y;
const LETTER = /\p{L}/u;
const STARTS_WITH_LETTER = /^\p{L}/u;
const ELLIPSIS = /^(?:\.{3}|…)$/;
const CHECKBOX = /^[xX✓✔]?$/;
const TAG_NAME = /^([a-z][a-z0-9]*)(?=[\s/]|$)/i;
const HTML_TAGS = new Set(
  ('a abbr b bdi bdo blockquote br caption center cite code col dd del details dfn div dl dt em figcaption figure font ' +
    'h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li mark ol p picture pre q s samp small source span strike strong ' +
    'sub summary sup table tbody td tfoot th thead tr tt u ul var video wbr')
    .split(' '),
);
/** Cheap first look (native substring search): most text holds nothing a placeholder or comment starts with. */
export function mayHoldPlaceholder(text: string): boolean {
  return text.includes('[') || text.includes('<') || text.includes('TBD') || text.includes('TODO');
}
const WHITESPACE = /\s+/g;
const OPAQUE_ALL = new RegExp(OPAQUE, 'g');

function tidy(s: string): string {
  return s.replace(OPAQUE_ALL, '…').replace(WHITESPACE, ' ').trim();
}

/** SpecFlow's own progress markers (`[PHASE COMPLETE: SPECIFY]`) are written on purpose, not left over. */
const PHASE_MARKER = /^PHASE COMPLETE\b/;
const QUOTE_WINDOW = 300;

/**
 * Is `offset` inside a quoted span on its line ("…", “…”)? A token there is quoted example
 * output (`"No tools depend on <tool>"`), not a blank left in a template.
 */
function insideQuotes(all: string, offset: number): boolean {
  // Quotes are looked for within a window around the token, so that a hostile one-line
  // document full of placeholders stays linear.
  const lineStart = Math.max(all.lastIndexOf('\n', offset - 1) + 1, offset - QUOTE_WINDOW);
  let lineEnd = all.indexOf('\n', offset);
  if (lineEnd === -1 || lineEnd > offset + QUOTE_WINDOW) lineEnd = Math.min(all.length, offset + QUOTE_WINDOW);
  let straight = 0;
  let curly = 0;
  for (let i = lineStart; i < offset; i++) {
    const c = all[i];
    if (c === '"') straight++;
    else if (c === '\u201c') curly++;
    else if (c === '\u201d' && curly > 0) curly--;
  }
  const rest = all.slice(offset, lineEnd);
  return (straight % 2 === 1 && rest.includes('"')) || (curly > 0 && rest.includes('\u201d'));
}

/** Is `offset` inside a parenthesis that opens and closes on its line? */
function insideParentheses(all: string, offset: number): boolean {
  const lineStart = Math.max(all.lastIndexOf('\n', offset - 1) + 1, offset - QUOTE_WINDOW);
  const open = all.lastIndexOf('(', offset);
  if (open < lineStart || all.lastIndexOf(')', offset) > open) return false;
  let lineEnd = all.indexOf('\n', offset);
  if (lineEnd === -1 || lineEnd > offset + QUOTE_WINDOW) lineEnd = Math.min(all.length, offset + QUOTE_WINDOW);
  const close = all.indexOf(')', offset);
  return close !== -1 && close < lineEnd;
}

/** `after`: a few characters of what follows the closing bracket. */
function bracketedIsPlaceholder(inner: string, before: string | undefined, after: string): boolean {
  if (before === '[') return false;
  const t = inner.trim();
  if (PHASE_MARKER.test(t)) return false;
  if (ELLIPSIS.test(t)) return true;
  if (CHECKBOX.test(t)) return false;
  const first = t[0];
  if (first === '^' || first === '!' || first === '-') return false;
  if (TAG.test(t) || STATUS_NOTE.test(t) || QUOTED_ARRAY.test(t) || ENUMERATION.test(t) || NAMED_TOKEN.test(after)) return false;
  return LETTER.test(t) && !WORD_LIST.test(t);
}

function angledIsPlaceholder(inner: string): boolean {
  const t = inner.trim();
  if (ELLIPSIS.test(t)) return true;
  if (!STARTS_WITH_LETTER.test(t) || t.includes('=')) return false;
  const tag = TAG_NAME.exec(t);
  return !(tag && HTML_TAGS.has(tag[1]!.toLowerCase()));
}

/** The end (exclusive) of a clarification marker that starts at `start`: its matching `]`, else the end of its line. */
function markerEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i + 1;
  }
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl;
}

/**
 * Finds placeholders and clarification markers in `text` (comments already stripped) and
 * returns the text with each of them blanked out, for the real-content test.
 */
export function scanPlaceholders(text: string, hits: Hit[]): string {
  if (!mayHoldPlaceholder(text)) return text;
  const quoted = text.includes('"') || text.includes('\u201c');
  let masked = text;
  if (masked.includes('[')) {
    const start = hits.length;
    CLARIFICATION.lastIndex = 0;
    let m: RegExpExecArray | null;
    let marked = '';
    let from = 0;
    while ((m = CLARIFICATION.exec(text)) !== null) {
      const end = markerEnd(text, m.index);
      hits.push({ offset: m.index, text: tidy(text.slice(m.index, end)), kind: 'clarification' });
      marked += text.slice(from, m.index) + blank(text.slice(m.index, end));
      from = end;
      CLARIFICATION.lastIndex = end;
    }
    if (hits.length > start) masked = marked + text.slice(from);
    masked = masked.replace(BRACKETED, (whole: string, inner: string, offset: number, all: string) => {
      const after = all.slice(offset + whole.length, offset + whole.length + AFTER_WINDOW);
      if (!bracketedIsPlaceholder(inner, all[offset - 1], after) || (quoted && insideQuotes(all, offset))) return whole;
      hits.push({ offset, text: tidy(whole), kind: 'placeholder' });
      return blank(whole);
    });
  }
  if (masked.includes('<')) {
    masked = masked.replace(ANGLED, (whole: string, inner: string, offset: number, all: string) => {
      if (!angledIsPlaceholder(inner) || (quoted && insideQuotes(all, offset))) return whole;
      hits.push({ offset, text: tidy(whole), kind: 'placeholder' });
      return blank(whole);
    });
  }
  if (masked.includes('TBD') || masked.includes('TODO')) {
    masked = masked.replace(TODO, (whole: string, word: string, note: string | undefined, offset: number, all: string) => {
      if (word === 'TODO' && note === undefined) {
        LINE_END.lastIndex = offset + whole.length;
        if (!LINE_END.test(all)) return whole;
      }
      // "(owner TBD)", "(dates TBD)": a remark in parentheses about one open detail, not a blank left in a template.
      if (word === 'TBD' && insideParentheses(all, offset)) return whole;
      hits.push({ offset, text: tidy(whole), kind: 'placeholder' });
      return blank(whole);
    });
  }
  return masked;
}

const REAL = /[\p{L}\p{N}\uE000]/u;

/** Whether masked text (comments and placeholders blanked) still holds real content: a letter, a digit, code, a link or an image. */
export function isReal(masked: string): boolean {
  if (isAsciiAlnum(masked.charCodeAt(0))) return true; // the common case, without a Unicode regex
  return REAL.test(masked);
}

/** A mark that says "applied": ✅, ☑, ✓, ✔, `[x]`, `Yes` (any case) or `PASS` (as spec-kit's constitution checks write it). */
const APPLIED = /[✅☑☒✓✔]|\[[xX]\]|\b(?:[Yy][Ee][Ss]|PASS(?:ED)?)\b/;

export function hasAppliedMark(masked: string): boolean {
  return APPLIED.test(masked);
}

/**
 * Whether code (a fenced or indented block) is real content: a letter or digit outside the
 * one-line brackets of a placeholder (`[ASCII diagram of components]`). Stops at the first
 * one, so real code costs next to nothing.
 */
export function codeIsReal(code: string): boolean {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x5b) depth++;
    else if (c === 0x5d) depth = depth > 0 ? depth - 1 : 0;
    else if (c === 0x0a) depth = 0;
    else if (depth === 0 && (isAsciiAlnum(c) || (c > 0x7f && REAL.test(code[i]!)))) return true;
  }
  return false;
}

function isAsciiAlnum(c: number): boolean {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/** 1-based line of `offset` in `text`, counting on from `line`, the line of offset `from`. */
export function lineAt(text: string, offset: number, line: number, from = 0): number {
  let n = line;
  let i = text.indexOf('\n', from);
  while (i !== -1 && i < offset) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}
