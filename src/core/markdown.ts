import type { Token } from 'markdown-it';
import { parseBlocks, prepare, readable, scannable, type ParseEnv } from './markdown-text.js';
import {
  codeIsReal,
  hasAppliedMark,
  isReal,
  lineAt,
  mayHoldPlaceholder,
  scanPlaceholders,
  stripComments,
  type CommentState,
  type Hit,
} from './placeholders.js';
import { normaliseWords, textMentions, type NameRequirement } from './section-names.js';
import { cellState, checkboxState, isOptionalTask, isStatusHeader, listTaskText, rowTaskText, trailingCheckbox, type TaskItem } from './tasks.js';

/** A checkbox item; `optional` only when set, so outlines stay as small as before for the usual lists. */
function task(source: string, checked: boolean, line: number): TaskItem {
  const t: TaskItem = { text: listTaskText(source), checked, line };
  if (isOptionalTask(source)) t.optional = true;
  return t;
}

export type { TaskItem } from './tasks.js';

/**
 * One pass over a markdown document (markdown-it tokens, never regexes over raw lines), giving
 * what the gates and `status` need. Pure: text in, plain JSON-able data out, so callers may
 * cache outlines by content hash.
 */
export interface MarkdownOutline {
  /** Text of the first level-1 heading (else of the first heading), when that heading has real text. */
  title?: string;
  titleLine?: number;
  /** Real content anywhere outside headings (see {@link OutlineSection.filled}). */
  hasContent: boolean;
  sections: OutlineSection[];
  /** Template placeholders outside code: `[Describe …]`, `<fill in>`, `TODO: …`, `TBD`. */
  placeholders: TextMark[];
  /** `[NEEDS CLARIFICATION …]` markers outside code (not also listed as placeholders). */
  clarifications: TextMark[];
  tasks: TaskItem[];
  /** Lines, list items and table rows that carry an "applied" mark (see {@link appliedLines}). */
  applied: AppliedMark[];
}

export interface OutlineSection {
  level: number;
  text: string;
  /** 1-based line of the heading. */
  line: number;
  /**
   * Last line of the section's body: the line before the next heading of the same or a higher
   * level, or the document's last non-blank line.
   */
  endLine: number;
  /**
   * Whether the body, subsections included, holds real content: text other than whitespace,
   * headings, placeholders and HTML comments; code, links and images count; a table counts
   * only through its body cells (a header row over placeholder rows is still a template). So a
   * parent whose content lives in its subsections is filled.
   */
  filled: boolean;
}

export interface TextMark {
  line: number;
  text: string;
}

export interface AppliedMark {
  line: number;
  /** Source text of the line, list item or table row; normalised only when a gate asks. */
  text: string;
}

interface OpenSection {
  section: OutlineSection;
  named: boolean;
}

interface OpenItem {
  level: number;
  line: number;
  paragraphs: number;
  checked: boolean | undefined;
  marked: boolean;
  /** Source text of the item's own paragraphs (nested lists excluded). */
  sources: string[];
}

interface Cell {
  source: string;
  visible: string;
  masked: string;
}

class Walker {
  private readonly comment: CommentState = { open: false };
  private readonly out: MarkdownOutline;
  private readonly open: OpenSection[] = [];
  private current: OutlineSection | undefined;
  private firstHeading: OpenSection | undefined;
  private firstH1: OpenSection | undefined;
  private readonly items: OpenItem[] = [];
  private cells: Cell[] = [];
  private rowLine = 0;
  private inHead = false;
  private statusColumn = -1;

  constructor(private readonly env: ParseEnv) {
    this.out = { hasContent: false, sections: [], placeholders: [], clarifications: [], tasks: [], applied: [] };
  }

  private content(): void {
    this.out.hasContent = true;
    if (this.current) this.current.filled = true;
  }

