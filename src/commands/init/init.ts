import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PATH } from '../../core/config.js';
import { renderConfig, writtenConfig, type ConfigProfile } from '../../core/config-text.js';
import { emptyLedgerText, LEDGER_PATH } from '../../core/ledger.js';
import { loadConfig } from '../../store/config-store.js';
import { WorkingTree } from '../../tree/working-tree.js';
import { installGitGate } from '../../git/hook-install.js';
import { createLedgerIfMissing } from '../../store/ledger-store.js';
import { checkMaestroDir } from '../../store/state-file.js';
import { findRepoRoot } from '../../tree/repo.js';
import type { CommandResult, InitResult } from '../../core/command-results.js';
import type { Context } from '../../ui/context.js';
import { adoptFolders, existingPlans } from './adopt-folders.js';
import { unpractisedPrinciples } from '../../core/adopt.js';
import { chooseLayout, type CandidateRoot } from '../../core/detect-layout.js';
import { gitIdentity } from '../../git/identity.js';
import { findCandidateRoots } from '../../tree/spec-roots.js';
import { maestroIgnoreText } from './maestro-ignore.js';
import { addSetupToPrepare } from './prepare-script.js';
import { nextSteps } from './next-steps.js';

/** The layout and roots a repository already uses (DESIGN §2), from the roots found in its tree. */
export function detectLayout(candidates: readonly CandidateRoot[]): ConfigProfile {
  return chooseLayout(candidates).profile;
}

export interface InitOptions {
  /** Record each registered feature at the phase its documents already pass (else `none`). */
  adoptPhases?: boolean;
  /** The time an adoption's approvals are recorded at (tests pass one). */
  now?: Date;
}

/** Extra set-up steps (hook installation, merge driver) plug in here; each returns what it did. */
export type InitStep = (root: string) => string[];
const steps: InitStep[] = [];
export function registerInitStep(step: InitStep): void {
  steps.push(step);
}
// The git gate (DESIGN §5): hook shims and the ledger merge driver.
registerInitStep(installGitGate);
// What a teammate's clone needs beyond git: `specflow setup` in the project's prepare script.
registerInitStep(addSetupToPrepare);

export function init(ctx: Context, options: InitOptions = {}): CommandResult<InitResult> {
  const root = findRepoRoot(ctx.cwd);
  const created: string[] = [];
  // Never through a `.maestro` that is a symlink or a file (exit 3).
  checkMaestroDir(root);
  mkdirSync(join(root, '.maestro'), { recursive: true });

  const candidates = findCandidateRoots(root);
  const adoptPhases = options.adoptPhases === true;
  const tree = new WorkingTree(root);
  let leftOut: InitResult['principles_left_out'] = null;
  if (!existsSync(join(root, CONFIG_PATH))) {
    let detected = detectLayout(candidates);
    // Adopting a history: principles none of its plans marks are not required (README "Layouts and adoption").
    const seed = writtenConfig(detected);
    const practice = adoptPhases ? unpractisedPrinciples(existingPlans(tree, seed), seed) : undefined;
    if (practice?.names.length) {
      detected = { ...detected, unpractised: practice.names };
      leftOut = practice;
    }
    writeFileSync(join(root, CONFIG_PATH), renderConfig(detected), { flag: 'wx' });
    created.push(CONFIG_PATH);
  }
  created.push(...updateMaestroIgnore(root));
  if (createLedgerIfMissing(root, emptyLedgerText())) created.push(LEDGER_PATH);

  const { config } = loadConfig(root);
  created.push(...createSpecsDir(root, config.specs_dir));
  const by = adoptPhases && config.require_approval ? gitIdentity(root) : undefined;
  const at = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const found = adoptFolders(root, tree, config, { adoptPhases, vouch: by ? { by, at } : undefined, candidates, onProgress: ctx.progress?.('init: registering feature folders') });

  const done = steps.flatMap((step) => step(root));
  return {
    exitCode: 0,
    data: {
      root,
      layout: { layout: config.layout, specs_dir: config.specs_dir, id_scheme: config.id_scheme, roots: config.roots },
      adopt_phases: adoptPhases,
      created,
      principles_left_out: leftOut,
      ...found,
      steps: done,
      next: nextSteps(root),
    },
  };
}

/** Writes `.maestro/.gitignore`, or adds what an older one lacks (user lines kept); a symlink or special file there is left alone. */
function updateMaestroIgnore(root: string): string[] {
  const ignore = join(root, '.maestro', '.gitignore');
  const st = lstatSync(ignore, { throwIfNoEntry: false });
  if (st && !st.isFile()) return [];
  const next = maestroIgnoreText(st ? readFileSync(ignore, 'utf8') : undefined);
  if (next === undefined) return [];
  writeFileSync(ignore, next);
  return st ? [] : ['.maestro/.gitignore'];
}

/**
 * The configured specs folder, made when it is missing, so that the daemon watches it from its
 * start and a user sees where features go. Empty: git keeps no empty folder, so a clone lacks
 * it until the first feature; the daemon waits for it through its parent (FolderAppears), and no
 * placeholder file is left among the feature folders.
 */
function createSpecsDir(root: string, specsDir: string): string[] {
  const abs = join(root, specsDir);
  if (lstatSync(abs, { throwIfNoEntry: false })) return [];
  mkdirSync(abs, { recursive: true });
  return [`${specsDir}/`];
}
