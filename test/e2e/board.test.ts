import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, INSTALL_CHROMIUM, launchBrowser } from '../helpers/browser.js';
import { DAEMON_WAIT_MS, specflowd, startDaemon, stopAllDaemons, stopDaemon, waitFor } from '../helpers/daemon.js';
import { GOOD_SPEC, GOOD_TASKS, goodPlan } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, json, PROJECT_ROOT, type TestRepo } from '../helpers/repo.js';

/**
 * The board (DESIGN §10): served by the real specflowd for a real repository with a history,
 * checked over HTTP for its safety rules and in a real headless Chromium for what people see —
 * columns, a feature page, hostile names shown as text, a saved document changing a card
 * without a reload, and the page saying when the daemon stops.
 */
const TEST_MS = 180_000;
const HOSTILE_NAME = '<script>window.__pwned=1</script> "quoted" \u202Eevil';
// git drops < and > from names; quotes and ampersands stay.
const HOSTILE_AUTHOR = 'Mallory" onmouseover="window.__pwned=2" & co';
const HOSTILE_SUBJECT = '<script>window.__pwned=3</script> specify';

let repo: TestRepo;
let pid: number;
let url: string;

function boardRepo(): TestRepo {
  const r = gateRepo({ via: 'node_modules' });
  withApprovedSpec(r);
  r.write(`${F12_DIR}/plan.md`, goodPlan());
  r.write(`${F12_DIR}/tasks.md`, GOOD_TASKS);
  for (const args of [['plan', 'F-12'], ['tasks', 'F-12']]) expect(r.cli(args).code).toBe(0);
  commit(r, 'F-12: plan and tasks', { expect: 0 });
  expect(r.cli(['add', HOSTILE_NAME, '--id', 'F-13', '--priority', '1']).code).toBe(0);
  const folder = (json<{ spec_path: string }>(r.cli(['status', 'F-13', '--json'])) ?? { spec_path: '' }).spec_path;
  r.write(`${folder}/spec.md`, GOOD_SPEC);
  expect(r.cli(['specify', 'F-13']).code).toBe(0);
  commit(r, HOSTILE_SUBJECT, { expect: 0, env: { GIT_AUTHOR_NAME: HOSTILE_AUTHOR } });
  expect(r.cli(['add', 'Search', '--id', 'F-14']).code).toBe(0);
  return r;
}

