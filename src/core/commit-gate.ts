import { approvalFindings, type ApprovalCheck } from './approvals.js';
import { configAsWritten } from './config-text.js';
import { CONFIG_PATH, ConfigSyntaxError, defaultConfig, parseConfig, type Config } from './config.js';
import { error, hasErrors, type Finding } from './finding.js';
import { canonicalId, sameFeature } from './feature-id.js';
import { foreignFolder } from './own-folder.js';
import { checkTransition, type FeatureDocuments } from './gates.js';
import type { LedgerFeature } from './ledger.js';
import { isPhase, type Phase } from './phase.js';
import type { LedgerDelta } from './ledger-delta.js';
import { gatedMoves, phaseMoves, type PhaseMove } from './phase-moves.js';

export { foreignFolder } from './own-folder.js';
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

/** A feature whose documents (or entry) the commit changes without moving it forward: they must still pass every gate up to its phase. */
export interface RegressionOutcome {
  id: string;
  phase: Phase;
  findings: Finding[];
  held: boolean;
}

export interface CommitVerdict {
  ok: boolean;
  /** Every phase change in the commit, forward and backward. */
  moves: PhaseMove[];
  /** One outcome per forward move. */
  gates: GateOutcome[];
  /** One outcome per feature whose documents changed under it (regression: block or warn). */
  regressions: RegressionOutcome[];
  /** Problems that block the commit on their own: ledger or config, `.maestro` state, lying trailers. */
  blocking: Finding[];
  /** Reported, not blocking (regressions under `regression: warn`). */
  warnings: Finding[];
}

/** What a commit changes besides its ledger's phases: the features whose documents or entries it touches, and its message's trailers. */
export interface CommitExtras {
  /** Entries at this commit (not skipped) whose folder content or entry changed. */
  touched?: readonly LedgerFeature[];
  /** `Specflow-Phase` values of the commit message; undefined when there is no message yet (pre-commit). */
  trailers?: readonly string[];
  /** Features a merge took as they were in a parent other than the first: not this commit's doing. */
  merged?: ReadonlySet<string>;
  /** When the commit changes the config: every feature of its ledger with its documents, to be judged under that new config. */
  newConfig?: { config: Config; features: readonly LedgerFeature[]; docs: ReadonlyMap<string, FeatureDocuments> };
  /** With approvers in the config: who made the commit, its signature, and the approvals it records or relies on. */
  approvals?: ApprovalCheck;
}

/**
 * Decides a commit. `docs` holds, by feature id, the documents of every gated move and every
 * touched feature as they are in the commit (or the index) being judged; a feature without
 * documents fails its gate.
 */
export function judgeCommit(
  delta: LedgerDelta,
  config: Config,
  docs: ReadonlyMap<string, FeatureDocuments>,
  extraBlocking: Finding[] = [],
  extras: CommitExtras = {},
): CommitVerdict {
  const merged = extras.merged ?? new Set<string>();
  const documentsOf = (f: LedgerFeature) => docs.get(f.id) ?? missingDocuments(f.spec_path, config);
  // Skipped features are exempt (DESIGN §5); un-skipping one changes its entry, so it must then stand on every gate up to its phase.
  const gated = gatedMoves(delta).filter((m) => !merged.has(m.id) && m.feature.status !== 'skipped');
  const gates = gated.map((m): GateOutcome => {
    const move: PhaseMove = { id: m.id, from: m.from, to: m.to, kind: m.kind };
    const foreign = foreignFolder(m.feature, config);
    const findings = foreign ? [foreign] : checkTransition(m.from, m.to, m.feature, documentsOf(m.feature), config).filter((f) => f.severity === 'error');
    return { move, findings, held: !hasErrors(findings) };
  });
  const regressions: RegressionOutcome[] = [];
  const warnings: Finding[] = [];
  // Every touched feature must stand at its phase: all gates up to it, not only those a move
  // crosses (a move's own gates are its outcome above; the gates below where it started are
  // checked here). `regression: warn|off` weakens this for document edits only: an entry the
  // commit changes (a move, a spec_path, an approval) is always held to it.
  const movedFrom = new Map(gated.map((m) => [m.id, m.from]));
  for (const f of extras.touched ?? []) {
    if (merged.has(f.id)) continue;
    const entryChanged = delta.changedEntries.has(f.id);
    const mode = entryChanged ? 'block' : config.regression;
    if (mode === 'off') continue;
    const from = movedFrom.get(f.id);
    const findings = standing(from === undefined ? f : { ...f, phase: from }, documentsOf(f), config).filter(
      (x) => !gates.some((g) => g.move.id === f.id && g.findings.some((y) => y.code === x.code && y.file === x.file && y.line === x.line)),
    );
    if (!findings.length) continue;
    const hinted = findings.map((x) => ({ ...x, hint: regressionHint(f, x) }));
    if (mode === 'warn') warnings.push(...hinted.map((x) => ({ ...x, severity: 'warning' as const })));
    else regressions.push({ id: f.id, phase: f.phase, findings: hinted, held: false });
  }
  // A commit that changes the config must leave every feature passing under it: the next commit is judged by it.
  const next = extras.newConfig;
  if (next) {
    for (const f of next.features) {
      const findings = standing(f, next.docs.get(f.id) ?? missingDocuments(f.spec_path, next.config), next.config);
      if (!findings.length || regressions.some((r) => r.id === f.id)) continue;
      const hint = `The config this commit brings makes ${f.id}'s documents fail at ${f.phase}: move ${f.id} back in this commit (specflow phase ${f.id} <phase>), or keep the gate as it was.`;
      regressions.push({ id: f.id, phase: f.phase, findings: findings.map((x) => ({ ...x, hint })), held: false });
    }
  }
  const blocking = [
    ...delta.blocking,
    ...extraBlocking,
    ...(extras.trailers ? trailerFindings(extras.trailers, phaseMoves(delta)) : []),
    ...(extras.approvals ? approvalFindings(config, extras.approvals) : []),
  ];
  return {
    ok: blocking.length === 0 && gates.every((g) => g.held) && regressions.length === 0,
    moves: phaseMoves(delta),
    gates,
    regressions,
    blocking,
    warnings,
  };
}

