import { normaliseWords } from './section-names.js';

/**
 * What counts as a task (DESIGN §1, §4): a list item that starts with a checkbox (`- [ ]`,
 * `* [x]`, `1. [X]`, nested or not), a heading that starts or ends with one (`### [X] Task 1.1`,
 * `#### Task 1.1: Parse [X]`), or a
 * table row with a status cell. Code blocks never hold
 * tasks; the markdown walk never looks inside them.
 */
export interface TaskItem {
  /** The item's source text without the checkbox (or the row's other cells joined by ` | `), whitespace collapsed. */
  text: string;
  checked: boolean;
  /** 1-based line of the item or row. */
  line: number;
  /** Marked optional (Kiro's `- [ ]*`): left open on purpose, it does not hold back `complete`. */
  optional?: boolean;
}

/**
 * `[ ]`, `[x]`, `[X]`, `[-]` (Kiro: under way, so not done), each maybe followed by `*` (Kiro:
 * optional) and maybe inside bold (`**[x] Parse the file**`, as some numbered lists write them).
 */
const CHECKBOX = /^(?:\*\*|__)?\[([ xX-])\](\*)?(?=\s|$)/;
const WHITESPACE = /\s+/g;

/** For the source text of a list item's first paragraph: checked, unchecked, or undefined when it is no task. */
export function checkboxState(source: string): boolean | undefined {
  const m = CHECKBOX.exec(source);
  return m ? m[1] === 'x' || m[1] === 'X' : undefined;
}

/** Whether a task's checkbox marks it optional (`- [ ]* …`). */
export function isOptionalTask(source: string): boolean {
  return CHECKBOX.exec(source)?.[2] === '*';
}

const TRAILING_CHECKBOX = /\s\[([ xX])\]\s*$/;

/** `#### Task 1.1: Parse [X]`: a heading that ends with a checkbox is a task too. */
export function trailingCheckbox(source: string): { checked: boolean; text: string } | undefined {
  const m = TRAILING_CHECKBOX.exec(source);
  return m ? { checked: m[1] !== ' ', text: source.slice(0, m.index).trim() } : undefined;
}

export function listTaskText(source: string): string {
  const box = CHECKBOX.exec(source);
  let text = source.slice(box ? box[0].length : 3).trim();
  if (box && (box[0].startsWith('**') || box[0].startsWith('__'))) text = text.replace(/(?:\*\*|__)$/, '').trim();
  return text.includes('\n') ? text.replace(WHITESPACE, ' ') : text;
}

export function rowTaskText(cells: readonly string[], statusColumn: number): string {
  const parts: string[] = [];
  cells.forEach((c, i) => {
    const t = c.replace(WHITESPACE, ' ').trim();
    if (i !== statusColumn && t !== '') parts.push(t);
  });
  return parts.join(' | ');
}

const PENDING_GLYPHS = new Set(['☐', '⬜', '[ ]', '[]']);
const DONE_GLYPHS = new Set(['✅', '☑', '☒', '✔', '✓', '[x]', '[X]']);
/** Words that a status column may use instead of a glyph. Only trusted under a status-like header. */
const PENDING_WORDS = new Set(['pending', 'todo', 'to do', 'open', 'not started', 'in progress', 'wip', 'blocked']);
const DONE_WORDS = new Set(['done', 'complete', 'completed', 'finished']);
const STATUS_HEADERS = new Set(['status', 'state', 'done', 'complete', 'completed', 'progress']);
const VARIATION_SELECTOR = /\uFE0F/g;
const LEADING_GLYPH = /^(☐|⬜|✅|☑|☒|✔|✓|\[[ xX]\])\s/;

function glyphState(glyph: string): boolean | undefined {
  if (PENDING_GLYPHS.has(glyph)) return false;
  if (DONE_GLYPHS.has(glyph)) return true;
  return undefined;
}

/** Whether a table header cell names a status column. */
export function isStatusHeader(text: string): boolean {
  return STATUS_HEADERS.has(normaliseWords(text));
}

/**
 * The state a table cell gives its row: a cell that is only a glyph (☐ ⬜ `[ ]` pending; ✅ ☑ ✔ ✓
 * `[x]` done) always counts; under a status header, `✅ Done`-style cells and plain words
 * (`pending`, `done`, …) count as well.
 */
export function cellState(cell: string, underStatusHeader: boolean): boolean | undefined {
  const t = cell.replace(VARIATION_SELECTOR, '').trim();
  const exact = glyphState(t);
  if (exact !== undefined || !underStatusHeader) return exact;
  const lead = LEADING_GLYPH.exec(t);
  if (lead) return glyphState(lead[1]!);
  const words = t.toLowerCase().replace(WHITESPACE, ' ');
  if (PENDING_WORDS.has(words)) return false;
  if (DONE_WORDS.has(words)) return true;
  return undefined;
}
