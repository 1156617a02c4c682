import { GLYPHS, derivedStatus, type FeatureStatus, type Phase } from './phase.js';
import type { Approval, LedgerFeature } from './ledger.js';

/**
 * The JSON shape of one feature: a superset of the SpecFlow CLI's, because playbooks pipe it
 * through jq (`.phase`, `.status`, `.tasks[]`).
 */
export interface FeatureView {
  id: string;
  name: string;
  phase: Phase;
  glyph: string;
  status: FeatureStatus;
  priority: number | null;
  spec_path: string;
  approved: Approval | null;
  description?: string;
  reason?: string;
  current?: true;
}

export interface TaskView {
  text: string;
  status: 'complete' | 'pending';
  line: number;
}

export function featureView(f: LedgerFeature, currentId?: string): FeatureView {
  const view: FeatureView = {
    id: f.id,
    name: f.name,
    phase: f.phase,
    glyph: GLYPHS[f.phase],
    status: derivedStatus(f.phase, f.status),
    priority: f.priority ?? null,
    spec_path: f.spec_path,
    approved: f.approved ?? null,
  };
  if (f.description !== undefined) view.description = f.description;
  if (f.reason !== undefined) view.reason = f.reason;
  if (currentId !== undefined && currentId === f.id) view.current = true;
  return view;
}

export function taskViews(tasks: readonly { text: string; checked: boolean; line: number }[]): TaskView[] {
  return tasks.map((t) => ({ text: t.text, status: t.checked ? 'complete' : 'pending', line: t.line }));
}

/**
 * The next feature to work on: lowest priority number, then lowest id, among those not
 * complete, skipped or blocked. Features without a priority come after those with one.
 */
export function nextFeature(features: readonly LedgerFeature[], compareIds: (a: string, b: string) => number): LedgerFeature | undefined {
  return features
    .filter((f) => f.phase !== 'complete' && f.status === undefined)
    .sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER) || compareIds(a.id, b.id))[0];
}
