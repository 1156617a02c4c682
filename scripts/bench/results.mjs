// The rows a bench run reports, and the table it prints. A row is judged (`pass` true or false),
// context (`pass` null: it explains a judged figure and does not decide the run), smoke (each
// measurement once at tiny sizes, no verdict on time) or an error (its measurement threw).

/**
 * @typedef {import('./stats.mjs').Spread} Spread
 * @typedef {{ baseline: Spread, ours: Spread, ratio: Spread }} Pairs
 * @typedef {{
 *   id: string,
 *   what: string,
 *   baseline: number | null,
 *   ours: number | null,
 *   ratio: number | null,
 *   limit: number | null,
 *   pass: boolean | null,
 *   unit: string,
 *   spread?: { ratio?: number[], baseline?: number[], ours?: number[], min?: number, max?: number },
 *   smoke?: boolean,
 *   notMeasured?: boolean,
 *   error?: string,
 * }} Row
 */

/** @param {number} x @param {number} [d] */
export const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/**
 * A ratio of paired measurements, judged on its median.
 * @param {string} id @param {string} what @param {Pairs} m @param {number} limit
 * @returns {Row}
 */
export function ratioResult(id, what, m, limit) {
  return {
    id,
    what,
    baseline: round(m.baseline.median),
    ours: round(m.ours.median),
    ratio: round(m.ratio.median, 2),
    limit,
    pass: m.ratio.median <= limit,
    unit: 'ms',
    spread: { ratio: [round(m.ratio.min, 2), round(m.ratio.max, 2)], baseline: [round(m.baseline.min), round(m.baseline.max)], ours: [round(m.ours.min), round(m.ours.max)] },
  };
}

/**
 * A measurement that explains a budget's figure; it has no limit and does not decide the run.
 * @param {string} id @param {string} what @param {Pairs} m
 * @returns {Row}
 */
export function contextResult(id, what, m) {
  return { ...ratioResult(id, what, m, Infinity), limit: null, pass: null };
}

/**
 * An absolute figure against its limit.
 * @param {string} id @param {string} what @param {number} value @param {number} limit @param {string} unit @param {Row['spread']} [spread]
 * @returns {Row}
 */
export function absoluteResult(id, what, value, limit, unit, spread) {
  return { id, what, baseline: null, ours: round(value, unit === '%' ? 2 : 1), ratio: null, limit, pass: value <= limit, unit, ...(spread ? { spread } : {}) };
}

/**
 * A budget whose measurement threw: reported, and it fails the run.
 * @param {string} id @param {string} what @param {unknown} error
 * @returns {Row}
 */
export function errorResult(id, what, error) {
  const message = error instanceof Error ? error.message : String(error);
  return { id, what, baseline: null, ours: null, ratio: null, limit: null, pass: false, unit: '', error: message.split('\n')[0] ?? '' };
}

/**
 * A budget this machine cannot measure (B8 without chromium): reported as such, judged neither way.
 * @param {string} id @param {string} what @param {string} why
 * @returns {Row}
 */
export function notMeasuredResult(id, what, why) {
  return { id, what: `${what}: not measured (${why})`, baseline: null, ours: null, ratio: null, limit: null, pass: null, unit: '', notMeasured: true };
}

/** @param {Row} r */
export function verdict(r) {
  if (r.error !== undefined) return 'ERROR';
  if (r.smoke) return 'smoke';
  if (r.notMeasured) return 'not measured';
  return r.pass === null ? 'context' : r.pass ? 'pass' : 'FAIL';
}

/** @param {Row} r */
const ratioText = (r) => {
  if (r.ratio === null) return '—';
  const [lo, hi] = r.spread?.ratio ?? [r.ratio, r.ratio];
  return `${r.ratio.toFixed(2)}× (${lo.toFixed(2)}–${hi.toFixed(2)})`;
};

/**
 * One row as a line of progress.
 * @param {Row} r
 */
export function progress(r) {
  if (r.error !== undefined) return `${r.id}: ERROR: ${r.error}`;
  const figures = [r.baseline === null ? '' : `baseline ${r.baseline} ${r.unit}`, `ours ${r.ours} ${r.unit}`, r.ratio === null ? '' : `ratio ${ratioText(r)}`].filter(Boolean);
  const judged = r.smoke || r.pass === null ? verdict(r) : `limit ${r.limit} → ${verdict(r)}`;
  return `${r.id}: ${figures.join(', ')}, ${judged}`;
}

/**
 * The run's rows as one Markdown table.
 * @param {Row[]} results
 */
export function table(results) {
  const rows = [['budget', 'what', 'baseline', 'ours', 'ratio (min–max)', 'limit', 'result']];
  for (const r of results) {
    rows.push([
      r.id,
      r.error === undefined ? r.what : `${r.what}: ${r.error}`,
      r.baseline === null ? '—' : `${r.baseline} ${r.unit}`,
      r.ours === null ? '—' : `${r.ours} ${r.unit}`,
      ratioText(r),
      r.limit === null ? '—' : r.ratio === null ? `≤ ${r.limit} ${r.unit}` : `≤ ${r.limit}×`,
      verdict(r),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  /** @param {string[]} row */
  const line = (row) => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
