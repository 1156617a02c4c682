/**
 * A ledger writer for the crash and concurrency tests, bundled from the real sources (the same
 * `updateLedger` every CLI command and the daemon use). It owns one feature and keeps rewriting
 * that feature's `description` as `rev <n>`, one increment per locked update, printing `<n>` on
 * stdout once each write has returned. It checks under the lock that it reads back exactly what
 * it wrote last: anything else means another writer overwrote the ledger with stale content (a
 * lost update), and it exits 99 saying so.
 *
 * Between two writes it pauses for a few milliseconds, as real writers do, so that writers
 * waiting for the lock get their turn.
 *
 * With `--standby` it loads everything, then waits for a line on stdin before its first write,
 * so a test can start it ahead of time and set it going at once.
 *
 *   node ledger-writer.js <repo> <feature id> [count] [--standby]
 */
import { readSync } from 'node:fs';
import { isMap } from 'yaml';
import { updateFeature } from '../../../src/core/ledger.js';
import { SpecflowError } from '../../../src/core/errors.js';
import { updateLedger } from '../../../src/store/ledger-store.js';

const standby = process.argv.includes('--standby');
const [root, id, countArg] = process.argv.slice(2).filter((a) => a !== '--standby');
if (!root || !id) {
  process.stderr.write('usage: ledger-writer <repo> <feature id> [count]\n');
  process.exit(2);
}
const count = countArg === undefined ? Number.POSITIVE_INFINITY : Number(countArg);
if (standby) waitForGo();

function waitForGo(): void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      if (readSync(0, Buffer.alloc(1)) > 0) return;
      process.exit(0); // the test ended without setting it going
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(nap, 0, 0, 2);
    }
  }
}

function revisionOf(description: unknown): number {
  const m = /^rev (\d+)$/.exec(typeof description === 'string' ? description : '');
  if (!m) throw new Error(`unexpected description ${JSON.stringify(description)}`);
  return Number(m[1]);
}

const pause = new Int32Array(new SharedArrayBuffer(4));
let last: number | undefined;
for (let i = 0; i < count; i++) {
  let written: number;
  try {
    written = updateLedger(root, (_parsed, doc) => {
      const entry = doc.getIn(['features', id], true);
      if (!isMap(entry)) throw new Error(`no feature ${id}`);
      const now = revisionOf(entry.get('description'));
      if (last !== undefined && now !== last) {
        process.stderr.write(`LOST: ${id} read rev ${now} under the lock, but this writer wrote rev ${last}\n`);
        process.exit(99);
      }
      updateFeature(doc, id, { description: `rev ${now + 1}` });
      return now + 1;
    }).result;
  } catch (e) {
    if (e instanceof SpecflowError) {
      process.stderr.write(`exit ${e.exitCode}: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  }
  last = written;
  process.stdout.write(`${written}\n`);
  Atomics.wait(pause, 0, 0, 2 + Math.random() * 6);
}
