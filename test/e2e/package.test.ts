import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/repo.js';

/**
 * What `npm pack` ships: what users install. No install-time script (npm warns about those on
 * every install into a user's project), no source maps, a licence, and every `files` entry real.
 */
interface PackFile {
  path: string;
  size: number;
  mode: number;
}
interface Packed {
  files: PackFile[];
  size: number;
  unpackedSize: number;
}

function dryPack(): { packed: Packed; manifest: { scripts?: Record<string, string>; files: string[]; license: string } } {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const [packed] = JSON.parse(r.stdout) as Packed[];
  const manifest = JSON.parse(spawnSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout) as {
    scripts?: Record<string, string>;
    files: string[];
    license: string;
  };
  return { packed: packed!, manifest };
}

describe('the packed package', () => {
  it('has no install-time script, no source maps, a licence, and the built entry points', () => {
    const { packed, manifest } = dryPack();
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[hook], hook).toBeUndefined();
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths).toContain('LICENSE');
    expect(manifest.license).toBe('MIT');
    for (const entry of ['bin/specflow.js', 'bin/specflowd.js', 'dist/specflow.js', 'dist/specflowd.js', 'dist/hook.cjs', 'hooks/specflow.sh', '.pre-commit-hooks.yaml', 'package.json']) expect(paths).toContain(entry);
    // The pre-commit framework runs the shim as a script from its copy of the package.
    expect(packed.files.find((f) => f.path === 'hooks/specflow.sh')!.mode & 0o111).not.toBe(0);
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
  });

  it("lists in `files` only what exists in a checkout (or is built: dist)", () => {
    const { manifest } = dryPack();
    for (const entry of manifest.files.filter((f) => !f.startsWith('!') && f !== 'dist')) expect(existsSync(join(PROJECT_ROOT, entry)), entry).toBe(true);
  });
});
