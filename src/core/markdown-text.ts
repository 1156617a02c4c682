import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { OPAQUE } from './placeholders.js';

/**
 * The parser behind the markdown walk (see markdown.ts), and the text of its inline tokens.
 *
 * markdown-it parses block structure for the whole document, but inline markup only on
 * demand: most prose holds no link, image or code span, and its source is all the walk needs,
 * which saves over half of a full parse. Inline tokens are parsed (once, in place) when their
 * text has a `[`, `<` or backtick, and for headings, whose text is shown to users.
 */
const md = new MarkdownIt({ html: false });
md.core.ruler.disable(['inline', 'text_join']);

/** What markdown-it's block parse collects for the inline parse (link reference definitions). */
export type ParseEnv = Record<string, unknown>;

export function parseBlocks(src: string, env: ParseEnv): Token[] {
  return md.parse(src, env);
}

function children(inline: Token, env: ParseEnv): Token[] {
  const list = (inline.children ??= []);
  if (list.length === 0 && inline.content !== '') md.inline.parse(inline.content, md, env, list);
  return list;
}

const CRLF = /\r\n?/g;
const FRONT_MATTER_OPEN = /^---[ \t]*\n/;
const FRONT_MATTER_CLOSE = /\n(?:---|\.\.\.)[ \t]*(?=\n|$)/g;
const NOT_NEWLINE = /[^\n]/g;

/** BOM and CRLF accepted; YAML front matter replaced by empty lines so that line numbers stay those of the file. */
export function prepare(text: string): string {
  let src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (src.includes('\r')) src = src.replace(CRLF, '\n');
  if (FRONT_MATTER_OPEN.test(src)) {
    FRONT_MATTER_CLOSE.lastIndex = 3;
    const close = FRONT_MATTER_CLOSE.exec(src);
    if (close) {
      const end = close.index + close[0].length;
      src = src.slice(0, end).replace(NOT_NEWLINE, '') + src.slice(end);
    }
  }
  return src;
}

/**
 * Visible text of an inline token for scanning: code spans, links and images become
 * {@link OPAQUE}; line breaks stay newlines, so offsets map to lines.
 */
export function scannable(inline: Token, env: ParseEnv): string {
  const source = inline.content;
  // Without `[`, `<` or a backtick there can be no link, image or code span: the source will do
  // (emphasis markers and escapes left in it are neither letters nor placeholders).
  if (!source.includes('[') && !source.includes('<') && !source.includes('`')) return source;
  let s = '';
  let inLink = 0;
  for (const c of children(inline, env)) {
    switch (c.type) {
      case 'text':
      case 'text_special':
        if (inLink === 0) s += c.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        s += '\n';
        break;
      case 'code_inline':
      case 'image':
        if (inLink === 0) s += OPAQUE;
        break;
      case 'link_open':
        if (inLink++ === 0) s += OPAQUE;
        break;
      case 'link_close':
        inLink--;
        break;
    }
  }
  return s;
}

/** Readable text of an inline token: everything a reader sees, markup removed. */
export function readable(inline: Token, env: ParseEnv): string {
  let s = '';
  for (const c of children(inline, env)) {
    if (c.type === 'text' || c.type === 'text_special' || c.type === 'code_inline' || c.type === 'image') s += c.content;
    else if (c.type === 'softbreak' || c.type === 'hardbreak') s += ' ';
  }
  return s.trim();
}
