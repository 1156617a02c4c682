import { lstatSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FeatureStatusResult, LogResult } from '../core/command-results.js';
import { CONFIG_PATH } from '../core/config.js';
import { SpecflowError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { featureView } from '../core/feature-view.js';
import { LEDGER_PATH, type LedgerFeature } from '../core/ledger.js';
import { validateFeature } from '../core/validate.js';
import type { BoardData } from '../board/model.js';
import { runGit } from '../git/run.js';
import { currentFeatureId } from '../store/current-feature.js';
import { openWorkspace, type Workspace } from '../tree/workspace.js';
import { log } from './log.js';
import { nextOf } from './next.js';
import { listedTasks } from './status.js';

/**
 * Everything the board shows, gathered through the same functions as `status <id>`, `validate`,
 * `next` and `log`, so that the board and the command line never disagree. Used by `specflow
 * board --out` and by specflowd, which keeps a `BoardCache` between builds: the ledger and
 * config are read again only when their files changed, a feature's documents judged again only
 * when its entry or one of its documents changed, and the history only when HEAD moved.
 */
export interface BoardCache {
  workspace: { stamp: string; ws: Workspace } | undefined;
  features: Map<string, { key: string; tasks: FeatureStatusResult['tasks']; findings: Finding[] }>;
  trail: { head: string; changes: LogResult['changes'] | null } | undefined;
  /** The current feature as last read. */
  current: string | undefined;
  /** Counts the builds that read something new: the same generation, the same board (the trail aside). */
  generation: number;
}

export function boardCache(): BoardCache {
  return { workspace: undefined, features: new Map(), trail: undefined, current: undefined, generation: 0 };
}

/**
 * The board; `withTrail: false` leaves the history out (`trail: null`), for the served board
 * page, which does not show it: judging a long history is the slowest part of a first build.
 */
export async function gatherBoard(root: string, cache: BoardCache = boardCache(), withTrail = true): Promise<BoardData> {
  const title = basename(root);
  const generatedAt = new Date().toISOString();
  let ws: Workspace;
  try {
    ws = workspace(root, cache);
  } catch (e) {
    if (!(e instanceof SpecflowError)) throw e;
    cache.generation++;
    return { title, generatedAt, features: [], next: { id: null }, trail: null, notes: e.findings, unreadable: { message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
  }
  const current = currentFeatureId(ws.root);
  if (current !== cache.current) {
    cache.current = current;
    cache.generation++;
  }
  const seen = new Set<string>();
  const features = ws.ledger.features.map((f) => {
    seen.add(f.id);
    return { ...featureView(f, current), ...judged(ws, f, cache) };
  });
  for (const id of cache.features.keys())
    if (!seen.has(id)) {
      cache.features.delete(id);
      cache.generation++;
    }
  return {
    title,
    generatedAt,
    features,
    next: nextOf(ws.ledger.features),
    trail: withTrail ? await boardTrail(root, cache) : null,
    notes: [...ws.configFindings, ...ws.ledger.findings],
    unreadable: null,
  };
}

/** The workspace, opened again only when the ledger or the config changed on disk. */
function workspace(root: string, cache: BoardCache): Workspace {
  const files = `${stamp(join(root, LEDGER_PATH))}|${stamp(join(root, CONFIG_PATH))}`;
  const kept = cache.workspace;
  if (kept?.stamp === files) return kept.ws;
  cache.workspace = undefined;
  const ws = openWorkspace(root);
  cache.workspace = { stamp: files, ws };
  cache.generation++;
  // Another config may change every verdict.
  cache.features.clear();
  return ws;
}

/** A feature's tasks (`status <id>`) and findings (`validate <id>`), kept while its entry and its documents stay as they were. */
function judged(ws: Workspace, f: LedgerFeature, cache: BoardCache): { tasks: FeatureStatusResult['tasks']; findings: Finding[] } {
  const g = ws.config.gates;
  const key = [JSON.stringify(f), ...[g.specify.file, g.plan.file, g.tasks.file].map((file) => stamp(join(ws.root, f.spec_path, file)))].join('|');
  const known = cache.features.get(f.id);
  if (known?.key === key) return known;
  const docs = ws.tree.featureDocuments(f.spec_path, ws.config);
  const result = { key, tasks: listedTasks(docs), findings: validateFeature(f, docs, ws.config, ws.root) };
  cache.features.set(f.id, result);
  cache.generation++;
  return result;
}

/** A file's identity and last change, without following it; '-' when it is not there. */
function stamp(path: string): string {
  try {
    const st = lstatSync(path, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return '-';
  }
}

/** `log --json`'s changes, judged again only when HEAD moved; null when the history cannot be read. */
export async function boardTrail(root: string, cache: BoardCache): Promise<LogResult['changes'] | null> {
  const head = runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  const at = head.code === 0 ? head.stdout.trim() : '';
  if (cache.trail?.head === at) return cache.trail.changes;
  let changes: LogResult['changes'] | null;
  try {
    changes = (await log({ cwd: root }, undefined)).data.changes;
  } catch {
    // A history git cannot read (a shallow clone's missing parent, a broken object) leaves the board without a trail, not without a board.
    changes = null;
  }
  cache.trail = { head: at, changes };
  return changes;
}
