import { afterAll, describe, expect, it, vi } from 'vitest';
import { FINDING_CODES } from '../../src/core/finding-codes.js';
import { annotation, escapeData, escapeProperty } from '../../src/ui/present/ci/github.js';
import { xmlText } from '../../src/ui/present/ci/junit.js';
import { hasXmllint, junitErrors, sarifErrors, XMLLINT_INSTALL } from '../helpers/ci-formats.js';
import { GOOD_TASKS } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, setPhase, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, json, type TestRepo } from '../helpers/repo.js';

afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 120_000 });

interface SarifLog {
  runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]; partialFingerprints: Record<string, string> }[] }[];
}

/** F-12 approved at specify; then a commit made with --no-verify moves it to complete with a task unchecked, and leaves a placeholder with `%` in the spec. */
function violatingRepo(): { repo: TestRepo; base: string } {
  const repo = gateRepo();
  withApprovedSpec(repo);
  const base = head(repo);
  setPhase(repo, 'F-12', 'complete');
  repo.write(`${F12_DIR}/tasks.md`, GOOD_TASKS);
  commit(repo, 'F-12: complete', { args: ['--no-verify'], expect: 0 });
  return { repo, base };
}

describe('github workflow commands', () => {
  it('escape %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const line = annotation({ severity: 'error', code: 'plan.missing', file: 'specs/a,b:c.md', line: 3, column: 2, feature: 'F-1', message: 'two\nlines 5%', hint: 'fix' });
    expect(line).toBe('::error file=specs/a%2Cb%3Ac.md,line=3,col=2,title=plan.missing::F-1: two%0Alines 5%25%0Afix');
    // One annotation is one line, whatever the message holds.
    expect(line.split('\n')).toHaveLength(1);
  });

  it('keep XML text well-formed', () => {
    expect(xmlText('<a href="x">&\u0001')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;\uFFFD');
  });
});

describe('verify, validate and doctor --format', () => {
  it('verify: github annotations, SARIF 2.1.0 with one rule per code and stable fingerprints, JUnit; the exit code carries the verdict', () => {
    const { repo, base } = violatingRepo();
    const range = `${base}..HEAD`;

    const gh = repo.cli(['verify', '--range', range, '--format', 'github']);
    expect(gh.code, gh.stderr).toBe(1);
    const annotations = gh.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.join('\n')).toMatch(new RegExp(`^::error file=${F12_DIR.replace(/\./g, '\\.')}/tasks\\.md,line=\\d+,title=tasks\\.unchecked::commit [0-9a-f]{7} F-12: `, 'm'));

    const sarif = repo.cli(['verify', '--range', range, '--format', 'sarif']);
    expect(sarif.code, sarif.stderr).toBe(1);
    const log = json<SarifLog>(sarif);
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(Object.keys(FINDING_CODES));
    const result = run.results.find((r) => r.ruleId === 'tasks.unchecked')!;
    expect(result.level).toBe('error');
    expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe('tasks.unchecked');
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(`${F12_DIR}/tasks.md`);
    expect(result.locations[0]!.physicalLocation.region!.startLine).toBeGreaterThan(0);
    // Fingerprints are the same on the next run.
    const again = json<SarifLog>(repo.cli(['verify', '--range', range, '--format', 'sarif']));
    expect(again.runs[0]!.results.map((r) => r.partialFingerprints)).toEqual(run.results.map((r) => r.partialFingerprints));

    const junit = repo.cli(['verify', '--range', range, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(/<testcase classname="commit [0-9a-f]{7}" name="F-12 specify → complete" time="0">\s*<failure message="[^"]+" type="plan.missing">[^<]*\[tasks.unchecked\]/);
    if (hasXmllint) expect(junitErrors(junit.stdout)).toBe('');

    // --json stays, as --format json.
    const viaJson = repo.cli(['verify', '--range', range, '--json']);
    expect(viaJson.stdout).toBe(repo.cli(['verify', '--range', range, '--format', 'json']).stdout);
    expect(json<{ ok: boolean }>(viaJson).ok).toBe(false);
  });

  it('validate and doctor in every format; a clean repository passes with exit 0', () => {
    const { repo } = violatingRepo();
    for (const [command, code] of [[['validate'], 'tasks.unchecked'], [['doctor'], 'phase.ahead']] as const) {
      const sarif = repo.cli([...command, '--format', 'sarif']);
      expect(sarif.code, `${command[0]} ${sarif.stderr}`).toBe(1);
      expect(sarifErrors(JSON.parse(sarif.stdout))).toEqual([]);
      const gh = repo.cli([...command, '--format', 'github']);
      expect(gh.code).toBe(1);
      expect(gh.stdout).toMatch(new RegExp(`^::error file=\\S+,line=\\d+,title=${code}::F-12: `, 'm'));
      const junit = repo.cli([...command, '--format', 'junit']);
      expect(junit.code).toBe(1);
      if (hasXmllint) expect(junitErrors(junit.stdout)).toBe('');
      expect(repo.cli([...command, '--format', 'text']).stdout).toContain(code);
    }
    // One test case per gate up to the feature's phase.
    const junit = repo.cli(['validate', '--format', 'junit']).stdout;
    expect([...junit.matchAll(/name="(F-12 [a-z]+ gate)"/g)].map((m) => m[1])).toEqual(['F-12 specify gate', 'F-12 plan gate', 'F-12 tasks gate', 'F-12 implement gate', 'F-12 complete gate']);

    setPhase(repo, 'F-12', 'specify');
    const ok = repo.cli(['validate', '--format', 'sarif']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(json<SarifLog>(ok).runs[0]!.results.map((r) => [r.ruleId, r.level])).toEqual([['plan.missing', 'warning']]);
    expect(repo.cli(['validate', '--format', 'github']).code).toBe(0);
  });

  it('refuses an unknown format, and --json with another format, as usage errors (exit 2)', () => {
    const repo = gateRepo();
    const bad = repo.cli(['validate', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('text, json, github, sarif, junit');
    const both = repo.cli(['validate', '--json', '--format', 'sarif']);
    expect(both.code).toBe(2);
    expect(json<{ ok: boolean }>(both).ok).toBe(false);
    expect(repo.cli(['validate', '--json', '--format', 'json']).code).toBe(0);
    // A check that cannot run is an annotation in GitHub's log too, with its exit code.
    const range = repo.cli(['verify', '--range', 'nowhere..HEAD', '--format', 'github']);
    expect(range.code).toBe(2);
    expect(range.stdout).toMatch(/^::error title=usage\.range::specflow: bad range "nowhere\.\.HEAD"/);
  });

  it.skipIf(!hasXmllint)(`validates JUnit against the XSD with xmllint (skipped without it: ${XMLLINT_INSTALL})`, () => {
    // The XSD itself rejects what is not JUnit, so the checks above cannot pass by accident.
    expect(junitErrors('<testsuites><testsuite tests="x"/></testsuites>')).not.toBe('');
  });
});
