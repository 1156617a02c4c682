import { chmodSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { logLines, specflowd, startDaemon, status, stopAllDaemons, waitFor, type LogLine } from '../helpers/daemon.js';
import { GOOD_SPEC } from '../helpers/docs.js';
import { cleanupTempDirs, json } from '../helpers/repo.js';
import { assertHookSane, commit, F1_DIR, installTool, LEDGER, put, READERS, runChecked, sandbox, WRITERS } from './support/hostile.js';

/**
 * A broken or hostile ledger: every command answers with exit 3 (unreadable state) and a
 * message naming the problem, writes nothing, and the hooks never let it be committed.
 */
afterAll(cleanupTempDirs);

const BILLION_LAUGHS = [
  'version: 1',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'features:',
  '  F-1: { name: *i, phase: none, spec_path: .specify/specs/f-1-vector-configuration }',
  '',
].join('\n');

interface Broken {
  name: string;
  text: (good: string) => string;
  code: string;
  says: RegExp;
}

const BROKEN: Broken[] = [
  { name: 'a YAML alias bomb (billion laughs)', text: () => BILLION_LAUGHS, code: 'ledger.invalid', says: /aliases/ },
  {
    name: 'git conflict markers',
    text: (good) => good.replace(/( {2}F-1:\n(?: {4}.*\n)+)/, '<<<<<<< ours\n$1=======\n  F-1:\n    name: Theirs\n    phase: plan\n    spec_path: x\n>>>>>>> theirs\n'),
    code: 'ledger.conflict',
    says: /conflict markers/,
  },
  { name: 'a top level that is a list', text: () => '- version: 1\n- features: {}\n', code: 'ledger.invalid', says: /must be a mapping/ },
  { name: 'an empty file', text: () => '', code: 'ledger.empty', says: /empty/ },
  { name: 'only a comment and blank lines', text: () => '# nothing here\n\n', code: 'ledger.empty', says: /empty/ },
  { name: 'text that is not YAML', text: () => 'version: 1\nfeatures:\n  F-1: [unclosed\n', code: 'ledger.unparsable', says: /ledger\.yaml:\d+|"line": \d+/ },
  { name: 'an unknown version', text: (good) => good.replace('version: 1', 'version: 7'), code: 'ledger.version', says: /version 7/ },
  { name: 'features that are a list', text: () => 'version: 1\nfeatures:\n  - F-1\n', code: 'ledger.invalid', says: /features/ },
];

describe('a broken ledger', () => {
  it.each(BROKEN.map((c) => [c.name, c] as const))('%s: every command exits 3 and leaves it byte for byte; no commit takes it', async (_name, c) => {
    const sb = sandbox();
    installTool(sb.repo);
    expect(commit(sb.repo, 'start').code).toBe(0);
    sb.repo.write(LEDGER, c.text(sb.repo.read(LEDGER)));
    const runs = [...READERS, ...WRITERS].map((args) =>
      runChecked(sb, args, { exit: 3, says: c.says, ...(args.includes('--json') ? { codes: [c.code] } : {}) }),
    );
    await Promise.all(runs);
    // `add` refused before it made the feature's folder.
    expect(readdirSync(join(sb.repo.dir, '.specify/specs'))).toEqual(['f-1-vector-configuration']);
    assertHookSane(commit(sb.repo, 'break the ledger'), { refused: true, says: /ledger/ });
    expect(sb.repo.git(['rev-list', '--count', 'HEAD']).stdout.trim()).toBe('1');
  });
});

describe('a ledger holding a value specflow cannot read', () => {
  // An entry twice, a field twice, an unknown phase, a spec_path that is no string: every read
  // and every write exits 3 naming the entry, nothing invented is printed, the ledger is kept.
  const cases: [string, (good: string) => string, RegExp, string][] = [
    ['one entry twice', (good) => `${good}\n  F-1:\n    name: Twin\n    phase: complete\n    spec_path: ${F1_DIR}\n`, /appears twice/, 'ledger.duplicate-key'],
    ['one entry twice in a flow map', () => `version: 1\nfeatures: {F-1: {name: A, phase: plan, spec_path: ${F1_DIR}}, F-1: {name: B, phase: none, spec_path: ${F1_DIR}}}\n`, /appears twice/, 'ledger.duplicate-key'],
    ['a field twice in one entry', (good) => good.replace('phase: none', 'phase: complete\n    phase: none'), /F-1\.phase appears twice/, 'ledger.duplicate-key'],
    ['an unknown phase', (good) => good.replace('phase: none', 'phase: planning'), /unknown phase \\?"planning\\?"/, 'ledger.phase.unknown'],
    ['a spec_path that is no string', (good) => good.replace(`spec_path: ${F1_DIR}`, 'spec_path: [a, b]'), /spec_path: must be a string/, 'ledger.field.invalid'],
  ];
  for (const [name, edit, says, code] of cases)
    it(`${name}: every read and write exits 3 naming the entry, and the ledger is kept`, async () => {
      const sb = sandbox();
      sb.repo.write(`${F1_DIR}/spec.md`, GOOD_SPEC);
      sb.repo.write(LEDGER, edit(sb.repo.read(LEDGER)));
      const reads = [['status'], ['status', '--json'], ['status', 'F-1', '--json'], ['validate', '--json'], ['next', '--json'], ['doctor']];
      const writes = [['doctor', '--fix'], ['specify', 'F-1'], ['plan', 'F-1'], ['approve', 'F-1', '--by', 'Ann <ann@example.com>'], ['skip', 'F-1', '--reason', 'later'], ['add', 'Another Feature']];
      const results = await Promise.all([...reads, ...writes].map((args) => runChecked(sb, args, { exit: 3, says })));
      for (const r of results.filter((_, i) => [...reads, ...writes][i]!.includes('--json'))) {
        const doc = JSON.parse(r.stdout) as { ok: boolean; error: { code: string }; features?: unknown; phase?: unknown };
        expect(doc.ok).toBe(false);
        expect(doc.error.code).toBe(code);
        expect(doc.features).toBeUndefined();
        expect(doc.phase).toBeUndefined();
      }
    });
});

describe('a missing .maestro/', () => {
  it('every command says to run init, with exit 3; nothing is created', async () => {
    const sb = sandbox();
    rmSync(join(sb.repo.dir, '.maestro'), { recursive: true });
    await Promise.all([...READERS, ...WRITERS].map((args) => runChecked(sb, args, { exit: 3, says: /specflow init/ })));
    expect(existsSync(join(sb.repo.dir, '.maestro'))).toBe(false);
  });

  it('a commit that does not touch the ledger still goes through', () => {
    const sb = sandbox();
    installTool(sb.repo);
    expect(commit(sb.repo, 'start').code).toBe(0);
    sb.repo.git(['rm', '-rq', '.maestro']);
    put(sb.repo, 'README.md', 'hello\n');
    assertHookSane(commit(sb.repo, 'drop the ledger'), { refused: false });
  });
});

describe('a read-only ledger', () => {
  it('is read as usual; each write is refused with exit 3, and the file keeps its bytes and mode', async () => {
    const sb = sandbox();
    sb.repo.write(`${F1_DIR}/spec.md`, '# Vector Configuration\n\nOne file holds every vector setting.\n');
    // A drift that doctor --fix would repair, so that it has something to write.
    sb.repo.write(LEDGER, sb.repo.read(LEDGER).replace(`spec_path: ${F1_DIR}`, `spec_path: ${F1_DIR}/spec.md`));
    const file = join(sb.repo.dir, LEDGER);
    chmodSync(file, 0o444);
    await Promise.all(READERS.map((args) => runChecked(sb, args, { exit: [0, 1] })));
    const writes = [['doctor', '--fix'], ['specify', 'F-1'], ['approve', 'F-1', '--by', 'Ann <ann@example.com>'], ['skip', 'F-1', '--reason', 'later'], ['add', 'Another Feature']];
    await Promise.all(writes.map((args) => runChecked(sb, args, { exit: 3, says: /read-only/ })));
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(existsSync(join(sb.repo.dir, '.specify/specs/f-2-another-feature'))).toBe(false);
  });
});

describe('ids and names with shell metacharacters, line breaks and bidi marks', () => {
  const NASTY = '$(touch pwned) `touch pwned` ; rm -rf ~ | cat /etc/passwd > x && echo "hi"';
  const RTL = 'Invoice \u202Egnp.exe\u202C review';

  it('a name is kept literally and never run; printed output cannot be spoofed', async () => {
    const sb = sandbox();
    await runChecked(sb, ['add', NASTY, '--id', 'F-2'], { exit: 0, writes: true });
    await runChecked(sb, ['add', RTL, '--id', 'F-3'], { exit: 0, writes: true });
    expect(existsSync(join(sb.repo.dir, 'pwned'))).toBe(false);
    expect(existsSync(join(sb.repo.dir, 'x'))).toBe(false);
    const all = await runChecked(sb, ['status', '--json'], { exit: 0 });
    const names = json<{ features: { id: string; name: string }[] }>(all).features.map((f) => f.name);
    expect(names).toEqual(['Vector Configuration', NASTY, RTL]);
    const table = await runChecked(sb, ['status'], { exit: 0 });
    expect(table.stdout).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(table.stdout).toContain('\\u202e');
    // The folders are slugs: nothing of the name but lowercase ASCII and dashes reaches the file system.
    const folders = readdirSync(join(sb.repo.dir, '.specify/specs')).sort();
    expect(folders).toHaveLength(3);
    for (const name of folders) expect(name).toMatch(/^f-\d+-[a-z0-9-]{1,50}$/);
  });

  it('an id that is not an id, and a name with a line break, are refused with exit 2', async () => {
    const sb = sandbox();
    await runChecked(sb, ['add', 'Fine', '--id', 'F-2; touch pwned'], { exit: 2, says: /not a feature id/ });
    await runChecked(sb, ['add', 'Fine', '--id', '../../etc'], { exit: 2, says: /not a feature id/ });
    await runChecked(sb, ['add', 'Two\nlines'], { exit: 2, says: /line breaks/ });
    await runChecked(sb, ['status', 'F-1$(touch pwned)'], { exit: 2, says: /unknown feature/ });
    await runChecked(sb, ['plan', '\u202EF-1'], { exit: 2, says: /unknown feature/ });
    expect(existsSync(join(sb.repo.dir, 'pwned'))).toBe(false);
  });

  it('hand-written keys and names with line breaks and bidi marks are findings, printed escaped', async () => {
    const sb = sandbox();
    installTool(sb.repo);
    expect(commit(sb.repo, 'start').code).toBe(0);
    const evil = [
      '  "F-7\\nSigned-off-by: Mallory <m@example.com>":',
      '    name: "Line\\nBreak \\u202Eevil"',
      '    phase: specify',
      '    spec_path: .specify/specs/f-7-x',
      '',
      '  "$(touch pwned)":',
      '    name: Shell',
      '    phase: none',
      '    spec_path: .specify/specs/f-8-y',
    ].join('\n');
    sb.repo.write(LEDGER, `${sb.repo.read(LEDGER)}\n${evil}\n`);
    for (const args of [['status'], ['validate'], ['doctor']]) {
      const r = await runChecked(sb, args, { exit: [0, 1] });
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/[\u202A-\u202E]/);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/^Signed-off-by/m);
    }
    const v = await runChecked(sb, ['validate', '--json'], { exit: 1, codes: ['ledger.id.invalid'] });
    expect(v.stdout).toContain('ledger.id.invalid');
    // The hook refuses to commit entries that are not features, so no trailer can be forged.
    const r = commit(sb.repo, 'sneak a trailer in');
    assertHookSane(r, { refused: true });
    expect(r.stderr).not.toMatch(/^Signed-off-by/m);
    expect(existsSync(join(sb.repo.dir, 'pwned'))).toBe(false);
  });
});

