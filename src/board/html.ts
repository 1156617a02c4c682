import { printable } from '../core/printable.js';

/**
 * HTML built so that text from the repository cannot become markup: every value interpolated
 * into `html\`…\`` is escaped (control characters and bidi overrides made visible first, as on
 * the terminal), unless it is already an `Html` built the same way. Nothing else makes an `Html`
 * but `trusted`, for the board's own constants.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Html | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function escapeText(s: string): string {
  return printable(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return (v as readonly Part[]).map(render).join('');
  return escapeText(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** The board's own constant markup (never repository text). */
export function trusted(text: string): Html {
  return new Html(text);
}

/** A path segment or fragment for an id: percent-encoded, then escaped where it is written. */
export function idSegment(id: string): string {
  return encodeURIComponent(id);
}