  private close(level: number, endLine: number): void {
    while (this.open.length > 0 && this.open[this.open.length - 1]!.section.level >= level) {
      const done = this.open.pop()!.section;
      done.endLine = endLine;
      const parent = this.open[this.open.length - 1];
      if (done.filled && parent) parent.section.filled = true;
    }
  }

  /** Strips comments and records placeholders; `masked` is `visible` with the placeholders blanked out. */
  private scan(inline: Token, firstLine: number): { visible: string; masked: string; raw: string } {
    const raw = scannable(inline, this.env);
    // Most text has nothing to strip or find: no `<` (comments, `<fill in>`), `[`, TODO or TBD.
    if (!this.comment.open && !mayHoldPlaceholder(raw)) return { visible: raw, masked: raw, raw };
    const visible = stripComments(raw, this.comment);
    const hits: Hit[] = [];
    const masked = scanPlaceholders(visible, hits);
    if (hits.length > 1) hits.sort((a, b) => a.offset - b.offset);
    // One walk over the text for all hits, so a huge paragraph full of placeholders stays linear.
    let line = firstLine;
    let at = 0;
    for (const h of hits) {
      line = lineAt(visible, h.offset, line, at);
      at = h.offset;
      (h.kind === 'clarification' ? this.out.clarifications : this.out.placeholders).push({ line, text: h.text });
    }
    return { visible, masked, raw };
  }

  heading(open: Token, inline: Token): void {
    const line = open.map![0] + 1;
    const { visible, masked, raw } = this.scan(inline, line);
    // A heading wholly inside an HTML comment is no heading.
    if (visible.trim() === '' && raw.trim() !== '') return;
    const level = Number(open.tag.slice(1));
    this.close(level, line - 1);
    const text = readable(inline, this.env);
    const section: OutlineSection = { level, text, line, endLine: line, filled: false };
    const entry = { section, named: isReal(masked) };
    this.out.sections.push(section);
    this.open.push(entry);
    this.current = section;
    this.firstHeading ??= entry;
    if (level === 1) this.firstH1 ??= entry;
    if (hasAppliedMark(masked)) this.out.applied.push({ line, text });
    // `### [x] Task 1.1: …`: some task lists are written as headings with a checkbox.
    const checked = checkboxState(inline.content);
    if (checked !== undefined && visible.startsWith('[')) this.out.tasks.push(task(inline.content, checked, line));
    else {
      const trailing = trailingCheckbox(inline.content);
      if (trailing) this.out.tasks.push({ text: trailing.text, checked: trailing.checked, line });
    }
  }

  inline(inline: Token, inCell: boolean): void {
    if (inCell) {
      const { visible, masked } = this.scan(inline, this.rowLine);
      this.cells.push({ source: inline.content, visible, masked });
      if (!this.inHead && isReal(masked)) this.content();
      return;
    }
    const firstLine = inline.map ? inline.map[0] + 1 : this.rowLine;
    const item = this.items[this.items.length - 1];
    // A paragraph of the item itself (list item → paragraph → inline), not of a nested block.
    const direct = item !== undefined && inline.level === item.level + 2;
    const { visible, masked } = this.scan(inline, firstLine);
    let body = masked;
    if (direct) {
      if (item.paragraphs++ === 0) {
        const checked = checkboxState(inline.content);
        // A checkbox that an open HTML comment blanked out is no task.
        if (checked !== undefined && visible.startsWith('[')) {
          item.checked = checked;
          this.out.tasks.push(task(inline.content, checked, item.line));
          body = `   ${masked.slice(3)}`;
        }
      }
      item.sources.push(inline.content);
      if (hasAppliedMark(masked)) item.marked = true;
    } else if (hasAppliedMark(masked)) {
      // Per line, so that a mark on one line of a paragraph does not apply to another.
      const lines = masked.split('\n');
      const sources = inline.content.split('\n');
      lines.forEach((l, i) => {
        if (hasAppliedMark(l)) this.out.applied.push({ line: firstLine + i, text: sources[i] ?? l });
      });
    }
    if (isReal(body)) this.content();
  }

