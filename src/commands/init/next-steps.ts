import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LEFTHOOK_FILES, PRE_COMMIT_FILE } from '../../git/hook-managers.js';
import { runGit } from '../../git/run.js';
import { loadLedger } from '../../store/ledger-store.js';
import { cloneAdvice } from './prepare-script.js';

/** The files init may create or change that belong in the repository. */
const COMMITTED = ['.maestro', '.gitattributes', '.husky', ...LEFTHOOK_FILES, PRE_COMMIT_FILE, 'package.json'];

/**
 * How init ends: what to commit (the files of specflow's that git shows as new or changed), what
 * to do next, and what a teammate's clone needs when `npm ci` cannot do it.
 */
export function nextSteps(root: string): string[] {
  const steps: string[] = [];
  const toCommit = changedPaths(root);
  if (toCommit.length) steps.push(`commit: git add ${toCommit.join(' ')} && git commit -m "Track feature phases with specflow"`);
  if (loadLedger(root).features.length) steps.push('then: `specflow next` names the feature to work on and the command that moves it on');
  else steps.push('then: `specflow add "<feature name>"` registers a feature; `specflow specify <id>` writes its spec');
  const clone = cloneAdvice(root);
  if (clone) steps.push(`teammates: ${clone}`);
  return steps;
}

function changedPaths(root: string): string[] {
  const present = COMMITTED.filter((p) => existsSync(join(root, p)));
  if (!present.length) return [];
  const r = runGit(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', ...present]);
  if (r.code !== 0) return [];
  const changed = r.stdout.split('\0').filter(Boolean).map((entry) => entry.slice(3));
  return present.filter((p) => changed.some((c) => c === p || c.startsWith(`${p}/`)));
}
