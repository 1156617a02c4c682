import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { hasErrors, type Finding } from '../core/finding.js';
import { checkTransition } from '../core/gates.js';
import { foreignFolder } from '../core/own-folder.js';
import { updateFeature, type LedgerFeature } from '../core/ledger.js';
import { isPhase, PHASES, phaseIndex, type Phase } from '../core/phase.js';
import { normaliseSpecPath } from '../core/spec-path.js';
import { planTemplate, specTemplate, tasksTemplate } from '../core/templates.js';
import { EXIT, UsageError } from '../core/errors.js';
import { CURRENT_FEATURE_PATH, currentFeatureId } from '../store/current-feature.js';
import { updateLedger } from '../store/ledger-store.js';
import { findFeature, openWorkspace, type Workspace } from '../tree/workspace.js';
import type { AdvanceResult, CommandResult } from '../core/command-results.js';
import type { Context } from '../ui/context.js';

/** The document a phase writes, and its template. */
function documentFor(phase: Phase, f: LedgerFeature, config: Config): { file: string; text: string } | undefined {
  const subject = { id: f.id, name: f.name };
  if (phase === 'specify') return { file: config.gates.specify.file, text: specTemplate(subject, config) };
  if (phase === 'plan') return { file: config.gates.plan.file, text: planTemplate(subject, config) };
  if (phase === 'tasks') return { file: config.gates.tasks.file, text: tasksTemplate(subject) };
  return undefined;
}

/** Writes the phase's document from its template when it is missing; returns its path when written. */
function writeTemplate(ws: Workspace, f: LedgerFeature, phase: Phase): string | undefined {
  const doc = documentFor(phase, f, ws.config);
  const dir = normaliseSpecPath(f.spec_path, ws.root);
  if (!doc || !dir.ok) return undefined;
  const where = ws.tree.resolve(dir.path);
  if ('outside' in where) return undefined;
  const rel = `${dir.path}/${doc.file}`;
  const abs = join(ws.root, rel);
  if (existsSync(abs)) return undefined;
  const inside = ws.tree.resolve(rel);
  if ('outside' in inside) return undefined;
  mkdirSync(join(ws.root, dir.path), { recursive: true });
  writeFileSync(abs, doc.text, { flag: 'wx' });
  return rel;
}

export interface AdvanceOptions {
  /** `phase <id> <phase>` may also move backwards; the phase verbs only move forward. */
  allowBackward: boolean;
  /** The phase verbs write their document's template when it is missing. */
  writeTemplates: boolean;
}

export function advance(ctx: Context, rawId: string | undefined, target: string, options: AdvanceOptions): CommandResult<AdvanceResult> {
  if (!isPhase(target)) throw new UsageError(`unknown phase "${target}"`, `One of: ${PHASES.join(', ')}`, 'phase.unknown');
  const ws = openWorkspace(ctx.cwd);
  const id = rawId ?? currentFeatureId(ws.root);
  if (id === undefined)
    throw new UsageError(`which feature? name one, e.g. \`specflow ${target} F-12\``, `Or write "Feature ID: F-12" into ${CURRENT_FEATURE_PATH}.`, 'usage.feature');
  const feature = findFeature(ws.ledger, id);
  const written = options.writeTemplates ? writeTemplate(ws, feature, target) : undefined;
  const from = feature.phase;
  const base = { id: feature.id, from, to: target };
  const wrote = written ?? null;

  if (phaseIndex(target) <= phaseIndex(from) && !(options.allowBackward && target !== from)) {
    return { exitCode: EXIT.ok, data: { ...base, to: from, changed: false, written: wrote, findings: [] } };
  }

  const docs = ws.tree.featureDocuments(feature.spec_path, ws.config);
  // The phase a feature moves to must stand on every gate up to it, not only those crossed now:
  // the commit that records the move is judged the same way.
  // Moving back needs no gate here (the commit still wants the lower phase to stand).
  const foreign = foreignFolder(feature, ws.config);
  const back = phaseIndex(target) < phaseIndex(from);
  const findings: Finding[] = back ? [] : foreign ? [foreign] : checkTransition('none', target, feature, docs, ws.config);
  if (hasErrors(findings)) return { exitCode: EXIT.failed, data: { ...base, changed: false, written: wrote, findings } };

  const update = updateLedger(ws.root, (ledger, doc) => {
    // Judge against the phase as it is under the lock, not as read before.
    const now = findFeature(ledger, feature.id);
    if (now.phase !== from) throw new UsageError(`${feature.id} moved to ${now.phase} meanwhile; run the command again`, undefined, 'phase.changed');
    updateFeature(doc, now.id, { phase: target });
  });
  return { exitCode: EXIT.ok, data: { ...base, changed: update.changed, written: wrote, findings } };
}
