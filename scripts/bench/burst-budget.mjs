// B10: the daemon during a burst of new feature folders (an agent scaffolding a backlog, a
// branch checkout that brings thousands of folders): its CPU over the burst against one cold
// `doctor` of the final tree, and how long after the last folder every one is registered.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon } from './daemon-budgets.mjs';
import { git, specDoc } from './generate.mjs';
import { installPackage } from './setup.mjs';

const CLK_TCK = () => Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of a live process, in clock ticks. */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU time (ms) of one command: a shell runs it, waits for it, and then reports its own
 * `cutime + cstime` (fields 16 and 17 of /proc/<shell>/stat), which hold exactly the CPU of the
 * children it has waited for. Wall time would count waiting on the disk as work.
 */
function childCpuMs(cmd, args, { cwd, env }) {
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const out = execFileSync('sh', ['-c', `${quoted} >/dev/null 2>&1; cat /proc/$$/stat`], { cwd, env, encoding: 'utf8' });
  const fields = out.slice(out.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) / CLK_TCK()) * 1000;
}

/** The burst's pace: this many folders, then a pause (5,000 folders take about 10 s). */
const BATCH = 25;
const BATCH_PAUSE_MS = 50;

const entries = (text) => text.match(/^ {2}F-\d+:/gm)?.length ?? 0;

/** Waits until the daemon's CPU has been still for `quietMs`, at most `limitMs`. */
async function quiet(pid, { quietMs = 1000, limitMs = 30_000 } = {}) {
  const until = performance.now() + limitMs;
  let last = cpuTicks(pid);
  let still = 0;
  while (still < quietMs && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuTicks(pid);
    still = now - last <= 1 ? still + 250 : 0;
    last = now;
  }
}

/**
 * A fresh repository (specflow initialised, no features), its daemon started and at rest; then
 * `n` feature folders, each with a spec, made a batch at a time. Measures the daemon's
 * CPU from the first folder until the ledger holds all `n` entries, and the time from the last
 * folder until then; then, with the daemon stopped, one cold `doctor` of the same tree.
 * @param {string} dir @param {import('./setup.mjs').Workspace} ws @param {{ n: number }} options
 */
export async function burstCost(dir, ws, { n }) {
  const { env, pkg } = ws;
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main'], env);
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  installPackage(dir, pkg);
  const init = spawnSync(process.execPath, [pkg.cli, 'init'], { cwd: dir, env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`specflow init failed:\n${init.stderr}${init.stdout}`);
  const ledger = join(dir, '.maestro', 'ledger.yaml');
  const specs = join(dir, '.specify', 'specs');
  const daemon = await startDaemon(dir, ws);
  let cpuMs;
  let afterLastMs;
  let burstMs;
  try {
    await quiet(daemon.pid);
    const ticks0 = cpuTicks(daemon.pid);
    const t0 = performance.now();
    // Paced as a scaffolding script or an agent makes them, a batch at a time: the daemon
    // reconciles many times during the burst, and each of those must stay cheap.
    for (let i = 1; i <= n; i++) {
      const folder = join(specs, `f-${i}-feature-${i}`);
      mkdirSync(folder);
      writeFileSync(join(folder, 'spec.md'), specDoc(i));
      if (i % BATCH === 0 && i < n) await new Promise((r) => setTimeout(r, BATCH_PAUSE_MS));
    }
    const last = performance.now();
    burstMs = last - t0;
    const limit = last + 120_000;
    for (;;) {
      if (entries(readFileSync(ledger, 'utf8')) >= n) break;
      if (performance.now() > limit) throw new Error(`the daemon had not registered all ${n} folders 120 s after the last`);
      await new Promise((r) => setTimeout(r, 10));
    }
    afterLastMs = performance.now() - last;
    cpuMs = ((cpuTicks(daemon.pid) - ticks0) / CLK_TCK()) * 1000;
  } finally {
    await daemon.stop();
  }
  rmSync(join(dir, '.maestro', 'run', 'doctor-cache.json'), { force: true });
  const doctorMs = childCpuMs(process.execPath, [pkg.cli, 'doctor'], { cwd: dir, env });
  return { cpuMs, doctorMs, afterLastMs, burstMs };
}
