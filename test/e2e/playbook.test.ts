import { afterAll, describe, expect, it } from 'vitest';
import { GOOD_SPEC, GOOD_TASKS, goodPlan } from '../helpers/docs.js';
import { cleanupTempDirs, json, makeRepo, type TestRepo } from '../helpers/repo.js';

/**
 * The JSON shapes and verbs the Maestro SpecFlow playbooks rely on (DESIGN §4): their phase
 * guards read `.phase`, `.features[] | select(.status == "pending") | .id` and
 * `[.tasks[] | select(.status != "complete")] | length`; `npm run compat` runs the guards
 * themselves when the playbooks are at hand.
 */
afterAll(cleanupTempDirs);

interface Task {
  text: string;
  status: 'complete' | 'pending';
  line: number;
}
interface View {
  id: string;
  name: string;
  phase: string;
  glyph: string;
  status: string;
  priority: number | null;
  spec_path: string;
  approved: { by: string; at: string } | null;
  reason?: string;
  current?: true;
  tasks?: Task[] | null;
}

const DIR = '.specify/specs/f-12-vector-configuration';

function repoWithFeatures(): TestRepo {
  const repo = makeRepo();
  expect(repo.cli(['init']).code).toBe(0);
  expect(repo.cli(['add', 'Vector Collector', '--id', 'F-11', '--priority', '1']).code).toBe(0);
  expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-12']).code).toBe(0);
  return repo;
}

describe('the JSON the playbook guards read', () => {
  it('status --json lists every feature with a derived status', () => {
    const repo = repoWithFeatures();
    const r = repo.cli(['status', '--json']);
    expect(r.code).toBe(0);
    const { features } = json<{ features: View[] }>(r);
    expect(features).toEqual([
      { id: 'F-11', name: 'Vector Collector', phase: 'none', glyph: '○', status: 'pending', priority: 1, spec_path: '.specify/specs/f-11-vector-collector', approved: null },
      { id: 'F-12', name: 'Vector Configuration', phase: 'none', glyph: '○', status: 'pending', priority: null, spec_path: DIR, approved: null },
    ]);
  });

  it('status <id> --json has the phase at the top level, and tasks only once there is a task list', () => {
    const repo = repoWithFeatures();
    const view = () => json<View>(repo.cli(['status', 'F-12', '--json']));
    expect(view()).toMatchObject({ id: 'F-12', phase: 'none', status: 'pending', tasks: null });
    // A tasks.md with no task items (the template) is no task list yet either.
    repo.write(`${DIR}/tasks.md`, '# Tasks\n\n[List the tasks]\n');
    expect(view().tasks).toBeNull();
    repo.write(`${DIR}/tasks.md`, GOOD_TASKS);
    expect(view().tasks).toEqual([
      { text: 'Write the loader', status: 'complete', line: 3 },
      { text: 'Add the check command', status: 'pending', line: 4 },
      { text: 'Document the settings', status: 'pending', line: 5 },
    ]);
  });

  it('marks the feature named in .maestro/CURRENT_FEATURE.md, in either of the playbooks\' spellings', () => {
    const repo = repoWithFeatures();
    for (const text of ['Feature ID: F-12\n', '# Current Feature\n\n- **Feature ID:** F-12\n- **Phase:** none\n']) {
      repo.write('.maestro/CURRENT_FEATURE.md', text);
      const { features } = json<{ features: View[] }>(repo.cli(['status', '--json']));
      expect(features.filter((f) => f.current).map((f) => f.id)).toEqual(['F-12']);
      expect(repo.cli(['status']).stdout).toMatch(/▶\s+○\s+F-12/);
    }
    repo.write('.maestro/CURRENT_FEATURE.md', '# Current Feature\nALL_FEATURES_COMPLETE\n');
    expect(json<{ features: View[] }>(repo.cli(['status', '--json'])).features.some((f) => f.current)).toBe(false);
  });

  it('accepts the id as the guards extract it from the playbook template (`**F-12`)', () => {
    const repo = repoWithFeatures();
    expect(json<View>(repo.cli(['status', '**F-12', '--json'])).id).toBe('F-12');
  });
});

describe('the verbs the playbook steps call', () => {
  it('phase verbs take the id, --feature, or the current feature', () => {
    const repo = repoWithFeatures();
    repo.write(`${DIR}/spec.md`, GOOD_SPEC);
    repo.write('.maestro/CURRENT_FEATURE.md', '- **Feature ID:** F-12\n');
    const r = repo.cli(['specify', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(json(r)).toMatchObject({ id: 'F-12', from: 'none', to: 'specify', changed: true });
    expect(repo.cli(['approve', 'F-12']).code).toBe(0);
    repo.write(`${DIR}/plan.md`, goodPlan());
    expect(repo.cli(['plan', '--feature', 'F-12']).code).toBe(0);
    expect(json<View>(repo.cli(['status', 'F-12', '--json'])).phase).toBe('plan');
  });

  it('a phase verb with no id and no current feature is a usage error', () => {
    const repo = repoWithFeatures();
    const r = repo.cli(['implement', '--json']);
    expect(r.code).toBe(2);
    expect(json<{ error: { code: string } }>(r).error.code).toBe('usage.feature');
  });

  it('skip keeps the reason and the justification; a duplicate must point at work in progress or done', () => {
    const repo = repoWithFeatures();
    const deferred = repo.cli(['skip', 'F-12', '--reason', 'deferred', '--justification', 'Deferring to v2.0', '--json']);
    expect(deferred.code).toBe(0);
    expect(json<View>(repo.cli(['status', 'F-12', '--json']))).toMatchObject({ status: 'skipped', reason: 'deferred: Deferring to v2.0' });

    const other = repoWithFeatures();
    const refused = other.cli(['skip', 'F-12', '--reason', 'duplicate', '--duplicate-of', 'F-11', '--json']);
    expect(refused.code).toBe(1);
    const body = json<{ ok: boolean; findings: { code: string }[] }>(refused);
    expect(body.ok).toBe(false);
    expect(body.findings.map((f) => f.code)).toEqual(['skip.duplicate.invalid']);
    expect(json<View>(other.cli(['status', 'F-12', '--json'])).status).toBe('pending');

    expect(other.cli(['skip', 'F-12', '--reason', 'duplicate']).code).toBe(2);
    other.write('.specify/specs/f-11-vector-collector/spec.md', GOOD_SPEC);
    expect(other.cli(['specify', 'F-11']).code).toBe(0);
    const accepted = other.cli(['skip', 'F-12', '--reason', 'duplicate', '--duplicate-of', 'F-11', '--justification', 'F-11 ships the same file']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(json<View>(other.cli(['status', 'F-12', '--json'])).reason).toBe('duplicate of F-11: F-11 ships the same file');
  });

  it('next names the lowest priority, then the lowest id, among features still to do', () => {
    const repo = repoWithFeatures();
    expect(json<View>(repo.cli(['next', '--json'])).id).toBe('F-11');
    expect(repo.cli(['skip', 'F-11', '--reason', 'deferred']).code).toBe(0);
    expect(json<View>(repo.cli(['next', '--json'])).id).toBe('F-12');
  });
});
