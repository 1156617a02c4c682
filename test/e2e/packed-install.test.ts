import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { commit, HUSKY, LEFTHOOK, ok, packTarball, sh, specflow, userProject, walkPhaseCommits } from '../helpers/packed.js';
import { setPhase } from '../helpers/gate.js';
import { cleanupTempDirs, tempDir } from '../helpers/repo.js';

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

  it('in a lefthook project: init adds its commands beside the user\'s in lefthook.yml, and commits and pushes go through them', () => {
    const userConfig = '# the team\'s hooks\npre-commit:\n  commands:\n    lint:\n      run: echo "the user\'s lefthook command ran"\n';
    const repo = userProject([LEFTHOOK, tarball], { 'lefthook.yml': userConfig });
    const init = ok(specflow(repo, ['init']), 'specflow init');
    expect(init.stdout).toContain('lefthook.yml');
    expect(init.stdout).toContain('npx lefthook install');
    const config = repo.read('lefthook.yml');
    expect(config.startsWith(userConfig)).toBe(true);
    for (const kept of ["# the team's hooks", 'lint:', "the user's lefthook command ran", 'use_stdin: true', 'hook pre-push', 'hook commit-msg {1}']) expect(config).toContain(kept);
    expect(ok(specflow(repo, ['init', '--json']), 'init again').stdout).toContain('"steps": []');
    ok(sh(repo, 'npx', ['--no', 'lefthook', 'install']), 'lefthook install');
    const setUp = ok(commit(repo, 'Track feature phases with specflow'), 'the set-up commit');
    expect(setUp.stdout + setUp.stderr).toContain("the user's lefthook command ran");
    walkPhaseCommits(repo);

    // pre-push sees git's list of refs (use_stdin): a good history goes, a --no-verify lie does not.
    const bare = join(tempDir('specflow-remote-'), 'origin.git');
    repo.git(['init', '-q', '--bare', bare]);
    repo.git(['remote', 'add', 'origin', bare]);
    ok(repo.git(['push', '-q', 'origin', 'main'], { allowFail: true }), 'the first push');
    setPhase(repo, 'F-12', 'complete');
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '--no-verify', '-m', 'F-12: done (not really)']);
    const push = repo.git(['push', '-q', 'origin', 'main'], { allowFail: true });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('F-12');
    expect(push.stderr).toMatch(/tasks\./);
  });
});
