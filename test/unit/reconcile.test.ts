import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { defaultConfig, type Config } from '../../src/core/config.js';
import { idFromFolder } from '../../src/core/feature-id.js';
import { featureNameFromFolder } from '../../src/core/feature-name.js';
import { parseLedger, renderLedger, type LedgerFeature } from '../../src/core/ledger.js';
import { matchKey, reconcile, type ReconcileInput, type SpecsFolder } from '../../src/core/reconcile.js';
import { applyRepairs, layoutRepair, repairedFeatures } from '../../src/core/repair.js';
import { classify, isIgnoredPath } from '../../src/daemon/events.js';

const SPECS = '.specify/specs';

function feature(id: string, spec_path: string, extra: Partial<LedgerFeature> = {}): LedgerFeature {
  return { id, name: id, phase: 'none', spec_path, line: 5, ...extra };
}

function folder(name: string, config: Config = defaultConfig()): SpecsFolder {
  return { name, path: `${config.specs_dir}/${name}`, id: idFromFolder(name, config.id_scheme) };
}

function input(features: LedgerFeature[], folders: SpecsFolder[], extra: Partial<ReconcileInput> = {}): ReconcileInput {
  return {
    features,
    ledgerFindings: [],
    config: defaultConfig(),
    snapshot: { folders, existingDirs: new Set(), specTexts: new Map() },
    repoRoot: '/home/ann/project',
    ...extra,
  };
}

const codes = (xs: { code: string }[]) => xs.map((x) => x.code);

