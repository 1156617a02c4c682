import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GOOD_SPEC, goodPlan } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, setPhase } from '../helpers/gate.js';
import { cleanupTempDirs, json, tempDir, type RunResult, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 180_000 });

/**
 * Trusted approvals (DESIGN §5): with `approvers` in the config, the commit that records an
 * approval must be authored by an approver and name them; with `require_signed_approval` it must
 * carry a good signature by a key in .maestro/allowed_signers as of its parent; an approval
 * records its spec's blob id, and a spec changed after it is refused.
 */
const ANN = { GIT_AUTHOR_NAME: 'Ann Example', GIT_AUTHOR_EMAIL: 'ann@example.com', GIT_COMMITTER_NAME: 'Ann Example', GIT_COMMITTER_EMAIL: 'ann@example.com' };
const ANN_BY = 'Ann Example <ann@example.com>';
const CONFIG = '.maestro/config.yaml';

function trustedRepo(extraConfig = ''): { repo: TestRepo; base: string } {
  const repo = gateRepo();
  repo.write(CONFIG, `${repo.read(CONFIG)}approvers:\n  - ann@example.com\n${extraConfig}`);
  commit(repo, 'Only Ann approves', { expect: 0 });
  const base = head(repo);
  expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-12']).code).toBe(0);
  repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
  expect(repo.cli(['specify', 'F-12']).code).toBe(0);
  commit(repo, 'F-12: specify', { expect: 0 });
  return { repo, base };
}

const verify = (repo: TestRepo, base: string) => repo.cli(['verify', '--range', `${base}..HEAD`, '--json']);
const codes = (r: RunResult) => json<{ commits: { blocking: { code: string }[] }[] }>(r).commits.flatMap((c) => c.blocking.map((f) => f.code));

