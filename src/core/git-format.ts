/**
 * Git's own formats, parsed without git: raw diffs (`--raw -z`), tree objects and commit
 * objects. The history walk and the hooks judge what these say — modes and object ids of the
 * paths a commit changes — rather than what a path resolves to, so a symlink can never stand in
 * for a directory or a file.
 */

/** One changed path, as `git diff-index --raw -z` or `git log --raw -z` reports it. */
export interface PathChange {
  path: string;
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  /** A, M, D, T (type change), … */
  status: string;
}

export const TREE_MODE = '40000';
export const REGULAR_MODES: ReadonlySet<string> = new Set(['100644', '100755']);
export const isZeroOid = (oid: string) => /^0+$/.test(oid);

/** The `:old new oid oid status` / path pairs of a raw `-z` listing, starting at `tokens[from]`. */
function rawEntries(tokens: readonly string[], from: number): { changes: PathChange[]; next: number } {
  const changes: PathChange[] = [];
  let i = from;
  while (i < tokens.length) {
    const meta = tokens[i]!.replace(/^\n/, '');
    if (!meta.startsWith(':')) break;
    const [oldMode = '', newMode = '', oldOid = '', newOid = '', status = ''] = meta.slice(1).split(' ');
    const path = tokens[i + 1];
    if (path === undefined) break;
    changes.push({ path, oldMode: oldMode.replace(/^0+(?=\d)/, ''), newMode: newMode.replace(/^0+(?=\d)/, ''), oldOid, newOid, status: status.charAt(0) });
    i += 2;
  }
  return { changes, next: i };
}

/** `git diff-index --cached --raw -z --no-renames` output. */
export function parseRawDiff(text: string): PathChange[] {
  return rawEntries(text.split('\0'), 0).changes;
}

/** The header `git log` prints before each commit with `LOG_FORMAT`. */
export const LOG_MARK = '\x1e';
export const LOG_FORMAT = `${LOG_MARK}%H %P`;

export interface LoggedCommit {
  oid: string;
  parents: string[];
  /** What the commit changes against its first parent (a root commit: against nothing). */
  changes: PathChange[];
}

/**
 * `git log --format=LOG_FORMAT --raw -z --no-renames --diff-merges=first-parent` output. Only
 * ids come through the format: messages, which anyone can write, are read from the commit
 * objects, so no text in a message can shift this parse.
 */
export function parseLog(text: string): LoggedCommit[] {
  const tokens = text.split('\0');
  const out: LoggedCommit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const header = tokens[i]!.replace(/^\n/, '');
    i++;
    if (!header.startsWith(LOG_MARK)) continue;
    const [oid = '', ...parents] = header.slice(LOG_MARK.length).trim().split(' ');
    const { changes, next } = rawEntries(tokens, i);
    i = next;
    out.push({ oid, parents: parents.filter(Boolean), changes });
  }
  return out;
}

export interface TreeEntry {
  mode: string;
  oid: string;
}

/** A tree object's entries by name (`git cat-file tree`: `<mode> <name>\0<raw id>` repeated). */
export function parseTree(bytes: Uint8Array, oidBytes: number): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  const decoder = new TextDecoder();
  let i = 0;
  while (i < bytes.length) {
    const space = bytes.indexOf(0x20, i);
    const nul = bytes.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 1 + oidBytes > bytes.length) break;
    // Git writes `40000`; some writers pad it to `040000` (fsck only warns): one spelling here.
    const mode = decoder.decode(bytes.subarray(i, space)).replace(/^0+(?=\d)/, '');
    const name = decoder.decode(bytes.subarray(space + 1, nul));
    const oid = Array.from(bytes.subarray(nul + 1, nul + 1 + oidBytes), (b) => b.toString(16).padStart(2, '0')).join('');
    entries.set(name, { mode, oid });
    i = nul + 1 + oidBytes;
  }
  return entries;
}

export interface CommitObject {
  tree: string;
  parents: string[];
  author: string;
  email: string;
  /** Author date, ISO 8601 in the author's own offset, as `git log --format=%aI` prints it. */
  date: string;
  subject: string;
  message: string;
}

/** A commit object's headers and message. */
export function parseCommit(text: string): CommitObject {
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  const c: CommitObject = { tree: '', parents: [], author: '', email: '', date: '', subject: '', message };
  for (const line of head.split('\n')) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') c.tree = value;
    else if (key === 'parent') c.parents.push(value);
    else if (key === 'author') {
      const m = /^(.*?) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(value);
      if (m) {
        c.author = m[1]!;
        c.email = m[2]!;
        c.date = isoDate(Number(m[3]), m[4]!);
      }
    }
  }
  c.subject = message.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return c;
}

/** Seconds since the epoch and a `+hhmm` offset, as `2026-11-24T10:00:00+01:00`. */
function isoDate(seconds: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const local = new Date((seconds + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${offset.slice(0, 3)}:${offset.slice(3, 5)}`;
}

/**
 * The values of a trailer in a message's last paragraph (git's trailer block), e.g. every
 * `Specflow-Phase: F-12 specify -> plan`. Folded continuation lines are joined.
 */
export function trailerValues(message: string, key: string): string[] {
  const paragraphs = message.replace(/\s+$/, '').split(/\n[ \t]*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1]! : '';
  const values: string[] = [];
  const lower = `${key.toLowerCase()}:`;
  for (const line of last.split('\n')) {
    if (/^[ \t]/.test(line) && values.length) values[values.length - 1] += ` ${line.trim()}`;
    else if (line.toLowerCase().startsWith(lower)) values.push(line.slice(lower.length).trim());
  }
  return values;
}
