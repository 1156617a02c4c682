import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../helpers/repo.js';

/** `npm run demo` (after its build): one straight story, plain text under NO_COLOR even on a terminal. */
vi.setConfig({ testTimeout: 180_000 });

const SCRIPT_MISSING = spawnSync('script', ['--version']).status !== 0 ? 'needs util-linux script: apt-get install -y bsdutils' : '';

describe('the demo', () => {
  it('walks F-12 forward only, a refused commit before the accepted one, with no escape codes under NO_COLOR on a terminal', (ctx) => {
    if (SCRIPT_MISSING) ctx.skip(SCRIPT_MISSING);
    const demo = `'${process.execPath}' '${join(PROJECT_ROOT, 'scripts', 'demo.mjs')}'`;
    const r = spawnSync('script', ['-q', '-e', '-c', demo, '/dev/null'], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
    const shown = r.stdout;
    expect(r.status, shown).toBe(0);
    expect(shown).toContain('every step answered as expected');
    expect(shown).not.toContain('\x1b');
    const refused = shown.indexOf('specflow: commit refused');
    const accepted = shown.indexOf('Specflow-Phase: F-12 specify -> plan');
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(refused);
    // Forward only: no phase is set back to stage a refusal.
    expect(shown).not.toMatch(/specflow phase F-12 (none|specify)/);
    const moves = [...shown.matchAll(/Specflow-Phase: F-12 (\w+) -> (\w+)/g)].map((m) => `${m[1]}>${m[2]}`);
    expect(moves).toEqual(['none>specify', 'specify>plan']);
  });
});
