import type { YAMLMap, YAMLSeq} from 'yaml';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/**
 * specflow's entries in a hook manager's own config file — lefthook's `lefthook.yml` and the
 * pre-commit framework's `.pre-commit-config.yaml` — added beside the user's, never replacing
 * or reordering them, comments kept. Pure: text in, text out (undefined when nothing changes).
 *
 * Neither manager runs a hook file under the hook's own name, so the shim is run as a command
 * and told which hook it is: `sh <shim> hook <name> [git's arguments]`.
 */
export const MANAGED_HOOKS = ['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push'] as const;
export type ManagedHook = (typeof MANAGED_HOOKS)[number];
/** The name of specflow's command (lefthook) and the prefix of its hook ids (pre-commit). */
export const ENTRY_NAME = 'specflow';

export class HookConfigError extends Error {}

function parse(text: string, file: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new HookConfigError(`${file} does not parse (${doc.errors[0]!.message.split('\n')[0]}); fix it, then run specflow init again`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  if (!isMap(doc.contents)) throw new HookConfigError(`${file} is not a map of hooks; specflow added nothing to it`);
  return doc;
}

/** lefthook's `run` line for one hook: git's arguments are `{1}`, `{2}`. */
export function lefthookRun(shim: string, hook: ManagedHook): string {
  const args = hook === 'commit-msg' ? ' {1}' : hook === 'pre-push' ? ' {1} {2}' : '';
  return `sh ${shim} hook ${hook}${args}`;
}

/**
 * Adds a `specflow` command to each gate hook in lefthook's config: under `commands:` (every
 * lefthook version reads it), or as a job named `specflow` where the hook lists `jobs:`.
 * pre-push gets `use_stdin: true`, without which lefthook hands the command no list of refs.
 * A hook that already has an entry named specflow is left as it is. Returns the hooks changed.
 */
export function addToLefthook(text: string, shim: string, file: string): { text: string; hooks: ManagedHook[] } | undefined {
  const doc = parse(text, file);
  const root = doc.contents as YAMLMap;
  const hooks: ManagedHook[] = [];
  for (const hook of MANAGED_HOOKS) {
    const entry: Record<string, unknown> = { run: lefthookRun(shim, hook), ...(hook === 'pre-push' ? { use_stdin: true } : {}) };
    const found: unknown = root.get(hook, true);
    if (found === undefined || found === null || (isMap(found) && found.items.length === 0)) {
      root.set(hook, doc.createNode({ commands: { [ENTRY_NAME]: entry } }));
      hooks.push(hook);
      continue;
    }
    if (!isMap(found)) throw new HookConfigError(`${file}: ${hook} is not a map; specflow added nothing to it`);
    const section = found;
    const jobs = section.get('jobs', true);
    if (isSeq(jobs)) {
      if ((jobs as YAMLSeq).items.some((j) => isMap(j) && j.get('name') === ENTRY_NAME)) continue;
      (jobs as YAMLSeq).add(doc.createNode({ name: ENTRY_NAME, ...entry }));
      hooks.push(hook);
      continue;
    }
    let commands = section.get('commands', true);
    if (commands === undefined || commands === null) {
      section.set('commands', doc.createNode({}));
      commands = section.get('commands', true);
    }
    if (!isMap(commands)) throw new HookConfigError(`${file}: ${hook}.commands is not a map; specflow added nothing to it`);
    if ((commands as YAMLMap).has(ENTRY_NAME)) continue;
    (commands as YAMLMap).set(ENTRY_NAME, doc.createNode(entry));
    hooks.push(hook);
  }
  return hooks.length ? { text: doc.toString(), hooks } : undefined;
}

/**
 * The pre-commit framework's stage for each hook, in the names every version reads (3.2 and
 * later also accept the hook's own name). Its pre-push stage hands no stdin: the shim reads
 * `PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF` instead.
 */
export const PRE_COMMIT_STAGES: Record<ManagedHook, string> = {
  'pre-commit': 'commit',
  'pre-merge-commit': 'merge-commit',
  'commit-msg': 'commit-msg',
  'pre-push': 'push',
};

/** The hooks of specflow's `repo: local` entry; also the shape of the package's .pre-commit-hooks.yaml. */
export function preCommitHooks(entry: (hook: ManagedHook) => string, language: 'system' | 'script'): Record<string, unknown>[] {
  const one = (hook: ManagedHook, stages: ManagedHook[]) => ({
    id: `${ENTRY_NAME}-${hook}`,
    name: `specflow phase gate (${hook})`,
    entry: entry(hook),
    language,
    always_run: true,
    // commit-msg is handed the message file; the others work on the index or the pushed refs.
    pass_filenames: hook === 'commit-msg',
    stages: stages.map((s) => PRE_COMMIT_STAGES[s]),
  });
  return [one('pre-commit', ['pre-commit']), one('pre-merge-commit', ['pre-merge-commit']), one('commit-msg', ['commit-msg']), one('pre-push', ['pre-push'])];
}

/** The hook types the framework installs by default; specflow's need pre-commit, commit-msg and pre-push (pre-merge-commit too). */
const HOOK_TYPES = ['pre-commit', 'pre-merge-commit', 'commit-msg', 'pre-push'];

/**
 * Adds a `repo: local` entry holding specflow's hooks to `.pre-commit-config.yaml`, after the
 * user's repos, and adds the hook types it needs to `default_install_hook_types` (keeping the
 * user's), so that a plain `pre-commit install` installs them all. An existing hook id
 * `specflow-…` anywhere means it is already there. Returns undefined when nothing changes.
 */
export function addToPreCommit(text: string, shim: string, file: string): { text: string; types: string[] } | undefined {
  const doc = parse(text, file);
  const root = doc.contents as YAMLMap;
  let changed = false;
  let repos = root.get('repos', true);
  if (repos === undefined || repos === null) {
    root.set('repos', doc.createNode([]));
    repos = root.get('repos', true);
  }
  if (!isSeq(repos)) throw new HookConfigError(`${file}: repos is not a list; specflow added nothing to it`);
  const ours = (repos as YAMLSeq).items.some((r) => {
    const hooks = isMap(r) ? r.get('hooks', true) : undefined;
    return isSeq(hooks) && hooks.items.some((h) => isMap(h) && String(h.get('id')).startsWith(`${ENTRY_NAME}-`));
  });
  if (!ours) {
    (repos as YAMLSeq).add(doc.createNode({ repo: 'local', hooks: preCommitHooks((hook) => `sh ${shim} hook ${hook}`, 'system') }));
    changed = true;
  }
  const types = root.get('default_install_hook_types', true);
  const have = isSeq(types) ? types.items.map((t) => String(isScalar(t) ? t.value : t)) : ['pre-commit'];
  const missing = HOOK_TYPES.filter((t) => !have.includes(t));
  if (missing.length) {
    if (isSeq(types)) for (const t of missing) types.add(doc.createNode(t));
    else root.set('default_install_hook_types', doc.createNode([...have, ...missing]));
    changed = true;
  }
  return changed ? { text: doc.toString(), types: [...have, ...missing] } : undefined;
}
