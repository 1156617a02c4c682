import { passedPhase, type Adoption } from '../../core/adopt.js';
import type { Config } from '../../core/config.js';
import { featureNameFromFolder } from '../../core/feature-name.js';
import { addFeature, updateFeature } from '../../core/ledger.js';
import { printable } from '../../core/printable.js';
import { surveyFolders } from '../../core/layout.js';
import { GLYPHS, PHASES, type Phase } from '../../core/phase.js';
import { matchKey } from '../../core/reconcile.js';
import type { WorkingTree } from '../../tree/working-tree.js';
import { updateLedger } from '../../store/ledger-store.js';
import { otherSpecRoots } from '../../tree/spec-roots.js';
import { scanSpecsDir } from '../../tree/specs-tree.js';
import type { Style } from '../../ui/format.js';

/**
 * The part of `init` that adopts an existing specs tree: registers every feature folder, works
 * out the phase its documents already pass, records that phase only with `--adopt-phases`, and
 * says what it left alone and why (README "Layouts and adoption").
 */
export interface RegisteredFeature {
  id: string;
  spec_path: string;
  /** The phase recorded in the ledger. */
  phase: Phase;
  /** The phase the documents pass today. */
  passes: Phase;
  /** The first gate that does not pass, and the codes of its errors. */
  stopped_at: { phase: Phase; codes: string[] } | null;
}

export interface FolderAdoption {
  /** A SpecFlow database found at the usual place, for `specflow import`. */
  database: string | null;
  registered: RegisteredFeature[];
  /** Features already in the ledger at `none` that `--adopt-phases` moved forward. */
  adopted: { id: string; from: Phase; to: Phase }[];
  ignored: { path: string; reason: string }[];
}

export function adoptFolders(root: string, tree: WorkingTree, config: Config, adoptPhases: boolean): FolderAdoption {
  const survey = surveyFolders(scanSpecsDir(tree, config), config.id_scheme);
  const ignored = [
    ...survey.ignored,
    ...survey.conflicts.flatMap((c) => c.paths.map((path) => ({ path, reason: `${c.paths.length} folders claim id ${c.id}; rename one, then run init again` }))),
    ...otherSpecRoots(root, config),
  ];
  const registered: RegisteredFeature[] = [];
  const adopted: FolderAdoption['adopted'] = [];
  const judge = (id: string, path: string, approved?: { by: string; at: string }): Adoption =>
    passedPhase({ id, approved }, tree.featureDocuments(path, config), config);
  updateLedger(root, (ledger, doc) => {
    const entries = new Map(ledger.features.map((f) => [matchKey(f.id), f]));
    for (const folder of survey.features) {
      const id = folder.id!;
      const entry = entries.get(matchKey(id));
      if (entry) {
        // Re-running with --adopt-phases moves features still at none; it never lowers a phase.
        if (!adoptPhases || entry.phase !== 'none' || entry.status || entry.spec_path !== folder.path) continue;
        const to = judge(entry.id, folder.path, entry.approved).phase;
        if (to === 'none') continue;
        updateFeature(doc, entry.id, { phase: to });
        adopted.push({ id: entry.id, from: 'none', to });
        continue;
      }
      const spec = tree.readDocument(`${folder.path}/${config.gates.specify.file}`);
      const name = featureNameFromFolder(folder.name, spec.text && !spec.unreadable ? spec.text : undefined);
      const adoption = judge(id, folder.path);
      const phase = adoptPhases ? adoption.phase : 'none';
      addFeature(doc, id, { name, phase, spec_path: folder.path });
      const stop = adoption.stoppedAt;
      registered.push({
        id,
        spec_path: folder.path,
        phase,
        passes: adoption.phase,
        stopped_at: stop ? { phase: stop.phase, codes: [...new Set(stop.findings.map((f) => f.code))] } : null,
      });
    }
  });
  const database = ['.specflow/features.db', 'features.db'].find((p) => 'real' in tree.resolve(p)) ?? null;
  return { database, registered, adopted, ignored };
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

/** Human lines for the init report. */
export function describeAdoption(a: FolderAdoption, adoptPhases: boolean, style: Style): string[] {
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
