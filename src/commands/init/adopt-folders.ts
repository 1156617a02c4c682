import type { OnProgress } from '../../core/progress.js';
import { passedPhase, type Adoption } from '../../core/adopt.js';
import type { FolderAdoption, RegisteredFeature } from '../../core/command-results.js';
import type { Config } from '../../core/config.js';
import { featureNameFromFolder } from '../../core/feature-name.js';
import { addFeature, updateFeature } from '../../core/ledger.js';
import { surveyFolders } from '../../core/layout.js';
import { matchKey } from '../../core/reconcile.js';
import type { WorkingTree } from '../../tree/working-tree.js';
import { updateLedger } from '../../store/ledger-store.js';
import { otherSpecRoots } from '../../tree/spec-roots.js';
import { scanSpecsDir } from '../../tree/specs-tree.js';

/**
 * The part of `init` that adopts an existing specs tree: registers every feature folder, works
 * out the phase its documents already pass, records that phase only with `--adopt-phases`, and
 * says what it left alone and why (README "Layouts and adoption").
 */
export function adoptFolders(root: string, tree: WorkingTree, config: Config, adoptPhases: boolean, onProgress?: OnProgress): FolderAdoption {
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
    for (const [i, folder] of survey.features.entries()) {
      onProgress?.(i, survey.features.length);
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
    onProgress?.(survey.features.length, survey.features.length);
  });
  const database = ['.specflow/features.db', 'features.db'].find((p) => 'real' in tree.resolve(p)) ?? null;
  return { database, registered, adopted, ignored };
}
