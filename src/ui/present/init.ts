import type { CommandResult, FolderAdoption, InitResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { GLYPHS, PHASES, type Phase } from '../../core/phase.js';
import type { Style } from '../format.js';

export function initText({ data }: CommandResult<InitResult>, style: Style): string {
  const { layout } = data;
  const where = layout.id_scheme === 'spec-kit' ? `spec-kit layout: ${layout.specs_dir}/NNN-slug` : `SpecFlow layout: ${layout.specs_dir}/f-<n>-slug`;
  const lines = [`specflow initialised in ${data.root} (${where})`];
  for (const c of data.created) lines.push(`  created ${c}`);
  lines.push(...describeAdoption(data, data.adopt_phases, style));
  for (const d of data.steps) lines.push(`  ${d}`);
  if (!data.created.length && !data.registered.length && !data.adopted.length && !data.steps.length) lines.push('  already set up; nothing to do');
  if (data.next.length) lines.push('', 'Next:', ...data.next.map((n, i) => `  ${i + 1}. ${n}`));
  return lines.join('\n');
}

/** `● complete: 001, 002 · ③ tasks: 003` */
function byPhase(items: readonly { id: string; phase: Phase }[]): string {
  return [...PHASES]
    .reverse()
    .map((p) => {
      const ids = items.filter((i) => i.phase === p).map((i) => printable(i.id));
      return ids.length ? `${GLYPHS[p]} ${p}: ${ids.join(', ')}` : '';
    })
    .filter(Boolean)
    .join(' · ');
}

/** What `init` made of an existing specs tree (README "Layouts and adoption"). */
function describeAdoption(a: FolderAdoption, adoptPhases: boolean, style: Style): string[] {
  const lines: string[] = [];
  const reg = a.registered;
  if (reg.length) {
    if (adoptPhases) lines.push(`  registered ${reg.length} feature folder(s) at the phase their documents pass: ${byPhase(reg)}`);
    else {
      lines.push(`  registered ${reg.length} feature folder(s) at ○ none: ${reg.map((r) => printable(r.id)).join(', ')}`);
      const ahead = reg.filter((r) => r.passes !== 'none');
      if (ahead.length) {
        lines.push(`  their documents already pass: ${byPhase(ahead.map((r) => ({ id: r.id, phase: r.passes })))}`);
        lines.push(style.dim('  `specflow init --adopt-phases` records those phases.'));
      }
    }
    const waiting = reg.filter((r) => r.stopped_at?.codes.length === 1 && r.stopped_at.codes[0] === 'spec.not-approved');
    if (waiting.length)
      lines.push(
        style.dim(`  ${waiting.length} stop(s) before ② plan only for want of an approval: \`specflow approve <id>\`, then \`specflow phase <id> <phase>\`.`),
      );
  }
  if (a.adopted.length) lines.push(`  moved ${a.adopted.length} feature(s) from ○ none to the phase their documents pass: ${byPhase(a.adopted.map((x) => ({ id: x.id, phase: x.to })))}`);
  for (const i of a.ignored) lines.push(style.dim(`  ignored ${printable(i.path)}: ${i.reason}`));
  if (a.database) lines.push(`  found ${a.database}: \`specflow import ${a.database}\` brings its phases, priorities and skips over`);
  return lines;
}
