import type { Config } from './config.js';
import type { Finding } from './finding.js';
import { checkGate, outlineOf, type FeatureDocuments, type GateSubject } from './gates.js';
import { appliedLines, type MarkdownOutline } from './markdown.js';
import { PHASES, type Phase } from './phase.js';
import { principleRequirements } from './section-names.js';

/**
 * The phase a feature's existing documents already pass: the gates are walked in order from
 * `specify`, and the walk stops at the first gate with an error. Used by `init` (recorded only
 * with `--adopt-phases`, reported either way) and by `import` to check recorded phases.
 */
export interface Adoption {
  phase: Phase;
  /** The first gate that does not pass, with its errors; absent when every gate passes. */
  stoppedAt?: { phase: Phase; findings: Finding[] };
}

export function passedPhase(subject: GateSubject, docs: FeatureDocuments, config: Config): Adoption {
  let phase: Phase = 'none';
  for (const next of PHASES.slice(1)) {
    const errors = checkGate(next, subject, docs, config).filter((f) => f.severity === 'error');
    if (errors.length) return { phase, stoppedAt: { phase: next, findings: errors } };
    phase = next;
  }
  return { phase };
}

/**
 * The phase `init --adopt-phases` records: the highest phase whose gates the documents pass
 * (never above it, so the adoption commit passes `verify`), except that `implement` needs work
 * begun — at least one task checked; a task list with none checked is adopted at `tasks`.
 */
export function adoptionPhase(subject: GateSubject, docs: FeatureDocuments, config: Config): Adoption {
  const passed = passedPhase(subject, docs, config);
  if (passed.phase !== 'implement') return passed;
  const tasks = outlineOf(docs.tasks)?.tasks ?? [];
  return tasks.some((t) => t.checked) ? passed : { phase: 'tasks', stoppedAt: passed.stoppedAt };
}

/** The task list says the work is done: at least one task, every one checked but those marked optional. */
export function workDone(docs: FeatureDocuments): boolean {
  const tasks = outlineOf(docs.tasks)?.tasks ?? [];
  return tasks.some((t) => t.checked) && tasks.every((t) => t.checked || t.optional === true);
}

/** How many plans a history needs before what none of them does counts as its practice. */
export const PRACTICE_PLANS = 5;

/**
 * The seed principles a repository's existing plans never mark as applied, when it has a
 * history of plans ({@link PRACTICE_PLANS} or more), and how many plans were read:
 * `init --adopt-phases` leaves those principles out of the config it writes, since requiring a
 * practice the history never followed would hold every plan back (none of the plans of a
 * SpecFlow tree without a constitution marks one). A principle any plan marks stays required;
 * so do all of them in a repository with fewer plans. Reading stops once every principle has
 * been seen marked. Pure.
 */
export function unpractisedPrinciples(plans: Iterable<MarkdownOutline>, config: Config): { names: string[]; plans: number } {
  const required = config.gates.plan.principles;
  const reqs = principleRequirements(required, config.aliases);
  const marked = new Set<number>();
  let read = 0;
  for (const plan of plans) {
    if (marked.size === required.length) break;
    read++;
    appliedLines(plan, reqs).forEach((line, i) => line !== undefined && marked.add(i));
  }
  const names = read < PRACTICE_PLANS ? [] : required.filter((_, i) => !marked.has(i));
  return { names, plans: read };
}
