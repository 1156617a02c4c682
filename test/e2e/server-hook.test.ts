import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GOOD_TASKS } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, installSpecflow, pushToNewRemote, setPhase, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, json, PROJECT_ROOT, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 180_000 });

/**
 * The server side on a real bare repository: its pre-receive (installed by `specflow init
 * --server`) judges every pushed commit, so a commit made and pushed with --no-verify on the
 * client is refused by the server with the finding.
 */
function serverAndClient(): { repo: TestRepo; bare: string } {
  const repo = gateRepo();
  // The server has no node_modules: specflow is found on the PATH git gives its hooks.
  installSpecflow(repo, 'path');
  const bare = pushToNewRemote(repo);
  return { repo, bare };
}

const serverHead = (repo: TestRepo, bare: string, ref = 'refs/heads/main') => repo.git(['--git-dir', bare, 'rev-parse', '--verify', '-q', ref], { allowFail: true }).stdout.trim();

/** A commit that moves F-12 to complete with a task unchecked, made with --no-verify. */
function bypass(repo: TestRepo, subject = 'F-12: complete'): string {
  setPhase(repo, 'F-12', 'complete');
  repo.write(`${F12_DIR}/tasks.md`, GOOD_TASKS);
  commit(repo, subject, { args: ['--no-verify'], expect: 0 });
  return head(repo);
}

function push(repo: TestRepo, args: string[]) {
  return repo.git(['push', '--no-verify', 'origin', ...args], { allowFail: true });
}

describe('specflow hook pre-receive on a bare repository', () => {
  it('installs with init --server, chains the hook that was there, accepts valid pushes and refuses a --no-verify bypass with the finding', () => {
    const { repo, bare } = serverAndClient();
    // A pre-receive of the server's own, which must keep running with the same input.
    writeFileSync(join(bare, 'hooks', 'pre-receive'), '#!/bin/sh\necho "own hook saw $(wc -l | tr -d " ") update(s)" >&2\n', { mode: 0o755 });
    const install = repo.cli(['init', '--server', bare, '--json']);
    expect(install.code, install.stderr).toBe(0);
    expect(json<{ hook: string; steps: string[] }>(install).steps.join('\n')).toContain('pre-receive.local');
    expect(existsSync(join(bare, 'hooks', 'pre-receive.local'))).toBe(true);
    expect(readFileSync(join(bare, 'hooks', 'pre-receive'), 'utf8')).toContain('specflow-hook');
    // Again: nothing changes, nothing is overwritten.
    const again = repo.cli(['init', '--server', bare]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(bare, 'hooks', 'pre-receive.local'), 'utf8')).toContain('own hook saw');

    // A valid push is accepted, and the server's own hook runs after the check with the same input.
    withApprovedSpec(repo);
    const ok = push(repo, ['main']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('own hook saw 1 update(s)');
    expect(serverHead(repo, bare)).toBe(head(repo));

    // The bypass: committed and pushed with --no-verify; the server refuses it with the finding.
    const before = serverHead(repo, bare);
    const bad = bypass(repo);
    const refused = push(repo, ['main']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/remote: specflow: push refused by the server/);
    expect(refused.stderr).toContain('tasks.unchecked');
    expect(refused.stderr).toContain(bad.slice(0, 7));
    expect(refused.stderr).not.toContain('own hook saw');
    expect(serverHead(repo, bare)).toBe(before);

    // The same commit as a new branch, or under an annotated tag, is refused too.
    expect(push(repo, [`${bad}:refs/heads/feature`]).code).not.toBe(0);
    expect(serverHead(repo, bare, 'refs/heads/feature')).toBe('');
    repo.git(['tag', '-a', 'v-bad', '-m', 'bad', bad]);
    const tag = push(repo, ['refs/tags/v-bad']);
    expect(tag.code).not.toBe(0);
    expect(tag.stderr).toContain('tasks.unchecked');

    // Rewritten without the bypass: a tag of a commit the server has, a new branch, a deletion and a force push are accepted.
    repo.git(['reset', '-q', '--hard', before]);
    repo.git(['tag', '-d', 'v-bad']);
    repo.git(['tag', 'v-good', before]);
    expect(push(repo, ['refs/tags/v-good']).code).toBe(0);
    repo.write('notes.txt', 'side\n');
    commit(repo, 'notes', { expect: 0 });
    const side = push(repo, ['HEAD:refs/heads/side']);
    expect(side.code, side.stderr).toBe(0);
    expect(push(repo, [':refs/heads/side']).code).toBe(0);
    expect(serverHead(repo, bare, 'refs/heads/side')).toBe('');
    expect(push(repo, ['main']).code).toBe(0);
    // A force push that replaces history: refused when the new history holds the bypass, accepted when it does not.
    repo.git(['reset', '-q', '--hard', before]);
    bypass(repo, 'F-12: complete, again');
    const forced = push(repo, ['--force', 'main']);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toContain('tasks.unchecked');
    repo.git(['reset', '-q', '--hard', before]);
    repo.write('other.txt', 'rewritten\n');
    commit(repo, 'rewritten', { expect: 0 });
    const rewritten = push(repo, ['--force', 'main']);
    expect(rewritten.code, rewritten.stderr).toBe(0);
    expect(serverHead(repo, bare)).toBe(head(repo));
  });

  it('runs as the update hook too, refusing the one ref', () => {
    const { repo, bare } = serverAndClient();
    copyFileSync(join(PROJECT_ROOT, 'hooks', 'server-hook'), join(bare, 'hooks', 'update'));
    chmodSync(join(bare, 'hooks', 'update'), 0o755);
    withApprovedSpec(repo);
    expect(push(repo, ['main']).code).toBe(0);
    const good = head(repo);
    bypass(repo);
    const refused = push(repo, ['main', `${good}:refs/heads/release`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('tasks.unchecked');
    // update judges ref by ref: main is refused, the other ref goes in.
    expect(serverHead(repo, bare)).toBe(good);
    expect(serverHead(repo, bare, 'refs/heads/release')).toBe(good);
  });

  it('refuses a path that is not a bare repository (exit 2), and fails closed when the server has no specflow', () => {
    const { repo, bare } = serverAndClient();
    const notBare = repo.cli(['init', '--server', repo.dir]);
    expect(notBare.code).toBe(2);
    expect(notBare.stderr).toContain('not a bare git repository');
    expect(repo.cli(['init', '--server', bare]).code).toBe(0);
    repo.write('x.txt', 'x\n');
    commit(repo, 'x', { expect: 0 });
    const path = (repo.env.PATH ?? '').split(':').filter((p) => !p.endsWith('/bin') || p.startsWith('/usr') || p === '/bin').join(':');
    const r = repo.git(['push', '--no-verify', 'origin', 'main'], { allowFail: true, env: { PATH: path } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('specflow is not installed');
  });
});
