import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { specflowd, stopAllDaemons } from '../helpers/daemon.js';
import { GOOD_SPEC } from '../helpers/docs.js';
import { installSpecflow } from '../helpers/gate.js';
import { isolatedGitEnv } from '../../scripts/lib/git-env.mjs';
import { CLI, cleanupTempDirs, DAEMON, makeRepo, PROJECT_ROOT, tempDir, type RunResult, type TestRepo } from '../helpers/repo.js';

/**
 * The JSON contract of DESIGN §4 across every command: exactly one JSON document on stdout,
 * also on failure, whose `ok` says whether the exit code is 0; errors that `specflow`,
 * `specflowd` and the hooks share end with the same exit code.
 */
afterAll(async () => {
  await stopAllDaemons();
  cleanupTempDirs();
});

interface Envelope {
  ok: boolean;
  error?: { code: string; message: string; hint?: string };
  findings?: unknown[];
  [field: string]: unknown;
}

const F12_DIR = '.specify/specs/f-12-vector-configuration';

/** Runs `specflow <args> --json` and checks the envelope: one document, `ok` matching the exit code. */
function jsonRun(repo: TestRepo, args: string[], expectCode: number, env?: NodeJS.ProcessEnv): Envelope {
  const r = repo.cli([...args, '--json'], env ? { env } : {});
  return envelopeOf(r, `specflow ${args.join(' ')} --json`, expectCode);
}

function envelopeOf(r: RunResult, what: string, expectCode: number): Envelope {
  expect(r.code, `${what}\n${r.stderr}`).toBe(expectCode);
  let doc: Envelope;
  try {
    doc = JSON.parse(r.stdout) as Envelope;
  } catch {
    throw new Error(`${what}: stdout is not one JSON document:\n${r.stdout}`);
  }
  expect(doc, what).toBeTypeOf('object');
  expect(doc.ok, what).toBe(expectCode === 0);
  if (expectCode !== 0 && doc.error) {
    expect(Object.keys(doc).sort(), what).toEqual(['error', 'findings', 'ok']);
    expect(doc.error.code, what).toBeTypeOf('string');
    expect(doc.error.message, what).toBeTypeOf('string');
    expect(Array.isArray(doc.findings), what).toBe(true);
  }
  return doc;
}

