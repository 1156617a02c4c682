import { approvalsTrusted, recordedApprovals, type ApprovalCheck, type ApprovalEvidence } from '../core/approvals.js';
import type { Config } from '../core/config.js';
import { decidesGates, gateConfig, gatedMoves, judgeCommit, MAX_CONFIG_ANCESTORS, usableConfig, type CommitExtras, type CommitVerdict, type ConfigCandidate } from '../core/commit-gate.js';
import { stateFindings, type MaestroState } from '../core/commit-state.js';
import { CONFIG_PATH, defaultConfig } from '../core/config.js';
import { featureDocuments } from '../core/feature-documents.js';
import type { Finding } from '../core/finding.js';
import type { FeatureDocument, FeatureDocuments } from '../core/gates.js';
import type { PathChange } from '../core/git-format.js';
import { ledgerDelta, type LedgerDelta, type PreparedLedger } from '../core/ledger-delta.js';
import type { LedgerFeature } from '../core/ledger.js';
import { touchedFeatures } from '../core/touched.js';
import type { DocumentReader } from './documents.js';

/**
 * Gather → decide for one commit (or the index about to become one). Every caller — the commit
 * hooks, pre-push, the server's pre-receive, `verify`, `log`, `validate --staged` — comes
 * through here with the two sides of the commit and what changed between them; they differ
 * only in where the bytes come from (the index, or a commit's tree).
 */
export interface Side {
  /** Modes of `.maestro`, the ledger and the config. */
  state: MaestroState;
  /** The ledger, when `state` says it is a regular file under a real `.maestro`. */
  ledger: PreparedLedger | undefined;
  /** The config's text, under the same condition. */
  configText: string | undefined;
}

export interface CommitInput {
  root: string;
  own: Side;
  /** The first parent (HEAD for the index); undefined for a root commit. */
  parent: Side | undefined;
  /** What the commit adds, changes or removes against its first parent. */
  changes: readonly PathChange[];
  /** The first parent, then its first parent, and so on: read only as far as the gates in force need. */
  ancestors: () => AsyncIterator<ConfigCandidate>;
  readDocuments: DocumentReader;
  /** The commit message's `Specflow-Phase` values (none yet at pre-commit). */
  trailers?: readonly string[];
  /** For a merge: the features whose entry (and folder) this commit took unchanged from another parent. */
  merged?: (candidates: readonly LedgerFeature[]) => Promise<Set<string>>;
  /** Trusted approvals (approvers in the config): who made the commit, its signature when `signature` is asked, the spec blobs of `features`. */
  approvals?: (features: readonly LedgerFeature[], config: Config, signature: boolean) => Promise<ApprovalEvidence>;
}

export interface CommitCheck {
  delta: LedgerDelta;
  verdict: CommitVerdict;
  /** Whether the commit touches anything the gates look at; an untouched commit is not reported. */
  relevant: boolean;
  /** For a merge: features it took unchanged from another parent (their moves were made, and judged, there). */
  merged: Set<string>;
  /** Trail events besides phase moves (`log`): the approvals this commit records, and whether it changes the config. */
  events: { approvals: { id: string; by: string }[]; config: boolean };
}

export const candidateOf = (side: Side): ConfigCandidate => ({ hasLedger: side.ledger !== undefined, configText: side.configText });