/** What stands between a feature and the phase it is at (none for skipped features and `none`). */
function standing(f: LedgerFeature, docs: FeatureDocuments, config: Config): Finding[] {
  if (f.status === 'skipped' || f.phase === 'none') return [];
  const foreign = foreignFolder(f, config);
  return foreign ? [foreign] : checkTransition('none', f.phase, f, docs, config).filter((x) => x.severity === 'error');
}

function regressionHint(f: LedgerFeature, finding: Finding): string {
  const back = `record the regression by moving the phase back (specflow phase ${f.id} <phase>) in the same commit`;
  if (finding.code.endsWith('.missing'))
    return `${f.id} is at ${f.phase}: restore the document, or ${back}. A renamed folder: run \`specflow doctor --fix\`, then stage .maestro/ledger.yaml.`;
  return `${f.id} is at ${f.phase}: fix the document, or ${back}.`;
}

/**
 * Trailers that say something else than the commit did. Values are chained per feature in
 * order (a squash may carry `none -> specify`, `specify -> plan` for a net `none -> plan`); the
 * net move of each feature must be the commit's own phase change of it. A commit that changes
 * a phase without a trailer is not lying (`--no-verify`); `log` shows it.
 */
export function trailerFindings(values: readonly string[], moves: readonly PhaseMove[]): Finding[] {
  const chains = new Map<string, { from: Phase; to: Phase; raw: string[] }>();
  const findings: Finding[] = [];
  for (const value of values) {
    const m = /^(\S+)\s+(\S+)\s*->\s*(\S+)$/.exec(value.trim());
    const id = m ? (canonicalId(m[1]!) ?? m[1]!) : undefined;
    if (!m || !id || !isPhase(m[2]) || !isPhase(m[3])) {
      findings.push(error('trailer.mismatch', `the trailer "Specflow-Phase: ${value}" is not "<id> <phase> -> <phase>"`, { hint: TRAILER_HINT }));
      continue;
    }
    const chain = chains.get(id);
    if (!chain) chains.set(id, { from: m[2], to: m[3], raw: [value] });
    else if (chain.to !== m[2]) {
      findings.push(error('trailer.mismatch', `the trailers of ${id} do not chain: ${[...chain.raw, value].join(', ')}`, { feature: id, hint: TRAILER_HINT }));
      chains.delete(id);
    } else {
      chain.to = m[3];
      chain.raw.push(value);
    }
  }
  for (const [id, chain] of chains) {
    const move = moves.find((mv) => sameFeature(mv.id, id));
    const net = chain.from === chain.to ? undefined : { from: chain.from, to: chain.to };
    if (net === undefined && move === undefined) continue;
    if (net && move && net.from === move.from && net.to === move.to) continue;
    const did = move ? `${move.from} -> ${move.to}` : 'no phase change';
    findings.push(
      error('trailer.mismatch', `the message says ${chain.raw.map((r) => `"${r}"`).join(', ')}, but the commit's ledger makes ${did} for ${id}`, { feature: id, hint: TRAILER_HINT }),
    );
  }
  return findings;
}

const TRAILER_HINT = 'Specflow-Phase trailers must say what the commit does to the ledger: reword the commit (git rebase -i, reword) and drop or fix them.';

