import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commit, HUSKY, ok, packTarball, sh, specflow, userProject, walkPhaseCommits } from '../helpers/packed.js';
import { cleanupTempDirs } from '../helpers/repo.js';

/**
 * The path a user takes: the package as `npm pack` builds it, installed from the tarball into a
 * fresh project beside a hook manager, set up with the installed `specflow init`, and a refused
 * then an accepted phase commit through the hooks that set-up installed. Nothing here runs the
 * checkout's CLI. The project is packed once; npm installs from its local cache when it can.
 */
afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let tarball = '';
beforeAll(() => {
  tarball = packTarball();
});

describe('the packed package, installed from its tarball', () => {
  it('in a husky 9 project: init adds its line to the husky hooks, and a phase commit is refused, then accepted', () => {
    const repo = userProject([HUSKY, tarball]);
    ok(sh(repo, 'npx', ['--no', 'husky', 'init']), 'husky init');
    repo.write('.husky/pre-commit', 'echo "the user\'s pre-commit ran" >&2\n');
    const init = ok(specflow(repo, ['init']), 'specflow init');
    expect(init.stdout).toContain('.husky/pre-commit');
    expect(repo.read('.husky/pre-commit')).toContain('specflow.sh');
    expect(repo.read('.husky/pre-commit')).toContain("the user's pre-commit ran");
    expect(ok(commit(repo, 'Track feature phases with specflow'), 'the set-up commit').stderr).toContain("the user's pre-commit ran");
    walkPhaseCommits(repo);
  });
});
