import { gateConfig, PHASE_TRAILER } from '../core/commit-gate.js';
import { CONFIG_PATH } from '../core/config.js';
import { ledgerDelta, PreparedLedger } from '../core/ledger-delta.js';
import { LEDGER_PATH } from '../core/ledger.js';
import { checkCommit, type CommitCheck } from './commit-check.js';
import { commitDocuments } from './documents.js';
import type { GitObjects } from './objects.js';
import { git } from './run.js';

/**
 * The ledger's history: which commits change it, and what each change amounts to when judged
 * against that commit's own tree (pre-push, `verify`, `log`). Blobs are read through one
 * cat-file process and parsed ledgers are kept by blob id, so a walk over consecutive commits
 * reads and splits each ledger version once.
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

const SEP = '\x1f';
const FORMAT = ['%H', '%h', '%P', '%an', '%ae', '%aI', `%(trailers:key=${PHASE_TRAILER},valueonly,unfold,separator=%x1e)`, '%s'].join('%x1f');

/**
 * Commits reachable as `revisions` says (rev-list syntax: `A..B`, `X --not --remotes=origin`)
 * whose ledger differs from at least one parent, oldest first. `--full-history` walks every
 * side branch and keeps merges that take a ledger from another parent; `judge` later skips
 * merges whose ledger equals their first parent's.
 */
export function ledgerCommits(root: string, revisions: readonly string[], env: NodeJS.ProcessEnv = process.env): CommitMeta[] {
  const out = git(root, ['rev-list', '--full-history', '--topo-order', '--reverse', '--no-commit-header', `--format=${FORMAT}`, ...revisions, '--', LEDGER_PATH], { env });
  return out
    .split('\n')
    .filter((line) => line.includes(SEP))
    .map((line) => {
      const [oid = '', short = '', parents = '', author = '', email = '', date = '', trailers = '', ...subject] = line.split(SEP);
      return {
        oid,
        short,
        parents: parents.split(' ').filter(Boolean),
        author,
        email,
        date,
        subject: subject.join(SEP),
        trailers: trailers.split('\x1e').filter((t) => t.trim() !== ''),
      };
    });
}

export interface CommitReport extends CommitCheck {
  commit: CommitMeta;
}

const CACHE_LIMIT = 64;

/** Judges commits one by one, sharing the cat-file process and the parsed ledgers and configs. */
export class HistoryJudge {
  private readonly ledgers = new Map<string, PreparedLedger>();
  private readonly configs = new Map<string, ReturnType<typeof gateConfig>>();
  private readonly texts = new Map<string, string | undefined>();

  constructor(
    private readonly root: string,
    private readonly objects: GitObjects,
  ) {}

  /** The commit's ledger change against its first parent; undefined when there is none (a merge that kept it). */
  async judge(commit: CommitMeta): Promise<CommitReport | undefined> {
    const parent = commit.parents[0];
    const [ownOid, parentOid] = await Promise.all([this.oidAt(commit.oid, LEDGER_PATH), parent ? this.oidAt(parent, LEDGER_PATH) : undefined]);
    if (ownOid === parentOid) return undefined;
    const [ownLedger, parentLedger, config] = await Promise.all([this.ledger(ownOid), this.ledger(parentOid), this.config(commit.oid, parent)]);
    const check = await checkCommit({
      root: this.root,
      parentLedger,
      ownLedger,
      config: config.get,
      configChanged: config.changed,
      readDocuments: commitDocuments(this.objects, commit.oid),
    });
    return { commit, ...check };
  }

  /** Of `ids`, those whose phase in the commit equals their phase in another parent than the first: a merge brought them in. */
  async broughtByMerge(commit: CommitMeta, ids: readonly string[]): Promise<Set<string>> {
    const brought = new Set<string>();
    const own = await this.ledger(await this.oidAt(commit.oid, LEDGER_PATH));
    for (const other of commit.parents.slice(1)) {
      const theirs = await this.ledger(await this.oidAt(other, LEDGER_PATH));
      const changed = new Set(ledgerDelta(theirs, own).changes.map((c) => c.id));
      for (const id of ids) if (!changed.has(id)) brought.add(id);
    }
    return brought;
  }

  private async oidAt(rev: string, path: string): Promise<string | undefined> {
    return this.objects.oid(`${rev}:${path}`);
  }

  private async ledger(oid: string | undefined): Promise<PreparedLedger | undefined> {
    if (oid === undefined) return undefined;
    let prepared = this.ledgers.get(oid);
    if (!prepared) {
      prepared = new PreparedLedger((await this.objects.text(oid)) ?? '');
      remember(this.ledgers, oid, prepared);
    }
    return prepared;
  }

  private async text(oid: string | undefined): Promise<string | undefined> {
    if (oid === undefined) return undefined;
    if (!this.texts.has(oid)) remember(this.texts, oid, await this.objects.text(oid));
    return this.texts.get(oid);
  }

  /** Judged with the parent's config (see `gateConfig`); parsed on demand, once per pair of config versions. */
  private async config(rev: string, parent: string | undefined): Promise<{ get: () => ReturnType<typeof gateConfig>; changed: boolean }> {
    const [ownOid, parentOid] = await Promise.all([this.oidAt(rev, CONFIG_PATH), parent ? this.oidAt(parent, CONFIG_PATH) : undefined]);
    const key = `${parent ? 'p' : 'root'}:${parentOid ?? '-'}:${ownOid ?? '-'}`;
    const [ownText, parentText] = this.configs.has(key) ? [undefined, undefined] : await Promise.all([this.text(ownOid), this.text(parentOid)]);
    const get = () => {
      let config = this.configs.get(key);
      if (!config) {
        config = gateConfig({ hasParent: parent !== undefined, parentText, ownText });
        remember(this.configs, key, config);
      }
      return config;
    };
    return { get, changed: ownOid !== parentOid };
  }
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
}
