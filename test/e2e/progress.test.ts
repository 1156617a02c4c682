import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI, cleanupTempDirs, makeRepo, type TestRepo } from '../helpers/repo.js';

/**
 * Long work shows how far it got on stderr when stderr is a terminal (a real pseudo-terminal,
 * through util-linux's `script`), and prints nothing extra when it is not: a pipe, a file, CI.
 */
afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 120_000 });

const FEATURES = 250;
const SCRIPT_MISSING = spawnSync('script', ['--version']).status !== 0 ? 'needs util-linux script: apt-get install -y bsdutils' : '';

function manyFeatures(): TestRepo {
  const files: Record<string, string> = {};
  for (let i = 1; i <= FEATURES; i++) files[`.specify/specs/f-${i}-feature/spec.md`] = `# Feature ${i}\n\nWhat feature ${i} does, in a sentence.\n`;
  return makeRepo({ files });
}

/** Runs the built CLI with stdout to /dev/null and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(repo: TestRepo, args: string[]): { code: number; shown: string } {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-q', '-e', '-c', `${command} >/dev/null`, '/dev/null'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  return { code: r.status ?? 1, shown: r.stdout };
}

/** A range of `count` commits that each change the ledger (a comment), made in one fast-import. */
function longRange(repo: TestRepo, count: number): string {
  const base = repo.git(['rev-parse', 'HEAD']).stdout.trim();
  const ledger = repo.read('.maestro/ledger.yaml');
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  let stream = '';
  for (let i = 1; i <= count; i++) {
    stream += `commit refs/heads/main\nmark :${i}\ncommitter Test User <test@example.com> 1764000000 +0000\n${data(`change ${i}`)}`;
    stream += i === 1 ? `from ${base}\n` : `from :${i - 1}\n`;
    stream += `M 100644 inline .maestro/ledger.yaml\n${data(`${ledger}# ${i}\n`)}`;
  }
  repo.git(['fast-import', '--quiet'], { input: stream });
  return `${base}..main`;
}

describe('progress on long work', () => {
  it('init, doctor and verify print nothing extra on stderr when it is not a terminal', () => {
    const repo = manyFeatures();
    for (const args of [['init', '--adopt-phases'], ['doctor']]) {
      const r = repo.cli(args);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stderr, args[0]).toBe('');
    }
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '--no-verify', '-m', 'start']);
    const verify = repo.cli(['verify', '--range', longRange(repo, 210)]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stderr).toBe('');
  });

  it('draws `label done/total` in place on a terminal, and clears it when done', (ctx) => {
    if (SCRIPT_MISSING) ctx.skip(SCRIPT_MISSING);
    const repo = manyFeatures();
    const init = onTerminal(repo, ['init', '--adopt-phases']);
    expect(init.code).toBe(0);
    expect(init.shown).toContain(`\rinit: registering feature folders 0/${FEATURES}`);
    expect(init.shown.endsWith('\r\x1b[K')).toBe(true);
    const doctor = onTerminal(repo, ['doctor']);
    expect(doctor.shown).toContain(`\rdoctor: checking features 0/${FEATURES}`);
    expect(doctor.shown.endsWith('\r\x1b[K')).toBe(true);
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '--no-verify', '-m', 'start']);
    const verify = onTerminal(repo, ['verify', '--range', longRange(repo, 210)]);
    expect(verify.code).toBe(0);
    expect(verify.shown).toContain('\rverify: judging commits 0/210');
    // Short work stays silent even on a terminal.
    expect(onTerminal(repo, ['status']).shown).toBe('');
  });
});
