import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Reads git objects through ONE long-lived `git cat-file --batch-command --follow-symlinks`
 * process: a walk over a thousand commits asks it for thousands of blobs without starting a
 * process per blob. Requests are pipelined; answers come back in order.
 *
 * `<rev>:<path>` names a blob in a commit's tree; `:<path>` names it in the index — the one in
 * `GIT_INDEX_FILE` when git set it for a hook, so a pre-commit reads exactly what is being
 * committed. Symlinks inside a tree are followed; one that leaves the tree is reported, never
 * followed (`--follow-symlinks` does not apply to index paths: see `index-reader.ts`).
 */
export type ObjectAnswer =
  | { kind: 'object'; oid: string; type: string; size: number; bytes?: Buffer }
  | { kind: 'missing' }
  /** A symlink that points outside the tree, dangles, loops or runs through a non-directory. */
  | { kind: 'link'; why: 'outside' | 'dangling' | 'loop' | 'notdir' };

interface Pending {
  command: 'info' | 'contents';
  spec: string;
  resolve: (a: ObjectAnswer) => void;
  reject: (e: Error) => void;
}

const LINK_ANSWERS: Record<string, 'outside' | 'dangling' | 'loop' | 'notdir'> = { symlink: 'outside', dangling: 'dangling', loop: 'loop', notdir: 'notdir' };

export class GitObjects {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private buffer = Buffer.alloc(0);
  /** Chunks not yet joined into `buffer`, and how many bytes `buffer` must hold before parsing can go on. */
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private need = 0;
  private failure: Error | undefined;
  private stderr = '';

  constructor(cwd: string, env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn('git', ['cat-file', '--batch-command', '--follow-symlinks'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child.on('error', (e) => this.fail(new Error(`cannot run git: ${e.message}`)));
    this.child.on('close', (code) => {
      if (!this.queue.length) return;
      const old = /batch-command|unknown option/.test(this.stderr) ? ' (specflow needs git 2.36 or newer)' : '';
      this.fail(new Error(`git cat-file stopped (exit ${code ?? 'signal'}): ${this.stderr.trim()}${old}`));
    });
    // A closed pipe surfaces through 'close'; without a listener it would crash the process.
    this.child.stdin.on('error', () => undefined);
  }

  /** Type and size (no content). */
  info(spec: string): Promise<ObjectAnswer> {
    return this.ask('info', spec);
  }

  /** Type, size and content. */
  contents(spec: string): Promise<ObjectAnswer> {
    return this.ask('contents', spec);
  }

  /** The bytes of a blob, or undefined when there is none at `spec`. */
  async blob(spec: string): Promise<Buffer | undefined> {
    const a = await this.contents(spec);
    return a.kind === 'object' && a.type === 'blob' ? a.bytes : undefined;
  }

  /** The blob's text, or undefined when there is none. */
  async text(spec: string): Promise<string | undefined> {
    return (await this.blob(spec))?.toString('utf8');
  }

  /** The object id `spec` names, or undefined when it names nothing. */
  async oid(spec: string): Promise<string | undefined> {
    const a = await this.info(spec);
    return a.kind === 'object' ? a.oid : undefined;
  }

  close(): void {
    this.child.stdin.end();
  }

  private ask(command: 'info' | 'contents', spec: string): Promise<ObjectAnswer> {
    if (/[\n\r]/.test(spec)) return Promise.resolve({ kind: 'missing' });
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ command, spec, resolve, reject });
      this.child.stdin.write(`${command} ${spec}\n`);
    });
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const p of this.queue.splice(0)) p.reject(e);
  }

  private receive(chunk: Buffer): void {
    // Join chunks only once a whole answer is there: a large blob arrives in many chunks.
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    if (this.buffer.length + this.chunkBytes < this.need) return;
    this.buffer = Buffer.concat([this.buffer, ...this.chunks.splice(0)]);
    this.chunkBytes = 0;
    this.need = 0;
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const eol = this.buffer.indexOf(10);
      if (eol < 0) return;
      const header = this.buffer.subarray(0, eol).toString('utf8');
      if (header === `${head.spec} missing` || header === `${head.spec} ambiguous`) {
        this.settle(eol + 1, { kind: 'missing' });
        continue;
      }
      const parts = header.split(' ');
      const link = LINK_ANSWERS[parts[0] ?? ''];
      const size = Number(parts[parts.length - 1]);
      if (link !== undefined || head.command === 'contents') {
        // A payload of `size` bytes and a newline follows.
        if (this.buffer.length < eol + 1 + size + 1) {
          this.need = eol + 1 + size + 1;
          return;
        }
        const bytes = Buffer.from(this.buffer.subarray(eol + 1, eol + 1 + size));
        const answer: ObjectAnswer = link !== undefined ? { kind: 'link', why: link } : { kind: 'object', oid: parts[0]!, type: parts[1]!, size, bytes };
        this.settle(eol + 1 + size + 1, answer);
        continue;
      }
      this.settle(eol + 1, { kind: 'object', oid: parts[0]!, type: parts[1]!, size });
    }
  }

  private settle(consumed: number, answer: ObjectAnswer): void {
    this.buffer = this.buffer.subarray(consumed);
    this.queue.shift()!.resolve(answer);
  }
}
