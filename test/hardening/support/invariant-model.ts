import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { DONE_TASKS, GOOD_SPEC, GOOD_TASKS, goodPlan } from '../../helpers/docs.js';
import { CLI, LEDGER, makeRepo, SPECS, tempDir, type RunResult } from '../../helpers/repo.js';
import { installTool } from './hostile.js';

/**
 * The model behind the invariant property (DESIGN §5, "What no sequence of commits may do"):
 * a catalogue of moves, each a real git or CLI operation on a real repository with the real
 * hooks installed, and an oracle that judges every commit of `origin/main..HEAD` without the
 * implementation's git code: it checks each commit out with `git archive`, decides the gates in
 * force itself, puts that config into the checkout and asks the real `specflow validate` about
 * the working-tree documents there.
 */

export const PHASE_LIST = ['none', 'specify', 'plan', 'tasks', 'implement', 'complete'] as const;
export type PhaseName = (typeof PHASE_LIST)[number];
const rank = (p: string) => PHASE_LIST.indexOf(p as PhaseName);

export type Fid = 1 | 2;
export const FOLDERS: Record<Fid, string> = { 1: `${SPECS}/f-1-vector-configuration`, 2: `${SPECS}/f-2-search-index` };
const NAMES: Record<Fid, string> = { 1: 'Vector Configuration', 2: 'Search Index' };

// ---------------------------------------------------------------------------------------------
// The catalogue

/** `verify` is SpecFlow's verification record, which completes a feature when it records a pass. */
export type DocName = 'spec' | 'plan' | 'tasks' | 'verify';
/** `alt` is the doc's own near miss: a spec with a title only, a plan missing a section, tasks all checked, a failed verification. */
export type Content = 'good' | 'alt' | 'empty' | 'todo' | 'clarify' | 'delete';
export type ConfigChange = 'break' | 'schema' | 'no-sections' | 'no-approval' | 'regression-off' | 'regression-warn' | 'default';

export type Edit =
  | { k: 'advance'; f: Fid; via: 'text' | 'cli' }
  | { k: 'doc'; f: Fid; doc: DocName; content: Content }
  | { k: 'phase'; f: Fid; to: PhaseName; via: 'text' | 'cli' }
  | { k: 'approve'; f: Fid; on: boolean }
  | { k: 'skip'; f: Fid; on: boolean }
  | { k: 'config'; change: ConfigChange }
  | { k: 'rename'; f: Fid; keepsId: boolean; fix: 'none' | 'doctor' | 'text' }
  | { k: 'spec-path'; f: Fid; how: 'other' | 'swap' }
  | { k: 'symlink'; what: 'maestro' | 'ledger' }
  | { k: 'unlink' }
  /** `git rm -r .maestro`: specflow dropped from the repository. */
  | { k: 'uninstall' }
  /** `.maestro` as the base had it, when it is gone: specflow adopted again. */
  | { k: 'reinstall' };

export type CommitHow = 'hooks' | 'no-verify' | 'amend' | 'amend-no-verify';
export interface Lie {
  f: Fid;
  from: PhaseName;
  to: PhaseName;
}

export type Move =
  | { k: 'commit'; edits: Edit[]; how: CommitHow; lie?: Lie }
  | { k: 'rebase-drop'; at: number }
  | { k: 'rebase-swap'; at: number }
  | { k: 'rebase-onto'; at: number }
  | { k: 'cherry-pick'; at: number; fromPool: boolean; edits: Edit[]; how: 'hooks' | 'no-verify' }
  | { k: 'merge'; at: number; side: Edit[]; sideHow: 'hooks' | 'no-verify'; main: Edit[]; mainHow: 'hooks' | 'no-verify'; mergeHow: 'hooks' | 'no-verify' };

const fidArb = fc.constantFrom<Fid>(1, 2);
const phaseArb = fc.constantFrom<PhaseName>(...PHASE_LIST);

/** Edits weighted toward what moves phases and documents; the hostile ones come often enough to matter. */
export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('advance' as const), f: fidArb, via: fc.constantFrom<'text' | 'cli'>('text', 'cli') }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('doc' as const), f: fidArb, doc: fc.constantFrom<DocName>('spec', 'plan', 'tasks', 'verify'), content: fc.constantFrom<Content>('good', 'good', 'alt', 'empty', 'todo', 'clarify', 'delete') }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('phase' as const), f: fidArb, to: phaseArb, via: fc.constantFrom<'text' | 'cli'>('text', 'cli') }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('approve' as const), f: fidArb, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('skip' as const), f: fidArb, on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('config' as const), change: fc.constantFrom<ConfigChange>('break', 'schema', 'no-sections', 'no-approval', 'regression-off', 'regression-warn', 'default') }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rename' as const), f: fidArb, keepsId: fc.boolean(), fix: fc.constantFrom<'none' | 'doctor' | 'text'>('none', 'doctor', 'text') }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('spec-path' as const), f: fidArb, how: fc.constantFrom<'other' | 'swap'>('other', 'swap') }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('symlink' as const), what: fc.constantFrom<'maestro' | 'ledger'>('maestro', 'ledger') }) },
  { weight: 1, arbitrary: fc.constant({ k: 'unlink' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'uninstall' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'reinstall' as const }) },
);

const editsArb = fc.array(editArb, { minLength: 1, maxLength: 2 });
const lieArb = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.record({ f: fidArb, from: phaseArb, to: phaseArb }) });
const hookHow = fc.constantFrom<'hooks' | 'no-verify'>('hooks', 'no-verify');