  code(token: Token): void {
    if (!this.comment.open && codeIsReal(token.content)) this.content();
  }

  openItem(token: Token): void {
    this.items.push({ level: token.level, line: token.map![0] + 1, paragraphs: 0, checked: undefined, marked: false, sources: [] });
  }

  closeItem(): void {
    const item = this.items.pop();
    if (item && (item.marked || item.checked === true) && item.sources.length > 0)
      this.out.applied.push({ line: item.line, text: item.sources.join(' ') });
  }

  openTable(): void {
    this.statusColumn = -1;
  }

  tableHead(head: boolean): void {
    this.inHead = head;
  }

  openRow(token: Token): void {
    this.rowLine = token.map![0] + 1;
    this.cells = [];
  }

  closeRow(): void {
    const cells = this.cells;
    if (this.inHead) {
      this.statusColumn = cells.findIndex((c) => isStatusHeader(c.visible));
      return;
    }
    let column = -1;
    let state = cells[0] ? cellState(cells[0].visible, this.statusColumn === 0) : undefined;
    if (state !== undefined) column = 0;
    else if (this.statusColumn > 0 && cells[this.statusColumn]) {
      state = cellState(cells[this.statusColumn]!.visible, true);
      if (state !== undefined) column = this.statusColumn;
    }
    if (state !== undefined)
      this.out.tasks.push({ text: rowTaskText(cells.map((c) => c.source), column), checked: state, line: this.rowLine });
    const masked = cells.map((c) => c.masked).join(' | ');
    if (hasAppliedMark(masked))
      this.out.applied.push({ line: this.rowLine, text: cells.map((c) => c.source).join(' | ') });
  }

  /** `lastLine`: the last line any block covers. */
  finish(lastLine: number): MarkdownOutline {
    this.close(0, lastLine);
    const title = this.firstH1 ?? this.firstHeading;
    if (title?.named) {
      this.out.title = title.section.text;
      this.out.titleLine = title.section.line;
    }
    return this.out;
  }
}

/** Parses `text` once and returns its outline. */
export function analyseMarkdown(text: string): MarkdownOutline {
  const src = prepare(text);
  const env: ParseEnv = {};
  const tokens = parseBlocks(src, env);
  const w = new Walker(env);
  let lastLine = 0;
  let cellDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.map && t.map[1] > lastLine) lastLine = t.map[1];
    switch (t.type) {
      case 'heading_open': {
        const inline = tokens[i + 1];
        if (inline?.type === 'inline') w.heading(t, inline);
        i += 2;
        break;
      }
      case 'inline':
        w.inline(t, cellDepth > 0);
        break;
      case 'fence':
      case 'code_block':
        w.code(t);
        break;
      case 'list_item_open':
        w.openItem(t);
        break;
      case 'list_item_close':
        w.closeItem();
        break;
      case 'table_open':
        w.openTable();
        break;
      case 'thead_open':
        w.tableHead(true);
        break;
      case 'thead_close':
        w.tableHead(false);
        break;
      case 'tr_open':
        w.openRow(t);
        break;
      case 'tr_close':
        w.closeRow();
        break;
      case 'th_open':
      case 'td_open':
        cellDepth++;
        break;
      case 'th_close':
      case 'td_close':
        cellDepth--;
        break;
    }
  }
  return w.finish(lastLine);
}

/**
 * For each requirement (a principle), the line of the first line, list item or table row that
 * names it (case-insensitively, ignoring punctuation) and carries an "applied" mark; undefined
 * when there is none.
 */
export function appliedLines(outline: MarkdownOutline, reqs: readonly NameRequirement[]): (number | undefined)[] {
  const found: (number | undefined)[] = reqs.map(() => undefined);
  for (const a of outline.applied) {
    const words = normaliseWords(a.text);
    reqs.forEach((req, i) => {
      if (found[i] === undefined && textMentions(words, req)) found[i] = a.line;
    });
  }
  return found;
}
