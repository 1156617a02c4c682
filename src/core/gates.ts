import type { Config } from './config.js';
import type { Finding } from './finding.js';
import type { Phase } from './phase.js';

/**
 * The gates of DESIGN §1 as pure functions of already-read documents. Callers gather the
 * documents (from the working tree, the index being committed, or a commit's tree) and pass
 * them in; nothing here touches the file system or git.
 */
export interface FeatureDocument {
  /** Repo-relative POSIX path, used in findings. */
  path: string;
  /** The text, or undefined when the file does not exist. */
  text: string | undefined;
  /** Set when the file exists but could not be used (binary, too large, outside the repository, not UTF-8). */
  unreadable?: Finding;
}

export interface FeatureDocuments {
  spec: FeatureDocument;
  plan: FeatureDocument;
  tasks: FeatureDocument;
}

export interface GateSubject {
  id: string;
  approved?: { by: string; at: string } | undefined;
}

/** Findings that stand between `feature` and entering `phase`. `none` has no gate. */
export function checkGate(
  _phase: Phase,
  _feature: GateSubject,
  _docs: FeatureDocuments,
  _config: Config,
): Finding[] {
  throw new Error('not implemented');
}

/** Findings for moving from `from` to `to`: the gate of every phase crossed; none when moving back. */
export function checkTransition(
  _from: Phase,
  _to: Phase,
  _feature: GateSubject,
  _docs: FeatureDocuments,
  _config: Config,
): Finding[] {
  throw new Error('not implemented');
}
