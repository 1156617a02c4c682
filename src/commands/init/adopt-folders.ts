import type { OnProgress } from '../../core/progress.js';
import { adoptionPhase, workDone, type Adoption } from '../../core/adopt.js';
import type { FolderAdoption, RegisteredFeature } from '../../core/command-results.js';
import type { Config } from '../../core/config.js';
import { untrackedRoots, type CandidateRoot } from '../../core/detect-layout.js';
import { featureNameFromFolder } from '../../core/feature-name.js';
import { warning, hasErrors } from '../../core/finding.js';
import { checkGate, outlineOf, type FeatureDocuments } from '../../core/gates.js';
import type { MarkdownOutline } from '../../core/markdown.js';
import { addFeature, updateFeature, type Approval } from '../../core/ledger.js';
import { surveyFolders } from '../../core/layout.js';
import { matchKey } from '../../core/reconcile.js';
import type { WorkingTree } from '../../tree/working-tree.js';
import { updateLedger } from '../../store/ledger-store.js';
import { scanSpecsDir } from '../../tree/specs-tree.js';

export interface AdoptOptions {
  adoptPhases: boolean;
  /** Who runs `init --adopt-phases`, and when: under `require_approval`, their vouching for the history is recorded as the approval. */
  vouch?: { by: string; at: string } | undefined;
  /** The candidate roots found in the tree, to report the ones the config does not track. */
  candidates: readonly CandidateRoot[];
  onProgress?: OnProgress | undefined;
}

/** The outlines of the plans the feature folders under `config` hold, read one at a time. */
export function* existingPlans(tree: WorkingTree, config: Config): Generator<MarkdownOutline> {
  for (const f of surveyFolders(scanSpecsDir(tree, config), config.id_scheme).features) {
    const plan = outlineOf(tree.readDocument(`${f.path}/${config.gates.plan.file}`));
    if (plan) yield plan;
  }
}

/**
 * The part of `init` that adopts an existing specs tree: registers every feature folder of every
 * root, works out the phase its documents already pass, records that phase only with
 * `--adopt-phases`, and says what it left alone and why (README "Layouts and adoption").
 */
export function adoptFolders(root: string, tree: WorkingTree, config: Config, options: AdoptOptions): FolderAdoption {
  const survey = surveyFolders(scanSpecsDir(tree, config), config.id_scheme);
  const ignored = [...survey.ignored, ...untrackedRoots(options.candidates, config)];
  const findings = survey.shared.map((s) =>
    warning('folder.id.shared', `${s.paths.length} folders share the number ${s.id}; each is tracked under its whole folder name`, {
      file: s.paths[0]!,
      hint: `The folders: ${s.paths.join(', ')}. Their ids are their folder names, so no later folder can take one over; rename a folder only if its number should be its id.`,
    }),
  );
  const registered: RegisteredFeature[] = [];
  const adopted: FolderAdoption['adopted'] = [];
  const approvedByAdoption: string[] = [];
  /** Approval as adoption: the spec passes its gate and a plan was written after it. */
  const vouched = (id: string, docs: FeatureDocuments, approved: Approval | undefined): Approval | undefined => {
    if (approved || !options.adoptPhases || !options.vouch || !config.require_approval) return approved;
    if (docs.plan.text === undefined || hasErrors(checkGate('specify', { id }, docs, config))) return undefined;
    return { ...options.vouch, via: 'adopt' };
  };
  const judge = (id: string, docs: FeatureDocuments, approved?: Approval): Adoption => adoptionPhase({ id, approved }, docs, config);
  updateLedger(root, (ledger, doc) => {
    const entries = new Map(ledger.features.map((f) => [matchKey(f.id), f]));
    for (const [i, folder] of survey.features.entries()) {
      options.onProgress?.(i, survey.features.length);
      const id = folder.id!;
      const entry = entries.get(matchKey(id));
      const docs = tree.featureDocuments(folder.path, config);
      if (entry) {
        // Re-running with --adopt-phases moves features still at none; it never lowers a phase.
        if (!options.adoptPhases || entry.phase !== 'none' || entry.status || entry.spec_path !== folder.path) continue;
        const approved = vouched(entry.id, docs, entry.approved);
        const to = judge(entry.id, docs, approved).phase;
        if (to === 'none') continue;
        const record = approved !== undefined && approved !== entry.approved && to !== 'specify';
        updateFeature(doc, entry.id, record ? { phase: to, approved } : { phase: to });
        if (record) approvedByAdoption.push(entry.id);
        adopted.push({ id: entry.id, from: 'none', to });
        continue;
      }
      const spec = docs.spec;
      const name = featureNameFromFolder(folder.name, spec.text && !spec.unreadable ? spec.text : undefined);
      const approved = vouched(id, docs, undefined);
      const adoption = judge(id, docs, approved);
      const phase = options.adoptPhases ? adoption.phase : 'none';
      // An approval is recorded only where it carried the feature past specify.
      const keep = approved !== undefined && phase !== 'none' && phase !== 'specify';
      if (keep) approvedByAdoption.push(id);
      addFeature(doc, id, keep ? { name, phase, spec_path: folder.path, approved } : { name, phase, spec_path: folder.path });
      const stop = adoption.stoppedAt;
      registered.push({
        id,
        spec_path: folder.path,
        phase,
        passes: adoption.phase,
        stopped_at: stop ? { phase: stop.phase, codes: [...new Set(stop.findings.map((f) => f.code))] } : null,
        work_done: workDone(docs),
      });
    }
    options.onProgress?.(survey.features.length, survey.features.length);
  });
  const database = ['.specflow/features.db', 'features.db'].find((p) => 'real' in tree.resolve(p)) ?? null;
  return {
    database,
    registered,
    adopted,
    ignored,
    shared: survey.shared,
    approved_by_adoption: options.vouch && approvedByAdoption.length ? { by: options.vouch.by, ids: approvedByAdoption } : null,
    findings,
  };
}
