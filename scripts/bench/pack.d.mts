// The types of pack.mjs, for its TypeScript callers (the tests) and its JavaScript ones alike.
/** A tree entry: `mode` is git's ('100644', '100755', '40000', '120000', '160000'). */
export interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

/** name → blob text | an existing object | a nested tree. */
export interface TreeNode {
  [name: string]: string | Buffer | { mode: string; oid: string } | TreeNode;
}

export function delta(base: Buffer, target: Buffer): Buffer;

export class PackWriter {
  parts: Buffer[];
  count: number;
  written: Set<string>;
  add(type: 'commit' | 'tree' | 'blob', data: Buffer): string;
  blob(data: string | Buffer): string;
  blobDelta(baseOid: string, base: Buffer, data: Buffer): string;
  tree(entries: TreeEntry[]): string;
  commit(commit: { tree: string; parents?: string[]; message: string; time: number }): string;
  store(dir: string, env?: NodeJS.ProcessEnv): void;
}

export function writeTree(pack: PackWriter, node: TreeNode): string;
