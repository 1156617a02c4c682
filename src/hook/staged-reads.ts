import { GitObjects } from '../git/objects.js';
import { gitLater, type GitResult } from '../git/run.js';

/**
 * What a commit hook reads first — `HEAD`, what the index changes against it, the index's ledger
 * and config, and (for commit-msg) `HEAD`'s ledger — requested from git at once. The bundled hook entry starts
 * this before it loads the checking code, so git works while node compiles the YAML parser and
 * the gates. This module must stay light: it imports only the cat-file reader and the process
 * runner (the paths are spelled out here for that reason; a unit test holds them equal to
 * LEDGER_PATH and CONFIG_PATH).
 */
export const STAGED_LEDGER = '.maestro/ledger.yaml';
export const STAGED_CONFIG = '.maestro/config.yaml';

export interface StagedReads {
  objects: GitObjects;
  head: Promise<string | undefined>;
  /** `HEAD`'s ledger by path, for commit-msg (pre-commit reads `HEAD` tree by tree, modes and all). */
  parentLedger: Promise<string | undefined> | undefined;
  ownLedger: Promise<string | undefined>;
  ownConfig: Promise<string | undefined>;
  /** `git diff-index --cached --raw -z HEAD`: every path the index adds, changes or removes against HEAD (not read by commit-msg). */
  changes: Promise<GitResult> | undefined;
}

export function startStagedReads(root: string, env: NodeJS.ProcessEnv = process.env, options: { changes?: boolean; parent?: boolean } = {}): StagedReads {
  const objects = new GitObjects(root, env);
  const reads: StagedReads = {
    objects,
    head: objects.oid('HEAD'),
    parentLedger: options.parent === false ? undefined : objects.text(`HEAD:${STAGED_LEDGER}`),
    ownLedger: objects.text(`:${STAGED_LEDGER}`),
    ownConfig: objects.text(`:${STAGED_CONFIG}`),
    changes: options.changes === false ? undefined : gitLater(root, ['diff-index', '--cached', '--raw', '-z', '--no-renames', '--no-abbrev', 'HEAD', '--'], env),
  };
  // Whoever uses the reads awaits them; a failure is reported there, not as an unhandled rejection.
  for (const p of [reads.head, reads.parentLedger, reads.ownLedger, reads.ownConfig]) p?.catch(() => undefined);
  return reads;
}