export const moveArb: fc.Arbitrary<Move> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({ k: fc.constant('commit' as const), edits: editsArb, how: fc.constantFrom<CommitHow>('hooks', 'hooks', 'no-verify', 'no-verify', 'no-verify', 'amend', 'amend-no-verify'), lie: lieArb })
      .map(({ lie, ...m }) => (lie ? { ...m, lie } : m)),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rebase-drop' as const), at: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rebase-swap' as const), at: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rebase-onto' as const), at: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cherry-pick' as const), at: fc.nat(7), fromPool: fc.boolean(), edits: editsArb, how: hookHow }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('merge' as const), at: fc.nat(7), side: editsArb, sideHow: hookHow, main: editsArb, mainHow: hookHow, mergeHow: hookHow }) },
);

export function describeEdit(e: Edit): string {
  switch (e.k) {
    case 'advance':
      return `F-${e.f} advance (${e.via})`;
    case 'doc':
      return `F-${e.f} ${e.doc}.md ${e.content}`;
    case 'phase':
      return `F-${e.f} phase ${e.to} (${e.via})`;
    case 'approve':
      return `F-${e.f} ${e.on ? 'approve' : 'drop approval'}`;
    case 'skip':
      return `F-${e.f} ${e.on ? 'skip' : 'unskip'}`;
    case 'config':
      return `config ${e.change}`;
    case 'rename':
      return `rename F-${e.f} folder (${e.keepsId ? 'keeps id' : 'no id'}, fix ${e.fix})`;
    case 'spec-path':
      return `F-${e.f} spec_path ${e.how}`;
    case 'symlink':
      return `symlink ${e.what}`;
    case 'unlink':
      return 'unlink';
    case 'uninstall':
      return 'remove .maestro';
    case 'reinstall':
      return 'restore .maestro';
  }
}

export function describeMove(m: Move): string {
  const edits = (es: Edit[]) => es.map(describeEdit).join(', ');
  switch (m.k) {
    case 'commit':
      return `commit[${m.how}${m.lie ? `, trailer F-${m.lie.f} ${m.lie.from} -> ${m.lie.to}` : ''}]: ${edits(m.edits)}`;
    case 'rebase-drop':
    case 'rebase-swap':
    case 'rebase-onto':
      return `${m.k} ${m.at}`;
    case 'cherry-pick':
      return `cherry-pick ${m.fromPool ? `pool#${m.at}` : `side(${m.how}: ${edits(m.edits)}) from ~${m.at}`}`;
    case 'merge':
      return `merge side from ~${m.at} (side ${m.sideHow}: ${edits(m.side)}; main ${m.mainHow}: ${edits(m.main)}; merge ${m.mergeHow})`;
  }
}

// ---------------------------------------------------------------------------------------------
// The repository

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, input?: string | Buffer): RunResult & { raw: Buffer } {
  const r = spawnSync(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
  if (r.error) throw r.error;
  const raw = Buffer.isBuffer(r.stdout) ? r.stdout : Buffer.from(String(r.stdout ?? ''));
  return { code: r.status ?? 128, stdout: raw.toString('utf8'), stderr: String(r.stderr ?? ''), raw };
}

export interface Template {
  /** Folder holding `repo/` and `origin.git/`. */
  root: string;
  env: NodeJS.ProcessEnv;
  defaultConfig: string;
}

/**
 * F-1 and F-2 registered, F-1 specified and approved, committed through the hooks and pushed to
 * a bare remote: `origin/main` is the base of every sequence. Made once; each run copies it.
 */
export function makeTemplate(): Template {
  const repo = makeRepo();
  installTool(repo);
  const must = (r: RunResult, what: string) => {
    if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  };
  must(repo.cli(['init']), 'init');
  must(repo.cli(['add', NAMES[1], '--id', 'F-1']), 'add F-1');
  must(repo.cli(['add', NAMES[2], '--id', 'F-2']), 'add F-2');
  repo.write(`${FOLDERS[1]}/spec.md`, GOOD_SPEC);
  must(repo.cli(['specify', 'F-1']), 'specify F-1');
  must(repo.cli(['approve', 'F-1', '--by', 'Ann Example <ann@example.com>']), 'approve F-1');
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'F-1: spec, approved']);
  const remote = join(repo.dir, '..', 'origin.git');
  repo.git(['init', '-q', '--bare', remote]);
  repo.git(['remote', 'add', 'origin', remote]);
  repo.git(['push', '-q', 'origin', 'main']);
  return { root: join(repo.dir, '..'), env: repo.env, defaultConfig: repo.read('.maestro/config.yaml') };
}

/** One run's repository: a copy of the template, the moves applied to it, and what they left behind. */
export class World {
  readonly dir: string;
  readonly base: string;
  /** Commits no longer on HEAD (amended away, dropped, merges given up): what cherry-pick picks from. */
  readonly pool: string[] = [];
  /** What each move did, for the failure report. */
  readonly journal: string[] = [];
  private branches = 0;
  private readonly scratch: string;
  private readonly root: string;