describe('a hostile config', () => {
  it('an alias bomb in .maestro/config.yaml is unreadable state: exit 3, nothing written', async () => {
    const sb = sandbox();
    sb.repo.write('.maestro/config.yaml', BILLION_LAUGHS.replace(/features:[\s\S]*/, 'gates: { plan: { sections: *i } }\n'));
    await Promise.all([...READERS, ...WRITERS].map((args) => runChecked(sb, args, { exit: 3, says: /config\.yaml/ })));
  });

  it('a specs_dir outside the repository is unusable config (exit 3, naming it), and nothing out there is read or registered', async () => {
    const sb = sandbox();
    for (const dir of ['../outside', sb.outside, '/']) {
      sb.repo.write('.maestro/config.yaml', `version: 1\nspecs_dir: ${dir}\n`);
      await runChecked(sb, ['validate', '--json'], { exit: 3, codes: ['config.invalid'] });
      await runChecked(sb, ['doctor', '--fix'], { exit: 3 });
      expect(sb.repo.read(LEDGER)).not.toContain('outside');
    }
  });
});

describe('a broken ledger under the daemon', () => {
  afterEach(stopAllDaemons);

  it('is reported and left byte for byte, case after case; a good ledger again is reconciled as usual', async () => {
    const sb = sandbox();
    const good = sb.repo.read(LEDGER);
    /** Waits for a log line after line `from` that satisfies `match`. */
    const logged = (from: number, match: (l: LogLine) => boolean, what: string) =>
      waitFor(() => logLines(sb.repo).slice(from).some(match) || undefined, 20_000, what);
    startDaemon(sb.repo);
    await logged(0, (l) => l.msg === 'reconcile', 'the first reconcile');
    for (const c of BROKEN) {
      // From a good ledger (nothing to report) to the broken one, so each report is a new one.
      let mark = logLines(sb.repo).length;
      sb.repo.write(LEDGER, good);
      await logged(mark, (l) => l.msg === 'reconcile' && l.problems === 0, `a clean reconcile before ${c.name}`);
      mark = logLines(sb.repo).length;
      const text = c.text(good);
      sb.repo.write(LEDGER, text);
      await logged(mark, (l) => l.msg === 'problem' && l.code === c.code, `the daemon to report ${c.name}`);
      expect(sb.repo.read(LEDGER), c.name).toBe(text);
      expect(status(sb.repo).running).toBe(true);
    }
    // Back to a good ledger with a safe drift in it: repaired as usual.
    sb.repo.write(LEDGER, good.replace(`spec_path: ${F1_DIR}`, `spec_path: ${F1_DIR}/`));
    await waitFor(() => sb.repo.read(LEDGER) === good, 20_000, 'the repair');
    expect(status(sb.repo).lastError).toBeNull();
  }, 180_000);

  it('specflowd start without .maestro/ says to run init, with exit 3', () => {
    const sb = sandbox();
    rmSync(join(sb.repo.dir, '.maestro'), { recursive: true });
    const r = specflowd(sb.repo, ['start']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/specflow init/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
