import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addToLefthook, addToPreCommit, HookConfigError, preCommitHooks } from '../../src/core/hook-manager-config.js';
import { PROJECT_ROOT } from '../helpers/repo.js';

const SHIM = '.maestro/hooks/specflow.sh';

describe("specflow's entries in lefthook's config", () => {
  it('adds a command per hook under commands, keeps the user’s entries and comments, and is idempotent', () => {
    const user = '# ours\npre-commit:\n  parallel: true\n  commands:\n    lint:\n      run: npm run lint # fast\n';
    const r = addToLefthook(user, SHIM, 'lefthook.yml')!;
    expect(r.hooks).toEqual(['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push']);
    expect(r.text).toContain('# ours');
    expect(r.text).toContain('npm run lint # fast');
    const doc = parse(r.text) as Record<string, { parallel?: boolean; commands: Record<string, { run: string; use_stdin?: boolean }> }>;
    expect(Object.keys(doc['pre-commit']!.commands)).toEqual(['lint', 'specflow']);
    expect(doc['pre-commit']!.parallel).toBe(true);
    expect(doc['commit-msg']!.commands.specflow!.run).toBe(`sh ${SHIM} hook commit-msg {1}`);
    expect(doc['pre-push']!.commands.specflow).toEqual({ run: `sh ${SHIM} hook pre-push {1} {2}`, use_stdin: true });
    expect(addToLefthook(r.text, SHIM, 'lefthook.yml')).toBeUndefined();
  });

  it('appends a job named specflow where the hook lists jobs, and fills a config of comments only', () => {
    const jobs = addToLefthook('pre-push:\n  jobs:\n    - name: audit\n      run: npm audit\n', SHIM, 'lefthook.yml')!;
    const doc = parse(jobs.text) as Record<string, { jobs?: { name: string; use_stdin?: boolean }[] }>;
    expect(doc['pre-push']!.jobs!.map((j) => j.name)).toEqual(['audit', 'specflow']);
    expect(doc['pre-push']!.jobs![1]!.use_stdin).toBe(true);
    const empty = addToLefthook('# EXAMPLE USAGE:\n#   pre-push:\n', SHIM, 'lefthook.yml')!;
    expect(empty.text.startsWith('# EXAMPLE USAGE:')).toBe(true);
    expect(Object.keys(parse(empty.text) as object)).toEqual(['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push']);
  });

  it('refuses what it cannot extend, naming the file, and changes nothing', () => {
    expect(() => addToLefthook('pre-commit: [x\n', SHIM, '.lefthook.yml')).toThrow(/\.lefthook\.yml does not parse/);
    expect(() => addToLefthook('- a\n', SHIM, 'lefthook.yml')).toThrow(HookConfigError);
    expect(() => addToLefthook('pre-commit:\n  commands: [a]\n', SHIM, 'lefthook.yml')).toThrow(/pre-commit\.commands is not a map/);
  });
});

describe("specflow's entries in the pre-commit framework's config", () => {
  it('adds a repo: local entry after the user’s repos and the hook types it needs, once', () => {
    const user = 'default_install_hook_types: [pre-commit]\nrepos:\n  - repo: https://example.com/hooks\n    rev: v1\n    hooks:\n      - id: trailing-whitespace\n';
    const r = addToPreCommit(user, SHIM, '.pre-commit-config.yaml')!;
    const doc = parse(r.text) as { default_install_hook_types: string[]; repos: { repo: string; hooks: { id: string; entry: string; stages: string[]; pass_filenames: boolean }[] }[] };
    expect(doc.repos.map((x) => x.repo)).toEqual(['https://example.com/hooks', 'local']);
    expect(doc.default_install_hook_types).toEqual(['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push']);
    const local = doc.repos[1]!.hooks;
    expect(local.map((h) => h.id)).toEqual(['specflow-pre-commit', 'specflow-pre-merge-commit', 'specflow-commit-msg', 'specflow-pre-push']);
    expect(local.find((h) => h.id === 'specflow-pre-push')).toMatchObject({ entry: `sh ${SHIM} hook pre-push`, stages: ['push'], pass_filenames: false });
    expect(local.find((h) => h.id === 'specflow-commit-msg')!.pass_filenames).toBe(true);
    expect(addToPreCommit(r.text, SHIM, '.pre-commit-config.yaml')).toBeUndefined();
  });

  it("the package's .pre-commit-hooks.yaml holds the same hooks, run from the framework's copy of the package", () => {
    const manifest = parse(readFileSync(join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as unknown;
    expect(manifest).toEqual(preCommitHooks((hook) => `hooks/specflow.sh hook ${hook}`, 'script'));
  });
});
