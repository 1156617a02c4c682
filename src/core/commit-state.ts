import { error, type Finding } from './finding.js';
import { REGULAR_MODES, TREE_MODE, type TreeEntry } from './git-format.js';

/**
 * What a commit (or the index) holds at `.maestro`, its ledger and its config, by mode. They must
 * be a directory and regular files: anything else — a symlink, a submodule, a file where the
 * directory should be — is unreadable state, never followed, and a commit that leaves it so is a
 * violation by itself.
 */
export const MAESTRO_DIR = '.maestro';
export const PREFIX_MAESTRO = '.maestro/';

export interface MaestroState {
  maestro?: TreeEntry | undefined;
  ledger?: TreeEntry | undefined;
  config?: TreeEntry | undefined;
}

const KINDS: Record<string, string> = { '120000': 'a symbolic link', '160000': 'a submodule', '40000': 'a directory', '100644': 'a file', '100755': 'a file' };
const kind = (mode: string) => KINDS[mode] ?? `an entry of mode ${mode}`;

export function stateFindings(state: MaestroState): Finding[] {
  if (state.maestro && state.maestro.mode !== TREE_MODE)
    return [
      error('maestro.not-a-directory', `.maestro is ${kind(state.maestro.mode)} in this commit, not a directory; specflow never follows it`, {
        file: MAESTRO_DIR,
        hint: 'Keep .maestro a plain directory holding ledger.yaml and config.yaml.',
      }),
    ];
  const out: Finding[] = [];
  if (state.ledger && !REGULAR_MODES.has(state.ledger.mode))
    out.push(error('ledger.not-a-file', `.maestro/ledger.yaml is ${kind(state.ledger.mode)} in this commit, not a regular file; it is not read`, { file: '.maestro/ledger.yaml', hint: 'Commit the ledger as a regular file.' }));
  if (state.config && !REGULAR_MODES.has(state.config.mode))
    out.push(error('config.not-a-file', `.maestro/config.yaml is ${kind(state.config.mode)} in this commit, not a regular file; it is not read`, { file: '.maestro/config.yaml', hint: 'Commit the config as a regular file.' }));
  return out;
}

/** Can the ledger (config) at this state be read: under a real `.maestro` directory and a regular file? */
export const readable = (state: MaestroState, which: 'ledger' | 'config'): boolean =>
  (!state.maestro || state.maestro.mode === TREE_MODE) && state[which] !== undefined && REGULAR_MODES.has(state[which].mode);
