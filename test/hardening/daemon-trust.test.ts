import { existsSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alive, DAEMON_TEST_MS, DAEMON_WAIT_MS, ledgerBecomes, LOG, logLines, startDaemon, status, stopAllDaemons, waitFor } from '../helpers/daemon.js';
import { GOOD_SPEC } from '../helpers/docs.js';
import { cleanupTempDirs, initRepo, LEDGER, SPECS, type TestRepo } from '../helpers/repo.js';

/**
 * The daemon keeps the ledger trustworthy only while it is the one daemon of its worktree and
 * judges what a person or git actually did. Each case here went wrong before; every wait ends
 * on the event it expects.
 */
afterEach(stopAllDaemons);
afterAll(cleanupTempDirs);

const F1_DIR = `${SPECS}/f-1-vector-configuration`;

function repoWithFeature(): TestRepo {
  const repo = initRepo();
  expect(repo.cli(['add', 'Vector Configuration', '--id', 'F-1']).code).toBe(0);
  repo.write(`${F1_DIR}/spec.md`, GOOD_SPEC);
  return repo;
}

describe('the daemon whose instance lock disappears exits, so a later start never makes two', () => {
  for (const [what, remove] of [
    ['.maestro/run/ removed (git clean -fdx)', (repo: TestRepo) => rmSync(join(repo.dir, '.maestro/run'), { recursive: true, force: true })],
    ['the whole of .maestro removed', (repo: TestRepo) => rmSync(join(repo.dir, '.maestro'), { recursive: true, force: true })],
    ['only its lock file removed', (repo: TestRepo) => rmSync(join(repo.dir, '.maestro/run/specflowd.pid'))],
  ] as const) {
    it(
      what,
      async () => {
        const repo = repoWithFeature();
        const ledger = repo.read(LEDGER);
        const pid = startDaemon(repo);
        remove(repo);
        await waitFor(() => !alive(pid), DAEMON_WAIT_MS, 'the orphaned daemon to exit');
        // Where its log survived, it says why it left.
        if (existsSync(join(repo.dir, LOG))) expect(logLines(repo).find((l) => l.msg === 'instance lost')?.reason).toMatch(/removed/);
        if (!existsSync(join(repo.dir, LEDGER))) repo.write(LEDGER, ledger);
        const second = startDaemon(repo);
        expect(second).not.toBe(pid);
        expect(status(repo)).toMatchObject({ running: true, pid: second });
      },
      DAEMON_TEST_MS,
    );
  }
});

describe('a specs folder created after the daemon started', () => {
  it('init creates the configured specs folder (empty: nothing stray among the feature folders)', () => {
    const repo = initRepo();
    expect(readdirSync(join(repo.dir, SPECS))).toEqual([]);
  });

  it(
    'is watched as soon as it appears, with no periodic pass: a feature folder in it is registered',
    async () => {
      const repo = initRepo();
      rmSync(join(repo.dir, '.specify'), { recursive: true, force: true });
      startDaemon(repo);
      repo.write(`${SPECS}/f-7-late-arrival/spec.md`, GOOD_SPEC);
      await ledgerBecomes(repo, (t) => t.includes('F-7:'));
      // And a second folder after that is seen through the new watch.
      repo.write(`${SPECS}/f-8-later-still/spec.md`, GOOD_SPEC);
      await ledgerBecomes(repo, (t) => t.includes('F-8:'));
    },
    DAEMON_TEST_MS,
  );

  it(
    'a specs_dir moved by the config to a folder that does not exist yet is watched once it appears',
    async () => {
      const repo = initRepo();
      startDaemon(repo);
      repo.write('.maestro/config.yaml', repo.read('.maestro/config.yaml').replace('specs_dir: .specify/specs', 'specs_dir: docs/features'));
      await waitFor(() => logLines(repo).some((l) => l.msg === 'reconcile' && String(l.reason).includes('config')), DAEMON_WAIT_MS, 'the config to be read');
      repo.write('docs/features/f-9-elsewhere/spec.md', GOOD_SPEC);
      await ledgerBecomes(repo, (t) => t.includes('F-9:'));
    },
    DAEMON_TEST_MS,
  );
});

