import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, initRepo, json, makeRepo } from '../helpers/repo.js';

/** Command-line conventions a user of git and npm tools expects (DESIGN §4). */
afterAll(cleanupTempDirs);

describe('the command line', () => {
  it('prints a help that fits 80 columns and hides the plumbing verbs, which still work', () => {
    const repo = makeRepo();
    const help = repo.cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n').filter((l) => l.length > 80)).toEqual([]);
    expect(help.stdout).not.toMatch(/^\s+(hook|merge-ledger)\b/m);
    expect(repo.cli(['hook', '--help']).code).toBe(0);
    expect(repo.cli(['merge-ledger', '--help']).code).toBe(0);
  });

  it('with no command prints the usage on stderr and exits 2', () => {
    const r = makeRepo().cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: specflow');
  });

  it('shows required options as required and refuses their absence with exit 2', () => {
    const repo = makeRepo();
    expect(repo.cli(['verify', '--help']).stdout).toContain('--range <revisions>');
    const verify = repo.cli(['verify']);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain("required option '--range <revisions>'");
    expect(repo.cli(['skip', 'F-1']).code).toBe(2);
  });

  it("a usage hint names the feature the user typed, not an example's", () => {
    const r = makeRepo().cli(['skip', 'F-13', '--reason', 'duplicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('specflow skip F-13 --reason duplicate --duplicate-of');
    expect(r.stderr).not.toContain('F-12');
  });

  it('keeps a suggestion out of the JSON message: it is the hint', () => {
    const r = makeRepo().cli(['statu', '--json']);
    expect(r.code).toBe(2);
    const doc = json<{ ok: boolean; error: { message: string; hint?: string } }>(r);
    expect(doc.error.message).toBe("unknown command 'statu'");
    expect(doc.error.hint).toContain('status');
  });

  it('says a config value it cannot use once: the finding with its line, then what that means, with exit 3', () => {
    const repo = initRepo();
    repo.write('.maestro/config.yaml', 'version: 1\nrequire_approval: "no"\n');
    const r = repo.cli(['status']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('.maestro/config.yaml:2: error require_approval: must be true or false');
    expect(r.stderr.split('must be true or false')).toHaveLength(2);
    expect(r.stderr).toContain('specflow: .maestro/config.yaml cannot be used\n');
    const doc = json<{ error: { message: string } }>(repo.cli(['status', '--json']));
    expect(doc.error.message).toBe('.maestro/config.yaml cannot be used: require_approval: must be true or false');
  });

  it('merge-ledger names a file it cannot read, with exit 2 and no internal error', () => {
    const repo = makeRepo();
    const r = repo.cli(['merge-ledger', 'missing-base', 'missing-ours', 'missing-theirs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing-base');
    expect(r.stderr).not.toContain('internal error');
  });
});
