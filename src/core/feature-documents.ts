import type { Config } from './config.js';
import { unreadable } from './document-text.js';
import type { FeatureDocument, FeatureDocuments } from './gates.js';
import { normaliseSpecPath } from './spec-path.js';

/**
 * The three documents of a feature, read through `read`. A `spec_path` that is not a safe
 * repo-relative folder yields findings instead of reads.
 */
export function featureDocuments(
  specPath: string,
  config: Config,
  read: (rel: string) => FeatureDocument,
  repoRoot?: string,
): FeatureDocuments {
  const check = normaliseSpecPath(specPath, repoRoot?.replace(/\\/g, '/'));
  const files = { spec: config.gates.specify.file, plan: config.gates.plan.file, tasks: config.gates.tasks.file };
  if (!check.ok) {
    const bad = (file: string) => unreadable(`${specPath}/${file}`, 'spec_path.invalid', check.reason, 'Set spec_path to the feature folder, relative to the repository root.');
    return { spec: bad(files.spec), plan: bad(files.plan), tasks: bad(files.tasks) };
  }
  return {
    spec: read(`${check.path}/${files.spec}`),
    plan: read(`${check.path}/${files.plan}`),
    tasks: read(`${check.path}/${files.tasks}`),
  };
}
