import type { CommandResult, FolderAdoption, InitResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { GLYPHS, PHASES, type Phase } from '../../core/phase.js';
import type { Style } from '../format.js';

export function initText({ data }: CommandResult<InitResult>, style: Style): string {
  const { layout } = data;
  const lines = [`specflow initialised in ${data.root} (${LAYOUT_NAMES[layout.layout] ?? layout.layout} layout: ${layout.specs_dir}/${FOLDER_FORMS[layout.id_scheme] ?? '<folder>'})`];
  for (const r of layout.roots) lines.push(`  also tracks ${printable(r.path)}/${r.qualifier ? ` (ids ${printable(r.qualifier)}/<id>)` : ''}${r.archive ? ' (archive: complete where they are)' : ''}`);
  for (const c of data.created) lines.push(`  created ${c}`);
  const left = data.principles_left_out;
  if (left)
    lines.push(
      `  left the principle(s) ${left.names.join(', ')} out of gates.plan.principles: none of the ${left.plans} plan(s) found marks them applied (list them there to require them of every plan)`,
    );
  lines.push(...describeAdoption(data, data.adopt_phases, style));
  for (const d of data.steps) lines.push(`  ${d}`);
  if (!data.created.length && !data.registered.length && !data.adopted.length && !data.steps.length) lines.push('  already set up; nothing to do');
  if (data.next.length) lines.push('', 'Next:', ...data.next.map((n, i) => `  ${i + 1}. ${n}`));
  return lines.join('\n');
}

const LAYOUT_NAMES: Record<string, string> = { specflow: 'SpecFlow', 'spec-kit': 'spec-kit', kiro: 'Kiro', openspec: 'OpenSpec' };
const FOLDER_FORMS: Record<string, string> = { specflow: 'f-<n>-slug', 'spec-kit': 'NNN-slug', name: '<name>' };

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

/** One line per phase, highest first: `● complete (12): 001, 002, …`. */
function byPhaseLines(items: readonly { id: string; phase: Phase }[]): string[] {
  return [...PHASES].reverse().flatMap((p) => {
    const ids = items.filter((i) => i.phase === p).map((i) => printable(i.id));
    return ids.length ? [`${GLYPHS[p]} ${p} (${ids.length}): ${ids.join(', ')}`] : [];
  });
}

/** What `init` made of an existing specs tree (README "Layouts and adoption"). */
function describeAdoption(a: FolderAdoption, adoptPhases: boolean, style: Style): string[] {
  const lines: string[] = [];
  const reg = a.registered;
  if (reg.length) {
    if (adoptPhases) {
      lines.push(`  registered ${reg.length} feature folder(s) at the phase their documents pass:`);
      for (const line of byPhaseLines(reg)) lines.push(`    ${line}`);
    }
    else {
      lines.push(`  registered ${reg.length} feature folder(s) at ○ none: ${reg.map((r) => printable(r.id)).join(', ')}`);
      const ahead = reg.filter((r) => r.passes !== 'none');
      if (ahead.length) {
        lines.push(`  their documents already pass: ${byPhase(ahead.map((r) => ({ id: r.id, phase: r.passes })))}`);
        lines.push(style.dim('  `specflow init --adopt-phases` records those phases.'));
      }
    }
    // Done by their task lists, held back by an earlier gate: most often plans written under other headings.
    const heldBack = reg.filter((r) => r.work_done && r.passes !== 'complete' && r.stopped_at);
    if (heldBack.length) {
      const codes = [...new Set(heldBack.flatMap((r) => r.stopped_at!.codes))].join(', ');
      lines.push(`  ${heldBack.length} feature(s) have every task checked but stop before a gate (${codes}): ${heldBack.map((r) => printable(r.id)).join(', ')}`);
      lines.push(
        style.dim(
          '  `specflow validate <id>` says what each lacks. If your plans name those topics otherwise, add aliases (or trim gates.plan.sections or principles) in .maestro/config.yaml, delete .maestro/ledger.yaml and run `specflow init --adopt-phases` again before the first commit.',
        ),
      );
    }
    const waiting = reg.filter((r) => r.stopped_at?.codes.length === 1 && r.stopped_at.codes[0] === 'spec.not-approved');
    if (waiting.length)
      lines.push(
        style.dim(`  ${waiting.length} stop(s) before ② plan only for want of an approval: \`specflow approve <id>\`, then \`specflow phase <id> <phase>\`.`),
      );
  }
  if (a.approved_by_adoption)
    lines.push(
      `  recorded the approval of ${a.approved_by_adoption.ids.length} spec(s) as adoption by ${printable(a.approved_by_adoption.by)} (approved.via: adopt), since their plans exist: ${a.approved_by_adoption.ids.map(printable).join(', ')}`,
    );
  for (const s of a.shared) lines.push(`  ${s.paths.length} folders share the number ${printable(s.id)}: each is tracked under its folder name (${s.paths.map(printable).join(', ')})`);
  if (a.adopted.length) lines.push(`  moved ${a.adopted.length} feature(s) from ○ none to the phase their documents pass: ${byPhase(a.adopted.map((x) => ({ id: x.id, phase: x.to })))}`);
  for (const i of a.ignored) lines.push(style.dim(`  ignored ${printable(i.path)}: ${i.reason}`));
  if (a.database) lines.push(`  found ${a.database}: \`specflow import ${a.database}\` brings its phases, priorities and skips over`);
  return lines;
}
