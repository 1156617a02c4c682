import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeText, html } from '../../src/board/html.js';
import type { BoardData, BoardFeature } from '../../src/board/model.js';
import { boardFile, boardPage, featurePage } from '../../src/board/render.js';
import { BOARD_CSS } from '../../src/board/style.js';

/**
 * The board's pages are pure functions of typed data. Every text that comes from a repository
 * — ids, names, paths, findings, tasks, commit subjects and authors — is escaped, whatever it
 * holds; the only markup is the board's own.
 */
const EVIL = `<script>alert("x")</script><img src=x onerror='y'>&amp;\u202Eevil\u2066`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;\\u202eevil\\u2066';

function feature(over: Partial<BoardFeature> = {}): BoardFeature {
  return {
    id: EVIL,
    name: EVIL,
    phase: 'tasks',
    glyph: '③',
    status: 'in_progress',
    priority: 1,
    spec_path: EVIL,
    approved: { by: EVIL, at: '2026-11-24T10:00:00Z' },
    reason: EVIL,
    tasks: [{ text: EVIL, status: 'pending', line: 3 }],
    findings: [
      { severity: 'error', code: 'plan.section.missing', feature: EVIL, file: EVIL, line: 7, message: EVIL, hint: EVIL },
      { severity: 'warning', code: 'tasks.unchecked', message: EVIL },
    ],
    ...over,
  };
}

function data(): BoardData {
  const f = feature();
  return {
    title: EVIL,
    generatedAt: '2026-11-24T10:00:00.000Z',
    features: [f],
    next: { ...f, command: `specflow implement ${EVIL}` },
    trail: [
      {
        commit: 'a'.repeat(40),
        short: 'aaaaaaa',
        author: EVIL,
        email: EVIL,
        date: '2026-11-24T10:00:00Z',
        subject: EVIL,
        feature: EVIL,
        from: 'plan',
        to: 'tasks',
        kind: 'advanced',
        gate: 'failed',
        trailer: false,
        findings: [{ severity: 'error', code: 'tasks.none', message: EVIL }],
      },
    ],
    notes: [{ severity: 'error', code: 'config.unreadable', file: EVIL, message: EVIL }],
    unreadable: null,
  };
}

/** Where an id goes into a link or an element id: percent-encoded, then escaped. */
const ENCODED = encodeURIComponent(EVIL).replace(/'/g, '&#39;');

/** The markup of a page with every escaped copy of the hostile text taken out: what is left is the board's own. */
const own = (page: string) => page.split(ESCAPED).join('').split(ENCODED).join('');

describe('the board pages', () => {
  it('escape text and make control characters and bidi marks visible', () => {
    expect(escapeText(EVIL)).toBe(ESCAPED);
    expect(html`<p title="${EVIL}">${EVIL}</p>`.text).toBe(`<p title="${ESCAPED}">${ESCAPED}</p>`);
  });

  it('escape every repository text on the board, a feature page and the file', () => {
    const d = data();
    const pages = [boardPage(d, '/t/', '1'), featurePage(d, EVIL, '/t/', '1')!, boardFile(d, { css: BOARD_CSS, hash: 'sha256-x' })];
    for (const page of pages) {
      expect(page).toContain(ESCAPED);
      const left = own(page);
      expect(left).not.toMatch(/<script>|<img|onerror|alert|\u202E|\u2066/);
      // Only the served pages carry a script, and only the daemon's file.
      expect(left.match(/<script/g) ?? []).toEqual(page.includes('live.js') ? ['<script'] : []);
    }
    // Ids in links are percent-encoded, then escaped.
    expect(pages[0]).toContain(`href="feature/${ENCODED}"`);
    expect(pages[2]).toContain(`href="#f-${ENCODED}"`);
  });

  it('show the findings with file:line and hint, the tasks, and the trail with the gate', () => {
    const page = featurePage(data(), EVIL, '/t/', '1')!;
    expect(page).toContain(`<span class="where">${ESCAPED}:7</span>`);
    expect(page).toContain(`<span class="hint">${ESCAPED}</span>`);
    expect(page).toContain('data-verdict="failed"');
    expect(page).toContain('GATE FAILED');
    expect(page).toContain(`open: ${ESCAPED} <span class="where">:3</span>`);
    expect(featurePage(data(), 'F-404', '/t/', '1')).toBeUndefined();
  });

  it('write the file with its style allowed by hash and nothing to fetch', () => {
    const hash = `sha256-${createHash('sha256').update(BOARD_CSS).digest('base64')}`;
    const file = boardFile(data(), { css: BOARD_CSS, hash });
    expect(file).toContain(`style-src '${hash}'`);
    expect(file).toContain(`<style>${BOARD_CSS}</style>`);
    expect(own(file)).not.toMatch(/<script|<link|\ssrc=|https?:\/\//);
  });

  it('say plainly when the ledger cannot be read', () => {
    const page = boardPage({ ...data(), features: [], unreadable: { message: EVIL, hint: EVIL } }, '/t/', '2');
    expect(page).toContain('The ledger or config cannot be read');
    expect(own(page)).not.toMatch(/<script>|<img/);
  });
});
