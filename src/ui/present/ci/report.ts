import type { DoctorResult, ValidateResult, VerifyResult } from '../../../core/command-results.js';
import type { Finding } from '../../../core/finding.js';
import { phasesCrossed, type Phase } from '../../../core/phase.js';

/**
 * What the CI formats (github, sarif, junit) render, built from the result of `verify`,
 * `validate` or `doctor`: every finding with where it was found (`context`: the commit, for
 * `verify`), and the checks as test cases — one per feature gate.
 */
export type CheckCommand = 'verify' | 'validate' | 'doctor';

export interface ReportedFinding extends Finding {
  /** Where in history the finding was made: `commit 1a2b3c4`, for `verify`. */
  context?: string;
  /** The commit it was found at (`verify`); part of its fingerprint. */
  commit?: string;
}

export interface CheckCase {
  /** The group of the case: a feature id, or a commit. */
  classname: string;
  name: string;
  /** Errors fail the case; warnings are told beside it. */
  findings: Finding[];
}

export interface CheckSuite {
  name: string;
  cases: CheckCase[];
}

export interface CheckReport {
  command: CheckCommand;
  findings: ReportedFinding[];
  suites: CheckSuite[];
}

const GATED: Record<string, Phase> = { spec: 'specify', plan: 'plan', tasks: 'tasks' };

/** The gate a finding belongs to among `gates`: by its code (`plan.section.missing` → plan), else the last. */
function gateOf(f: Finding, gates: readonly Phase[]): Phase {
  const own: Phase | undefined = f.code === 'spec.not-approved' ? 'plan' : f.code === 'tasks.unchecked' ? gates.at(-1) : GATED[f.code.split('.')[0] ?? ''];
  return own && gates.includes(own) ? own : gates.at(-1)!;
}

/** One case per gate up to the feature's phase, each with the findings that belong to it. */
function gateCases(id: string, phase: Phase, findings: readonly Finding[]): CheckCase[] {
  const gates = phasesCrossed('none', phase);
  if (gates.length === 0) return [{ classname: id, name: `${id} at none`, findings: [...findings] }];
  const cases = gates.map((g) => ({ classname: id, name: `${id} ${g} gate`, findings: [] as Finding[] }));
  for (const f of findings) cases[gates.indexOf(gateOf(f, gates))]!.findings.push(f);
  return cases;
}

/** Findings about no feature in particular (the ledger, the config), as one case that passes when there are none. */
function repositoryCase(findings: readonly Finding[]): CheckCase {
  return { classname: 'repository', name: 'ledger and config', findings: [...findings] };
}

export function validateReport(data: ValidateResult): CheckReport {
  const own = new Set(data.features.flatMap((f) => f.findings));
  const rest = data.findings.filter((f) => !own.has(f));
  return {
    command: 'validate',
    findings: data.findings,
    suites: [{ name: 'specflow validate', cases: [repositoryCase(rest), ...data.features.flatMap((f) => gateCases(f.id, f.phase, f.findings))] }],
  };
}

export function doctorReport(data: DoctorResult): CheckReport {
  const byFeature = new Map<string, Finding[]>();
  const rest: Finding[] = [];
  for (const f of data.findings) {
    if (f.feature === undefined) rest.push(f);
    else byFeature.set(f.feature, [...(byFeature.get(f.feature) ?? []), f]);
  }
  const cases = [repositoryCase(rest), ...[...byFeature].map(([id, findings]) => ({ classname: id, name: `${id} against its files`, findings }))];
  return { command: 'doctor', findings: data.findings, suites: [{ name: 'specflow doctor', cases }] };
}

export function verifyReport(data: VerifyResult): CheckReport {
  const findings: ReportedFinding[] = [];
  const suites: CheckSuite[] = [];
  for (const c of data.commits) {
    const context = `commit ${c.short}`;
    const at = (f: Finding): ReportedFinding => ({ ...f, context, commit: c.commit });
    const cases: CheckCase[] = [];
    if (c.blocking.length || c.warnings.length) cases.push({ classname: context, name: 'commit rules', findings: [...c.blocking, ...c.warnings] });
    for (const m of c.moves)
      if (m.gate !== 'not-gated') cases.push({ classname: context, name: `${m.id} ${m.from} → ${m.to}`, findings: m.findings });
    for (const r of c.regressions) cases.push({ classname: context, name: `${r.id} stays at ${r.phase}`, findings: r.findings });
    if (cases.length === 0) cases.push({ classname: context, name: 'commit rules', findings: [] });
    findings.push(...c.blocking.map(at), ...c.moves.flatMap((m) => m.findings.map(at)), ...c.regressions.flatMap((r) => r.findings.map(at)), ...c.warnings.map(at));
    suites.push({ name: `${c.short} ${c.subject}`, cases });
  }
  return { command: 'verify', findings, suites };
}
