import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/repo.js';

/**
 * The hooks run on every commit, so their bundle must not carry the daemon's or the command
 * line's dependencies. Reads the built files (`npm test` builds first).
 */
const bundle = (name: string) => readFileSync(join(PROJECT_ROOT, 'dist', name), 'utf8');
const loaded = (code: string) => [...code.matchAll(/require\("([^"]+)"\)|from\s*"([^"]+)"|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

describe('the hook bundle', () => {
  it('dist/hook.cjs loads only node built-ins and its own YAML file', () => {
    const code = bundle('hook.cjs');
    const outside = loaded(code).filter((m) => !m?.startsWith('node:') && m !== './hook-yaml.cjs');
    expect(outside).toEqual([]);
  });

  it.each(['chokidar', 'pino', 'commander', 'sql.js', '@modelcontextprotocol/sdk', 'zod'])('dist/hook.cjs holds no copy of %s', (pkg) => {
    const code = bundle('hook.cjs');
    expect(code).not.toContain(`node_modules/${pkg}/`);
    expect(loaded(code)).not.toContain(pkg);
  });

  it('the same checks see those packages where they belong (the other bundles)', () => {
    const others = readdirSync(join(PROJECT_ROOT, 'dist', 'chunks'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => bundle(join('chunks', f)))
      .join('\n');
    expect(others).toContain('node_modules/commander/');
    expect(loaded(others)).toContain('chokidar');
  });
});

/** The chunks a file imports statically, and theirs: what loading it costs before any command runs. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = bundle(file);
  for (const m of code.matchAll(/(?:^|;|\n)\s*import\s*(?:[^'"()]*?from\s*)?"(\.\/[^"]+)"/g)) staticClosure(join(dirname(file), m[1]!), seen);
  return seen;
}

describe('the MCP server', () => {
  const chunks = () => readdirSync(join(PROJECT_ROOT, 'dist', 'chunks')).map((f) => join('chunks', f));
  const holdsSdk = (file: string) => bundle(file).includes('node_modules/@modelcontextprotocol/sdk/');

  it('is bundled into chunks of its own, needing no package at run time (the SDK is a devDependency)', () => {
    const sdk = chunks().filter(holdsSdk);
    expect(sdk.length).toBeGreaterThan(0);
    // ajv's code generator names its runtime in strings it never runs: those are not imports.
    const outside = sdk.flatMap((f) => loaded(bundle(f))).filter((m) => !m?.startsWith('node:') && !m?.startsWith('./') && !m?.startsWith('ajv'));
    expect(outside).toEqual([]);
  });

  it.each(['specflow.js', 'specflowd.js'])('is not loaded by dist/%s before `specflow mcp` runs', (entry) => {
    const closure = [...staticClosure(entry)];
    expect(closure.length).toBeGreaterThan(1);
    expect(closure.filter(holdsSdk)).toEqual([]);
  });
});