function missingDocuments(specPath: string, config: Config): FeatureDocuments {
  const at = (file: string) => ({ path: `${specPath}/${file}`, text: undefined });
  return { spec: at(config.gates.specify.file), plan: at(config.gates.plan.file), tasks: at(config.gates.tasks.file) };
}

/** A commit (or the index) as far as choosing its gates goes: does it have a ledger, and what config text. */
export interface ConfigCandidate {
  hasLedger: boolean;
  configText: string | undefined;
}

/** How far back the nearest usable config is looked for before the defaults are used. */
export const MAX_CONFIG_ANCESTORS = 256;

/**
 * The gates in force at a commit: the config of the nearest ancestor whose config parses and
 * passes the schema (the defaults when that ancestor has a ledger but no config), so a gate can
 * be neither loosened and passed in one commit, nor broken in one commit and loosened in the
 * next. When no ancestor has a ledger — the commit that adopts specflow — its own config is in
 * force: there was nothing to loosen. (The caller ends `ancestors` where no earlier first-parent
 * commit ever held a ledger, so that this does not walk a repository's whole history.) A commit whose own config cannot be used is a violation
 * by itself (`blocking`), whatever its parent had.
 *
 * `ancestors` are nearest first (first parents); the caller gathers them until one
 * `decidesGates` (usually the parent already does).
 */
export function gateConfig(own: ConfigCandidate, ancestors: Iterable<ConfigCandidate>): { config: Config; blocking: Finding[] } {
  const ownConfig = own.configText === undefined ? undefined : tryConfig(own.configText);
  const blocking = ownConfig === undefined || !(ownConfig instanceof ConfigSyntaxError || !ownConfig.ok) ? [] : [configFinding(ownConfig)];
  // An ancestor without a readable ledger (none yet, or `.maestro` removed or made a symlink) and
  // one whose config cannot be used decide nothing: the walk goes on past them, so removing
  // `.maestro` in one commit and restoring it loosened in the next loosens nothing.
  let sawLedger = false;
  let seen = 0;
  for (const a of ancestors) {
    sawLedger ||= a.hasLedger;
    if (a.configText !== undefined) {
      const c = tryConfig(a.configText);
      if (!(c instanceof ConfigSyntaxError) && c.ok) return { config: c.config, blocking };
    } else if (a.hasLedger) return { config: defaultConfig(), blocking };
    if (++seen >= MAX_CONFIG_ANCESTORS) break;
  }
  if (sawLedger) return { config: defaultConfig(), blocking };
  const usable = ownConfig !== undefined && !(ownConfig instanceof ConfigSyntaxError) && ownConfig.ok ? ownConfig.config : undefined;
  return { config: usable ?? defaultConfig(), blocking };
}

/** The config a text holds when it parses and passes the schema. */
export function usableConfig(text: string | undefined): Config | undefined {
  if (text === undefined) return undefined;
  const c = tryConfig(text);
  return c instanceof ConfigSyntaxError || !c.ok ? undefined : c.config;
}

/** Does this ancestor settle the gates in force (a usable config, or a ledger without config)? */
export function decidesGates(c: ConfigCandidate): boolean {
  if (c.configText === undefined) return c.hasLedger;
  const parsed = tryConfig(c.configText);
  return !(parsed instanceof ConfigSyntaxError) && parsed.ok;
}

type TriedConfig = { config: Config; ok: boolean; findings: Finding[] } | ConfigSyntaxError;
/** The last few config texts parsed: a walk over history meets the same few again and again. */
const tried = new Map<string, TriedConfig>();

function tryConfig(text: string): TriedConfig {
  let t = tried.get(text);
  if (!t) {
    t = parseConfigText(text);
    if (tried.size >= 16) tried.delete(tried.keys().next().value!);
    tried.set(text, t);
  }
  return t;
}

function parseConfigText(text: string): TriedConfig {
  const asWritten = configAsWritten(text);
  if (asWritten) return { config: asWritten, ok: true, findings: [] };
  try {
    const parsed = parseConfig(text);
    return { config: parsed.config, ok: !hasErrors(parsed.findings), findings: parsed.findings };
  } catch (e) {
    if (e instanceof ConfigSyntaxError) return e;
    throw e;
  }
}

function configFinding(e: ConfigSyntaxError | { findings: Finding[] }): Finding {
  if (!(e instanceof ConfigSyntaxError)) {
    const first = e.findings.find((f) => f.severity === 'error')!;
    return { ...first, file: CONFIG_PATH, hint: `Fix ${CONFIG_PATH} in this commit; a config that breaks the schema cannot be committed.` };
  }
  return error('config.unparsable', e.message, {
    file: CONFIG_PATH,
    ...(e.line ? { line: e.line } : {}),
    hint: `Fix ${CONFIG_PATH} before committing it; specflow cannot read it.`,
  });
}
