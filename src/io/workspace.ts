import type { Config } from '../core/config.js';
import { canonicalId } from '../core/feature-id.js';
import type { Finding } from '../core/finding.js';
import type { LedgerFeature, ParsedLedger } from '../core/ledger.js';
import { UsageError } from '../errors.js';
import { loadConfig } from './config-store.js';
import { WorkingTree } from './documents.js';
import { loadLedger } from './ledger-store.js';
import { findRepoRoot } from './repo.js';

/** Everything a command reads before deciding: repository, config, ledger. */
export interface Workspace {
  root: string;
  tree: WorkingTree;
  config: Config;
  configFindings: Finding[];
  ledger: ParsedLedger;
}

export function openWorkspace(cwd: string): Workspace {
  const root = findRepoRoot(cwd);
  const { config, findings } = loadConfig(root);
  const ledger = loadLedger(root);
  return { root, tree: new WorkingTree(root), config, configFindings: findings, ledger };
}

/** The ledger entry for an id as the user typed it (`f-12`, `F-12`, `012`), or exit 2. */
export function findFeature(ledger: ParsedLedger, raw: string): LedgerFeature {
  const want = canonicalId(raw) ?? raw;
  const found = ledger.features.find((f) => f.id === raw) ?? ledger.features.find((f) => (canonicalId(f.id) ?? f.id) === want);
  if (found) return found;
  const known = ledger.features.map((f) => f.id);
  throw new UsageError(
    `unknown feature "${raw}"`,
    known.length ? `Known features: ${known.join(', ')}` : 'The ledger has no features yet; add one with `specflow add <name>`.',
    'feature.unknown',
  );
}
