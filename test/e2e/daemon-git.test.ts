import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DAEMON_TEST_MS, DAEMON_WAIT_MS, ledgerBecomes, logLines, startDaemon, status, stopAllDaemons, waitFor } from '../helpers/daemon.js';
import { driftRepo, F12_DIR, LEDGER, SPECS } from '../helpers/drift.js';
import { cleanupTempDirs, type TestRepo } from '../helpers/repo.js';

/** The daemon next to real git operations: a merge in progress, and a checkout of hundreds of files. */
afterEach(stopAllDaemons);
afterAll(cleanupTempDirs);

// The gate hooks are tested elsewhere; these commits only build history.
const SKIP = { env: { SPECFLOW_SKIP: '1' } };
const BAD = `spec_path: ${F12_DIR}/spec.md\n`;
const GOOD = `spec_path: ${F12_DIR}\n`;
const reconciles = (repo: TestRepo) => logLines(repo).filter((l) => l.msg === 'reconcile');

describe('specflowd and git', { timeout: DAEMON_TEST_MS }, () => {
  it('makes no repair while a merge is in progress, and repairs once it is committed', async () => {
    const repo = driftRepo();
    repo.write('README.md', 'base\n');
    repo.git(['add', '-A']);
    repo.git(['commit', '-qm', 'base'], SKIP);
    repo.git(['checkout', '-qb', 'other']);
    repo.write('README.md', 'theirs\n');
    repo.git(['commit', '-qam', 'theirs'], SKIP);
    repo.git(['checkout', '-q', 'main']);
    repo.write('README.md', 'ours\n');
    repo.git(['commit', '-qam', 'ours'], SKIP);
    startDaemon(repo);

    expect(repo.git(['merge', 'other'], { allowFail: true, ...SKIP }).code).not.toBe(0);
    expect(existsSync(join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(true);
    const seen = reconciles(repo).length;
    repo.write(LEDGER, repo.read(LEDGER).replace(GOOD, BAD));
    const drifted = repo.read(LEDGER);
    // Proof that the daemon saw the bad path and held the repair back, rather than not having looked yet.
    const held = await waitFor(() => reconciles(repo).slice(seen).find((l) => l.pending === 1), DAEMON_WAIT_MS, 'a reconcile with a pending repair');
    expect(held.repairs).toBe(0);
    expect(status(repo)).toMatchObject({ state: 'paused', pausedFor: 'merge in progress' });
    expect(repo.read(LEDGER)).toBe(drifted);

    repo.write('README.md', 'merged\n');
    repo.git(['add', 'README.md']);
    repo.git(['commit', '-q', '--no-edit'], SKIP);
    await ledgerBecomes(repo, (t) => t.includes(GOOD));
    const msgs = await waitFor(() => {
      const m = logLines(repo).map((l) => l.msg);
      return m.includes('repair') && m;
    }, DAEMON_WAIT_MS, 'the repair line');
    expect(msgs.indexOf('paused')).toBeLessThan(msgs.indexOf('resumed'));
    expect(msgs.indexOf('resumed')).toBeLessThan(msgs.indexOf('repair'));
    expect(status(repo).state).toBe('running');
  });

  it('reconciles a checkout of 500 files a bounded number of times, and ends right', async () => {
    const repo = driftRepo();
    const folders = Array.from({ length: 100 }, (_, i) => `${SPECS}/f-${100 + i}-area-${i}`);
    for (const dir of folders) for (const doc of ['spec', 'plan', 'tasks', 'research', 'notes']) repo.write(`${dir}/${doc}.md`, `# ${doc} of ${dir}\n\nFirst version.\n`);
    expect(repo.cli(['doctor', '--fix']).code).toBe(0);
    repo.git(['add', '-A']);
    repo.git(['commit', '-qm', '100 features'], SKIP);
    repo.git(['checkout', '-qb', 'rewrite']);
    for (const dir of folders) for (const doc of ['spec', 'plan', 'tasks', 'research', 'notes']) repo.write(`${dir}/${doc}.md`, `# ${doc} of ${dir}\n\nSecond version, longer than the first.\n`);
    repo.write(`${SPECS}/f-300-reports/spec.md`, '# Reports\n\nMonthly.\n');
    repo.git(['add', '-A']);
    repo.git(['commit', '-qm', 'rewrite every document, add a folder'], SKIP);
    repo.git(['checkout', '-q', 'main']);
    const ledger = repo.read(LEDGER);

    startDaemon(repo);
    await waitFor(() => reconciles(repo).length > 0, DAEMON_WAIT_MS, 'the first reconcile');
    const before = reconciles(repo).length;
    repo.git(['checkout', '-q', 'rewrite']);
    await ledgerBecomes(repo, (t) => t.includes(`  F-300:\n    name: Reports\n    phase: none\n    spec_path: ${SPECS}/f-300-reports\n`));
    // A sentinel after the burst: file events arrive in order, so every reconcile the checkout
    // caused is logged before the one that repairs this.
    repo.write(LEDGER, repo.read(LEDGER).replace(GOOD, BAD));
    await ledgerBecomes(repo, (t) => t.includes(GOOD));
    await waitFor(() => logLines(repo).filter((l) => l.msg === 'repair').length >= 2, DAEMON_WAIT_MS, 'the sentinel repair line');
    const lines = logLines(repo);
    const sentinel = lines.findIndex((l) => l.msg === 'repair' && l.feature === 'F-12');
    const burst = lines.slice(0, sentinel).filter((l) => l.msg === 'reconcile').length - before;
    expect(burst).toBeGreaterThanOrEqual(1);
    expect(burst).toBeLessThanOrEqual(5);

    const final = repo.read(LEDGER);
    expect(final.slice(0, final.indexOf('  F-300:'))).toBe(ledger.trimEnd() + '\n\n');
    expect(lines.filter((l) => l.msg === 'repair').map((l) => l.code)).toEqual(['feature.registered', 'spec_path.repaired']);
  });
});