  constructor(
    private readonly template: Template,
    readonly env: NodeJS.ProcessEnv = template.env,
  ) {
    const root = tempDir('specflow-invariant-');
    this.root = root;
    const r = run('cp', ['-a', join(template.root, 'repo'), join(template.root, 'origin.git'), root], root, env);
    if (r.code !== 0) throw new Error(`copying the template failed: ${r.stderr}`);
    this.dir = join(root, 'repo');
    this.scratch = join(root, 'scratch');
    mkdirSync(this.scratch);
    this.git(['remote', 'set-url', 'origin', join(root, 'origin.git')]);
    this.git(['fetch', '-q', 'origin']);
    this.base = this.rev('origin/main');
  }

  /** Removes the run's folders (the remote, the repository, the oracle's checkouts). */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  git(args: readonly string[], opts: { allowFail?: boolean; env?: NodeJS.ProcessEnv; input?: string } = {}): RunResult & { raw: Buffer } {
    const r = run('git', args, this.dir, { ...this.env, ...opts.env }, opts.input);
    if (r.code !== 0 && !opts.allowFail) throw new Error(`git ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r;
  }

  cli(args: readonly string[], cwd = this.dir): RunResult {
    return run(process.execPath, [CLI, ...args], cwd, this.env);
  }

  rev(ref: string): string {
    return this.git(['rev-parse', ref]).stdout.trim();
  }

  get defaultConfig(): string {
    return this.template.defaultConfig;
  }

  /** First-parent commits between the base and HEAD. */
  depth(): number {
    return Number(this.git(['rev-list', '--first-parent', '--count', `${this.base}..HEAD`]).stdout.trim());
  }

  private clean(): void {
    this.git(['reset', '-q', '--hard', 'HEAD'], { allowFail: true });
    this.git(['clean', '-q', '-fd'], { allowFail: true });
  }

  private note(text: string): void {
    this.journal.push(text);
  }

  // --- edits of the working tree

  private abs(rel: string): string {
    return join(this.dir, rel);
  }

  private ledgerText(): string | undefined {
    try {
      return readFileSync(this.abs(LEDGER), 'utf8');
    } catch {
      return undefined;
    }
  }

  private writeLedger(text: string): void {
    try {
      writeFileSync(this.abs(LEDGER), text);
    } catch {
      // A ledger that is a dangling link or gone: the edit does nothing.
    }
  }

  /** The block of one feature in the ledger text: [start, end) offsets. */
  private block(text: string, f: Fid): [number, number] | undefined {
    const start = text.indexOf(`\n  F-${f}:\n`);
    if (start < 0) return undefined;
    const next = text.slice(start + 1).search(/\n {2}\S/);
    return [start + 1, next < 0 ? text.length : start + 1 + next + 1];
  }

  private editBlock(f: Fid, change: (block: string) => string): void {
    const text = this.ledgerText();
    if (text === undefined) return;
    const at = this.block(text, f);
    if (!at) return;
    this.writeLedger(text.slice(0, at[0]) + change(text.slice(at[0], at[1])) + text.slice(at[1]));
  }

  specPathOf(f: Fid): string | undefined {
    const text = this.ledgerText();
    const at = text === undefined ? undefined : this.block(text, f);
    if (!text || !at) return undefined;
    return /\n\s+spec_path:\s*(\S+)/.exec(text.slice(at[0], at[1]))?.[1];
  }

  private setSpecPath(f: Fid, path: string): void {
    this.editBlock(f, (b) => b.replace(/(\n\s+spec_path:\s*)\S+/, `$1${path}`));
  }

  phaseOf(f: Fid): PhaseName | undefined {
    const text = this.ledgerText();
    const at = text === undefined ? undefined : this.block(text, f);
    if (!text || !at) return undefined;
    const p = /\n\s+phase:\s*(\S+)/.exec(text.slice(at[0], at[1]))?.[1];
    return rank(p ?? '') >= 0 ? (p as PhaseName) : undefined;
  }

  applyEdit(e: Edit): void {
    switch (e.k) {
      case 'advance': {
        // The honest way forward: the next phase's document, written well, then the phase.
        const phase = this.phaseOf(e.f);
        const next = phase ? PHASE_LIST[rank(phase) + 1] : undefined;
        if (!next) return;
        const folder = this.specPathOf(e.f) ?? FOLDERS[e.f];
        const doc: Partial<Record<PhaseName, [DocName, string]>> = {
          specify: ['spec', docText('spec', 'good', NAMES[e.f])],
          plan: ['plan', docText('plan', 'good', NAMES[e.f])],
          tasks: ['tasks', docText('tasks', 'good', NAMES[e.f])],
          complete: ['tasks', DONE_TASKS],
        };
        const write = doc[next];
        if (write) {
          mkdirSync(this.abs(folder), { recursive: true });
          writeFileSync(this.abs(`${folder}/${write[0]}.md`), write[1]);
        }
        if (next === 'plan') this.cli(['approve', `F-${e.f}`, '--by', 'Ann Example <ann@example.com>']);
        this.applyEdit({ k: 'phase', f: e.f, to: next, via: e.via });
        return;
      }
      case 'doc': {
        const folder = this.specPathOf(e.f) ?? FOLDERS[e.f];
        const path = this.abs(`${folder}/${e.doc}.md`);
        if (e.content === 'delete') rmSync(path, { force: true });
        else {
          mkdirSync(join(path, '..'), { recursive: true });
          writeFileSync(path, docText(e.doc, e.content, NAMES[e.f]));
        }
        return;
      }
      case 'phase':
        if (e.via === 'cli') this.cli(['phase', `F-${e.f}`, e.to]);
        else this.editBlock(e.f, (b) => b.replace(/(\n\s+phase:\s*)\S+/, `$1${e.to}`));
        return;
      case 'approve':
        if (e.on) this.cli(['approve', `F-${e.f}`, '--by', 'Ann Example <ann@example.com>']);
        else this.editBlock(e.f, (b) => b.replace(/\n\s+approved:[^\n]*(\n\s{6,}[^\n]*)*/, ''));
        return;
      case 'skip':
        if (e.on) this.cli(['skip', `F-${e.f}`, '--reason', 'not now']);
        else this.editBlock(e.f, (b) => b.replace(/\n\s+status:[^\n]*/, '').replace(/\n\s+reason:[^\n]*/, '').replace(/\n\s+justification:[^\n]*/, ''));
        return;
      case 'config':
        try {
          writeFileSync(this.abs('.maestro/config.yaml'), configText(e.change, this.defaultConfig));
        } catch {
          // .maestro is gone or a dangling link.
        }
        return;
      case 'rename': {
        const from = this.specPathOf(e.f);
        if (!from || !existsSync(this.abs(from)) || !lstatSync(this.abs(from)).isDirectory()) return;
        const to = `${SPECS}/${e.keepsId ? `f-${e.f}-renamed` : 'renamed-feature'}${this.branches++}`;
        renameSync(this.abs(from), this.abs(to));
        if (e.fix === 'doctor') this.cli(['doctor', '--fix']);
        if (e.fix === 'text') this.setSpecPath(e.f, to);
        return;
      }
      case 'spec-path': {
        const other: Fid = e.f === 1 ? 2 : 1;
        const mine = this.specPathOf(e.f);
        const theirs = this.specPathOf(other);
        if (!mine || !theirs) return;
        this.setSpecPath(e.f, theirs);
        if (e.how === 'swap') this.setSpecPath(other, mine);
        return;
      }
      case 'symlink': {
        if (lstatOrUndefined(this.abs('.maestro'))?.isSymbolicLink()) return;
        if (e.what === 'maestro') {
          if (!existsSync(this.abs('.maestro'))) return;
          rmSync(this.abs('meta'), { recursive: true, force: true });
          renameSync(this.abs('.maestro'), this.abs('meta'));
          symlinkSync('meta', this.abs('.maestro'));
        } else {
          const st = lstatOrUndefined(this.abs(LEDGER));
          if (!st || st.isSymbolicLink()) return;
          renameSync(this.abs(LEDGER), this.abs('ledger-elsewhere.yaml'));
          symlinkSync('../ledger-elsewhere.yaml', this.abs(LEDGER));
        }
        return;
      }
      case 'uninstall':
        rmSync(this.abs('.maestro'), { recursive: true, force: true });
        return;
      case 'reinstall':
        if (!lstatOrUndefined(this.abs('.maestro'))) this.git(['checkout', '-q', this.base, '--', '.maestro']);
        return;
      case 'unlink': {
        if (lstatOrUndefined(this.abs('.maestro'))?.isSymbolicLink()) {
          unlinkSync(this.abs('.maestro'));
          if (existsSync(this.abs('meta'))) renameSync(this.abs('meta'), this.abs('.maestro'));
        }
        if (lstatOrUndefined(this.abs(LEDGER))?.isSymbolicLink()) {
          let text: string | undefined;
          try {
            text = readFileSync(this.abs(LEDGER), 'utf8');
          } catch {
            text = undefined;
          }
          unlinkSync(this.abs(LEDGER));
          if (text !== undefined) writeFileSync(this.abs(LEDGER), text);
          rmSync(this.abs('ledger-elsewhere.yaml'), { force: true });
        }
        return;
      }
    }
  }

  /** Applies edits and commits them; a refused commit leaves nothing behind. Returns the git exit code. */
  private commitEdits(edits: readonly Edit[], how: CommitHow, lie?: Lie): number {
    for (const e of edits) this.applyEdit(e);
    this.git(['add', '-A']);
    const amend = how === 'amend' || how === 'amend-no-verify';
    const canAmend = amend && this.rev('HEAD') !== this.base;
    const before = this.rev('HEAD');
    const trailer = lie ? `\n\nSpecflow-Phase: F-${lie.f} ${lie.from} -> ${lie.to}` : '';
    const args = ['commit', '-q'];
    if (canAmend) args.push('--amend');
    if (!canAmend || lie) args.push('-m', `step ${this.journal.length}${trailer}`);
    else args.push('--no-edit');
    if (how === 'no-verify' || how === 'amend-no-verify') args.push('--no-verify');
    const r = this.git(args, { allowFail: true });
    if (r.code !== 0) this.clean();
    else if (canAmend) this.pool.push(before);
    return r.code;
  }

  apply(m: Move): void {
    const start = this.journal.length;
    try {
      this.applyMove(m);
    } finally {
      if (this.journal.length === start) this.note(describeMove(m));
      this.clean();
    }
  }

  private applyMove(m: Move): void {
    switch (m.k) {
      case 'commit': {
        const code = this.commitEdits(m.edits, m.how, m.lie);
        this.note(`${describeMove(m)} => ${code === 0 ? this.rev('HEAD').slice(0, 7) : `refused (${code})`}`);
        return;
      }
      case 'rebase-drop':
      case 'rebase-swap': {
        const n = Number(this.git(['rev-list', '--count', '--no-merges', `${this.base}..HEAD`]).stdout.trim());
        if (n === 0 || (m.k === 'rebase-swap' && n < 2)) return this.note(`${describeMove(m)} => nothing to rebase`);
        const line = (m.at % (m.k === 'rebase-swap' ? n - 1 : n)) + 1;
        const editor = m.k === 'rebase-drop' ? `sed -i '${line}s/^pick /drop /'` : `sed -i -e '${line}{h;d}' -e '${line + 1}G'`;
        this.rewrite(m, ['rebase', '-i', '-q', '--empty=drop', this.base], { GIT_SEQUENCE_EDITOR: editor });
        return;
      }
      case 'rebase-onto': {
        const n = this.depth();
        if (n === 0) return this.note(`${describeMove(m)} => nothing to rebase`);
        const drop = `HEAD~${m.at % n}`;
        this.rewrite(m, ['rebase', '-q', '--empty=drop', '--onto', `${drop}~1`, drop]);
        return;
      }
      case 'cherry-pick': {
        let pick: string | undefined;
        if (m.fromPool) {
          const candidates = this.pool.filter((c) => this.git(['merge-base', '--is-ancestor', c, 'HEAD'], { allowFail: true }).code !== 0);
          pick = candidates.length ? candidates[m.at % candidates.length] : undefined;
          if (!pick) return this.note(`${describeMove(m)} => empty pool`);
        } else {
          const branch = this.sideBranch(this.rev(`HEAD~${m.at % (this.depth() + 1)}`));
          const code = this.commitEdits(m.edits, m.how);
          pick = code === 0 ? this.rev('HEAD') : undefined;
          this.git(['checkout', '-q', 'main']);
          this.git(['branch', '-q', '-D', branch]);
          if (!pick) return this.note(`${describeMove(m)} => side commit refused`);
        }
        if (this.git(['cat-file', '-p', pick]).stdout.split('\n').filter((l) => l.startsWith('parent ')).length > 1) return this.note(`${describeMove(m)} => a merge; skipped`);
        const r = this.git(['cherry-pick', '--allow-empty', pick], { allowFail: true });
        if (r.code !== 0) {
          this.git(['cherry-pick', '--abort'], { allowFail: true });
          return this.note(`${describeMove(m)} => conflict, aborted`);
        }
        return this.note(`${describeMove(m)} => ${this.rev('HEAD').slice(0, 7)} (picked ${pick.slice(0, 7)})`);
      }
      case 'merge': {
        const fork = this.rev(`HEAD~${m.at % (this.depth() + 1)}`);
        const branch = this.sideBranch(fork);
        const sideCode = this.commitEdits(m.side, m.sideHow);
        const side = this.rev('HEAD');
        this.git(['checkout', '-q', 'main']);
        const mainCode = this.commitEdits(m.main, m.mainHow);
        if (sideCode !== 0 && fork === side) {
          this.git(['branch', '-q', '-D', branch]);
          return this.note(`${describeMove(m)} => side commit refused (main ${mainCode === 0 ? this.rev('HEAD').slice(0, 7) : 'refused'})`);
        }
        const args = ['merge', '--no-ff', '-q', '-m', `merge ${branch}`, ...(m.mergeHow === 'no-verify' ? ['--no-verify'] : []), branch];
        const r = this.git(args, { allowFail: true });
        if (r.code !== 0) {
          this.git(['merge', '--abort'], { allowFail: true });
          this.pool.push(side);
        }
        this.git(['branch', '-q', '-D', branch]);
        return this.note(
          `${describeMove(m)} => side ${sideCode === 0 ? side.slice(0, 7) : 'refused'}, main ${mainCode === 0 ? 'committed' : 'refused'}, merge ${r.code === 0 ? this.rev('HEAD').slice(0, 7) : `failed (${r.code})`}`,
        );
      }
    }
  }

  private sideBranch(fork: string): string {
    const branch = `side-${this.branches++}`;
    this.git(['checkout', '-q', '-b', branch, fork]);
    return branch;
  }

  /** A history rewrite: the commits it drops join the pool; a conflict is given up. */
  private rewrite(m: Move, args: string[], env: NodeJS.ProcessEnv = {}): void {
    const before = this.git(['rev-list', '--no-merges', `${this.base}..HEAD`]).stdout.split('\n').filter(Boolean);
    const r = this.git(args, { allowFail: true, env });
    if (r.code !== 0) {
      this.git(['rebase', '--abort'], { allowFail: true });
      return this.note(`${describeMove(m)} => failed, aborted`);
    }
    const after = new Set(this.git(['rev-list', `${this.base}..HEAD`]).stdout.split('\n').filter(Boolean));
    this.pool.push(...before.filter((c) => !after.has(c)));
    this.note(`${describeMove(m)} => ${this.rev('HEAD').slice(0, 7)}`);
  }

  /** A new empty folder for the oracle's own use. */
  scratchDir(name: string): string {
    const dir = join(this.scratch, `${name}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(dir);
    return dir;
  }

  /** A checkout of a commit's tree in a fresh folder (git archive: no index, no hooks, no git code of specflow's). */
  checkout(commit: string): string {
    const dir = this.scratchDir(commit.slice(0, 12));
    const tar = this.git(['archive', '--format=tar', commit]);
    const x = run('tar', ['-x', '-C', dir], dir, this.env, tar.raw);
    if (x.code !== 0) throw new Error(`tar failed: ${x.stderr}`);
    return dir;
  }

  removeCheckout(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export function docText(doc: DocName, content: Exclude<Content, 'delete'>, name: string): string {
  switch (content) {
    case 'good':
      if (doc === 'verify') return `# Verification: ${name}\n\n**Status:** ✅ PASS\n\nRan the loader against both sample configs.\n`;
      return doc === 'spec' ? GOOD_SPEC.replace('Vector Configuration', name) : doc === 'plan' ? goodPlan() : GOOD_TASKS;
    case 'alt':
      if (doc === 'verify') return `# Verification: ${name}\n\n**Status:** ❌ FAIL — the loader drops a key\n`;
      return doc === 'spec' ? `# ${name}\n` : doc === 'plan' ? goodPlan({ omit: 'Failure modes' }) : DONE_TASKS;
    case 'empty':
      return '';
    case 'todo':
      return `# ${name}\n\n## Problem\n\nTODO\n`;
    case 'clarify':
      return `# ${name}\n\n## Problem\n\n[NEEDS CLARIFICATION: which store?]\n`;
  }
}

export function configText(change: ConfigChange, defaults: string): string {
  const plain = (o: { approval?: boolean; regression?: string; sections?: boolean }) =>
    [
      'version: 1',
      'specs_dir: .specify/specs',
      `require_approval: ${o.approval ?? true}`,
      ...(o.regression ? [`regression: ${o.regression}`] : []),
      'gates:',
      '  plan:',
      '    file: plan.md',
      ...(o.sections === false
        ? ['    sections: []', '    principles: []']
        : [
            '    sections: [Data models, API/Interface design, Error handling strategy, Failure modes, Dependencies, Testing strategy]',
            '    principles: [Code before prompts, Deterministic where possible, CLI-first interfaces]',
          ]),
      '',
    ].join('\n');
  switch (change) {
    case 'break':
      return 'gates: [\n';
    case 'schema':
      return 'version: 1\ngates:\n  plan:\n    sections: 3\n';
    case 'no-sections':
      return plain({ sections: false });
    case 'no-approval':
      return plain({ approval: false });
    case 'regression-off':
      return plain({ regression: 'off' });
    case 'regression-warn':
      return plain({ regression: 'warn' });
    case 'default':
      return defaults;
  }
}

// ---------------------------------------------------------------------------------------------
// The oracle

interface TreeShape {
  /** `.maestro` is a directory, the ledger a regular file, the config a regular file or absent. */
  ok: boolean;
  why?: string;
  hasLedger: boolean;
  configText?: string;
}

export interface FeatureState {
  id: string;
  phase: string;
  /** The entry as the ledger holds it (phase left out), to compare with a parent's. */
  entry: string;
  supported: boolean;
  why: string[];
  /** The git tree id of the feature's folder (or `-` when there is none). */
  folder: string;
}

export interface Evaluation {
  /** Unsupported as a whole: bad tree shape or an unreadable ledger. */
  broken?: string;
  features: Map<string, FeatureState>;
}

export interface CommitJudgement {
  commit: string;
  parents: string[];
  subject: string;
  /** Why this commit must be refused (empty: nothing requires it). */
  violations: string[];
  /** Features unsupported at this commit under its gates in force (whether or not it is its doing). */
  unsupported: string[];
  /** The gates in force, as a label. */
  gates: string;
}

const DEFAULTS = Symbol('defaults');
type Gates = string | typeof DEFAULTS;

const REGULAR = new Set(['100644', '100755']);

export class Oracle {
  private shapes = new Map<string, TreeShape>();
  private usable = new Map<string, boolean>();
  private evaluations = new Map<string, Evaluation>();

  constructor(private readonly world: World) {}

  shape(commit: string): TreeShape {
    let s = this.shapes.get(commit);
    if (s) return s;
    const root = lsTree(this.world.git(['ls-tree', commit]).stdout);
    const m = root.get('.maestro');
    if (!m) s = { ok: true, hasLedger: false };
    else if (m.mode !== '040000') s = { ok: false, why: `.maestro is mode ${m.mode}`, hasLedger: false };
    else {
      const inside = lsTree(this.world.git(['ls-tree', `${commit}:.maestro`]).stdout);
      const ledger = inside.get('ledger.yaml');
      const config = inside.get('config.yaml');
      const why = [
        ...(ledger && !REGULAR.has(ledger.mode) ? [`the ledger is mode ${ledger.mode}`] : []),
        ...(config && !REGULAR.has(config.mode) ? [`the config is mode ${config.mode}`] : []),
      ];
      s = {
        ok: why.length === 0,
        ...(why.length ? { why: why.join(', ') } : {}),
        hasLedger: !!ledger && REGULAR.has(ledger.mode),
        ...(config && REGULAR.has(config.mode) ? { configText: this.world.git(['cat-file', 'blob', config.id]).stdout } : {}),
      };
    }
    this.shapes.set(commit, s);
    return s;
  }

  /** Does this config text parse and pass the schema? Asked of the real `validate` beside an empty ledger. */
  configUsable(text: string): boolean {
    let u = this.usable.get(text);
    if (u !== undefined) return u;
    const dir = this.world.scratchDir(`config-${hash(text).slice(0, 10)}`);
    mkdirSync(join(dir, '.maestro'), { recursive: true });
    writeFileSync(join(dir, LEDGER), 'version: 1\nfeatures: {}\n');
    writeFileSync(join(dir, '.maestro/config.yaml'), text);
    const r = this.world.cli(['validate', '--json'], dir);
    rmSync(dir, { recursive: true, force: true });
    if (r.code === 3) u = false;
    else if (r.code === 0 || r.code === 1) {
      const doc = JSON.parse(r.stdout) as { findings: { severity: string; file?: string; feature?: string }[] };
      u = !doc.findings.some((f) => f.severity === 'error' && f.file === '.maestro/config.yaml' && !f.feature);
    } else throw new Error(`validate of a config exited ${r.code}: ${r.stderr}`);
    this.usable.set(text, u);
    return u;
  }

  /**
   * The gates in force at a commit (DESIGN §5): the config of the nearest first-parent ancestor
   * whose config parses and passes the schema; the defaults when that ancestor has a ledger but
   * no config; the commit's own when no ancestor has a ledger. Ancestors whose `.maestro` is not
   * a directory hold neither, and are passed over.
   */
  gatesInForce(commit: string): Gates {
    const ancestors = this.world.git(['rev-list', '--first-parent', `${commit}^`], { allowFail: true }).stdout.split('\n').filter(Boolean);
    for (const a of ancestors) {
      const s = this.shape(a);
      if (s.configText !== undefined) {
        if (this.configUsable(s.configText)) return s.configText;
        continue;
      }
      if (s.hasLedger && s.ok) return DEFAULTS;
    }
    const own = this.shape(commit).configText;
    return own !== undefined && this.configUsable(own) ? own : DEFAULTS;
  }

  /** A commit under the given gates: each feature's phase against the commit's own documents. */
  evaluate(commit: string, gates: Gates): Evaluation {
    const key = `${commit}:${gates === DEFAULTS ? 'defaults' : hash(gates)}`;
    let e = this.evaluations.get(key);
    if (e) return e;
    e = this.evaluateUncached(commit, gates);
    this.evaluations.set(key, e);
    return e;
  }

  private evaluateUncached(commit: string, gates: Gates): Evaluation {
    const shape = this.shape(commit);
    if (!shape.ok) return { broken: shape.why ?? 'bad shape', features: new Map() };
    // No ledger at all (specflow not adopted, or dropped): no phase is recorded, so none is unsupported.
    if (!shape.hasLedger) return { features: new Map() };
    const dir = this.world.checkout(commit);
    try {
      if (gates === DEFAULTS) rmSync(join(dir, '.maestro/config.yaml'), { force: true });
      else writeFileSync(join(dir, '.maestro/config.yaml'), gates);
      const ledgerText = readFileSync(join(dir, LEDGER), 'utf8');
      const r = this.world.cli(['validate', '--json'], dir);
      if (r.code === 3) return { broken: `the ledger is unreadable (${firstLine(r.stdout)})`, features: new Map() };
      if (r.code !== 0 && r.code !== 1) throw new Error(`validate exited ${r.code} at ${commit}: ${r.stderr}${r.stdout}`);
      const report = JSON.parse(r.stdout) as { features: { id: string; phase: string; findings: { severity: string; code: string }[] }[] };
      let ledger: { features?: Record<string, Record<string, unknown>> };
      try {
        ledger = parseYaml(ledgerText) as typeof ledger;
      } catch (err) {
        return { broken: `the ledger does not parse as YAML (${String(err).split('\n')[0]})`, features: new Map() };
      }
      const features = new Map<string, FeatureState>();
      for (const f of report.features) {
        const raw = ledger.features?.[f.id] ?? {};
        const specPath = typeof raw.spec_path === 'string' ? raw.spec_path : '';
        const { phase: _phase, ...rest } = raw;
        const why = f.findings.filter((x) => x.severity === 'error').map((x) => x.code);
        const skipped = raw.status === 'skipped';
        if (f.phase !== 'none' && !ownFolder(f.id, specPath)) why.push('spec_path.foreign (oracle)');
        const folder = specPath ? this.world.git(['rev-parse', '-q', '--verify', `${commit}:${specPath}`], { allowFail: true }).stdout.trim() || '-' : '-';
        features.set(f.id, {
          id: f.id,
          phase: f.phase,
          entry: JSON.stringify(rest),
          supported: skipped || f.phase === 'none' || why.length === 0,
          why,
          folder,
        });
      }
      return { features };
    } finally {
      this.world.removeCheckout(dir);
    }
  }

  private regressionMode(gates: Gates): string {
    if (gates === DEFAULTS) return 'block';
    try {
      const c = parseYaml(gates) as { regression?: unknown };
      return typeof c?.regression === 'string' ? c.regression : 'block';
    } catch {
      return 'block';
    }
  }

  /** Every commit of base..HEAD, oldest first, with what the invariant requires of it. */
  judgeRange(): CommitJudgement[] {
    const lines = this.world.git(['rev-list', '--reverse', '--topo-order', '--parents', `${this.world.base}..HEAD`]).stdout.split('\n').filter(Boolean);
    return lines.map((line) => {
      const [commit, ...parents] = line.split(' ') as [string, ...string[]];
      return this.judge(commit, parents);
    });
  }

  judge(commit: string, parents: string[]): CommitJudgement {
    const subject = this.world.git(['log', '-1', '--format=%s', commit]).stdout.trim();
    const violations: string[] = [];
    const gates = this.gatesInForce(commit);
    const own = this.shape(commit);
    const p1 = parents[0]!;
    const parentShape = this.shape(p1);
    // The commit's own state.
    if (!own.ok && parentShape.ok) violations.push(`tree: ${own.why}`);
    const ownConfigBad = own.configText !== undefined && !this.configUsable(own.configText);
    const parentConfigBad = parentShape.configText !== undefined && !this.configUsable(parentShape.configText);
    if (own.ok && ownConfigBad && !parentConfigBad) violations.push('config: unusable (does not parse or fails the schema)');
    const now = this.evaluate(commit, gates);
    const before = this.evaluate(p1, gates);
    const unsupported: string[] = [];
    if (now.broken) {
      unsupported.push(`* (${now.broken})`);
      if (own.ok && !before.broken) violations.push(`ledger: ${now.broken}`);
    }
    const regression = this.regressionMode(gates);
    for (const f of now.features.values()) {
      if (f.supported) continue;
      unsupported.push(`${f.id}@${f.phase} [${f.why.join(', ')}]`);
      const was = before.features.get(f.id);
      if (was && was.supported === false) continue; // not this commit's doing
      // regression: warn|off lets document edits through: same entry, phase not forward.
      if (regression !== 'block' && was && was.entry === f.entry && rank(f.phase) <= rank(was.phase)) continue;
      // A merge is judged against its first parent, ignoring what it took whole from another parent.
      const fromOther = parents.slice(1).some((p) => {
        const other = this.evaluate(p, gates).features.get(f.id);
        return other && other.entry === f.entry && other.phase === f.phase && other.folder === f.folder;
      });
      if (fromOther) continue;
      violations.push(`${f.id} at ${f.phase} unsupported: ${f.why.join(', ')}${was ? ` (was ${was.phase}, supported)` : ''}`);
    }
    // Truthful trailers, against the first parent (a merge's too), where both ledgers can be read.
    if (!now.broken && !before.broken) violations.push(...this.trailerLies(commit, now, before));
    return { commit, parents, subject, violations, unsupported, gates: gates === DEFAULTS ? 'defaults' : `config ${hash(gates).slice(0, 7)}` };
  }

  private trailerLies(commit: string, now: Evaluation, before: Evaluation): string[] {
    const values = this.world
      .git(['log', '-1', '--format=%(trailers:key=Specflow-Phase,valueonly,unfold)', commit])
      .stdout.split('\n')
      .map((v) => v.trim())
      .filter(Boolean);
    const chains = new Map<string, { from: string; to: string }>();
    const lies: string[] = [];
    for (const v of values) {
      const m = /^(F-\d+)\s+(\S+)\s*->\s*(\S+)$/.exec(v);
      if (!m || rank(m[2]!) < 0 || rank(m[3]!) < 0) {
        lies.push(`trailer: malformed "${v}"`);
        continue;
      }
      const c = chains.get(m[1]!);
      if (!c) chains.set(m[1]!, { from: m[2]!, to: m[3]! });
      else if (c.to !== m[2]) lies.push(`trailer: ${m[1]} does not chain`);
      else c.to = m[3]!;
    }
    for (const [id, c] of chains) {
      const a = before.features.get(id);
      const b = now.features.get(id);
      // A commit that drops the feature (or the whole ledger) moves it to no phase at all.
      if (a && !b && c.from !== c.to) {
        lies.push(`trailer: says ${id} ${c.from} -> ${c.to}, the commit drops ${id} from the ledger`);
        continue;
      }
      // A feature the commit brings in (a new entry, or the whole ledger back) moves from none.
      if (!a && b) {
        const net = c.from !== c.to;
        if (!net && b.phase === 'none') continue;
        if (net && c.from === 'none' && c.to === b.phase) continue;
        lies.push(`trailer: says ${id} ${c.from} -> ${c.to}, the commit brings ${id} in at ${b.phase}`);
        continue;
      }
      // Neither side has the feature (no ledger at all, say): nothing moved, so only a no-op chain is true.
      if (!a && !b) {
        if (c.from !== c.to) lies.push(`trailer: says ${id} ${c.from} -> ${c.to}, the commit's ledger has no ${id}`);
        continue;
      }
      if (!a || !b) continue;
      const moved = a.phase !== b.phase;
      const net = c.from !== c.to;
      if (!net && !moved) continue;
      if (net && moved && c.from === a.phase && c.to === b.phase) continue;
      lies.push(`trailer: says ${id} ${c.from} -> ${c.to}, the ledger makes ${moved ? `${a.phase} -> ${b.phase}` : 'no change'}`);
    }
    return lies;
  }
}

function lsTree(out: string): Map<string, { mode: string; id: string }> {
  const entries = new Map<string, { mode: string; id: string }>();
  for (const line of out.split('\n')) {
    const m = /^(\d+) \w+ ([0-9a-f]+)\t(.*)$/.exec(line);
    if (m) entries.set(m[3]!, { mode: m[1]!, id: m[2]! });
  }
  return entries;
}

/** The last segment of spec_path carries the id: `f-12-…` for F-12 (DESIGN §5, own folder). */
export function ownFolder(id: string, specPath: string): boolean {
  const n = /^F-0*(\d+)$/i.exec(id)?.[1];
  const segment = specPath.replace(/\/+$/, '').split('/').pop() ?? '';
  const m = /^f-0*(\d+)(?:-|$)/i.exec(segment);
  return !!n && !!m && m[1] === n;
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function firstLine(text: string): string {
  try {
    const doc = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return `${doc.error?.code}: ${doc.error?.message}`.slice(0, 160);
  } catch {
    return text.split('\n')[0]!.slice(0, 160);
  }
}