describe('--json: one document with ok matching the exit code, for every command', () => {
  it('walks a feature through every command, succeeding and failing', () => {
    const repo = makeRepo();
    installSpecflow(repo, 'path');
    expect(jsonRun(repo, ['init'], 0).created).toContain('.maestro/ledger.yaml');
    expect(jsonRun(repo, ['add', 'Vector Configuration', '--id', 'F-12'], 0).id).toBe('F-12');
    expect(jsonRun(repo, ['add', 'Data Export', '--priority', '5'], 0).id).toBe('F-13');
    expect(jsonRun(repo, ['status'], 0).features).toHaveLength(2);
    expect(jsonRun(repo, ['status', 'F-12'], 0)).toMatchObject({ ok: true, id: 'F-12', phase: 'none', tasks: null });

    // The phase verb writes the template (said by `written`; the text says it on stdout) and its gate fails on it: exit 1.
    const template = repo.cli(['specify', 'F-12', '--json']);
    expect(envelopeOf(template, 'specify F-12 (template)', 1)).toMatchObject({ ok: false, id: 'F-12', changed: false, written: `${F12_DIR}/spec.md` });
    expect(template.stderr).toBe('');
    const text = repo.cli(['plan', 'F-12']);
    expect(text.stdout).toMatch(/^wrote .*plan\.md from the template\n/);

    repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
    expect(jsonRun(repo, ['specify', 'F-12'], 0)).toMatchObject({ id: 'F-12', from: 'none', to: 'specify', changed: true });
    expect(jsonRun(repo, ['specify', 'F-12'], 0)).toMatchObject({ from: 'specify', to: 'specify', changed: false });
    expect(jsonRun(repo, ['plan', 'F-12'], 1).findings).not.toEqual([]);
    expect(jsonRun(repo, ['approve', 'F-12', '--by', 'Reviewer'], 0).approved).toMatchObject({ by: 'Reviewer' });
    expect(jsonRun(repo, ['phase', 'F-12', 'none'], 0)).toMatchObject({ from: 'specify', to: 'none', changed: true });
    expect(jsonRun(repo, ['phase', 'F-12', 'specify'], 0).changed).toBe(true);

    const validate = jsonRun(repo, ['validate'], 0);
    expect(validate).toMatchObject({ ok: true, summary: { features: 2, errors: 0 } });
    expect(jsonRun(repo, ['validate', 'F-12'], 0).summary).toMatchObject({ features: 1 });
    const next = jsonRun(repo, ['next'], 0);
    expect(next.id).toBe('F-13');
    expect(next).not.toHaveProperty('feature');
    expect(jsonRun(repo, ['skip', 'F-13', '--reason', 'deferred'], 0)).toMatchObject({ id: 'F-13', status: 'skipped' });
    expect(jsonRun(repo, ['doctor'], 0)).toMatchObject({ fixed: false, summary: { errors: 0 } });
    expect(jsonRun(repo, ['doctor', '--fix'], 0).summary).toMatchObject({ errors: 0 });

    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '-m', 'start']);
    expect(jsonRun(repo, ['phase', 'F-12', 'none'], 0).changed).toBe(true);
    repo.git(['commit', '-q', '-am', 'back to none']);
    expect(jsonRun(repo, ['log'], 0).changes).toHaveLength(2);
    expect(jsonRun(repo, ['log', 'F-13'], 0)).toMatchObject({ feature: 'F-13', changes: [] });
    expect(jsonRun(repo, ['verify', '--range', 'HEAD~1..HEAD'], 0).summary).toEqual({ commits: 1, violations: 0 });

    const ledger = join(repo.dir, '.maestro/ledger.yaml');
    const sides = ['base', 'ours', 'theirs'].map((name) => join(repo.dir, `${name}.yaml`));
    for (const side of sides) copyFileSync(ledger, side);
    expect(jsonRun(repo, ['merge-ledger', ...sides], 0)).toMatchObject({ conflicts: [], fallback: false });

    // Nothing left to do: `next` says so with a null id.
    expect(jsonRun(repo, ['skip', 'F-12', '--reason', 'deferred'], 0).status).toBe('skipped');
    expect(jsonRun(repo, ['next'], 0)).toEqual({ ok: true, id: null });
  }, 120_000);

  it('usage errors, unknown features and bad arguments: exit 2, the error in the document', () => {
    const repo = makeRepo();
    jsonRun(repo, ['init'], 0);
    expect(jsonRun(repo, ['status', 'F-99'], 2).error?.code).toBe('feature.unknown');
    expect(jsonRun(repo, ['phase', 'F-1', 'sideways'], 2).error?.code).toBe('phase.unknown');
    // --range is a required option: commander refuses it before the command runs.
    expect(jsonRun(repo, ['verify'], 2).error?.message).toContain('--range');
    expect(jsonRun(repo, ['import', 'missing.db'], 2).error?.code).toMatch(/^import\./);
    expect(jsonRun(repo, ['add', '  '], 2).error?.code).toBe('usage');
    // From the command-line parser: the parser's message on stderr, the document on stdout.
    const unknown = jsonRun(repo, ['frobnicate'], 2);
    expect(unknown.error).toEqual({ code: 'usage', message: "unknown command 'frobnicate'" });
    expect(jsonRun(repo, ['add'], 2).error?.message).toMatch(/missing required argument/);
    expect(jsonRun(repo, ['status', '--no-such-flag'], 2).error?.code).toBe('usage');
  });

  it('unreadable state exits 3 and a held lock exits 4, each with one document', () => {
    const repo = makeRepo();
    jsonRun(repo, ['init'], 0);
    // A lock held by a live process (this test's): the writer waits, then gives up.
    writeFileSync(join(repo.dir, '.maestro/ledger.yaml.lock'), `${process.pid}\n${new Date().toISOString()}\n`);
    expect(jsonRun(repo, ['add', 'Blocked'], 4, { SPECFLOW_LOCK_TIMEOUT_MS: '300' }).error?.code).toBe('busy');
    repo.write('.maestro/ledger.yaml', 'version: 1\nfeatures: [\n');
    const broken = jsonRun(repo, ['status'], 3);
    expect(broken.error?.code).toBe('ledger.unparsable');
    expect(broken.findings).toHaveLength(1);
  });

  it('text mode keeps stdout for the answer and stderr for the error', () => {
    const repo = makeRepo();
    repo.cli(['init']);
    const r = repo.cli(['status', 'F-99']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^specflow: /);
  });
});

