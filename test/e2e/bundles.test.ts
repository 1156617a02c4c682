import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it.each(['chokidar', 'pino', 'commander', 'sql.js'])('dist/hook.cjs holds no copy of %s', (pkg) => {
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
