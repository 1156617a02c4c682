/**
 * How many terminal columns a string takes: East Asian wide and fullwidth characters (CJK,
 * Hangul, fullwidth forms, most emoji) take two, combining marks and zero-width characters
 * none, everything else one. Pure; used to align text tables.
 */
const ZERO_WIDTH = /^(?:\p{Mn}|\p{Me}|[\u200B-\u200F\u2060]|[\uFE00-\uFE0F])$/u;
const EMOJI = /\p{Extended_Pictographic}/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (ZERO_WIDTH.test(ch)) continue;
    const cp = ch.codePointAt(0)!;
    w += isWide(cp) || (cp > 0x2000 && EMOJI.test(ch) && cp >= 0x1f000) ? 2 : 1;
  }
  return w;
}
