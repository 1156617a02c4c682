import { isAbsolute, relative, resolve } from 'node:path';
import { warning, type Finding } from '../../core/finding.js';
import { planImport, type ImportPlan } from '../../core/import-plan.js';
import { surveyFolders } from '../../core/layout.js';
import { addFeature, updateFeature } from '../../core/ledger.js';
import { phaseAhead } from '../../core/phase-check.js';
import { matchKey } from '../../core/reconcile.js';
import { UsageError } from '../../core/errors.js';
import { readFeaturesTable } from './features-db.js';
import { updateLedger } from '../../store/ledger-store.js';
import { scanSpecsDir } from '../../tree/specs-tree.js';
import { findFeature, openWorkspace } from '../../tree/workspace.js';
import type { CommandResult, ImportResult } from '../../core/command-results.js';
import type { Context } from '../../ui/context.js';

/**
 * `specflow import <features.db>`: brings a SpecFlow database's features into the ledger (see
 * planImport for the rules), then checks every imported phase against its gates and reports
 * the phases the documents do not back. Exit 0 once the ledger is written; the findings say
 * what `validate` will hold against it.
 */
export async function importFeatures(ctx: Context, dbPath: string): Promise<CommandResult<ImportResult>> {
  const ws = openWorkspace(ctx.cwd);
  const file = resolve(ctx.cwd, dbPath);
  const rel = relative(ws.root, file);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new UsageError(`${dbPath} is outside the repository`, 'Copy features.db into the repository (e.g. .specflow/features.db) and import that.', 'import.outside');
  const shown = rel.split('\\').join('/');
  const table = await readFeaturesTable(file, shown);
  const survey = surveyFolders(scanSpecsDir(ws.tree, ws.config), ws.config.id_scheme);
  const folders = new Map(survey.features.map((f) => [matchKey(f.id!), f.path]));

  const update = updateLedger(ws.root, (ledger, doc) => {
    const plan = planImport(table.rows, { ledger: ledger.features, specsDir: ws.config.specs_dir, repoRoot: ws.root.replace(/\\/g, '/'), folders });
    for (const f of plan.features) {
      if (f.action === 'add') addFeature(doc, f.id, f.fields);
      else updateFeature(doc, f.id, f.fields);
    }
    return plan;
  });
  const plan: ImportPlan = update.result;

  const findings: Finding[] = [...plan.findings];
  if (table.walPending)
    findings.unshift(
      warning('import.wal-pending', `${shown}-wal holds changes that may not be in ${shown} yet`, {
        file: `${shown}-wal`,
        hint: 'Close SpecFlow (or run `sqlite3 <db> "PRAGMA wal_checkpoint"`), then import again.',
      }),
    );
  const after = openWorkspace(ctx.cwd).ledger;
  for (const f of plan.features) {
    const entry = findFeature(after, f.id);
    if (entry.phase === 'none' || entry.status) continue;
    findings.push(...phaseAhead(entry, ws.tree.featureDocuments(entry.spec_path, ws.config), ws.config));
  }

  return { exitCode: 0, data: { database: shown, changed: update.changed, imported: plan.features, left: plan.left, findings } };
}
