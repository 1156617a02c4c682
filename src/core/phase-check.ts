import type { Config } from './config.js';
import { error, type Finding } from './finding.js';
import { checkTransition, type FeatureDocuments } from './gates.js';
import { LEDGER_PATH, type LedgerFeature } from './ledger.js';
import { GLYPHS, phaseIndex, type Phase } from './phase.js';

/**
 * The files (names inside the feature folder) the gates up to `phase` read, so a checker need
 * not read the others. The layout's evidence files count from the plan gate on: a passed
 * verification record meets the plan's testing topic, and is the complete gate's other record.
 */
export function documentsNeeded(phase: Phase, config: Config): string[] {
  const i = phaseIndex(phase);
  const files: string[] = [];
  if (i >= phaseIndex('specify')) files.push(config.gates.specify.file);
  if (i >= phaseIndex('plan')) files.push(config.gates.plan.file, ...config.gates.complete.evidence);
  if (i >= phaseIndex('tasks')) files.push(config.gates.tasks.file);
  return files;
}

/**
 * "A phase ahead of its documents" (DESIGN §6): reported, never repaired — only a person can
 * say whether the documents or the phase are wrong. One finding per feature, naming the gate
 * findings by code; `specflow validate <id>` shows them in full.
 */
export function phaseAhead(feature: LedgerFeature, docs: FeatureDocuments, config: Config): Finding[] {
  const failed = checkTransition('none', feature.phase, feature, docs, config).filter((f) => f.severity === 'error');
  if (failed.length === 0) return [];
  const counts = new Map<string, number>();
  for (const f of failed) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  const summary = [...counts].map(([code, n]) => (n > 1 ? `${code} ×${n}` : code)).join(', ');
  return [
    error('phase.ahead', `phase ${GLYPHS[feature.phase]} ${feature.phase} is ahead of the documents: ${summary}`, {
      feature: feature.id,
      file: LEDGER_PATH,
      ...(feature.line > 0 ? { line: feature.line } : {}),
      hint: `\`specflow validate ${feature.id}\` shows each problem. Fix the documents, or move the phase back with \`specflow phase ${feature.id} <phase>\`.`,
    }),
  ];
}
