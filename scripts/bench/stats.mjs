// A/B measurement: the baseline and ours alternate (ABBA…), so drift in the machine's state
// touches both alike; each pair gives one ratio, and the budget is judged on their median.

/** @typedef {{ median: number, min: number, max: number }} Spread */

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** @param {number[]} xs @param {number} p a percentage, 0–100 */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** @param {number[]} xs @returns {Spread} */
export const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

/**
 * Runs `warmup` unmeasured pairs, then `pairs` measured ones. `baseline()` and `ours()` each
 * return milliseconds (or another cost); `between()` runs outside the measurement (resetting
 * state for the next run), told which side runs next.
 * @param {{
 *   pairs: number,
 *   warmup?: number,
 *   baseline: () => number,
 *   ours: () => number,
 *   between?: (side: 'baseline' | 'ours') => void,
 * }} options
 * @returns {{ baseline: Spread, ours: Spread, ratio: Spread }}
 */
export function abPairs({ pairs, warmup = 1, baseline, ours, between = () => {} }) {
  const a = [];
  const b = [];
  const ratios = [];
  for (let i = 0; i < warmup + pairs; i++) {
    let x;
    let y;
    if (i % 2 === 0) {
      between('baseline');
      x = baseline();
      between('ours');
      y = ours();
    } else {
      between('ours');
      y = ours();
      between('baseline');
      x = baseline();
    }
    if (i < warmup) continue;
    a.push(x);
    b.push(y);
    ratios.push(y / x);
  }
  return { baseline: spread(a), ours: spread(b), ratio: spread(ratios) };
}
