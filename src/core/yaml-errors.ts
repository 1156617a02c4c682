/**
 * YAML finds an unclosed `[`, `{` or quote only where the text after it goes wrong, often the
 * next line: point at the line that opened it instead, when one of the few lines above does.
 */
export function openedAt(source: string, line: number, message: string): number | undefined {
  if (!/flow|quot|closing|end with/i.test(message)) return undefined;
  const lines = source.split('\n');
  for (let i = line - 1; i >= Math.max(0, line - 6); i--) {
    const text = (lines[i] ?? '').replace(/#.*$/, '');
    const unbalanced = (open: string, close: string) => text.split(open).length > text.split(close).length;
    if (unbalanced('[', ']') || unbalanced('{', '}') || (text.split('"').length - 1) % 2 === 1) return i + 1;
  }
  return undefined;
}