describe('reconcile: safe repairs', () => {
  const dir = `${SPECS}/f-12-vector-configuration`;
  const folders = [folder('f-12-vector-configuration')];

  it.each([
    ['a document suffix', `${dir}/spec.md`],
    ['a trailing slash', `${dir}/`],
    ['a leading ./', `./${dir}`],
    ['backslashes', dir.replace(/\//g, '\\')],
    ['an absolute path inside the repository', `/home/ann/project/${dir}`],
  ])('normalises a spec_path with %s', (_what, raw) => {
    const r = reconcile(input([feature('F-12', raw)], folders));
    expect(r.repairs).toEqual([expect.objectContaining({ code: 'spec_path.repaired', feature: 'F-12', field: 'spec_path', before: raw, after: dir })]);
    expect(r.findings).toEqual([]);
  });

  it('leaves a canonical spec_path alone', () => {
    const r = reconcile(input([feature('F-12', dir)], folders));
    expect(r.repairs).toEqual([]);
    expect(r.findings).toEqual([]);
  });

  it('points spec_path at the renamed folder when exactly one folder carries the id', () => {
    const r = reconcile(input([feature('F-12', dir)], [folder('f-12-vector-config')]));
    expect(r.repairs).toEqual([expect.objectContaining({ code: 'spec_path.moved', before: dir, after: `${SPECS}/f-12-vector-config` })]);
  });

  it('fills in a missing spec_path from the one folder that carries the id', () => {
    const r = reconcile(input([feature('F-12', '')], folders));
    expect(r.repairs).toEqual([expect.objectContaining({ code: 'spec_path.moved', before: '', after: dir })]);
  });

  it('repairs the case of an id, and its spec_path under the new id', () => {
    const r = reconcile(input([feature('f-12', `${dir}/spec.md`)], folders));
    expect(r.repairs.map((x) => [x.code, x.feature, x.before, x.after])).toEqual([
      ['id.repaired', 'F-12', 'f-12', 'F-12'],
      ['spec_path.repaired', 'F-12', `${dir}/spec.md`, dir],
    ]);
  });

  it('registers a folder with no ledger entry at phase none, named from its spec title', () => {
    const f13 = folder('f-13-export');
    const snapshot = { folders: [...folders, f13], existingDirs: new Set<string>(), specTexts: new Map([[f13.path, '# Feature Specification: Data Export\n\nText.\n']]) };
    const r = reconcile(input([feature('F-12', dir)], [], { snapshot }));
    expect(r.repairs).toEqual([
      expect.objectContaining({ code: 'feature.registered', feature: 'F-13', field: 'entry', before: null, after: f13.path, entry: { name: 'Data Export', spec_path: f13.path } }),
    ]);
  });

  it('does not register a folder whose id the ledger has in another spelling', () => {
    const r = reconcile(input([feature('F-012', `${SPECS}/f-012-x`)], [folder('f-12-x')]));
    expect(codes(r.repairs)).toEqual(['spec_path.moved']);
  });

  it('passes the layout repair through', () => {
    const layout = layoutRepair('b\n', 'a\n');
    expect(reconcile(input([], [], { layout })).repairs).toEqual([layout]);
  });
});

describe('reconcile: reported, never repaired', () => {
  it('two folders claiming one id: a conflict, no registration, no move', () => {
    const r = reconcile(input([feature('F-12', `${SPECS}/gone`)], [folder('f-12-a'), folder('f-12-b')]));
    expect(r.repairs).toEqual([]);
    expect(codes(r.findings).sort()).toEqual(['folder.id.conflict', 'spec_path.missing']);
    expect(reconcile(input([], [folder('f-12-a'), folder('f-12-b')])).repairs).toEqual([]);
  });

  it('a folder that vanished', () => {
    const r = reconcile(input([feature('F-12', `${SPECS}/f-12-x`, { phase: 'plan' })], []));
    expect(r.repairs).toEqual([]);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'spec_path.missing', feature: 'F-12', severity: 'error', line: 5 })]);
    expect(r.checkable).toEqual([]);
  });

  it('a spec_path outside the repository', () => {
    const r = reconcile(input([feature('F-12', '../elsewhere/f-12')], [folder('f-12-x')]));
    expect(r.repairs).toEqual([]);
    expect(codes(r.findings)).toEqual(['spec_path.invalid']);
  });

  it('holds every repair back when an entry appears twice', () => {
    const dup: Finding = { severity: 'error', code: 'ledger.duplicate-key', message: 'F-12 twice' };
    const r = reconcile(input([feature('f-12', `${SPECS}/f-12-x/spec.md`)], [folder('f-12-x')], { ledgerFindings: [dup] }));
    expect(r.writable).toBe(false);
    expect(r.findings).toContainEqual(dup);
  });

  it('never changes a phase and never drops an entry', () => {
    const features = [feature('f-3', `${SPECS}/f-3-a/`, { phase: 'implement' }), feature('F-4', `${SPECS}/gone`, { phase: 'complete' })];
    const r = reconcile(input(features, [folder('f-3-a'), folder('f-5-b')]));
    const after = repairedFeatures(features, r.repairs);
    expect(after.map((f) => [f.id, f.phase])).toEqual([
      ['F-3', 'implement'],
      ['F-4', 'complete'],
      ['F-5', 'none'],
    ]);
  });

  it('lists checkable features: folder present, phase past none, not skipped', () => {
    const features = [
      feature('F-1', `${SPECS}/f-1-a`, { phase: 'plan' }),
      feature('F-2', `${SPECS}/f-2-b`, { phase: 'none' }),
      feature('F-3', `${SPECS}/f-3-c`, { phase: 'plan', status: 'skipped' }),
      feature('F-4', `${SPECS}/f-4-d/spec.md`, { phase: 'specify' }),
    ];
    const r = reconcile(input(features, [folder('f-1-a'), folder('f-2-b'), folder('f-3-c'), folder('f-4-d')]));
    expect(r.checkable.map((f) => [f.id, f.spec_path])).toEqual([
      ['F-1', `${SPECS}/f-1-a`],
      ['F-4', `${SPECS}/f-4-d`],
    ]);
  });
});

