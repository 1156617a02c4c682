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
  const docs: FeatureDocuments = {
    spec: read(`${check.path}/${files.spec}`),
    plan: read(`${check.path}/${files.plan}`),
    tasks: read(`${check.path}/${files.tasks}`),
  };
  const evidence = config.gates.complete.evidence;
  if (evidence.length) docs.evidence = evidence.map((file) => read(`${check.path}/${file}`));
  if (inArchive(check.path, config)) docs.archived = true;
  return docs;
}

/** Does the folder lie directly in a root marked `archive` (OpenSpec's `changes/archive/`)? */
export function inArchive(folder: string, config: Config): boolean {
  const parent = folder.slice(0, Math.max(0, folder.lastIndexOf('/')));
  return config.roots.some((r) => r.archive === true && r.path === parent);
}
