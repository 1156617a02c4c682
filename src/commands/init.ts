import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PATH } from '../core/config.js';
import { renderConfig, type ConfigProfile } from '../core/config-text.js';
import { featureNameFromFolder } from '../core/feature-name.js';
import { addFeature, emptyLedgerText, hasFeature, LEDGER_PATH, printable } from '../core/ledger.js';
import { loadConfig } from '../io/config-store.js';
import { WorkingTree } from '../io/documents.js';
import { installGitGate } from '../io/hook-install.js';
import { createLedgerIfMissing, updateLedger } from '../io/ledger-store.js';
import { findRepoRoot } from '../io/repo.js';
import { scanSpecsDir, type FeatureFolder } from '../io/specs-tree.js';
import type { Context, Outcome } from '../cli/context.js';

/** The layout a repository already uses: SpecFlow's `.specify/specs/` or spec-kit's `specs/NNN-slug/`. */
export function detectLayout(root: string): ConfigProfile {
  if (existsSync(join(root, '.specify', 'specs'))) return { specs_dir: '.specify/specs', id_scheme: 'specflow' };
  try {
    const numbered = readdirSync(join(root, 'specs'), { withFileTypes: true }).some((e) => e.isDirectory() && /^\d+-/.test(e.name));
    if (numbered) return { specs_dir: 'specs', id_scheme: 'spec-kit' };
  } catch {
    /* no specs/ folder */
  }
  return { specs_dir: '.specify/specs', id_scheme: 'specflow' };
}

/** A readable name for a feature folder: from the spec's title when there is one, else the slug. */
export function nameFromFolder(tree: WorkingTree, folder: FeatureFolder): string {
  const spec = tree.readDocument(`${folder.path}/spec.md`);
  return featureNameFromFolder(folder.name, spec.text && !spec.unreadable ? spec.text : undefined);
}

export interface InitReport {
  root: string;
  created: string[];
  registered: { id: string; spec_path: string }[];
  ignored: { path: string; reason: string }[];
  steps: string[];
}

/** Extra set-up steps (hook installation, merge driver) plug in here; each returns what it did. */
export type InitStep = (root: string) => string[];
const steps: InitStep[] = [];
export function registerInitStep(step: InitStep): void {
  steps.push(step);
}
// The git gate (DESIGN §5): hook shims and the ledger merge driver.
registerInitStep(installGitGate);

export function init(ctx: Context): Outcome {
  const root = findRepoRoot(ctx.cwd);
  const created: string[] = [];
  mkdirSync(join(root, '.maestro'), { recursive: true });

  if (!existsSync(join(root, CONFIG_PATH))) {
    writeFileSync(join(root, CONFIG_PATH), renderConfig(detectLayout(root)), { flag: 'wx' });
    created.push(CONFIG_PATH);
  }
  const ignore = join(root, '.maestro', '.gitignore');
  const ignoreText = existsSync(ignore) ? readFileSync(ignore, 'utf8') : undefined;
  if (ignoreText === undefined) {
    writeFileSync(ignore, 'run/\n');
    created.push('.maestro/.gitignore');
  } else if (!/^\/?run\/?\s*$/m.test(ignoreText)) {
    writeFileSync(ignore, `${ignoreText}${ignoreText.endsWith('\n') || ignoreText === '' ? '' : '\n'}run/\n`);
  }
  if (createLedgerIfMissing(root, emptyLedgerText())) created.push(LEDGER_PATH);

  const { config } = loadConfig(root);
  const tree = new WorkingTree(root);
  const folders = scanSpecsDir(tree, config);
  const ignored: InitReport['ignored'] = [];
  const byId = new Map<string, FeatureFolder[]>();
  for (const folder of folders) {
    if (!folder.id) {
      ignored.push({ path: folder.path, reason: `name does not start with a feature id (${config.id_scheme === 'spec-kit' ? 'NNN-' : 'f-N-'})` });
      continue;
    }
    byId.set(folder.id, [...(byId.get(folder.id) ?? []), folder]);
  }
  const registered: InitReport['registered'] = [];
  updateLedger(root, (ledger, doc) => {
    const known = new Set(ledger.features.map((f) => f.id));
    for (const [id, claimants] of byId) {
      if (claimants.length > 1) {
        for (const c of claimants) ignored.push({ path: c.path, reason: `${claimants.length} folders claim id ${id}; rename one, then run init again` });
        continue;
      }
      const folder = claimants[0]!;
      if (known.has(id) || hasFeature(doc, id)) continue;
      addFeature(doc, id, { name: nameFromFolder(tree, folder), phase: 'none', spec_path: folder.path });
      registered.push({ id, spec_path: folder.path });
    }
  });

  const done = steps.flatMap((step) => step(root));
  const s = ctx.style;
  const lines = [`specflow initialised in ${root}`];
  for (const c of created) lines.push(`  created ${c}`);
  if (registered.length) lines.push(`  registered ${registered.length} feature folder(s) at ○ none: ${registered.map((r) => r.id).join(', ')}`);
  for (const i of ignored) lines.push(s.dim(`  ignored ${printable(i.path)}: ${i.reason}`));
  for (const d of done) lines.push(`  ${d}`);
  if (!created.length && !registered.length && !done.length) lines.push('  already set up; nothing to do');
  const report: InitReport = { root, created, registered, ignored, steps: done };
  return { exitCode: 0, json: report, text: lines.join('\n') };
}
