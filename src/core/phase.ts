/** The phases a feature moves through, in order. Each phase but `none` has a gate to enter it. */
export const PHASES = ['none', 'specify', 'plan', 'tasks', 'implement', 'complete'] as const;
export type Phase = (typeof PHASES)[number];

export const GLYPHS: Readonly<Record<Phase, string>> = {
  none: '○',
  specify: '①',
  plan: '②',
  tasks: '③',
  implement: '④',
  complete: '●',
};

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

/** The phases entered when moving forward from `from` to `to` (exclusive of `from`); empty when not forward. */
export function phasesCrossed(from: Phase, to: Phase): Phase[] {
  const a = phaseIndex(from);
  const b = phaseIndex(to);
  return b > a ? PHASES.slice(a + 1, b + 1) : [];
}

export function nextPhase(phase: Phase): Phase | undefined {
  return PHASES[phaseIndex(phase) + 1];
}

/** Workflow status derived from the phase, as the SpecFlow CLI reports it. */
export type FeatureStatus = 'pending' | 'in_progress' | 'complete' | 'skipped' | 'blocked';

export function derivedStatus(phase: Phase, explicit?: 'skipped' | 'blocked'): FeatureStatus {
  if (explicit) return explicit;
  if (phase === 'none') return 'pending';
  if (phase === 'complete') return 'complete';
  return 'in_progress';
}
