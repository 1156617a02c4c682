import { basename } from 'node:path';
import type { LogResult } from '../core/command-results.js';
import { SpecflowError } from '../core/errors.js';
import { featureView } from '../core/feature-view.js';
import { validateFeature } from '../core/validate.js';
import type { BoardData } from '../board/model.js';
import { runGit } from '../git/run.js';
import { currentFeatureId } from '../store/current-feature.js';
import { openWorkspace } from '../tree/workspace.js';
import { log } from './log.js';
import { nextOf } from './next.js';
import { listedTasks } from './status.js';

/**
 * Everything the board shows, gathered through the same functions as `status <id>`, `validate`,
 * `next` and `log`, so that the board and the command line never disagree. Used by `specflow
 * board --out` and by specflowd, which keeps a `TrailCache` so that the history is judged again
 * only when HEAD moved.
 */
export interface TrailCache {
  head: string | undefined;
  changes: LogResult['changes'] | null;
}

export async function gatherBoard(root: string, cache?: TrailCache): Promise<BoardData> {
  const title = basename(root);
  const generatedAt = new Date().toISOString();
  let ws;
  try {
    ws = openWorkspace(root);
  } catch (e) {
    if (!(e instanceof SpecflowError)) throw e;
    return { title, generatedAt, features: [], next: { id: null }, trail: null, notes: e.findings ?? [], unreadable: { message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
  }
  const current = currentFeatureId(ws.root);
  const features = ws.ledger.features.map((f) => {
    const docs = ws.tree.featureDocuments(f.spec_path, ws.config);
    return { ...featureView(f, current), tasks: listedTasks(docs), findings: validateFeature(f, docs, ws.config, ws.root) };
  });
  return {
    title,
    generatedAt,
    features,
    next: nextOf(ws.ledger.features),
    trail: await trail(root, cache),
    notes: [...ws.configFindings, ...ws.ledger.findings],
    unreadable: null,
  };
}

async function trail(root: string, cache: TrailCache | undefined): Promise<LogResult['changes'] | null> {
  const head = runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  const at = head.code === 0 ? head.stdout.trim() : '';
  if (cache && cache.head === at) return cache.changes;
  let changes: LogResult['changes'] | null;
  try {
    changes = (await log({ cwd: root }, undefined)).data.changes;
  } catch {
    // A history git cannot read (a shallow clone's missing parent, a broken object) leaves the board without a trail, not without a board.
    changes = null;
  }
  if (cache) Object.assign(cache, { head: at, changes });
  return changes;
}
