import { refuseInvalidConfig, type Config } from '../core/config.js';
import { canonicalId, sameFeature } from '../core/feature-id.js';
import type { Finding } from '../core/finding.js';
import { refuseUnreadable, type LedgerFeature, type ParsedLedger } from '../core/ledger.js';
import { UsageError } from '../core/errors.js';
import { loadConfig } from '../store/config-store.js';
import { WorkingTree } from './working-tree.js';
import { loadLedger } from '../store/ledger-store.js';
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
  refuseInvalidConfig(findings);
  const ledger = loadLedger(root);
  refuseUnreadable(ledger.findings);
  return { root, tree: new WorkingTree(root), config, configFindings: findings, ledger };
}

/** Markdown emphasis, code ticks and quotes around an id, as copied from `- **Feature ID:** F-12`. */
const DECORATION = /^[*_`'"]+|[*_`'"]+$/g;

/**
 * The ledger entry for an id as the user typed it (`f-12`, `F-12`, `**F-12`), or exit 2. An
 * exact or canonical match wins; otherwise the one entry with the same number (`F-4` for
 * `F-004`, `001` for `1`).
 */
export function findFeature(ledger: ParsedLedger, raw: string): LedgerFeature {
  const typed = raw.trim().replace(DECORATION, '');
  const want = canonicalId(typed) ?? typed;
  const found = ledger.features.find((f) => f.id === typed) ?? ledger.features.find((f) => (canonicalId(f.id) ?? f.id) === want);
  if (found) return found;
  const same = ledger.features.filter((f) => sameFeature(f.id, typed));
  if (same.length === 1) return same[0]!;
  const known = ledger.features.map((f) => f.id);
  throw new UsageError(
    same.length > 1 ? `"${raw}" could name ${same.map((f) => f.id).join(' or ')}` : `unknown feature "${raw}"`,
    known.length ? `Known features: ${known.join(', ')}` : 'The ledger has no features yet; add one with `specflow add <name>`.',
    'feature.unknown',
  );
}
