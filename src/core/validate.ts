import type { Config } from './config.js';
import { warning, type Finding } from './finding.js';
import { checkTransition, type FeatureDocuments } from './gates.js';
import type { LedgerFeature } from './ledger.js';
import { nextPhase } from './phase.js';
import { normaliseSpecPath } from './spec-path.js';

/**
 * What `validate` says about one feature: the gates of every phase up to its recorded one must
 * hold (errors), and the gate of the next phase is shown as advice (warnings).
 */
export function validateFeature(f: LedgerFeature, docs: FeatureDocuments, config: Config, repoRoot?: string): Finding[] {
  const findings: Finding[] = [];
  const path = normaliseSpecPath(f.spec_path, repoRoot);
  if (path.ok && path.path !== f.spec_path)
    findings.push(
      warning('spec_path.noncanonical', `${f.id}.spec_path "${f.spec_path}" should be "${path.path}"`, {
        feature: f.id,
        file: '.maestro/ledger.yaml',
        line: f.line,
        hint: 'Run `specflow doctor --fix` (or let specflowd repair it).',
      }),
    );
  if (f.status) return findings;
  findings.push(...checkTransition('none', f.phase, f, docs, config));
  const next = nextPhase(f.phase);
  if (next) {
    for (const advice of checkTransition(f.phase, next, f, docs, config))
      findings.push({ ...advice, severity: 'warning', message: `before ${next}: ${advice.message}` });
  }
  return findings;
}
