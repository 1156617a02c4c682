import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PackWriter, writeTree } from '../../scripts/bench/pack.mjs';
import { cleanupTempDirs, makeRepo, type TestRepo } from '../helpers/repo.js';

/**
 * The bench's hand-written packfile writer, checked by real git: the pack it writes must pass
 * `git index-pack` and `git verify-pack`, hold delta objects where it wrote deltas, and give back
 * every object byte for byte; the repository it builds must pass `git fsck --strict`.
 */
afterAll(cleanupTempDirs);

/** Text of `size` bytes that differs from line to line, so copies and inserts are told apart. */
const text = (size: number, seed: string) => {
  const lines: string[] = [];
  for (let i = 0, n = 0; n < size; i++) {
    const line = `${seed} line ${i} ${'x'.repeat(i % 50)}\n`;
    lines.push(line);
    n += line.length;
  }
  return Buffer.from(lines.join('').slice(0, size));
};

const hashObject = (repo: TestRepo, data: Buffer) => repo.git(['hash-object', '--stdin'], { input: data.toString('latin1') }).stdout.trim();

describe('PackWriter', () => {
  it('writes a pack that git indexes, verifies and reads back, deltas included', () => {
    const repo = makeRepo();
    const pack = new PackWriter();

    // Blobs: small, and larger than one stored deflate block (64 KiB).
    const big = text(200_000, 'big');
    const blobs = [Buffer.from('hello\n'), Buffer.from('#\n'), big];
    const blobIds = blobs.map((b) => pack.blob(b));

    // Deltas: a change in the middle of the big blob (copy offsets past 64 KiB, an insert longer
    // than one 127-byte chunk), a shorter target, a target sharing no prefix or suffix, and an
    // empty one (a delta too short for git, so the writer stores the blob whole).
    const middle = Buffer.concat([big.subarray(0, 150_000), text(1_000, 'inserted'), big.subarray(150_300)]);
    const shorter = big.subarray(0, 90_000);
    const unrelated = text(300, 'other');
    const deltas = [
      { base: big, baseOid: blobIds[2]!, target: middle },
      { base: big, baseOid: blobIds[2]!, target: shorter },
      { base: blobs[0]!, baseOid: blobIds[0]!, target: unrelated },
      { base: blobs[1]!, baseOid: blobIds[1]!, target: Buffer.from(''), whole: true },
    ];
    const deltaIds = deltas.map((d) => pack.blobDelta(d.baseOid, d.base, d.target));

    // A tree where git's order matters: `a.txt` sorts before the folder `a` (compared as `a/`).
    const tree = writeTree(pack, {
      'a.txt': 'file beside the folder\n',
      a: { 'b.md': middle, c: { 'deep.txt': 'deep\n' } },
      // Content already in the pack is written once (git refuses an object twice beside deltas).
      'hello.txt': blobs[0]!,
      existing: { mode: '100644', oid: deltaIds[3]! },
    });
    const first = pack.commit({ tree, message: 'First\n', time: 1764000000 });
    const second = pack.commit({ tree, parents: [first], message: 'Second\n\nBody line.\n', time: 1764000060 });
    pack.store(repo.dir, repo.env);

    const packDir = join(repo.dir, '.git', 'objects', 'pack');
    const idx = readdirSync(packDir).filter((f) => f.endsWith('.idx'));
    expect(idx).toHaveLength(1);
    const verified = repo.git(['verify-pack', '-v', join(packDir, idx[0]!)]).stdout;
    // Every delta the writer wrote is a delta in the pack (depth 1 on its base).
    const asDelta = deltas.filter((d) => !d.whole).length;
    expect(verified).toMatch(new RegExp(`chain length = 1: ${asDelta} objects\n`));
    for (const [i, oid] of deltaIds.entries()) {
      const line = new RegExp(`^${oid} blob +\\d+ \\d+ \\d+ 1 ${deltas[i]!.baseOid}$`, 'm');
      if (deltas[i]!.whole) expect(verified).not.toMatch(line);
      else expect(verified).toMatch(line);
    }

    // Objects read back as written, under the ids git itself gives them.
    for (const [i, data] of [...blobs, ...deltas.map((d) => d.target)].entries()) {
      const oid = [...blobIds, ...deltaIds][i]!;
      expect(oid).toBe(hashObject(repo, data));
      expect(repo.git(['cat-file', '-t', oid]).stdout.trim()).toBe('blob');
      expect(repo.git(['cat-file', '-s', oid]).stdout.trim()).toBe(String(data.length));
      expect(Buffer.from(repo.git(['cat-file', 'blob', oid]).stdout, 'utf8').equals(data)).toBe(true);
    }
    repo.git(['update-ref', 'refs/heads/main', second]);
    expect(repo.git(['ls-tree', '-r', '--name-only', 'main']).stdout.split('\n').filter(Boolean)).toEqual(['a.txt', 'a/b.md', 'a/c/deep.txt', 'existing', 'hello.txt']);
    expect(repo.git(['show', 'main:a/c/deep.txt']).stdout).toBe('deep\n');
    expect(repo.git(['log', '--format=%H %P %an <%ae> %at %s', 'main']).stdout).toBe(
      `${second} ${first} Bench <bench@example.com> 1764000060 Second\n${first}  Bench <bench@example.com> 1764000000 First\n`,
    );
    const fsck = repo.git(['fsck', '--full', '--strict', '--no-dangling']);
    expect(fsck.stderr).toBe('');
  });

  it('fails loudly when git refuses the pack', () => {
    const repo = makeRepo();
    const pack = new PackWriter();
    // A delta against a base the pack does not hold: git cannot resolve it.
    pack.blobDelta('0'.repeat(40), Buffer.from('base\n'), Buffer.from('target\n'));
    expect(() => pack.store(repo.dir, repo.env)).toThrow();
  });
});
