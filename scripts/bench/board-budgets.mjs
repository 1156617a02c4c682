/* global document */
// B8–B9: the board that specflowd serves, measured from outside: B8 in a real headless Chromium
// (Debian's `chromium`, driven by playwright-core, which never downloads a browser), B9 over HTTP.
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startDaemon } from './daemon-budgets.mjs';
import { sleep } from './generate.mjs';
import { timed } from './setup.mjs';
import { percentile, spread } from './stats.mjs';

export const CHROMIUM = process.env.SPECFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const INSTALL_CHROMIUM = 'apt-get install -y chromium';
export const haveChromium = () => existsSync(CHROMIUM);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LONG_MS = 600_000;

/** The address `specflow board` prints for the running daemon. */
function boardAddress(repo, { env, pkg }) {
  const r = spawnSync(process.execPath, [pkg.cli, 'board'], { cwd: repo, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`specflow board failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

/** A GET of `url`; resolves with the wall time (ms) and the body's size (bytes). */
function get(url) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t0, bytes }) : reject(new Error(`GET board: HTTP ${res.statusCode}`))));
    });
    req.setTimeout(LONG_MS, () => req.destroy(new Error('GET board timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Writes a file as most editors save: a temporary file renamed over it. */
function save(path, text) {
  writeFileSync(`${path}.bench-tmp`, text);
  renameSync(`${path}.bench-tmp`, path);
}

/** F-1's plan (F-1 is at `plan`, approved, in every generated repository), whole and with a section removed. */
function planOfF1(repo) {
  const path = join(repo, '.specify', 'specs', 'f-1-feature-1', 'plan.md');
  const good = readFileSync(path, 'utf8');
  const bad = good.replace(/## Failure modes[\s\S]*?(?=## Dependencies)/, '');
  if (bad === good) throw new Error("F-1's plan has no Failure modes section to remove");
  return { path, good, bad };
}

/**
 * B8: F-1's plan saved alternately broken and whole while its board is open in Chromium; each
 * latency runs from the save to the moment the page shows F-1's new error count (read in the
 * page on every animation frame). Undefined where no chromium is installed.
 */
export async function boardLatency(repo, ws, { saves }) {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import('playwright-core');
  const plan = planOfF1(repo);
  const daemon = await startDaemon(repo, ws);
  let browser;
  const latencies = [];
  try {
    browser = await chromium.launchPersistentContext(mkdtempSync(join(ws.base, 'chromium-')), { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 120_000 });
    const page = await browser.newPage();
    await page.goto(boardAddress(repo, ws), { timeout: LONG_MS });
    await page.waitForFunction(() => document.getElementById('live')?.textContent?.startsWith('live'), null, { timeout: LONG_MS });
    const whole = await page.evaluate(() => document.querySelector('#c-F-1')?.getAttribute('data-errors') ?? '0');
    for (let k = 0; k < saves; k++) {
      const broken = k % 2 === 0;
      const t0 = Date.now();
      save(plan.path, broken ? plan.bad : plan.good);
      try {
        const shown = await page.waitForFunction(
          ([w, b]) => {
            const errors = document.querySelector('#c-F-1')?.getAttribute('data-errors') ?? '0';
            return (b ? errors !== w : errors === w) && Date.now();
          },
          [whole, broken],
          { polling: 'raf', timeout: 10_000 },
        );
        latencies.push(Number(await shown.jsonValue()) - t0);
      } catch {
        latencies.push(Infinity);
      }
      // Let the trailing reconcile pass before the next save.
      sleep(150);
    }
  } finally {
    save(plan.path, plan.good);
    await browser?.close();
    await daemon.stop();
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), ...spread(latencies), count: latencies.length };
}

/**
 * B9: the board page of a large repository served by the daemon after one document was saved
 * (the board as people see it while they work: the ledger kept, one feature judged again)
 * vs `specflow status --json` on the same tree, in pairs; with the page's size, and the first
 * page after start (every feature judged once) as context.
 */
export async function boardServe(repo, ws, { pairs }) {
  const daemon = await startDaemon(repo, ws);
  try {
    const url = boardAddress(repo, ws);
    const first = await get(url);
    const tasks = join(repo, '.specify', 'specs', 'f-2-feature-2', 'tasks.md');
    const original = readFileSync(tasks, 'utf8');
    const base = [];
    const ours = [];
    const ratios = [];
    let bytes = first.bytes;
    for (let i = 0; i < pairs; i++) {
      save(tasks, i % 2 === 0 ? `${original}- [ ] one more task\n` : original);
      // The daemon's reconcile of that save comes first, so the page measured is the rebuilt one.
      sleep(300);
      const status = timed(process.execPath, [ws.pkg.cli, 'status', '--json'], { cwd: repo, env: ws.env });
      const page = await get(url);
      bytes = page.bytes;
      base.push(status);
      ours.push(page.ms);
      ratios.push(page.ms / status);
    }
    save(tasks, original);
    return { pairs: { baseline: spread(base), ours: spread(ours), ratio: spread(ratios) }, firstMs: first.ms, bytes };
  } finally {
    await daemon.stop();
  }
}
