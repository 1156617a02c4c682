import { hasErrors, type Finding } from '../core/finding.js';
import type { LedgerFeature } from '../core/ledger.js';
import { validateFeature } from '../core/validate.js';
import { EXIT } from '../core/errors.js';
import { openStagedWorkspace } from '../git/staged-workspace.js';
import { findFeature, openWorkspace } from '../tree/workspace.js';
import type { CommandResult, ValidateResult } from '../core/command-results.js';
import type { Context } from '../ui/context.js';

/** With `staged`, the ledger, config and documents come from the index: what the next commit would hold. */
export async function validate(ctx: Context, rawId: string | undefined, options: { staged?: boolean } = {}): Promise<CommandResult<ValidateResult>> {
  const ws = options.staged ? await openStagedWorkspace(ctx.cwd) : workingTree(ctx.cwd);
  const features = rawId === undefined ? ws.ledger.features : [findFeature(ws.ledger, rawId)];
  const findings: Finding[] = [...ws.configFindings, ...ws.ledger.findings.filter((f) => rawId === undefined || f.feature === features[0]?.id)];
  const perFeature = features.map((f) => {
    const own = validateFeature(f, ws.documents(f), ws.config, ws.root);
    findings.push(...own);
    return { id: f.id, phase: f.phase, ok: !hasErrors(own), findings: own };
  });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  return {
    exitCode: errors ? EXIT.failed : EXIT.ok,
    data: { summary: { features: features.length, errors, warnings }, features: perFeature, findings },
  };
}

function workingTree(cwd: string) {
  const ws = openWorkspace(cwd);
  return { ...ws, documents: (f: LedgerFeature) => ws.tree.featureDocuments(f.spec_path, ws.config) };
}