describe('trusted approvals', () => {
  it('an approval by someone not among the approvers is refused at commit and fails verify; one by an approver passes', () => {
    const { repo, base } = trustedRepo();
    // The default identity (Test User) approves: pre-commit refuses, naming the approvers.
    expect(repo.cli(['approve', 'F-12']).code).toBe(0);
    const refused = commit(repo, 'F-12 approved', { expect: 1 });
    expect(refused.stderr).toContain('approval.untrusted');
    expect(refused.stderr).toContain('ann@example.com');
    // Committed past the hook, verify fails it.
    commit(repo, 'F-12 approved', { args: ['--no-verify'], expect: 0 });
    const r = verify(repo, base);
    expect(r.code).toBe(1);
    expect(codes(r)).toContain('approval.untrusted');

    // Ann records her own approval, with the blob id of the spec she approved.
    repo.git(['reset', '-q', '--hard', 'HEAD~1']);
    expect(repo.cli(['approve', 'F-12', '--by', ANN_BY]).code).toBe(0);
    const specBlob = repo.git(['hash-object', `${F12_DIR}/spec.md`]).stdout.trim();
    expect(repo.read('.maestro/ledger.yaml')).toContain(`spec: ${specBlob}`);
    commit(repo, 'F-12 approved by Ann', { env: ANN, expect: 0 });
    const ok = verify(repo, base);
    expect(ok.code, ok.stdout).toBe(0);

    // The trail shows the approval and the config change as events.
    const log = json<{ events: { event: string; feature: string | null; by: string | null; author: string; subject: string }[] }>(repo.cli(['log', '--json']));
    expect(log.events.map((e) => [e.event, e.feature, e.by, e.author])).toEqual([
      ['config', null, null, 'Test User'],
      ['config', null, null, 'Test User'],
      ['approval', 'F-12', ANN_BY, 'Ann Example'],
    ]);
    expect(log.events[1]!.subject).toBe('Only Ann approves');
    expect(repo.cli(['log']).stdout).toMatch(/F-12 approved by Ann Example <ann@example\.com>/);
  });

  it('an approval naming someone other than its commit author is refused', () => {
    const { repo, base } = trustedRepo();
    repo.write(CONFIG, repo.read(CONFIG).replace('  - ann@example.com\n', '  - ann@example.com\n  - test@example.com\n'));
    commit(repo, 'Test User approves too', { expect: 0 });
    expect(repo.cli(['approve', 'F-12', '--by', ANN_BY]).code).toBe(0);
    const refused = commit(repo, 'F-12 approved', { expect: 1 });
    expect(refused.stderr).toContain('approval.mismatch');
    commit(repo, 'F-12 approved', { args: ['--no-verify'], expect: 0 });
    expect(codes(verify(repo, base))).toContain('approval.mismatch');
  });

  it('a spec changed after its approval is stale: refused at commit, at verify', () => {
    const { repo, base } = trustedRepo();
    expect(repo.cli(['approve', 'F-12', '--by', ANN_BY]).code).toBe(0);
    commit(repo, 'F-12 approved by Ann', { env: ANN, expect: 0 });
    repo.write(`${F12_DIR}/plan.md`, goodPlan());
    setPhase(repo, 'F-12', 'plan');
    commit(repo, 'F-12: plan', { expect: 0 });
    // The spec still passes its gate, but it is not what Ann approved.
    repo.write(`${F12_DIR}/spec.md`, `${GOOD_SPEC}\n## Later\n\nA requirement nobody approved.\n`);
    const refused = commit(repo, 'Widen the spec', { expect: 1 });
    expect(refused.stderr).toContain('approval.stale');
    commit(repo, 'Widen the spec', { args: ['--no-verify'], expect: 0 });
    const r = verify(repo, base);
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(['approval.stale']);
    // Ann approves the new spec: the approval is current again.
    expect(repo.cli(['approve', 'F-12', '--by', ANN_BY]).code).toBe(0);
    commit(repo, 'F-12 approved again', { env: ANN, expect: 0 });
    expect(codes(verify(repo, `${head(repo)}~1`))).toEqual([]);
  });

  it('require_signed_approval: only a commit signed by a key in .maestro/allowed_signers (as of its parent) approves', () => {
    const keys = tempDir('specflow-keys-');
    const key = join(keys, 'ann');
    const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ann@example.com', '-f', key], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const { repo, base } = trustedRepo('require_signed_approval: true\n');
    repo.write('.maestro/allowed_signers', `ann@example.com ${readFileSync(`${key}.pub`, 'utf8').trim()}\n`);
    commit(repo, 'Ann signs approvals', { expect: 0 });

    // Unsigned: pre-commit cannot see a signature yet; verify refuses the commit.
    expect(repo.cli(['approve', 'F-12', '--by', ANN_BY]).code).toBe(0);
    commit(repo, 'F-12 approved, unsigned', { env: ANN, expect: 0 });
    const unsigned = verify(repo, base);
    expect(unsigned.code).toBe(1);
    expect(codes(unsigned)).toContain('approval.unsigned');

    // Signed with Ann's key: good.
    repo.git(['reset', '-q', '--hard', 'HEAD~1']);
    expect(repo.cli(['approve', 'F-12', '--by', ANN_BY]).code).toBe(0);
    repo.git(['add', '-A']);
    repo.git(['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key}`, 'commit', '-q', '-S', '-m', 'F-12 approved, signed'], { env: ANN });
    const good = verify(repo, base);
    expect(good.code, good.stdout).toBe(0);

    // Signed by a key that is not in allowed_signers: not good.
    const other = join(keys, 'mallory');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    repo.git(['reset', '-q', '--hard', 'HEAD~1']);
    expect(repo.cli(['approve', 'F-12', '--by', ANN_BY]).code).toBe(0);
    repo.git(['add', '-A']);
    repo.git(['-c', 'gpg.format=ssh', '-c', `user.signingkey=${other}`, 'commit', '-q', '-S', '-m', 'F-12 approved, wrong key'], { env: ANN });
    expect(codes(verify(repo, base))).toContain('approval.unsigned');
  });
});
