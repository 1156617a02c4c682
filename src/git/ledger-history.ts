import { existsSync, readFileSync } from 'node:fs';
import { PHASE_TRAILER } from '../core/commit-gate.js';
import type { ConfigCandidate } from '../core/commit-gate.js';
import { readable, type MaestroState } from '../core/commit-state.js';
import { UsageError } from '../core/errors.js';
import { LOG_FORMAT, parseLog, trailerValues, type LoggedCommit } from '../core/git-format.js';
import { PreparedLedger } from '../core/ledger-delta.js';
import type { LedgerFeature } from '../core/ledger.js';
import { normaliseSpecPath } from '../core/spec-path.js';
import { candidateOf, checkCommit, type CommitCheck, type Side } from './commit-check.js';
import { commitDocuments } from './documents.js';
import type { GitObjects } from './objects.js';
import { git } from './run.js';
import { TreeReader } from './trees.js';
import { signatureStatus } from './signature.js';
import type { Config } from '../core/config.js';

/**
 * History, judged commit by commit against each commit's own tree (pre-push, pre-receive,
 * `verify`, `log`). Every commit of the range is listed with what it changes, in one `git log`;
 * trees, ledgers and configs are read through one cat-file process and kept by object id, so a
 * walk over consecutive commits reads each version once.
 */
export interface CommitMeta {
  oid: string;
  short: string;
  parents: string[];
  author: string;
  email: string;
  /** Author date, ISO 8601. */
  date: string;
  subject: string;
  /** Values of the commit's `Specflow-Phase` trailers. */
  trailers: string[];
}

/**
 * Every commit reachable as `revisions` says (rev-list syntax: `A..B`, `X --not --remotes=origin`),
 * oldest first, each with its changes against its first parent. `--full-history` keeps every
 * side branch; a merge is compared with its first parent.
 */
export function logCommits(root: string, revisions: readonly string[], env: NodeJS.ProcessEnv = process.env): LoggedCommit[] {
  const out = git(root, ['log', '--full-history', '--topo-order', '--reverse', '--no-renames', '--raw', '-z', '--no-abbrev', '--diff-merges=first-parent', `--format=${LOG_FORMAT}`, ...revisions, '--'], { env });
  return parseLog(out);
}

/** The commits a shallow clone lacks the parents of; empty in a full clone. */
export function shallowBoundary(root: string, env: NodeJS.ProcessEnv = process.env): Set<string> {
  const file = git(root, ['rev-parse', '--path-format=absolute', '--git-path', 'shallow'], { env }).trim();
  if (!existsSync(file)) return new Set();
  return new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean));
}

/** A range that reaches past a shallow boundary cannot be judged: its base commits are missing. */
export function refuseShallow(commits: readonly LoggedCommit[], boundary: ReadonlySet<string>): void {
  const cut = commits.find((c) => boundary.has(c.oid));
  if (cut)
    throw new UsageError(
      `the history is shallow: commit ${cut.oid.slice(0, 12)} is at the clone's boundary, so the commits before it cannot be judged`,
      'Fetch the history first: git fetch --unshallow (in CI: fetch-depth: 0), or a range that starts after the boundary.',
      'history.shallow',
    );
}

export interface CommitReport extends CommitCheck {
  commit: CommitMeta;
}

const LEDGER = '.maestro/ledger.yaml';
const CONFIG = '.maestro/config.yaml';
const CACHE_LIMIT = 64;

/** Judges commits one by one, sharing the cat-file process and the parsed ledgers and configs. */
export class HistoryJudge {
  private readonly trees: TreeReader;
  private readonly ledgers = new Map<string, PreparedLedger>();
  private readonly texts = new Map<string, string | undefined>();
  private readonly sides = new Map<string, Promise<Side>>();

  constructor(
    private readonly root: string,
    private readonly objects: GitObjects,
  ) {
    this.trees = new TreeReader(objects);
  }

