import { afterAll, describe, expect, it, vi } from 'vitest';
import { commit, gateRepo, installSpecflow, pushToNewRemote } from '../helpers/gate.js';
import { cleanupTempDirs, json, makeRepo, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 120_000 });

/** `add` without --id takes an id no ledger uses: HEAD's, the index's, any local or remote-tracking branch's. */
function add(repo: TestRepo, name: string, extra: string[] = []) {
  return repo.cli(['add', name, '--json', ...extra]);
}

function clone(bare: string): TestRepo {
  const repo = makeRepo({ git: false });
  repo.git(['clone', '-q', `file://${bare}`, '.']);
  installSpecflow(repo, 'node_modules');
  return repo;
}

describe('feature ids across branches', () => {
  it('two clones sharing a remote get different ids, and --id refuses one another branch uses, naming it', () => {
    const ann = gateRepo();
    const bare = pushToNewRemote(ann);
    const bob = clone(bare);

    // Ann adds a feature on a branch and pushes it; Bob fetches.
    ann.git(['checkout', '-q', '-b', 'alpha']);
    expect(json<{ id: string }>(add(ann, 'Alpha')).id).toBe('F-1');
    commit(ann, 'Add Alpha', { expect: 0 });
    ann.git(['push', '-q', 'origin', 'alpha']);
    bob.git(['fetch', '-q']);

    // Bob's main has no F-1, but origin/alpha does.
    const beta = add(bob, 'Beta');
    expect(beta.code, beta.stderr).toBe(0);
    expect(json<{ id: string }>(beta).id).toBe('F-2');
    const taken = bob.cli(['add', 'Gamma', '--id', 'f-1']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('feature id F-1 is already used on branch origin/alpha (Alpha)');

    // A local branch counts too: Beta is committed on Bob's main, and a branch made from origin/main does not hold it.
    commit(bob, 'Add Beta', { expect: 0 });
    bob.git(['checkout', '-q', '-b', 'delta', 'origin/main']);
    expect(json<{ id: string }>(add(bob, 'Delta')).id).toBe('F-3');
    const local = bob.cli(['add', 'Zeta', '--id', 'F-2']);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('feature id F-2 is already used on branch main (Beta)');
  });
});