export async function checkCommit(input: CommitInput): Promise<CommitCheck> {
  const stateBlocking = stateFindings(input.own.state);
  const delta = ledgerDelta(input.parent?.ledger, input.own.ledger);
  const touchesMaestro = input.changes.some((c) => c.path === '.maestro' || c.path.startsWith('.maestro/'));
  const moves = gatedMoves(delta);
  const touched = touchedFeatures(input.own.ledger, delta, input.changes);
  const trailers = input.trailers ?? [];
  const relevant = touchesMaestro || moves.length > 0 || touched.length > 0 || trailers.length > 0 || delta.changes.length > 0 || stateBlocking.length > 0;
  const events = {
    approvals: recordedApprovals(delta.changedEntries.values(), (f) => input.parent?.ledger?.feature(f.id)?.approved).map((f) => ({ id: f.id, by: f.approved!.by })),
    config: input.changes.some((c) => c.path === CONFIG_PATH),
  };
  if (!relevant) return { delta, relevant, merged: new Set(), events, verdict: judgeCommit(delta, defaultConfig(), new Map(), stateBlocking) };

  const { config, blocking } = await gatesInForce(input);
  const docs = new Map<string, FeatureDocuments>();
  const needed = new Map<string, LedgerFeature>();
  for (const m of moves) needed.set(m.id, m.feature);
  for (const f of touched) if (!needed.has(f.id)) needed.set(f.id, f);
  if (needed.size > 0) {
    const wanted = new Set<string>();
    const record = (rel: string): FeatureDocument => {
      wanted.add(rel);
      return { path: rel, text: undefined };
    };
    for (const f of needed.values()) featureDocuments(f.spec_path, config, record, input.root);
    const read = await input.readDocuments([...wanted]);
    for (const [id, f] of needed) docs.set(id, featureDocuments(f.spec_path, config, (rel) => read.get(rel) ?? { path: rel, text: undefined }, input.root));
  }
  const newConfig = await configChange(input);
  const merged = input.merged ? await input.merged([...new Map([...delta.after, ...needed]).values()]) : undefined;
  const approvals = await approvalCheck(input, config, delta, [...needed.values()]);
  const extra: Finding[] = [...stateBlocking, ...blocking];
  return {
    delta,
    relevant,
    merged: merged ?? new Set(),
    events,
    verdict: judgeCommit(delta, config, docs, extra, {
      touched,
      ...(input.trailers ? { trailers: input.trailers } : {}),
      ...(merged ? { merged } : {}),
      ...(newConfig ? { newConfig } : {}),
      ...(approvals ? { approvals } : {}),
    }),
  };
}

/** What trusted approvals need, when the config names approvers: the approvals this commit records and those its moves and edits rely on. */
async function approvalCheck(input: CommitInput, config: Config, delta: LedgerDelta, needed: readonly LedgerFeature[]): Promise<ApprovalCheck | undefined> {
  if (!approvalsTrusted(config) || !input.approvals) return undefined;
  const recorded = recordedApprovals(delta.changedEntries.values(), (f) => input.parent?.ledger?.feature(f.id)?.approved);
  const standing = needed.filter((f) => f.approved?.spec);
  if (!recorded.length && !standing.length) return undefined;
  const features = [...new Map([...recorded, ...standing].map((f) => [f.id, f])).values()];
  return { ...(await input.approvals(features, config, recorded.length > 0)), recorded, standing };
}

/**
 * When the commit changes the config: every feature of its ledger and their documents, read
 * under the new config, so that the commit is judged to leave them passing under it (the next
 * commit's gates). Undefined when the config is unchanged or cannot be used (that blocks anyway).
 */
async function configChange(input: CommitInput): Promise<CommitExtras['newConfig']> {
  if (!input.parent || input.own.configText === input.parent.configText || !input.own.ledger) return undefined;
  const config = input.own.configText === undefined ? defaultConfig() : usableConfig(input.own.configText);
  const whole = input.own.ledger.full();
  if (!config || !('features' in whole)) return undefined;
  const features = whole.features.filter((f) => f.status !== 'skipped' && f.phase !== 'none');
  const wanted = new Set<string>();
  const record = (rel: string): FeatureDocument => {
    wanted.add(rel);
    return { path: rel, text: undefined };
  };
  for (const f of features) featureDocuments(f.spec_path, config, record, input.root);
  const read = wanted.size ? await input.readDocuments([...wanted]) : new Map<string, FeatureDocument>();
  const docs = new Map(features.map((f) => [f.id, featureDocuments(f.spec_path, config, (rel) => read.get(rel) ?? { path: rel, text: undefined }, input.root)]));
  return { config, features, docs };
}

/** The config of the nearest ancestor that settles it (see `gateConfig`); usually the parent. */
async function gatesInForce(input: CommitInput) {
  const ancestors: ConfigCandidate[] = [];
  if (input.parent) {
    const walk = input.ancestors();
    for (;;) {
      const next = await walk.next();
      if (next.done) break;
      ancestors.push(next.value);
      if (decidesGates(next.value) || ancestors.length >= MAX_CONFIG_ANCESTORS) break;
    }
  }
  return gateConfig(candidateOf(input.own), ancestors);
}
