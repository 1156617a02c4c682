import { configAsWritten } from './config-text.js';
import { CONFIG_PATH, ConfigSyntaxError, defaultConfig, parseConfig, type Config } from './config.js';
import { error, hasErrors, type Finding } from './finding.js';
import { checkTransition, type FeatureDocuments } from './gates.js';
import type { LedgerDelta } from './ledger-delta.js';
import { gatedMoves, phaseMoves, type PhaseMove } from './phase-moves.js';

export { gatedMoves, hasTrailer, PHASE_TRAILER, phaseMoves, trailerValue, type GatedMove, type PhaseMove } from './phase-moves.js';

/**
 * The one function that decides whether a commit may change the ledger the way it does
 * (DESIGN §5). pre-commit, pre-merge-commit, pre-push, `verify` and `log` all call it; they
 * differ only in where the texts and documents come from (the index, or a commit's tree).
 *
 * gather: `ledgerDelta(parent, new)` → `gatedMoves(delta)` names the features whose documents
 * must be read → the caller reads them at the new commit → decide: `judgeCommit`.
 */
export interface GateOutcome {
  move: PhaseMove;
  /** Errors only: what stands between the feature and its new phase. */
  findings: Finding[];
  held: boolean;
}

export interface CommitVerdict {
  ok: boolean;
  /** Every phase change in the commit, forward and backward. */
  moves: PhaseMove[];
  /** One outcome per forward move. */
  gates: GateOutcome[];
  /** Ledger (or config) problems that block the commit on their own. */
  blocking: Finding[];
}

/**
 * Decides a commit. `docs` holds, by feature id, the documents of every gated move as they are
 * in the commit (or the index) being judged; a feature without documents fails its gate.
 */
export function judgeCommit(delta: LedgerDelta, config: Config, docs: ReadonlyMap<string, FeatureDocuments>, extraBlocking: Finding[] = []): CommitVerdict {
  const gates = gatedMoves(delta).map((m): GateOutcome => {
    const move: PhaseMove = { id: m.id, from: m.from, to: m.to, kind: m.kind };
    const found = docs.get(m.id) ?? missingDocuments(m.feature.spec_path, config);
    const findings = checkTransition(m.from, m.to, m.feature, found, config).filter((f) => f.severity === 'error');
    return { move, findings, held: !hasErrors(findings) };
  });
  const blocking = [...delta.blocking, ...extraBlocking];
  return { ok: blocking.length === 0 && gates.every((g) => g.held), moves: phaseMoves(delta), gates, blocking };
}

function missingDocuments(specPath: string, config: Config): FeatureDocuments {
  const at = (file: string) => ({ path: `${specPath}/${file}`, text: undefined });
  return { spec: at(config.gates.specify.file), plan: at(config.gates.plan.file), tasks: at(config.gates.tasks.file) };
}

/**
 * The config a commit's gates are judged with: its parent's, so that a gate cannot be loosened
 * and passed in one commit. A root commit has no parent and uses its own. A config that
 * cannot be parsed counts as absent (defaults); when the commit itself brings an unparsable
 * config, that blocks.
 */
export function gateConfig(input: { hasParent: boolean; parentText: string | undefined; ownText: string | undefined }): { config: Config; blocking: Finding[] } {
  const own = input.ownText === undefined ? undefined : tryConfig(input.ownText);
  // Most commits leave the config alone: parse it once.
  if (input.hasParent && input.ownText === input.parentText) return { config: own instanceof ConfigSyntaxError || own === undefined ? defaultConfig() : own, blocking: [] };
  const blocking = own instanceof ConfigSyntaxError && input.ownText !== input.parentText ? [configFinding(own)] : [];
  const pick = (c: Config | ConfigSyntaxError | undefined) => (c === undefined || c instanceof ConfigSyntaxError ? undefined : c);
  if (!input.hasParent) return { config: pick(own) ?? defaultConfig(), blocking };
  const parent = input.parentText === undefined ? defaultConfig() : tryConfig(input.parentText);
  return { config: pick(parent) ?? pick(own) ?? defaultConfig(), blocking };
}

function tryConfig(text: string): Config | ConfigSyntaxError {
  const asWritten = configAsWritten(text);
  if (asWritten) return asWritten;
  try {
    return parseConfig(text).config;
  } catch (e) {
    if (e instanceof ConfigSyntaxError) return e;
    throw e;
  }
}

function configFinding(e: ConfigSyntaxError): Finding {
  return error('config.unparsable', e.message, {
    file: CONFIG_PATH,
    ...(e.line ? { line: e.line } : {}),
    hint: `Fix ${CONFIG_PATH} before committing it; specflow cannot read it.`,
  });
}