describe('one error path for specflow, specflowd and the hooks', () => {
  const outside = () => {
    const dir = tempDir();
    return { dir, env: isolatedGitEnv(dir) };
  };
  const run = (bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): RunResult => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  };

  it('outside a repository: the same usage error (exit 2) from all three', () => {
    const { dir, env } = outside();
    const cli = envelopeOf(run(CLI, ['status', '--json'], dir, env), 'specflow status', 2);
    const daemon = envelopeOf(run(DAEMON, ['status', '--json', '--repo', dir], dir, env), 'specflowd status', 2);
    expect(cli.error).toEqual(daemon.error);
    expect(cli.error?.code).toBe('repo.none');

    const hook = run(CLI, ['hook', 'pre-commit'], dir, env);
    expect(hook.code).toBe(2);
    expect(hook.stdout).toBe('');
    expect(hook.stderr).toContain(`specflow: ${cli.error?.message}`);
    const daemonText = run(DAEMON, ['status', '--repo', dir], dir, env);
    expect(daemonText.code).toBe(2);
    expect(daemonText.stderr).toContain(`specflowd: ${cli.error?.message}`);
  });

  it('a repository without a ledger: unreadable state (exit 3) from specflow and specflowd', () => {
    const repo = makeRepo();
    const cli = jsonRun(repo, ['status'], 3);
    const daemon = envelopeOf(specflowd(repo, ['start', '--json']), 'specflowd start', 3);
    expect(cli.error?.code).toBe('ledger.missing');
    expect(daemon.error?.code).toBe(cli.error?.code);
  });

  it('an unknown hook is a usage error (exit 2) through the shim entry and through specflow hook', () => {
    const repo = makeRepo();
    repo.cli(['init']);
    const viaCli = repo.cli(['hook', 'post-nothing']);
    const viaEntry = run(join(PROJECT_ROOT, 'dist', 'hook.cjs'), ['post-nothing'], repo.dir, repo.env);
    expect(viaCli.code).toBe(2);
    expect(viaEntry.code).toBe(2);
    expect(viaEntry.stderr).toBe(viaCli.stderr);
    expect(viaEntry.stderr).toMatch(/^specflow: unknown hook "post-nothing"/);
  });

  it('a hook that cannot check refuses with exit 1 and the bypass advice, on stderr only', () => {
    const { dir, env } = outside();
    const r = run(join(PROJECT_ROOT, 'dist', 'hook.cjs'), ['pre-commit'], dir, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^specflow: pre-commit could not check this commit: /);
    expect(r.stderr).toContain('Refusing, to be safe. Bypass once with SPECFLOW_SKIP=1.');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const debug = run(join(PROJECT_ROOT, 'dist', 'hook.cjs'), ['pre-commit'], dir, { ...env, SPECFLOW_DEBUG: '1' });
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});

describe('--version', () => {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

  it.each([
    ['specflow', CLI],
    ['specflowd', DAEMON],
  ])("%s prints package.json's version", (_name, bin) => {
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
    expect(r.stderr).toBe('');
  });
});
