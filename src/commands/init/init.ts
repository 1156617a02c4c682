import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PATH } from '../../core/config.js';
import { renderConfig, type ConfigProfile } from '../../core/config-text.js';
import { emptyLedgerText, LEDGER_PATH } from '../../core/ledger.js';
import { loadConfig } from '../../store/config-store.js';
import { WorkingTree } from '../../tree/working-tree.js';
import { installGitGate } from '../../git/hook-install.js';
import { createLedgerIfMissing } from '../../store/ledger-store.js';
import { findRepoRoot } from '../../tree/repo.js';
import type { CommandResult, InitResult } from '../../core/command-results.js';
import type { Context } from '../../ui/context.js';
import { adoptFolders } from './adopt-folders.js';

/** The layout a repository already uses: SpecFlow's `.specify/specs/` or spec-kit's `specs/NNN-slug/`. */
export function detectLayout(root: string): ConfigProfile {
  if (existsSync(join(root, '.specify', 'specs'))) return { specs_dir: '.specify/specs', id_scheme: 'specflow' };
  try {
    const numbered = readdirSync(join(root, 'specs'), { withFileTypes: true }).some((e) => e.isDirectory() && /^\d+-/.test(e.name));
    if (numbered) return { specs_dir: 'specs', id_scheme: 'spec-kit' };
  } catch {
    /* no specs/ folder */
  }
  return { specs_dir: '.specify/specs', id_scheme: 'specflow' };
}

export interface InitOptions {
  /** Record each registered feature at the phase its documents already pass (else `none`). */
  adoptPhases?: boolean;
}

/** Extra set-up steps (hook installation, merge driver) plug in here; each returns what it did. */
export type InitStep = (root: string) => string[];
const steps: InitStep[] = [];
export function registerInitStep(step: InitStep): void {
  steps.push(step);
}
// The git gate (DESIGN §5): hook shims and the ledger merge driver.
registerInitStep(installGitGate);

export function init(ctx: Context, options: InitOptions = {}): CommandResult<InitResult> {
  const root = findRepoRoot(ctx.cwd);
  const created: string[] = [];
  mkdirSync(join(root, '.maestro'), { recursive: true });

  if (!existsSync(join(root, CONFIG_PATH))) {
    writeFileSync(join(root, CONFIG_PATH), renderConfig(detectLayout(root)), { flag: 'wx' });
    created.push(CONFIG_PATH);
  }
  const ignore = join(root, '.maestro', '.gitignore');
  const ignoreText = existsSync(ignore) ? readFileSync(ignore, 'utf8') : undefined;
  if (ignoreText === undefined) {
    writeFileSync(ignore, 'run/\n');
    created.push('.maestro/.gitignore');
  } else if (!/^\/?run\/?\s*$/m.test(ignoreText)) {
    writeFileSync(ignore, `${ignoreText}${ignoreText.endsWith('\n') || ignoreText === '' ? '' : '\n'}run/\n`);
  }
  if (createLedgerIfMissing(root, emptyLedgerText())) created.push(LEDGER_PATH);

  const { config } = loadConfig(root);
  const tree = new WorkingTree(root);
  const adoptPhases = options.adoptPhases === true;
  const found = adoptFolders(root, tree, config, adoptPhases);

  const done = steps.flatMap((step) => step(root));
  return {
    exitCode: 0,
    data: {
      root,
      layout: { specs_dir: config.specs_dir, id_scheme: config.id_scheme },
      adopt_phases: adoptPhases,
      created,
      ...found,
      steps: done,
    },
  };
}
