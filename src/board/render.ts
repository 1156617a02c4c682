import type { Finding } from '../core/finding.js';
import { GLYPHS, PHASES, type Phase } from '../core/phase.js';
import { html, idSegment, trusted, type Html } from './html.js';
import { byPhase, counts, history, unbacked, type BoardData, type BoardFeature, type TrailEntry } from './model.js';

/**
 * The board's pages, rendered from typed data only. Pure: the daemon serves them, `board
 * --out` writes them into one file. Every repository text goes through `html`, which escapes it.
 */
export type PageMode =
  /** Served by specflowd: `base` is the token's path (`/<token>/`), where the style sheet, the live script and the pages live. */
  | { kind: 'served'; base: string; version: string }
  /** One self-contained file: the style inline (allowed by its hash), no script, features as sections. */
  | { kind: 'file'; styleHash: string; css: string };

const label = (p: Phase) => `${GLYPHS[p]} ${p}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);

function featureHref(id: string, mode: PageMode): string {
  // Relative: only the board page (at the token's path) links to feature pages.
  return mode.kind === 'served' ? `feature/${idSegment(id)}` : `#f-${idSegment(id)}`;
}

function page(title: string, data: BoardData, main: Html, mode: PageMode, extra: Html | string = ''): string {
  const head =
    mode.kind === 'served'
      ? html`<link rel="stylesheet" href="${mode.base}style.css"><script src="${mode.base}live.js" defer></script>`
      : html`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${mode.styleHash}'; img-src data:; base-uri 'none'; form-action 'none'"><style>${trusted(mode.css)}</style>`;
  const home = mode.kind === 'served' ? mode.base : '#board';
  const live =
    mode.kind === 'served'
      ? html`<p id="live" role="status" aria-live="polite">connecting to specflowd…</p>`
      : html`<p id="live">a snapshot written ${when(data.generatedAt)} UTC; not live</p>`;
  const doc = html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${title}</title>${head}</head>
<body><header class="top"><h1><a href="${home}">specflow board</a> · ${data.title}</h1>${live}</header>
${main}${trusted(String(extra))}</body></html>`;
  return `<!doctype html>\n${doc.text}\n`;
}

function summary(data: BoardData, mode: PageMode): Html {
  const columns = byPhase(data.features);
  const phases = PHASES.map((p) => html`<li><span aria-hidden="true">${GLYPHS[p]}</span> ${p}: <strong>${columns.get(p)!.length}</strong></li>`);
  const n = data.next;
  const next =
    n.id === null
      ? html`<p class="next">Next: nothing left to pick.</p>`
      : html`<p class="next">Next: <a href="${featureHref(n.id, mode)}">${n.id}</a> ${n.name} — <code>${n.command}</code></p>`;
  const stuck = data.features.filter(unbacked);
  const problems = [
    ...stuck.map((f) => html`<li><a href="${featureHref(f.id, mode)}">${f.id}</a>: its documents no longer back ${label(f.phase)} (${plural(counts(f).errors, 'error')})</li>`),
    ...data.notes.filter((x) => x.severity === 'error').map((x) => html`<li>${findingLine(x)}</li>`),
  ];
  const needs = problems.length
    ? html`<div class="problems"><strong>Needs a person: ${plural(problems.length, 'problem')}</strong><ul>${problems}</ul></div>`
    : html`<p>Needs a person: nothing.</p>`;
  return html`<section class="summary" aria-label="Summary"><ul class="phases">${phases}</ul>${next}${needs}</section>`;
}

/** A card; terse markup, as a board of 10,000 features must stay under 3 MB (budget B9). */
function card(f: BoardFeature, mode: PageMode): Html {
  const c = counts(f);
  const bad = unbacked(f);
  const tasks = c.tasksTotal
    ? html`<progress max="${c.tasksTotal}" value="${c.tasksDone}"></progress><small class="t">${c.tasksDone}/${c.tasksTotal} tasks done</small>`
    : html`<small class="t">no tasks yet</small>`;
  const errors = c.errors ? html`<strong>${plural(c.errors, 'error')}</strong>` : '0 errors';
  const warnings = c.warnings ? html`<em>${plural(c.warnings, 'warning')}</em>` : '0 warnings';
  return html`<li><a class="card${bad ? ' unbacked' : ''}" id="c-${idSegment(f.id)}" href="${featureHref(f.id, mode)}"${c.errors ? html` data-errors="${c.errors}"` : ''}><b>${f.id}</b> <span>${f.name}</span><small>${f.priority === null ? 'no priority' : `priority ${f.priority}`} · ${f.status}${f.current ? ' · current' : ''}</small>${tasks}<small>${errors} · ${warnings}</small>${bad ? html`<span class="badge">documents no longer back ${label(f.phase)}</span>` : ''}</a></li>
`;
}

const versionOf = (mode: PageMode) => (mode.kind === 'served' ? mode.version : '');

function boardMain(data: BoardData, mode: PageMode): Html {
  if (data.unreadable) return unreadableMain(data, mode);
  const columns = byPhase(data.features);
  const cols = PHASES.map((p) => {
    const list = columns.get(p)!;
    return html`<section class="column" aria-labelledby="col-${p}"><h2 id="col-${p}"><span aria-hidden="true">${GLYPHS[p]}</span> ${p} <span class="n">(${list.length})</span></h2>${
      list.length ? html`<ul>${list.map((f) => card(f, mode))}</ul>` : html`<p class="empty">none</p>`
    }</section>`;
  });
  const empty = data.features.length ? '' : html`<p>No features yet. Add one with <code>specflow add &lt;name&gt;</code>.</p>`;
  return html`<main id="board" data-version="${versionOf(mode)}">${summary(data, mode)}${empty}<div class="columns">${cols}</div></main>`;
}

function unreadableMain(data: BoardData, mode: PageMode): Html {
  const u = data.unreadable!;
  return html`<main id="board" data-version="${versionOf(mode)}"><section class="unreadable" role="alert"><h2>The ledger or config cannot be read</h2><p>${u.message}</p>${u.hint ? html`<p>${u.hint}</p>` : ''}</section></main>`;
}

function findingLine(x: Finding): Html {
  const where = x.file ? `${x.file}${x.line ? `:${x.line}` : ''}` : '';
  return html`<span class="${x.severity === 'error' ? 'errors' : 'warnings'}">${x.severity}</span> ${where ? html`<span class="where">${where}</span> ` : ''}<code>${x.code}</code> ${x.message}${x.hint ? html`<span class="hint">${x.hint}</span>` : ''}`;
}

function gateText(g: TrailEntry['gate']): Html {
  if (g === 'held') return html`<span class="held">gate held</span>`;
  if (g === 'failed') return html`<span class="failed">GATE FAILED</span>`;
  return html`<span>no gate (backwards)</span>`;
}

function trailTable(entries: readonly TrailEntry[], withFeature: boolean, mode: PageMode): Html {
  if (!entries.length) return html`<p class="empty">No phase changes in the history of HEAD.</p>`;
  const rows = entries.map(
    (c) =>
      html`<tr><td><code>${c.short}</code></td><td>${when(c.date)}</td><td>${c.author} &lt;${c.email}&gt;</td>${withFeature ? html`<td><a href="${featureHref(c.feature, mode)}">${c.feature}</a></td>` : ''}<td>${label(c.from)} → ${label(c.to)}</td><td>${gateText(c.gate)}${c.findings.length ? html`<ul class="findings">${c.findings.map((x) => html`<li>${findingLine(x)}</li>`)}</ul>` : ''}</td><td>${c.trailer ? 'trailer' : 'no trailer (--no-verify?)'}</td><td>${c.subject}</td></tr>`,
  );
  return html`<table><thead><tr><th>commit</th><th>date</th><th>author</th>${withFeature ? html`<th>feature</th>` : ''}<th>change</th><th>gate</th><th>message</th><th>subject</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function featureBody(data: BoardData, f: BoardFeature, mode: PageMode, heading: 'h2' | 'h3'): Html {
  const c = counts(f);
  const errors = f.findings.filter((x) => x.severity === 'error');
  const advice = f.findings.filter((x) => x.severity === 'warning');
  const h = (text: Html | string) => (heading === 'h2' ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`);
  const tasks = f.tasks?.length
    ? html`<ul class="tasks">${f.tasks.map((t) => html`<li><span aria-hidden="true">${t.status === 'complete' ? '☑' : '☐'}</span> ${t.status === 'complete' ? 'done' : 'open'}: ${t.text} <span class="where">:${t.line}</span></li>`)}</ul>`
    : html`<p class="empty">No task list yet.</p>`;
  const trail = data.trail === null ? html`<p class="empty">The history could not be read.</p>` : trailTable(history(data, f.id), false, mode);
  return html`<dl class="facts"><dt>phase</dt><dd>${label(f.phase)}</dd><dt>status</dt><dd>${f.status}${f.reason ? ` (${f.reason})` : ''}</dd><dt>priority</dt><dd>${f.priority ?? 'none'}</dd><dt>folder</dt><dd class="where">${f.spec_path}</dd><dt>approved</dt><dd>${f.approved ? `by ${f.approved.by} at ${when(f.approved.at)}` : 'no'}</dd><dt>tasks</dt><dd>${c.tasksTotal ? `${c.tasksDone}/${c.tasksTotal} done` : 'none'}</dd></dl>
${h('Gate verdicts')}${
    errors.length
      ? html`<p class="failed" data-verdict="failed">The gates up to ${label(f.phase)} do not hold: ${plural(errors.length, 'error')}.</p><ul class="findings">${errors.map((x) => html`<li>${findingLine(x)}</li>`)}</ul>`
      : html`<p class="held" data-verdict="held">The gates up to ${label(f.phase)} hold.</p>`
  }${advice.length ? html`<p>Advice before the next phase (${plural(advice.length, 'warning')}):</p><ul class="findings">${advice.map((x) => html`<li>${findingLine(x)}</li>`)}</ul>` : ''}
${h('Tasks')}${tasks}
${h('History')}${trail}`;
}

/** The board as specflowd serves it; `version` names what it shows, for the live script to compare. */
export function boardPage(data: BoardData, base: string, version: string): string {
  const mode: PageMode = { kind: 'served', base, version };
  return page(`specflow board · ${data.title}`, data, boardMain(data, mode), mode);
}

/** A feature's page; undefined for an id the ledger does not hold. */
export function featurePage(data: BoardData, id: string, base: string, version: string): string | undefined {
  const f = data.features.find((x) => x.id === id);
  if (!f) return undefined;
  const mode: PageMode = { kind: 'served', base, version };
  const main = html`<main id="feature" data-version="${version}"><p><a href="${base}">← all features</a></p><h1 class="feature-title"><span aria-hidden="true">${f.glyph}</span> ${f.id} ${f.name}</h1>${featureBody(data, f, mode, 'h2')}</main>`;
  return page(`${f.id} ${f.name} · specflow board`, data, main, mode);
}

/** The whole board in one file: the board, every feature, and the trail; no script, no network. */
export function boardFile(data: BoardData, style: { css: string; hash: string }): string {
  const mode: PageMode = { kind: 'file', styleHash: style.hash, css: style.css };
  const sections = data.features.map(
    (f) => html`<section class="feature" id="f-${idSegment(f.id)}" aria-labelledby="h-${idSegment(f.id)}"><h2 id="h-${idSegment(f.id)}"><span aria-hidden="true">${f.glyph}</span> ${f.id} ${f.name}</h2>${featureBody(data, f, mode, 'h3')}<p><a href="#board">↑ the board</a></p></section>`,
  );
  const trail = data.trail === null ? '' : html`<section class="feature" id="trail"><h2>The audit trail</h2>${trailTable(data.trail, true, mode)}</section>`;
  return page(`specflow board · ${data.title}`, data, boardMain(data, mode), mode, html`<div id="features">${sections}${trail}</div>`);
}
