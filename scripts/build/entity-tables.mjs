// markdown-it decodes HTML entities with the `entities` package, whose decode tables are built
// when the module loads as `new Uint16Array("<15,000 characters>".split("").map(charCodeAt))`:
// an array of one-character strings and an array of numbers on the way, which costs a hook a
// good part of its start-up. This plugin builds the same Uint16Array from the same string in one
// step, and checks at build time that the result is identical; if the package's source is not
// the shape it expects, or the tables differ, the file is bundled unchanged.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const TABLE = /new Uint16Array\(\s*(?:\/\/[^\n]*\n\s*)?("(?:[^"\\]|\\.)*")\s*\.split\(""\)\s*\.map\(\(c\) => c\.charCodeAt\(0\)\)\)/;

/** The helper as it goes into the bundle; also run here to check the result. */
function utf16(s) {
  // UTF-16LE bytes are the code units themselves on a little-endian machine (all Node targets but s390x).
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    const b = Buffer.from(s, 'utf16le');
    return new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }
  const a = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
  return a;
}

const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

export const entityTables = {
  name: 'entity-tables',
  setup(build) {
    // markdown-it imports only decoders from `entities`; its index also builds the encoding
    // tables when it loads (some 10 ms), which nothing here uses. A missing name fails the build.
    build.onResolve({ filter: /^entities$/ }, async (args) => {
      if (!/[\\/]markdown-it[\\/]/.test(args.importer)) return undefined;
      const resolved = await build.resolve('entities/lib/decode.js', { resolveDir: args.resolveDir, kind: args.kind });
      return resolved.errors.length ? undefined : { path: resolved.path };
    });
    build.onLoad({ filter: /[\\/]entities[\\/]lib[\\/]esm[\\/]generated[\\/]decode-data-\w+\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const m = TABLE.exec(text);
      if (!m) return undefined;
      const original = (await import(pathToFileURL(args.path).href)).default;
      if (!(original instanceof Uint16Array) || !same(original, utf16(new Function(`return ${m[1]};`)()))) return undefined;
      const contents = `${text.slice(0, m.index)}__utf16(${m[1]})${text.slice(m.index + m[0].length)}\n${utf16.toString().replace('function utf16', 'function __utf16')}\n`;
      return { contents, loader: 'js' };
    });
  },
};