describe('a document saved by truncating it, then writing it (how VS Code saves)', () => {
  it(
    'the empty moment in between is never reported as a phase ahead of its documents',
    async () => {
      const repo = repoWithFeature();
      expect(repo.cli(['specify', 'F-1']).code).toBe(0);
      startDaemon(repo);
      const spec = join(repo.dir, F1_DIR, 'spec.md');
      const seen = logLines(repo).length;
      const after = () => logLines(repo).slice(seen);
      // The truncate, left for the daemon to see: it reconciles over the empty document.
      truncateSync(spec, 0);
      await waitFor(() => after().some((l) => l.msg === 'reconcile' && String(l.reason).includes('document')), DAEMON_WAIT_MS, 'the daemon to see the truncated spec');
      writeFileSync(spec, GOOD_SPEC);
      // Its look again, once the document has settled, reports nothing.
      await waitFor(() => after().some((l) => l.msg === 'problem' || (l.msg === 'reconcile' && String(l.reason).includes('retry'))), DAEMON_WAIT_MS, 'the settled look');
      expect(after().filter((l) => l.msg === 'problem')).toEqual([]);
      await waitFor(() => status(repo).problems === 0, DAEMON_WAIT_MS, 'a quiet daemon');
      expect(after().filter((l) => l.msg === 'problem')).toEqual([]);
    },
    DAEMON_TEST_MS,
  );

  it(
    'a document that stays empty is still reported once it has settled',
    async () => {
      const repo = repoWithFeature();
      expect(repo.cli(['specify', 'F-1']).code).toBe(0);
      startDaemon(repo);
      truncateSync(join(repo.dir, F1_DIR, 'spec.md'), 0);
      const line = await waitFor(() => logLines(repo).find((l) => l.msg === 'problem' && l.code === 'phase.ahead' && l.feature === 'F-1'), DAEMON_WAIT_MS, 'the report');
      expect(String(line.message)).toContain('spec.');
    },
    DAEMON_TEST_MS,
  );
});

describe('git stash with a new, untracked feature folder (case 14)', () => {
  const F2_DIR = `${SPECS}/f-2-stashed-away`;
  const stashable = async () => {
    const repo = repoWithFeature();
    repo.git(['add', '-A']);
    // Not a test of the hooks: the commit only gives the stash a HEAD.
    repo.git(['commit', '-qm', 'F-1'], { env: { SPECFLOW_SKIP: '1' } });
    startDaemon(repo);
    repo.write(`${F2_DIR}/spec.md`, GOOD_SPEC);
    await ledgerBecomes(repo, (t) => t.includes('F-2:'));
    return repo;
  };
  const heldReport = (repo: TestRepo) => logLines(repo).find((l) => l.msg === 'problem' && l.code === 'folder.unregistered' && l.feature === 'F-2');

  it(
    'stash takes the registration away, the daemon leaves it away, and stash pop brings it back',
    async () => {
      const repo = await stashable();
      const committed = repo.git(['show', `HEAD:${LEDGER}`]).stdout;
      repo.git(['stash']);
      // The daemon sees the ledger without F-2 while the folder stays, and says so rather than registering it again.
      await waitFor(() => heldReport(repo), DAEMON_WAIT_MS, 'the held folder to be reported');
      const seen = logLines(repo).length;
      // A pass that would have registered it again has run: another change to the folder sets one off.
      repo.write(`${F2_DIR}/notes.md`, 'notes\n');
      await waitFor(() => logLines(repo).slice(seen).some((l) => l.msg === 'reconcile'), DAEMON_WAIT_MS, 'a later reconcile');
      expect(repo.read(LEDGER)).toBe(committed);
      expect(logLines(repo).some((l) => l.msg === 'repair' && l.feature === 'F-2' && logLines(repo).indexOf(l) >= seen)).toBe(false);
      const pop = repo.git(['stash', 'pop']);
      expect(pop.code, pop.stderr).toBe(0);
      expect(repo.read(LEDGER)).toContain('F-2:');
      // With its entry back the folder is the entry's again: the report clears.
      await waitFor(() => status(repo).problems === 0, DAEMON_WAIT_MS, 'a quiet daemon');
      expect(repo.read(LEDGER)).toContain('F-2:');
    },
    DAEMON_TEST_MS,
  );

  it(
    'a held folder is registered by doctor --fix, and again by the daemon once it went and came back',
    async () => {
      const repo = await stashable();
      repo.git(['stash']);
      await waitFor(() => heldReport(repo), DAEMON_WAIT_MS, 'the held folder to be reported');
      expect(repo.cli(['doctor', '--fix']).code).toBe(0);
      expect(repo.read(LEDGER)).toContain('F-2:');
      repo.git(['stash', 'drop']);
      // A folder that goes is forgotten; made anew, it is a new folder to register.
      rmSync(join(repo.dir, F2_DIR), { recursive: true });
      repo.git(['checkout', '-q', '--', LEDGER]);
      await waitFor(() => status(repo).problems === 0, DAEMON_WAIT_MS, 'the folder to be forgotten');
      repo.write(`${F2_DIR}/spec.md`, GOOD_SPEC);
      await ledgerBecomes(repo, (t) => t.includes('F-2:'));
    },
    DAEMON_TEST_MS,
  );
});
