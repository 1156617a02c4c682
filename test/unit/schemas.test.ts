import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/core/config.js';
import { CONFIG_SCHEMA_COMMENT, renderConfig } from '../../src/core/config-text.js';
import { emptyLedgerText, LEDGER_HEADER } from '../../src/core/ledger.js';
import { PHASES } from '../../src/core/phase.js';
import { PROJECT_ROOT } from '../helpers/repo.js';

/** The shipped JSON Schemas must keep up with the formats they describe. */
interface Schema {
  properties: Record<string, Schema & { enum?: string[] }>;
  definitions?: Record<string, Schema & { enum?: string[] }>;
}
const schema = (name: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', name), 'utf8')) as Schema;
const schemaFile = (comment: string) => /\$schema=\.\.\/node_modules\/specflowd\/schemas\/([\w.-]+)$/m.exec(comment)?.[1];

describe('config.schema.json', () => {
  const s = schema('config.schema.json');

  it('describes every config field and gate', () => {
    const config = defaultConfig();
    expect(Object.keys(s.properties).sort()).toEqual(Object.keys(config).sort());
    const gates = s.properties.gates!.properties;
    expect(Object.keys(gates).sort()).toEqual(Object.keys(config.gates).sort());
    expect(Object.keys(gates.plan!.properties).sort()).toEqual(Object.keys(config.gates.plan).sort());
    expect(Object.keys(gates.tasks!.properties)).toEqual(Object.keys(config.gates.tasks));
  });

  it('is what the config written by init points at, for both layouts', () => {
    expect(schemaFile(CONFIG_SCHEMA_COMMENT)).toBe('config.schema.json');
    for (const profile of [
      { layout: 'specflow', specs_dir: '.specify/specs', id_scheme: 'specflow' },
      { layout: 'spec-kit', specs_dir: 'specs', id_scheme: 'spec-kit' },
      { layout: 'kiro', specs_dir: '.kiro/specs', id_scheme: 'name' },
      { layout: 'openspec', specs_dir: 'openspec/changes', id_scheme: 'name' },
    ] as const) {
      const text = renderConfig(profile);
      expect(text.startsWith(`${CONFIG_SCHEMA_COMMENT}\n`)).toBe(true);
      const parsed = parseConfig(text);
      expect(parsed.findings).toEqual([]);
      expect(parsed.config.id_scheme).toBe(profile.id_scheme);
    }
  });
});

describe('ledger.schema.json', () => {
  const s = schema('ledger.schema.json');

  it('knows every phase and every field the ledger writes', () => {
    const feature = s.definitions!.feature!;
    expect(s.definitions!.phase!.enum).toEqual([...PHASES]);
    expect(Object.keys(feature.properties).sort()).toEqual(['approved', 'description', 'name', 'phase', 'priority', 'reason', 'spec_path', 'status']);
    expect(feature.properties.status!.enum).toEqual(['skipped', 'blocked']);
  });

  it('is named in the ledger header, which survives as the first comment of a new ledger', () => {
    expect(schemaFile(LEDGER_HEADER)).toBe('ledger.schema.json');
    expect(emptyLedgerText()).toContain('\n# yaml-language-server: $schema=../node_modules/specflowd/schemas/ledger.schema.json\n');
  });
});

it('the package ships the schemas', () => {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { files: string[] };
  expect(pkg.files).toContain('schemas');
});
