// B6's cold baseline: parse every document under a specs folder once with markdown-it, in a
// fresh process, as a gate has to (reading each file, then `md.parse`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';

const specs = process.argv[2];
const md = new MarkdownIt();
let tokens = 0;
for (const folder of readdirSync(specs)) {
  for (const file of readdirSync(join(specs, folder))) {
    if (file.endsWith('.md')) tokens += md.parse(readFileSync(join(specs, folder, file), 'utf8'), {}).length;
  }
}
if (tokens === 0) process.exitCode = 1;