  /** The commit's report; undefined when the commit touches nothing the gates look at. */
  async judge(logged: LoggedCommit): Promise<CommitReport | undefined> {
    const commit = await this.meta(logged);
    const parent = logged.parents[0];
    const [own, parentSide] = await Promise.all([this.side(logged.oid), parent ? this.side(parent) : undefined]);
    const check = await checkCommit({
      root: this.root,
      own,
      parent: parentSide,
      changes: logged.changes,
      ancestors: () => this.ancestors(parent),
      readDocuments: commitDocuments(this.objects, logged.oid),
      trailers: commit.trailers,
      ...(logged.parents.length > 1 ? { merged: (features) => this.merged(logged, own, features) } : {}),
      approvals: async (features, config, signature) => ({
        author: { name: commit.author, email: commit.email },
        ...(signature && config.require_signed_approval ? { signature: await signatureStatus(this.root, this.objects, logged.oid, parent) } : {}),
        specBlobs: await specBlobs(this.objects, logged.oid, features, config),
      }),
    });
    return check.relevant ? { commit, ...check } : undefined;
  }

  async meta(logged: LoggedCommit): Promise<CommitMeta> {
    const c = await this.trees.commit(logged.oid);
    return {
      oid: logged.oid,
      short: logged.oid.slice(0, 7),
      parents: logged.parents,
      author: c?.author ?? '',
      email: c?.email ?? '',
      date: c?.date ?? '',
      subject: c?.subject ?? '',
      trailers: c ? trailerValues(c.message, PHASE_TRAILER) : [],
    };
  }

  /** `.maestro`, the ledger and the config of a commit, by mode, and their contents where they are readable. */
  side(oid: string): Promise<Side> {
    let s = this.sides.get(oid);
    if (!s) {
      s = this.readSide(oid);
      remember(this.sides, oid, s);
    }
    return s;
  }

  private async readSide(oid: string): Promise<Side> {
    const [maestro, ledger, config] = await Promise.all([this.trees.entry(oid, '.maestro'), this.trees.entry(oid, LEDGER), this.trees.entry(oid, CONFIG)]);
    const state: MaestroState = { maestro, ledger, config };
    return {
      state,
      ledger: ledger && readable(state, 'ledger') ? await this.ledger(ledger.oid) : undefined,
      configText: config && readable(state, 'config') ? await this.text(config.oid) : undefined,
    };
  }

  /**
   * First-parent ancestors from `from`, as config candidates. Where one holds no readable ledger,
   * one `git rev-list` asks whether any earlier first-parent commit ever held it; when none did,
   * the walk ends there (the commit being judged adopts specflow) instead of reading the whole
   * history.
   */
  async *ancestors(from: string | undefined): AsyncIterator<ConfigCandidate> {
    let askedHistory = false;
    for (let oid = from; oid !== undefined; oid = (await this.trees.commit(oid))?.parents[0]) {
      const candidate = candidateOf(await this.side(oid));
      if (!candidate.hasLedger && !askedHistory) {
        askedHistory = true;
        if (git(this.root, ['rev-list', '-1', '--first-parent', oid, '--', LEDGER]).trim() === '') return;
      }
      yield candidate;
    }
  }

  /** Features whose entry and folder the merge took as they were in a parent other than the first. */
  private async merged(logged: LoggedCommit, own: Side, features: readonly LedgerFeature[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const other of logged.parents.slice(1)) {
      const theirs = (await this.side(other)).ledger;
      if (!theirs) continue;
      for (const f of features) {
        if (out.has(f.id)) continue;
        const same = JSON.stringify(theirs.feature(f.id) ?? null) === JSON.stringify(own.ledger?.feature(f.id) ?? null);
        const dir = normaliseSpecPath(f.spec_path);
        if (!same || !dir.ok) continue;
        const [mine, their] = await Promise.all([this.trees.entry(logged.oid, dir.path), this.trees.entry(other, dir.path)]);
        if (mine?.oid === their?.oid) out.add(f.id);
      }
    }
    return out;
  }

  private async ledger(oid: string): Promise<PreparedLedger> {
    let prepared = this.ledgers.get(oid);
    if (!prepared) {
      prepared = new PreparedLedger((await this.text(oid)) ?? '');
      remember(this.ledgers, oid, prepared);
    }
    return prepared;
  }

  private async text(oid: string): Promise<string | undefined> {
    if (!this.texts.has(oid)) remember(this.texts, oid, await this.objects.text(oid));
    return this.texts.get(oid);
  }
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
}

/** The blob id of each feature's spec in `rev` (a commit, or '' for the index). */
export async function specBlobs(objects: GitObjects, rev: string, features: readonly LedgerFeature[], config: Config): Promise<Map<string, string | undefined>> {
  const ids = await Promise.all(features.map((f) => objects.oid(`${rev}:${f.spec_path}/${config.gates.specify.file}`)));
  return new Map(features.map((f, i) => [f.id, ids[i]]));
}
