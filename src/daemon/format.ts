import type { StatusReport } from './control.js';

/** Human text for `specflowd status`; the output module prints it. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = d ? [`${d}d`, `${h}h`] : h ? [`${h}h`, `${m}m`] : m ? [`${m}m`, `${s % 60}s`] : [`${s % 60}s`];
  return parts.join(' ');
}

export function formatStatus(s: StatusReport, now: number): string {
  const lines: string[] = [];
  if (s.running) lines.push(`specflowd is running in ${s.root} (pid ${s.pid}, up ${formatUptime(s.uptimeMs ?? 0)})`);
  else lines.push(`specflowd is not running in ${s.root}`);
  if (s.pausedFor) lines.push(`  repairs paused: ${s.pausedFor}`);
  const r = s.lastReconcile;
  if (r) {
    const ago = formatUptime(Math.max(0, now - Date.parse(r.at)));
    lines.push(`  last reconcile: ${ago} ago (${r.reason}), ${r.durationMs} ms, ${r.features} feature(s), ${r.repairs} repair(s)`);
  }
  if (s.running || s.reconciles) lines.push(`  repairs since start: ${s.repairs}; problems that need a human: ${s.problems}${s.problems ? ' (see `specflow doctor`)' : ''}`);
  if (s.lastError) lines.push(`  last error: ${s.lastError.message} (${s.lastError.at})`);
  if (s.board) lines.push(`  board: ${s.board}`);
  lines.push(`  log: ${s.log}`);
  if (!s.running) lines.push('  start it with `specflowd start`');
  return lines.join('\n');
}
