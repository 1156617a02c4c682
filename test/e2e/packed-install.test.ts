import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commit, HUSKY, LEFTHOOK, ok, packTarball, sh, specflow, userProject, walkPhaseCommits } from '../helpers/packed.js';
import { setPhase } from '../helpers/gate.js';
import { cleanupTempDirs, LEDGER, makeRepo, tempDir, type TestRepo } from '../helpers/repo.js';

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
    pushTo(repo);
    ok(repo.git(['push', '-q', 'origin', 'main'], { allowFail: true }), 'the first push');
    expectLieRefusedAtPush(repo);
  });

  it("a teammate's clone: npm ci brings the hooks and the ledger's merge driver, and two branches adding different features merge clean", () => {
    const repo = userProject([HUSKY, tarball]);
    ok(sh(repo, 'npx', ['--no', 'husky', 'init']), 'husky init');
    repo.write('.husky/pre-commit', 'echo "the user\'s pre-commit ran" >&2\n');
    const init = ok(specflow(repo, ['init']), 'specflow init');
    expect(init.stdout).toContain('prepare');
    expect((JSON.parse(repo.read('package.json')) as { scripts: { prepare: string } }).scripts.prepare).toBe('husky && specflow setup');
    ok(specflow(repo, ['add', 'First', '--id', 'F-1']), 'add');
    ok(commit(repo, 'Track feature phases with specflow'), 'the set-up commit');
    pushTo(repo);
    ok(repo.git(['push', '-q', 'origin', 'main'], { allowFail: true }), 'the first push');

    const clone = makeRepo({ git: false });
    clone.git(['clone', '-q', repo.git(['remote', 'get-url', 'origin']).stdout.trim(), '.']);
    expect(clone.git(['config', '--get', 'merge.specflow-ledger.driver'], { allowFail: true }).stdout).toBe('');
    ok(sh(clone, 'npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']), 'npm ci in the clone');
    expect(clone.git(['config', '--get', 'merge.specflow-ledger.driver']).stdout.trim()).toBe('sh .husky/specflow.sh merge-ledger %O %A %B');

    for (const [branch, id] of [['one', 'F-2'], ['two', 'F-3']] as const) {
      clone.git(['checkout', '-q', '-b', branch, 'main']);
      ok(specflow(clone, ['add', `Feature ${id}`, '--id', id]), `add ${id}`);
      ok(commit(clone, `${id}: registered`), `the ${id} commit`);
    }
    // Both append a block at the end of the ledger: a line merge would conflict there.
    const show = (rev: string) => clone.git(['show', `${rev}:${LEDGER}`]).stdout;
    const dir = tempDir('specflow-merge-');
    for (const rev of ['main', 'one', 'two']) writeFileSync(join(dir, rev), show(rev));
    const lineMerge = spawnSync('git', ['merge-file', '-p', join(dir, 'one'), join(dir, 'main'), join(dir, 'two')], { encoding: 'utf8' });
    expect(lineMerge.status, lineMerge.stderr).toBe(1);

    clone.git(['checkout', '-q', 'one']);
    const merge = clone.git(['merge', '--no-edit', 'two'], { allowFail: true });
    expect(merge.code, merge.stdout + merge.stderr).toBe(0);
    const ledger = clone.read(LEDGER);
    for (const id of ['F-1:', 'F-2:', 'F-3:']) expect(ledger).toContain(id);
    expect(ledger).not.toContain('<<<<<<<');
    expect(clone.git(['status', '--porcelain']).stdout).toBe('');
    // The clone's hooks are the installed ones: a phase commit is refused, then accepted.
    walkPhaseCommits(clone);
  });
});

/** Debian's pre-commit (PyPI is not reachable here); .ci/run installs it. */
const PRE_COMMIT_MISSING = spawnSync('pre-commit', ['--version']).status !== 0 ? 'needs the pre-commit framework: apt-get install -y pre-commit' : '';

/** A bare `origin`, and a push of main to it through the installed pre-push hook. */
function pushTo(repo: TestRepo): void {
  const bare = join(tempDir('specflow-remote-'), 'origin.git');
  repo.git(['init', '-q', '--bare', bare]);
  repo.git(['remote', 'add', 'origin', bare]);
}

