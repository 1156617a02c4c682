import { CONFIG_PATH, defaultConfig } from '../core/config.js';
import type { FeatureDocument, FeatureDocuments } from '../core/gates.js';
import { LEDGER_PATH, refuseUnreadable, type LedgerFeature } from '../core/ledger.js';
import { StateError } from '../core/errors.js';
import { parseConfigOrThrow } from '../store/config-store.js';
import { featureDocuments } from '../core/feature-documents.js';
import { indexDocuments } from './documents.js';
import { GitObjects } from './objects.js';
import { parseLedgerOrThrow } from '../store/ledger-store.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Workspace } from '../tree/workspace.js';

/**
 * The workspace as it is staged (`validate --staged`): ledger, config and every feature's
 * documents read from the index — what the next commit would contain — rather than the
 * working tree.
 */
export interface StagedWorkspace extends Omit<Workspace, 'tree'> {
  documents(feature: LedgerFeature): FeatureDocuments;
}

export async function openStagedWorkspace(cwd: string): Promise<StagedWorkspace> {
  const root = findRepoRoot(cwd);
  const objects = new GitObjects(root);
  try {
    const [ledgerText, configText] = await Promise.all([objects.text(`:${LEDGER_PATH}`), objects.text(`:${CONFIG_PATH}`)]);
    if (ledgerText === undefined) throw new StateError(`${LEDGER_PATH} is not in the index`, 'ledger.missing', 'Stage it (git add .maestro/ledger.yaml), or run validate without --staged.');
    const ledger = parseLedgerOrThrow(ledgerText);
    refuseUnreadable(ledger.findings);
    const { config, findings } = configText === undefined ? { config: defaultConfig(), findings: [] } : parseConfigOrThrow(configText);
    const wanted = new Set<string>();
    const record = (rel: string): FeatureDocument => (wanted.add(rel), { path: rel, text: undefined });
    for (const f of ledger.features) featureDocuments(f.spec_path, config, record, root);
    const read = await indexDocuments(objects, root)([...wanted]);
    const documents = (f: LedgerFeature) => featureDocuments(f.spec_path, config, (rel) => read.get(rel) ?? { path: rel, text: undefined }, root);
    return { root, config, configFindings: findings, ledger, documents };
  } finally {
    objects.close();
  }
}
