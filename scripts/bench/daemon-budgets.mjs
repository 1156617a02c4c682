// B4–B5: the daemon, started as a user would (`specflowd run`), measured from outside.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './generate.mjs';
import { percentile, spread } from './stats.mjs';

/**
 * Starts the daemon as a user does (`specflowd start`, which detaches it with its own Node flags
 * and returns once the first reconcile is done); `stop()` is `specflowd stop`.
 */
export async function startDaemon(repo, { env, pkg }) {
  const run = (args, extra = {}) => spawnSync(process.execPath, [pkg.daemon, ...args, '--repo', repo], { cwd: repo, env: { ...env, ...extra }, encoding: 'utf8' });
  // A first reconcile of 10,000 features on a busy machine may take longer than start's default wait.
  const started = run(['start', '--json'], { SPECFLOWD_START_TIMEOUT_MS: '600000' });
  if (started.status !== 0) throw new Error(`specflowd start failed (${started.status}):\n${started.stderr}${started.stdout}`);
  const { pid } = JSON.parse(started.stdout);
  if (!Number.isInteger(pid)) throw new Error(`specflowd start did not say its pid: ${started.stdout}`);
  return {
    pid,
    async stop() {
      const stopped = run(['stop', '--json']);
      if (stopped.status !== 0) throw new Error(`specflowd stop failed (${stopped.status}):\n${stopped.stderr}${stopped.stdout}`);
    },
  };
}

/** The ways a `spec_path` goes bad that the daemon repairs on its own. */
const BREAKAGES = [
  (p) => `${p}/spec.md`,
  (p) => `${p}/`,
  (p) => `./${p}`,
  (p) => p.replace(/\//g, '\\'),
  (p, repo) => `${repo}/${p}`,
];

/**
 * B4: write a ledger with one bad `spec_path`, then poll the file
 * until the daemon has written it back repaired. Returns the latencies in ms.
 */
export async function repairLatency(repo, ws, { n, repairs }) {
  const ledger = join(repo, '.maestro', 'ledger.yaml');
  const daemon = await startDaemon(repo, ws);
  const latencies = [];
  try {
    sleep(500);
    for (let k = 0; k < repairs; k++) {
      const i = ((k * 13) % n) + 1;
      const good = `    spec_path: .specify/specs/f-${i}-feature-${i}\n`;
      const text = readFileSync(ledger, 'utf8');
      if (!text.includes(good)) throw new Error(`F-${i}'s spec_path is not as generated`);
      const bad = `    spec_path: ${BREAKAGES[k % BREAKAGES.length](`.specify/specs/f-${i}-feature-${i}`, repo)}\n`;
      const broken = text.replace(good, bad);
      // Written as most editors save: a temporary file renamed over the ledger, so the daemon
      // never reads a half-written file (that case has its own tests; here we time the repair).
      const t0 = performance.now();
      writeFileSync(`${ledger}.bench-tmp`, broken);
      renameSync(`${ledger}.bench-tmp`, ledger);
      const ino = statSync(ledger).ino;
      let ms = Infinity;
      while (performance.now() - t0 < 5000) {
        sleep(1);
        const st = statSync(ledger, { throwIfNoEntry: false });
        if (!st || st.ino === ino) continue;
        const now = readFileSync(ledger, 'utf8');
        if (now.includes(good) && !now.includes(bad)) {
          ms = performance.now() - t0;
          break;
        }
      }
      latencies.push(ms);
      // Let the trailing reconcile pass before the next change.
      sleep(150);
    }
  } finally {
    await daemon.stop();
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), ...spread(latencies), count: latencies.length };
}

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line; 12 and 13 after the name.
  return Number(fields[11]) + Number(fields[12]);
}

/** Samples a process's resident memory every 250 ms on its own, so a busy bench cannot miss a peak; prints the largest (kB) when stdin closes. */
const RSS_SAMPLER = `
const pid = process.argv[1];
let max = 0;
const read = () => {
  try {
    const m = /^VmRSS:\\s+(\\d+) kB/m.exec(require('node:fs').readFileSync('/proc/' + pid + '/status', 'utf8'));
    if (m) max = Math.max(max, Number(m[1]));
  } catch {}
};
read();
const timer = setInterval(read, 250);
process.stdin.on('end', () => { clearInterval(timer); read(); process.stdout.write(String(max)); });
process.stdin.resume();
`;

/**
 * B5: the daemon idle once its start-up is over: its CPU time over the window (as a share of
 * one core) and the largest resident memory sampled in it. The window includes the periodic full
 * reconcile (every 60 s by default). `beginIdle` starts the daemon and opens the window;
 * `finish(seconds)` closes it no earlier than `seconds` after it opened, and stops the daemon.
 * `settle: false` opens the window as soon as start returns (a smoke run, which judges nothing).
 * @param {string} repo @param {import('./setup.mjs').Workspace} ws @param {{ settle?: boolean }} [options]
 */
export async function beginIdle(repo, ws, { settle = true } = {}) {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const daemon = await startDaemon(repo, ws);
  try {
    // Idle starts when start-up work (watches, collections after the first reconcile) is over:
    // two quiet seconds in a row, at most 30 s after start returned.
    const settleUntil = performance.now() + (settle ? 30_000 : 0);
    let quiet = 0;
    for (let last = procStat(daemon.pid); quiet < 2 && performance.now() < settleUntil; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = procStat(daemon.pid);
      quiet = now - last <= 1 ? quiet + 1 : 0;
      last = now;
    }
  } catch (e) {
    await daemon.stop();
    throw e;
  }
  const sampler = spawn(process.execPath, ['-e', RSS_SAMPLER, String(daemon.pid)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let sampled = '';
  sampler.stdout.on('data', (c) => (sampled += c));
  const samplerDone = new Promise((r) => sampler.once('close', r));
  const t0 = performance.now();
  const ticks0 = procStat(daemon.pid);
  return {
    async finish(seconds) {
      try {
        const left = seconds * 1000 - (performance.now() - t0);
        if (left > 0) await new Promise((r) => setTimeout(r, left));
        const elapsed = (performance.now() - t0) / 1000;
        const cpu = (procStat(daemon.pid) - ticks0) / ticksPerSecond / elapsed;
        sampler.stdin.end();
        await samplerDone;
        return { cpuShare: cpu, rssMb: Number(sampled) / 1024, seconds: elapsed };
      } finally {
        await daemon.stop();
      }
    },
  };
}

/**
 * B5 measured alone: the idle window opened, held `seconds`, closed.
 * @param {string} repo @param {import('./setup.mjs').Workspace} ws @param {{ seconds: number, settle?: boolean }} options
 */
export async function idleCost(repo, ws, { seconds, settle = true }) {
  return (await beginIdle(repo, ws, { settle })).finish(seconds);
}