/** A phase moved with --no-verify past a gate its documents do not pass: pre-push must refuse it. */
function expectLieRefusedAtPush(repo: TestRepo): void {
  setPhase(repo, 'F-12', 'complete');
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '--no-verify', '-m', 'F-12: done (not really)']);
  const push = repo.git(['push', '-q', 'origin', 'main'], { allowFail: true });
  expect(push.code, push.stdout).not.toBe(0);
  expect(push.stdout + push.stderr).toContain('F-12');
  expect(push.stdout + push.stderr).toMatch(/tasks\./);
}

describe('the packed package with the pre-commit framework', () => {
  it('init adds a repo: local entry to .pre-commit-config.yaml; pre-commit install; commits and pushes go through it', (ctx) => {
    if (PRE_COMMIT_MISSING) ctx.skip(PRE_COMMIT_MISSING);
    const userConfig = 'repos:\n  - repo: local\n    hooks:\n      - id: user-check\n        name: user check\n        entry: echo "the user\'s pre-commit hook ran"\n        language: system\n        pass_filenames: false\n';
    const repo = userProject([tarball], { '.pre-commit-config.yaml': userConfig });
    repo.env.PRE_COMMIT_HOME = join(repo.dir, '..', 'pre-commit-home');
    const init = ok(specflow(repo, ['init']), 'specflow init');
    expect(init.stdout).toContain('.pre-commit-config.yaml');
    expect(init.stdout).toContain('pre-commit install');
    expect(repo.read('.pre-commit-config.yaml').startsWith(userConfig)).toBe(true);
    ok(sh(repo, 'pre-commit', ['install']), 'pre-commit install');
    const setUp = ok(commit(repo, 'Track feature phases with specflow'), 'the set-up commit');
    expect(setUp.stdout + setUp.stderr).toContain('user check');
    walkPhaseCommits(repo);
    // The framework hands pre-push no stdin, only PRE_COMMIT_* variables: the first push
    // (from the root commit, no FROM_REF), then a lie on top of it (FROM_REF..TO_REF).
    pushTo(repo);
    ok(repo.git(['push', '-q', 'origin', 'main'], { allowFail: true }), 'the first push');
    expectLieRefusedAtPush(repo);
  });

  it("the package's .pre-commit-hooks.yaml, used as a remote repo, runs the installed specflow", (ctx) => {
    if (PRE_COMMIT_MISSING) ctx.skip(PRE_COMMIT_MISSING);
    const repo = userProject([tarball]);
    repo.env.PRE_COMMIT_HOME = join(repo.dir, '..', 'pre-commit-home');
    // The hooks' repository: the package as installed, committed, as a tag of it would be.
    const hooksRepo = join(repo.dir, 'node_modules', 'specflowd');
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'v0']]) ok(sh(repo, 'git', ['-C', hooksRepo, ...args]), `git ${args[0]}`);
    const rev = sh(repo, 'git', ['-C', hooksRepo, 'rev-parse', 'HEAD']).stdout.trim();
    const ids = ['specflow-pre-commit', 'specflow-pre-merge-commit', 'specflow-commit-msg', 'specflow-pre-push'];
    repo.write(
      '.pre-commit-config.yaml',
      `default_install_hook_types: [pre-commit, pre-merge-commit, commit-msg, pre-push]\nrepos:\n  - repo: ${hooksRepo}\n    rev: ${rev}\n    hooks:\n${ids.map((id) => `      - id: ${id}\n`).join('')}`,
    );
    ok(specflow(repo, ['init']), 'specflow init');
    // init saw the config and added its local entry; here the remote one does the work.
    repo.write('.pre-commit-config.yaml', repo.read('.pre-commit-config.yaml').replace(/\n {2}- repo: local[\s\S]*$/, '\n'));
    ok(sh(repo, 'pre-commit', ['install']), 'pre-commit install');
    ok(commit(repo, 'Track feature phases with specflow'), 'the set-up commit');
    walkPhaseCommits(repo);
    pushTo(repo);
    ok(repo.git(['push', '-q', 'origin', 'main'], { allowFail: true }), 'the first push');
    expectLieRefusedAtPush(repo);
  });
});