/** A raw request, with whatever Host and method a hostile page or process could send. */
function fetchRaw(path: string, opts: { host?: string; method?: string; port?: number } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const port = opts.port ?? Number(new URL(url).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { Host: opts.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const tokenPath = () => new URL(url).pathname;

/** A request with no Host header at all, which only HTTP/1.0 allows. */
function rawHttp10(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`GET ${path} HTTP/1.0\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8').on('data', (c: string) => (text += c));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

beforeAll(() => {
  repo = boardRepo();
  pid = startDaemon(repo);
  const r = repo.cli(['board']);
  expect(r.code, r.stderr).toBe(0);
  url = r.stdout.trim();
}, TEST_MS);

afterAll(async () => {
  await stopAllDaemons();
  cleanupTempDirs();
});

describe('specflow board: the address, --open, --out', () => {
  it('prints the address from .maestro/run/, the same as specflowd status', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{48}\/$/);
    expect(json<{ ok: boolean; running: boolean; url: string }>(repo.cli(['board', '--json']))).toMatchObject({ ok: true, running: true, url });
    const daemon = specflowd(repo, ['status', '--json']);
    expect(json<{ board: string }>(daemon).board).toBe(url);
    expect(JSON.parse(readFileSync(join(repo.dir, '.maestro/run/board.json'), 'utf8'))).toMatchObject({ url, pid });
  });

  it('--open starts $BROWSER on the address', async () => {
    const bin = join(repo.dir, '..', 'browser-bin');
    mkdirSync(bin, { recursive: true });
    const opener = join(bin, 'open-it');
    const seen = join(bin, 'seen.txt');
    repo.write(join('..', 'browser-bin', 'open-it'), `#!/bin/sh\nprintf '%s' "$1" > "${seen}"\n`);
    chmodSync(opener, 0o755);
    const r = repo.cli(['board', '--open'], { env: { BROWSER: opener } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(url);
    expect(await waitFor(() => existsSync(seen) && readFileSync(seen, 'utf8'), DAEMON_WAIT_MS, 'the browser to be started')).toBe(url);
  });

  it('--out writes one self-contained file: every feature and the trail, no script, nothing fetched, every text escaped', () => {
    const r = repo.cli(['board', '--out', 'board.html', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, out: { file: join(repo.dir, 'board.html'), features: 3 } });
    const text = repo.read('board.html');
    expect(text).not.toMatch(/<script|<img|<link|<iframe|<object|\ssrc=|href="(https?:)?\/\/|@import|url\(/i);
    expect(text).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-`);
    for (const id of ['F-12', 'F-13', 'F-14']) expect(text).toContain(`id="f-${id}"`);
    expect(text).toContain('The audit trail');
    expect(text).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt; &quot;quoted&quot; \\u202eevil');
    expect(text).toContain('Mallory&quot; onmouseover=&quot;window.__pwned=2&quot; &amp; co');
    expect(text).toContain('&lt;script&gt;window.__pwned=3&lt;/script&gt; specify');
    expect(text).not.toContain('\u202E');
  });
});

describe('the served board is safe by construction', () => {
  it('answers only on 127.0.0.1, with the token, to its own Host', async () => {
    const port = Number(new URL(url).port);
    expect((await fetchRaw(tokenPath())).status).toBe(200);
    expect((await fetchRaw(tokenPath(), { host: `localhost:${port}` })).status).toBe(200);
    // DNS rebinding: a page at evil.example resolved to 127.0.0.1 sends its own Host.
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) expect((await fetchRaw(tokenPath(), { host })).status, host).toBe(403);
    // No Host at all (HTTP/1.0).
    expect(await rawHttp10(port, tokenPath())).toMatch(/^HTTP\/1\.1 403 /);
    // No token, a wrong one, a prefix of it.
    const token = tokenPath().slice(1, -1);
    for (const path of ['/', '/style.css', `/${'0'.repeat(48)}/`, `/${token.slice(0, 47)}/`, `/${token}x/`, `/${token}`, `/x/${token}/`]) expect((await fetchRaw(path)).status, path).toBe(403);
    // Nothing listens on another interface or on IPv6.
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    const refused = (host: string) =>
      new Promise<string>((resolve) => {
        const req = request({ host, port, path: tokenPath(), headers: { Host: `127.0.0.1:${port}` } }, () => resolve('answered'));
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        req.end();
      });
    if (other) expect(await refused(other.address)).not.toBe('answered');
    expect(await refused('::1')).not.toBe('answered');
  });

  it('answers only GET and HEAD, and writes nothing', async () => {
    const ledger = repo.read('.maestro/ledger.yaml');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await fetchRaw(tokenPath(), { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    const head = await fetchRaw(tokenPath(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(repo.read('.maestro/ledger.yaml')).toBe(ledger);
  });

  it('sends a strict Content-Security-Policy and escapes every text from the repository', async () => {
    const r = await fetchRaw(tokenPath());
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.body).not.toMatch(/<script>|<img/i);
    expect(r.body.match(/<script/g)).toHaveLength(1);
    expect(r.body).toContain(`<script src="${tokenPath()}live.js" defer></script>`);
    const page = await fetchRaw(`${tokenPath()}feature/F-13`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Mallory&quot; onmouseover=&quot;window.__pwned=2&quot; &amp; co');
    expect(page.body).not.toMatch(/<script>|<img/i);
    expect((await fetchRaw(`${tokenPath()}feature/F-99`)).status).toBe(404);
    expect((await fetchRaw(`${tokenPath()}feature/%E0%A4%A`)).status).toBe(404);
  });
});

describe('the served board and a ledger that cannot be read', () => {
  it('says so instead of the columns, and shows the features again once the ledger is fixed', async () => {
    const ledger = repo.read('.maestro/ledger.yaml');
    try {
      repo.write('.maestro/ledger.yaml', '<<<<<<< HEAD\nfeatures: [\n');
      await expect.poll(async () => (await fetchRaw(tokenPath())).body, { timeout: DAEMON_WAIT_MS, interval: 50 }).toContain('The ledger or config cannot be read');
    } finally {
      repo.write('.maestro/ledger.yaml', ledger);
    }
    await expect.poll(async () => (await fetchRaw(tokenPath())).body, { timeout: DAEMON_WAIT_MS, interval: 50 }).toContain('id="c-F-12"');
  }, TEST_MS);
});

describe.skipIf(!HAVE_CHROMIUM)(`the board in a real browser${HAVE_CHROMIUM ? '' : ` (skipped: no chromium; ${INSTALL_CHROMIUM})`}`, () => {
  let browser: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const cspErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(DAEMON_WAIT_MS * 2);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => m.type() === 'error' && /Content.Security.Policy/i.test(m.text()) && cspErrors.push(m.text()));
  }, TEST_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'shows a column per phase with each card in its own, hostile names as plain text',
    async () => {
      const r = await page.goto(url);
      expect(r?.status()).toBe(200);
      const columns = await page.locator('.column h2').allTextContents();
      expect(columns.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual(['○ none (1)', '① specify (1)', '② plan (0)', '③ tasks (1)', '④ implement (0)', '● complete (0)']);
      await expect.poll(() => page.locator('#col-tasks + ul .card b').allTextContents()).toEqual(['F-12']);
      expect(await page.locator('#col-specify + ul .card > span').textContent()).toBe('<script>window.__pwned=1</script> "quoted" \\u202eevil');
      expect(await page.locator('#col-none + ul .card b').allTextContents()).toEqual(['F-14']);
      expect(await page.locator('#c-F-12 .t').textContent()).toBe('1/3 tasks done');
      expect(await page.locator('#c-F-12').getAttribute('data-errors')).toBeNull();
      expect(await page.locator('.summary .next').textContent()).toContain('specflow plan F-13');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
      // The style sheet applied (the CSP let it in): columns side by side.
      expect(await page.locator('.columns').evaluate((e) => getComputedStyle(e).display)).toBe('grid');
      await page.waitForFunction(() => document.getElementById('live')?.textContent?.startsWith('live'));
    },
    TEST_MS,
  );

  it(
    'opens a feature page from the keyboard: gate verdicts, tasks, history with who and whether the gate held',
    async () => {
      await page.goto(url);
      await page.locator('#c-F-12').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/feature\/F-12$/);
      const main = page.locator('main');
      await expect.poll(() => main.locator('[data-verdict]').getAttribute('data-verdict')).toBe('held');
      expect(await main.locator('ul.tasks li').allTextContents()).toEqual(['☑ done: Write the loader :3', '☐ open: Add the check command :4', '☐ open: Document the settings :5']);
      const history = (await main.locator('table tbody tr').allTextContents()).join('\n');
      expect(history).toContain('○ none → ① specify');
      expect(history).toContain('① specify → ③ tasks');
      expect(history).toContain('gate held');
      expect(await main.locator('dl.facts').textContent()).toContain('approved');

      await page.goto(`${url}feature/F-13`);
      const trail = await page.locator('main table tbody tr').first().textContent();
      expect(trail).toContain(HOSTILE_AUTHOR);
      expect(trail).toContain(HOSTILE_SUBJECT);
      expect(await page.locator('h1.feature-title').textContent()).toContain('<script>window.__pwned=1</script>');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'changes a card when a document is saved, without a reload',
    async () => {
      await page.goto(url);
      await page.waitForFunction(() => document.getElementById('live')?.textContent?.startsWith('live'));
      await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
      repo.write(`${F12_DIR}/tasks.md`, GOOD_TASKS.replace('- [ ] Add', '- [x] Add'));
      await page.waitForFunction(() => document.querySelector('#c-F-12 .t')?.textContent === '2/3 tasks done');
      // A plan section removed: the documents no longer back ③ tasks.
      repo.write(`${F12_DIR}/plan.md`, goodPlan({ omit: 'Failure modes' }));
      await page.waitForFunction(() => document.querySelector('#c-F-12')?.getAttribute('data-errors') === '1');
      expect(await page.locator('#c-F-12 .badge').textContent()).toBe('documents no longer back ③ tasks');
      expect(await page.locator('.problems').textContent()).toContain('F-12: its documents no longer back ③ tasks');
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

      // The feature page follows too, and names the file and line.
      await page.goto(`${url}feature/F-12`);
      expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('failed');
      expect(await page.locator('ul.findings').first().textContent()).toContain(`${F12_DIR}/plan.md`);
      repo.write(`${F12_DIR}/plan.md`, goodPlan());
      await page.waitForFunction(() => document.querySelector('[data-verdict]')?.getAttribute('data-verdict') === 'held');

    },
    TEST_MS,
  );

  it.runIf(process.env.SPECFLOW_UPDATE_DOCS === '1')(
    'keeps a screenshot of the board in docs/ (SPECFLOW_UPDATE_DOCS=1)',
    async () => {
      const r = gateRepo({ via: 'node_modules' });
      const plan = ['specify', 'plan', 'tasks', 'implement', 'complete'];
      const features: [string, string, number, string][] = [
        ['F-1', 'Sign-in with passkeys', 1, 'complete'],
        ['F-2', 'Vector configuration', 2, 'implement'],
        ['F-3', 'Search filters', 3, 'tasks'],
        ['F-4', 'CSV export', 4, 'plan'],
        ['F-5', 'Audit log', 5, 'specify'],
        ['F-6', 'Billing webhooks', 6, 'none'],
        ['F-7', 'Dark mode', 7, 'none'],
      ];
      for (const [id, name, priority, phase] of features) {
        expect(r.cli(['add', name, '--id', id, '--priority', String(priority)]).code).toBe(0);
        const dir = json<{ spec_path: string }>(r.cli(['status', id, '--json'])).spec_path;
        const upTo = plan.indexOf(phase) + 1;
        if (upTo >= 1) r.write(`${dir}/spec.md`, GOOD_SPEC);
        if (upTo >= 2) r.write(`${dir}/plan.md`, goodPlan());
        if (upTo >= 3) r.write(`${dir}/tasks.md`, phase === 'complete' ? GOOD_TASKS.replace(/\[ \]/g, '[x]') : GOOD_TASKS);
        for (const verb of plan.slice(0, upTo)) {
          if (verb === 'plan') expect(r.cli(['approve', id, '--by', 'Ada Lovelace']).code).toBe(0);
          const moved = r.cli([verb, id]);
          expect(moved.code, moved.stderr + moved.stdout).toBe(0);
        }
        commit(r, `${id}: ${phase}`, { expect: 0 });
      }
      const daemon = startDaemon(r);
      const address = r.cli(['board']).stdout.trim();
      const shot = await browser.newPage();
      await shot.setViewportSize({ width: 1280, height: 450 });
      await shot.goto(address);
      await shot.waitForFunction(() => document.getElementById('live')?.textContent?.startsWith('live'));
      // A plan section deleted: the card of F-3 turns red, without a reload.
      const dir = json<{ spec_path: string }>(r.cli(['status', 'F-3', '--json'])).spec_path;
      r.write(`${dir}/plan.md`, goodPlan({ omit: 'Failure modes' }));
      await shot.waitForFunction(() => document.querySelector('#c-F-3')?.getAttribute('data-errors') === '1');
      await shot.screenshot({ path: join(PROJECT_ROOT, 'docs', 'board.png') });
      await shot.close();
      await stopDaemon(daemon);
    },
    TEST_MS,
  );

  it(
    'answers 403 to a browser without the token',
    async () => {
      const port = new URL(url).port;
      for (const address of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/not-the-token/`]) expect((await page.goto(address))?.status(), address).toBe(403);
    },
    TEST_MS,
  );

  it(
    'shows the --out file as it is, with its style and without a network',
    async () => {
      expect(repo.cli(['board', '--out', 'board.html']).code).toBe(0);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      cspErrors.length = 0;
      await page.goto(`file://${join(repo.dir, 'board.html')}`);
      expect(await page.locator('.columns').evaluate((e) => getComputedStyle(e).display)).toBe('grid');
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
      expect(cspErrors).toEqual([]);
      await page.locator('#c-F-12').click();
      expect(page.url()).toMatch(/#f-F-12$/);
    },
    TEST_MS,
  );

  it(
    'says so when the daemon stops',
    async () => {
      await page.goto(url);
      await page.waitForFunction(() => document.getElementById('live')?.textContent?.startsWith('live'));
      await stopDaemon(pid);
      await page.waitForFunction(() => document.getElementById('live')?.classList.contains('stopped'));
      expect(await page.locator('#live').textContent()).toContain('specflowd stopped');
      const r = repo.cli(['board']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('specflowd start');
    },
    TEST_MS,
  );
});
