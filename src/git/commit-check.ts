import { gatedMoves, judgeCommit, type CommitVerdict } from '../core/commit-gate.js';
import { defaultConfig, type Config } from '../core/config.js';
import type { Finding } from '../core/finding.js';
import type { FeatureDocument, FeatureDocuments } from '../core/gates.js';
import { ledgerDelta, type LedgerDelta, type PreparedLedger } from '../core/ledger-delta.js';
import { featureDocuments } from '../core/feature-documents.js';
import type { DocumentReader } from './documents.js';

/**
 * Gather → decide for one commit (or the index about to become one): which documents the
 * delta's forward moves need, read them where the commit has them, and let the one deciding
 * function judge. Every caller — hooks, `verify`, `log`, `validate --staged` — comes through here.
 */
export interface CommitInput {
  root: string;
  parentLedger: PreparedLedger | undefined;
  ownLedger: PreparedLedger | undefined;
  /**
   * From `gateConfig`: the parent's config, and what blocks in the commit's own. Called only
   * when something needs it — a forward move, or a commit that changes the config — since
   * parsing YAML is a good part of a hook's cost.
   */
  config: () => { config: Config; blocking: Finding[] };
  /** Whether the commit changes `.maestro/config.yaml`. */
  configChanged: boolean;
  readDocuments: DocumentReader;
}

export interface CommitCheck {
  delta: LedgerDelta;
  verdict: CommitVerdict;
}

export async function checkCommit(input: CommitInput): Promise<CommitCheck> {
  const delta = ledgerDelta(input.parentLedger, input.ownLedger);
  const moves = gatedMoves(delta);
  if (moves.length === 0 && !input.configChanged) return { delta, verdict: judgeCommit(delta, defaultConfig(), new Map()) };
  const { config, blocking } = input.config();
  const docs = new Map<string, FeatureDocuments>();
  if (moves.length > 0) {
    const wanted = new Set<string>();
    const record = (rel: string): FeatureDocument => {
      wanted.add(rel);
      return { path: rel, text: undefined };
    };
    for (const m of moves) featureDocuments(m.feature.spec_path, config, record, input.root);
    const read = await input.readDocuments([...wanted]);
    for (const m of moves)
      docs.set(m.id, featureDocuments(m.feature.spec_path, config, (rel) => read.get(rel) ?? { path: rel, text: undefined }, input.root));
  }
  return { delta, verdict: judgeCommit(delta, config, docs, blocking) };
}
