import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, defaultConfig, parseConfig, refuseInvalidConfig } from '../../src/core/config.js';
import { configAsWritten, renderConfig } from '../../src/core/config-text.js';
import { layoutProfile } from '../../src/core/profiles.js';

describe('parseConfig', () => {
  it('an empty config is the defaults', () => {
    expect(parseConfig('').config).toEqual(defaultConfig());
  });

  it('the config init writes for SpecFlow parses back to its layout profile', () => {
    const parsed = parseConfig(renderConfig({ layout: 'specflow', specs_dir: '.specify/specs' }));
    expect(parsed.findings).toEqual([]);
    expect(parsed.config).toEqual({ ...defaultConfig(), ...layoutProfile('specflow') });
    expect(parsed.config.gates.complete.evidence).toEqual(['verify.md']);
  });

  it.each([
    ['specflow', '.specify/specs'],
    ['spec-kit', 'specs'],
    ['kiro', '.kiro/specs'],
    ['openspec', 'openspec/changes'],
  ] as const)('knows what the %s config init writes reads as, without parsing it', (layout, dir) => {
    const text = renderConfig({ layout, specs_dir: dir });
    const parsed = parseConfig(text);
    expect(parsed.findings).toEqual([]);
    expect(configAsWritten(text)).toEqual(parsed.config);
    expect(configAsWritten(`${text}# edited\n`)).toBeUndefined();
  });

  it('knows the SpecFlow config init --adopt-phases writes when no plan marks a principle, and says why they are left out', () => {
    const text = renderConfig({ layout: 'specflow', specs_dir: '.specify/specs', unpractised: layoutProfile('specflow').gates.plan.principles });
    const parsed = parseConfig(text);
    expect(parsed.findings).toEqual([]);
    expect(parsed.config.gates.plan.principles).toEqual([]);
    expect(configAsWritten(text)).toEqual(parsed.config);
    expect(text).toMatch(/none of this repository's plans marked them applied: Code before prompts, Deterministic where possible, CLI-first interfaces/);
    const some = parseConfig(renderConfig({ layout: 'specflow', specs_dir: '.specify/specs', unpractised: ['CLI-first interfaces'] }));
    expect(some.config.gates.plan.principles).toEqual(['Code before prompts', 'Deterministic where possible']);
  });

  it('reads overrides, and specs_dir: specs implies spec-kit ids', () => {
    const { config, findings } = parseConfig(
      'specs_dir: specs/\nrequire_approval: false\ngates:\n  plan:\n    sections: [Summary]\n    principles: []\naliases:\n  Summary: [Overview]\n',
    );
    expect(findings).toEqual([]);
    expect(config.specs_dir).toBe('specs');
    expect(config.id_scheme).toBe('spec-kit');
    expect(config.require_approval).toBe(false);
    expect(config.gates.plan.sections).toEqual(['Summary']);
    expect(config.gates.plan.principles).toEqual([]);
    expect(config.aliases).toEqual({ Summary: ['Overview'] });
  });

  it('reports wrong types with their line and keeps the defaults', () => {
    const { config, findings } = parseConfig('version: 1\nrequire_approval: maybe\ngates:\n  plan:\n    file: ../../etc/passwd\n');
    expect(findings.map((f) => [f.code, f.line])).toEqual([
      ['config.invalid', 2],
      ['config.invalid', 5],
    ]);
    expect(config.require_approval).toBe(true);
    expect(config.gates.plan.file).toBe('plan.md');
  });

  it('throws with a line for YAML that does not parse', () => {
    expect(() => parseConfig('gates: [\n')).toThrow(ConfigSyntaxError);
  });
});

describe('config keys', () => {
  it('warns about a key it does not know, with the nearest known one', () => {
    const { findings } = parseConfig('version: 1\nrequire_aproval: false\ngates:\n  plan:\n    sectons: []\n');
    expect(findings.map((f) => [f.severity, f.code, f.line])).toEqual([
      ['warning', 'config.unknown-key', 2],
      ['warning', 'config.unknown-key', 5],
    ]);
    expect(findings[0]!.message).toContain('did you mean require_approval?');
    expect(findings[1]!.message).toContain('did you mean gates.plan.sections?');
    expect(parseConfig('colour: blue\n').findings[0]!.message).not.toContain('did you mean');
  });

  it('refuses a config value it cannot use with exit 3, naming the line; unknown keys alone do not stop a command', () => {
    const { findings } = parseConfig('version: 1\nrequire_approval: "no"\n');
    expect(() => refuseInvalidConfig(findings)).toThrow(expect.objectContaining({ exitCode: 3, code: 'config.invalid', findings: [expect.objectContaining({ line: 2 })] }));
    expect(() => refuseInvalidConfig(parseConfig('require_aproval: false\n').findings)).not.toThrow();
  });

  it('reads layout and roots: a sub-project root with its qualifier, an archive', () => {
    const text = renderConfig({ layout: 'spec-kit', specs_dir: 'specs', roots: [{ path: 'packages/api/specs', qualifier: 'api' }] });
    // A root outside specs_dir comes before it, so that the hook shim lets Node decide.
    expect(text.indexOf('roots:')).toBeLessThan(text.indexOf('specs_dir:'));
    const { config, findings } = parseConfig(text);
    expect(findings).toEqual([]);
    expect(config.layout).toBe('spec-kit');
    expect(config.roots).toEqual([{ path: 'packages/api/specs', qualifier: 'api' }]);
    const open = parseConfig(renderConfig({ layout: 'openspec', specs_dir: 'openspec/changes' }));
    expect(open.config.roots).toEqual([{ path: 'openspec/changes/archive', archive: true }]);
    expect(open.config.id_scheme).toBe('name');
    expect(open.config.gates.plan.optional).toBe(true);
    expect(parseConfig('layout: nope\n').findings.map((f) => f.code)).toEqual(['config.invalid']);
    expect(parseConfig('roots: [../outside]\n').findings.map((f) => f.code)).toEqual(['config.invalid']);
  });
});
