import { describe, expect, it } from 'vitest';
import { idFromFolder } from '../../src/core/feature-id.js';
import { surveyFolders } from '../../src/core/layout.js';

const folders = (scheme: 'specflow' | 'spec-kit', names: string[]) =>
  names.map((name) => ({ name, path: `specs/${name}`, id: idFromFolder(name, scheme) }));

describe('surveyFolders', () => {
  it('adopts padded, unpadded and uppercase SpecFlow ids, in id order', () => {
    const s = surveyFolders(folders('specflow', ['f-018-export', 'F-7-Bulk-Edit', 'f-4-search']), 'specflow');
    expect(s.features.map((f) => f.id)).toEqual(['F-4', 'F-7', 'F-018']);
    expect(s.conflicts).toEqual([]);
    expect(s.ignored).toEqual([]);
  });

  it('leaves out every folder of a number claimed twice, padded or not', () => {
    const s = surveyFolders(folders('specflow', ['f-9-tags', 'f-009-labels', 'f-10-x']), 'specflow');
    expect(s.features.map((f) => f.id)).toEqual(['F-10']);
    expect(s.conflicts).toEqual([{ id: 'F-9', paths: ['specs/f-9-tags', 'specs/f-009-labels'] }]);
  });

  it('tells archive folders from misnamed ones', () => {
    const s = surveyFolders(folders('spec-kit', ['attic', 'rfc', 'Archive', 'ideas', '001-a']), 'spec-kit');
    expect(s.features.map((f) => f.id)).toEqual(['001']);
    const reason = (p: string) => s.ignored.find((i) => i.path === `specs/${p}`)?.reason;
    for (const p of ['attic', 'rfc', 'Archive']) expect(reason(p)).toMatch(/archive or notes folder/);
    expect(reason('ideas')).toMatch(/does not start with a feature id \(NNN-slug\)/);
  });
});