describe('applying repairs to the ledger document', () => {
  const text = `# header comment
version: 1
features:
  f-12:
    name: Vector Configuration
    phase: plan # still planning
    spec_path: .specify/specs/f-12-vector-configuration/spec.md
    owner: ann
`;

  it('renames, repoints and registers, keeping comments, phases and unknown fields', () => {
    const parsed = parseLedger(text);
    const r = reconcile(
      input(parsed.features, [folder('f-12-vector-configuration'), folder('f-3-search')], {
        snapshot: { folders: [folder('f-12-vector-configuration'), folder('f-3-search')], existingDirs: new Set(), specTexts: new Map() },
      }),
    );
    applyRepairs(parsed.doc, r.repairs);
    const out = renderLedger(parsed.doc);
    expect(out).toBe(`# header comment
version: 1
features:
  F-3:
    name: Search
    phase: none
    spec_path: .specify/specs/f-3-search

  F-12:
    name: Vector Configuration
    phase: plan # still planning
    spec_path: .specify/specs/f-12-vector-configuration
    owner: ann
`);
  });

  it('layoutRepair names the first line that differs, and nothing when equal', () => {
    expect(layoutRepair('a\nb\n', 'a\nb\n')).toBeUndefined();
    expect(layoutRepair('a\nc\n', 'a\nb\n')).toMatchObject({ code: 'ledger.reformatted', before: 'line 2: "c"', after: 'line 2: "b"' });
    expect(layoutRepair('a\r\n', 'a\n')?.before).toMatch(/^line endings/);
  });
});

describe('ids and names', () => {
  it('matchKey joins the spellings of one id', () => {
    expect(matchKey('f-012')).toBe(matchKey('F-12'));
    expect(matchKey('001')).toBe(matchKey('1'));
    expect(matchKey('F-1')).not.toBe(matchKey('1'));
  });

  it('names a feature from its spec title, else from the slug', () => {
    expect(featureNameFromFolder('f-12-vector-configuration', '# F-12: Vector Configuration\n')).toBe('Vector Configuration');
    expect(featureNameFromFolder('f-12-vector-configuration', 'no title here')).toBe('Vector configuration');
    expect(featureNameFromFolder('003-chat-export')).toBe('Chat export');
    // A template's own title (Kiro's requirements document, a bare proposal) names no feature.
    expect(featureNameFromFolder('note-sharing', '# Requirements Document\n\n## Introduction\n')).toBe('Note sharing');
    expect(featureNameFromFolder('add-reminders', '# Proposal\n')).toBe('Add reminders');
    expect(featureNameFromFolder('001-albums', '# Feature Specification: Photo Albums\n')).toBe('Photo Albums');
  });
});

describe('daemon events', () => {
  it.each([
    ['.maestro/ledger.yaml', { kind: 'ledger' }],
    ['.maestro/config.yaml', { kind: 'config' }],
    [`${SPECS}/f-12-x`, { kind: 'folders' }],
    [`${SPECS}/f-12-x/plan.md`, { kind: 'document', folder: `${SPECS}/f-12-x` }],
    [`${SPECS}/f-12-x/.plan.md.swp`, { kind: 'none' }],
    [`${SPECS}/f-12-x/.plan.md.swx`, { kind: 'none' }],
    [`${SPECS}/f-12-x/plan.md~`, { kind: 'none' }],
    [`${SPECS}/f-12-x/schema.sql`, { kind: 'document', folder: `${SPECS}/f-12-x` }],
    [`${SPECS}/f-12-x/4913`, { kind: 'none' }],
    [`${SPECS}/f-12-x/.#plan.md`, { kind: 'none' }],
    ['.maestro/ledger.yaml.lock', { kind: 'none' }],
    ['.maestro/ledger.yaml.123.tmp', { kind: 'none' }],
    ['.maestro/run/specflowd.log', { kind: 'none' }],
    ['.maestro/CURRENT_FEATURE.md', { kind: 'none' }],
  ])('%s → %j', (path, change) => {
    expect(classify(path, SPECS)).toEqual(change);
  });

  it('never ignores a directory the daemon watches', () => {
    expect(isIgnoredPath(SPECS)).toBe(false);
    expect(isIgnoredPath('.maestro')).toBe(false);
    expect(isIgnoredPath('.maestro/run')).toBe(true);
  });
});
