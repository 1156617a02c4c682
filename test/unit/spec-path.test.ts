import { describe, expect, it } from 'vitest';
import { normaliseSpecPath } from '../../src/core/spec-path.js';
import { canonicalId, compareIds, folderName, idFromFolder, slugify } from '../../src/core/feature-id.js';

describe('normaliseSpecPath', () => {
  it.each([
    ['.specify/specs/f-12-x/spec.md', '.specify/specs/f-12-x'],
    ['.specify/specs/f-12-x/', '.specify/specs/f-12-x'],
    ['./.specify/specs/f-12-x', '.specify/specs/f-12-x'],
    ['.specify\\specs\\f-12-x\\plan.md', '.specify/specs/f-12-x'],
    ['/repo/.specify/specs/f-12-x', '.specify/specs/f-12-x'],
    ['specs/001-a//tasks.md', 'specs/001-a'],
  ])('%s → %s', (raw, want) => {
    expect(normaliseSpecPath(raw, '/repo')).toEqual({ ok: true, path: want });
  });

  it.each(['../elsewhere', 'a/../../b', '/etc', '/repo-other/x', '', '.', '/repo'])('refuses %j', (raw) => {
    expect(normaliseSpecPath(raw, '/repo').ok).toBe(false);
  });
});

describe('feature ids', () => {
  it('canonicalises, orders numerically and reads folder names', () => {
    expect(canonicalId('f-12')).toBe('F-12');
    expect(canonicalId('F-016')).toBe('F-016');
    expect(canonicalId('12x')).toBeUndefined();
    expect(['F-10', 'F-2', 'F-1'].sort(compareIds)).toEqual(['F-1', 'F-2', 'F-10']);
    expect(idFromFolder('f-12-vector-configuration', 'specflow')).toBe('F-12');
    expect(idFromFolder('001-setup', 'spec-kit')).toBe('001');
    expect(idFromFolder('attic', 'specflow')).toBeUndefined();
  });

  it('slugs are lowercase ASCII, dash separated, at most 50 characters', () => {
    expect(slugify('Vector Configuration')).toBe('vector-configuration');
    expect(slugify('Café: naïve «quotes» & $(rm -rf)')).toBe('cafe-naive-quotes-rm-rf');
    expect(slugify('x'.repeat(80)).length).toBe(50);
    expect(folderName('F-12', 'Vector Configuration')).toBe('f-12-vector-configuration');
  });
});
