import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { table } from '../../src/ui/format.js';

/** `status` and the other tables line up in a terminal whatever script the names are written in. */
describe('a text table', () => {
  it('aligns columns by display width: East Asian wide characters take two columns, combining marks none, colour codes none', () => {
    const rows = [
      ['F-1', 'ベクトル設定', 'plan'],
      ['F-2', 'Vector configuration', 'tasks'],
      ['F-3', '\u001b[1m검색\u001b[22m 색인', 'none'],
      ['F-4', 'Cafe\u0301', 'implement'],
    ];
    const lines = table(rows, ['ID', 'NAME', 'PHASE']).split('\n');
    // The third column starts at the same terminal column on every line.
    const starts = lines.map((l) => {
      const phase = /\S+$/.exec(l.trimEnd())![0];
      return stringWidth(l.slice(0, l.lastIndexOf(phase)));
    });
    expect(new Set(starts).size, JSON.stringify({ lines, starts })).toBe(1);
    expect(starts[0]).toBe(3 + 2 + 'Vector configuration'.length + 2);
  });
});
