// Writes git objects as one pack (blobs, trees, commits, and blobs as deltas of an earlier
// version), then lets `git index-pack` check and index it. Creating tens of thousands of loose
// objects one file at a time is what makes `git add` of a large generated tree slow; a pack is
// one file.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

/** @typedef {'commit' | 'tree' | 'blob' | 'ref_delta'} EntryType */
/** @typedef {import('./pack.d.mts').TreeEntry} TreeEntry @typedef {import('./pack.d.mts').TreeNode} TreeNode */

/** @type {Record<EntryType, number>} */
const TYPES = { commit: 1, tree: 2, blob: 3, ref_delta: 7 };

/** @param {number} n @param {number[]} out */
function varint(n, out) {
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
}

/**
 * A zlib stream of stored (uncompressed) deflate blocks. Making a zlib compressor per object is
 * what costs most when writing tens of thousands of small objects; git reads stored blocks
 * like any other.
 * @param {Buffer} data
 */
function zlibStored(data) {
  const blocks = Math.max(1, Math.ceil(data.length / 0xffff));
  const out = Buffer.alloc(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let b = 0; b < blocks; b++) {
    const piece = data.subarray(b * 0xffff, (b + 1) * 0xffff);
    out[at] = b === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(piece.length, at + 1);
    out.writeUInt16LE(~piece.length & 0xffff, at + 3);
    piece.copy(out, at + 5);
    at += 5 + piece.length;
  }
  let a = 1;
  let c = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      c += a;
    }
    a %= 65521;
    c %= 65521;
  }
  out.writeUInt32BE(((c << 16) | a) >>> 0, at);
  return out;
}

/** @param {EntryType} type @param {number} size */
function entryHeader(type, size) {
  const bytes = [(TYPES[type] << 4) | (size & 0x0f)];
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes[bytes.length - 1] |= 0x80;
    bytes.push(rest & 0x7f);
    rest = Math.floor(rest / 128);
  }
  return Buffer.from(bytes);
}

/**
 * A git delta that turns `base` into `target`: copy the common prefix and suffix, insert the middle.
 * @param {Buffer} base @param {Buffer} target
 */
export function delta(base, target) {
  let pre = 0;
  const max = Math.min(base.length, target.length);
  while (pre < max && base[pre] === target[pre]) pre++;
  let suf = 0;
  while (suf < max - pre && base[base.length - 1 - suf] === target[target.length - 1 - suf]) suf++;
  /** @type {number[]} */
  const out = [];
  varint(base.length, out);
  varint(target.length, out);
  /** @param {number} offset @param {number} size */
  const copy = (offset, size) => {
    for (let done = 0; done < size; ) {
      const n = Math.min(size - done, 0xffffff);
      const off = offset + done;
      let op = 0x80;
      /** @type {number[]} */
      const args = [];
      for (let i = 0; i < 4; i++) {
        const byte = (off >>> (8 * i)) & 0xff;
        if (byte) {
          op |= 1 << i;
          args.push(byte);
        }
      }
      for (let i = 0; i < 3; i++) {
        const byte = (n >>> (8 * i)) & 0xff;
        if (byte) {
          op |= 1 << (4 + i);
          args.push(byte);
        }
      }
      out.push(op, ...args);
      done += n;
    }
  };
  if (pre) copy(0, pre);
  const middle = target.subarray(pre, target.length - suf);
  for (let i = 0; i < middle.length; i += 127) {
    const piece = middle.subarray(i, i + 127);
    out.push(piece.length, ...piece);
  }
  if (suf) copy(base.length - suf, suf);
  return Buffer.from(out);
}

export class PackWriter {
  constructor() {
    /** @type {Buffer[]} */
    this.parts = [];
    this.count = 0;
    /** Ids written so far: git refuses a pack that holds an object twice when a delta names it. */
    this.written = new Set();
  }

  /**
   * Adds an object; returns its id (hex).
   * @param {'commit' | 'tree' | 'blob'} type @param {Buffer} data
   */
  add(type, data) {
    const oid = createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex');
    if (this.written.has(oid)) return oid;
    this.written.add(oid);
    this.parts.push(entryHeader(type, data.length), zlibStored(data));
    this.count++;
    return oid;
  }

  /** @param {string | Buffer} data */
  blob(data) {
    return this.add('blob', Buffer.isBuffer(data) ? data : Buffer.from(data));
  }

  /**
   * A blob stored as a delta of `base` (an earlier blob of this pack, given with its id).
   * @param {string} baseOid @param {Buffer} base @param {Buffer} data
   */
  blobDelta(baseOid, base, data) {
    const d = delta(base, data);
    // git refuses deltas under 4 bytes (one to an empty blob from a small base): store it whole.
    if (d.length < 4) return this.blob(data);
    const oid = createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
    if (this.written.has(oid)) return oid;
    this.written.add(oid);
    this.parts.push(entryHeader('ref_delta', d.length), Buffer.from(baseOid, 'hex'), zlibStored(d));
    this.count++;
    return oid;
  }

  /**
   * A tree of `entries`, in git's order.
   * @param {TreeEntry[]} entries
   */
  tree(entries) {
    /** @param {TreeEntry} e */
    const key = (e) => (e.mode === '40000' ? `${e.name}/` : e.name);
    const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return this.add('tree', Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.oid, 'hex')])));
  }

  /**
   * A commit by the bench's fixed author at `time` (seconds since the epoch, UTC).
   * @param {{ tree: string, parents?: string[], message: string, time: number }} commit
   */
  commit({ tree, parents = [], message, time }) {
    const who = `Bench <bench@example.com> ${time} +0000`;
    const text = `tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author ${who}\ncommitter ${who}\n\n${message}`;
    return this.add('commit', Buffer.from(text));
  }

  /**
   * Hands the pack to `git index-pack` in `dir`.
   * @param {string} dir @param {NodeJS.ProcessEnv} [env]
   */
  store(dir, env) {
    const head = Buffer.alloc(12);
    head.write('PACK', 0);
    head.writeUInt32BE(2, 4);
    head.writeUInt32BE(this.count, 8);
    const body = Buffer.concat([head, ...this.parts]);
    const pack = Buffer.concat([body, createHash('sha1').update(body).digest()]);
    this.parts = [];
    this.count = 0;
    this.written.clear();
    execFileSync('git', ['index-pack', '--stdin'], { cwd: dir, env, input: pack, stdio: ['pipe', 'ignore', 'pipe'] });
  }
}

/**
 * A tree (nested objects: name → blob text | an existing object `{ mode, oid }` | nested object)
 * written into the pack; returns its id.
 * @param {PackWriter} pack @param {TreeNode} node @returns {string}
 */
export function writeTree(pack, node) {
  /** @type {TreeEntry[]} */
  const entries = Object.entries(node).map(([name, value]) => {
    if (typeof value === 'string' || Buffer.isBuffer(value)) return { mode: '100644', name, oid: pack.blob(value) };
    if (typeof value.oid === 'string' && typeof value.mode === 'string') return { mode: value.mode, name, oid: value.oid };
    return { mode: '40000', name, oid: writeTree(pack, /** @type {TreeNode} */ (value)) };
  });
  return pack.tree(entries);
}
