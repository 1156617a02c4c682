import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, defaultConfig, parseConfig } from '../../src/core/config.js';
import { configAsWritten, renderConfig } from '../../src/core/config-text.js';

describe('parseConfig', () => {
  it('an empty config is the defaults', () => {
    expect(parseConfig('').config).toEqual(defaultConfig());
  });

  it('the config init writes parses back to the defaults', () => {
    const parsed = parseConfig(renderConfig({ specs_dir: '.specify/specs', id_scheme: 'specflow' }));
    expect(parsed.findings).toEqual([]);
    expect(parsed.config).toEqual(defaultConfig());
  });

  it.each([
    ['specflow', '.specify/specs'],
    ['spec-kit', 'specs'],
  ] as const)('knows what the %s config init writes reads as, without parsing it', (scheme, dir) => {
    const text = renderConfig({ specs_dir: dir, id_scheme: scheme });
    const parsed = parseConfig(text);
    expect(parsed.findings).toEqual([]);
    expect(configAsWritten(text)).toEqual(parsed.config);
    expect(configAsWritten(`${text}# edited\n`)).toBeUndefined();
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
