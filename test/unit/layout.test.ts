import { describe, expect, it } from 'vitest';
import { idFromFolder } from '../../src/core/feature-id.js';
import { surveyFolders } from '../../src/core/layout.js';
import { chooseLayout, type CandidateRoot } from '../../src/core/detect-layout.js';

const folders = (scheme: 'specflow' | 'spec-kit', names: string[]) =>
  names.map((name) => ({ name, path: `specs/${name}`, id: idFromFolder(name, scheme) }));

describe('surveyFolders', () => {
  it('adopts padded, unpadded and uppercase SpecFlow ids, in id order', () => {
    const s = surveyFolders(folders('specflow', ['f-018-export', 'F-7-Bulk-Edit', 'f-4-search']), 'specflow');
    expect(s.features.map((f) => f.id)).toEqual(['F-4', 'F-7', 'F-018']);
    expect(s.shared).toEqual([]);
    expect(s.ignored).toEqual([]);
  });

  it('tracks every folder of a number claimed twice under its folder name, and reports the number once', () => {
    const s = surveyFolders(folders('specflow', ['f-9-tags', 'f-009-labels', 'f-10-x']), 'specflow');
    expect(s.features.map((f) => f.id)).toEqual(['F-10', 'f-009-labels', 'f-9-tags']);
    expect(s.shared).toEqual([{ id: 'F-9', paths: ['specs/f-9-tags', 'specs/f-009-labels'] }]);
  });

  it('gives ten spec-kit folders that share 001 a deliberate identity each', () => {
    const names = Array.from({ length: 10 }, (_, i) => `001-branch-${i}`);
    const s = surveyFolders(folders('spec-kit', [...names, '002-x']), 'spec-kit');
    expect(s.features).toHaveLength(11);
    expect(s.features[0]!.id).toBe('002');
    expect(s.features.slice(1).map((f) => f.id)).toEqual(names);
    expect(s.shared).toHaveLength(1);
  });

  it('reads plain NNN-slug folders in a SpecFlow tree and sees their clash with f-NNN', () => {
    expect(idFromFolder('012-search', 'specflow')).toBe('F-012');
    const s = surveyFolders(folders('specflow', ['f-012-a', '012-b', '013-c']), 'specflow');
    expect(s.features.map((f) => f.id)).toEqual(['F-013', '012-b', 'f-012-a']);
    expect(s.shared.map((x) => x.id)).toEqual(['F-012']);
  });

  it('tells archive folders from misnamed ones', () => {
    const s = surveyFolders(folders('spec-kit', ['attic', 'rfc', 'Archive', 'ideas', '001-a']), 'spec-kit');
    expect(s.features.map((f) => f.id)).toEqual(['001']);
    const reason = (p: string) => s.ignored.find((i) => i.path === `specs/${p}`)?.reason;
    for (const p of ['attic', 'rfc', 'Archive']) expect(reason(p)).toMatch(/archive or notes folder/);
    expect(reason('ideas')).toMatch(/does not start with a feature id \(NNN-slug\)/);
  });
});

describe('chooseLayout', () => {
  const c = (layout: CandidateRoot['layout'], path: string, project: string, features: number): CandidateRoot => ({ layout, path, project, features });

  it('never picks an empty root over a populated one', () => {
    const choice = chooseLayout([c('specflow', '.specify/specs', '', 0), c('spec-kit', 'specs', '', 45)]);
    expect(choice.profile).toMatchObject({ layout: 'spec-kit', specs_dir: 'specs', roots: [] });
  });

  it('tracks every sub-project root of the layout, qualified by the project folder, and names the others', () => {
    const choice = chooseLayout([
      c('spec-kit', 'specs', '', 2),
      c('spec-kit', 'packages/api/specs', 'packages/api', 20),
      c('spec-kit', 'apps/web/specs', 'apps/web', 20),
      c('kiro', '.kiro/specs', '', 1),
    ]);
    expect(choice.profile.roots).toEqual([
      { path: 'apps/web/specs', qualifier: 'web' },
      { path: 'packages/api/specs', qualifier: 'api' },
    ]);
    expect(choice.untracked.map((u) => u.path)).toEqual(['.kiro/specs']);
    expect(choice.untracked[0]!.reason).toMatch(/layout: kiro/);
  });

  it('takes the layout of the sub-projects when the top holds no features', () => {
    const choice = chooseLayout([c('specflow', 'a/.specify/specs', 'a', 3), c('specflow', 'b/.specify/specs', 'b', 4)]);
    expect(choice.profile.layout).toBe('specflow');
    expect(choice.profile.specs_dir).toBe('.specify/specs');
    expect(choice.profile.roots!.map((r) => r.qualifier)).toEqual(['a', 'b']);
  });

  it('keeps the OpenSpec archive as a root', () => {
    expect(chooseLayout([c('openspec', 'openspec/changes', '', 5)]).profile.roots).toEqual([{ path: 'openspec/changes/archive', archive: true }]);
  });
});
