import { CONFIG_PATH } from '../core/config.js';
import { LEDGER_PATH } from '../core/ledger.js';
import { RUN_DIR } from '../store/run-dir.js';

/**
 * What a file event means for reconcile. Pure: takes repo-relative POSIX paths. Events for the
 * daemon's own files (runtime folder, lock, temporary files) and editors' swap and backup files
 * mean nothing: reacting to them would make every save, and every write of the daemon itself,
 * cost a reconcile.
 */
export type Change =
  | { kind: 'ledger' }
  | { kind: 'config' }
  /** A folder appeared or vanished under `specs_dir`. */
  | { kind: 'folders' }
  /** Something changed inside a feature folder (repo-relative folder path). */
  | { kind: 'document'; folder: string }
  | { kind: 'none' };

const OWN_SUFFIXES = ['.lock', '.tmp', '.stale'];

/** Swap, backup and lock files of vim, emacs and others; never a feature document. */
export function isEditorArtifact(name: string): boolean {
  return (
    (name.startsWith('.') && /\.s[a-w][a-z]$/.test(name)) || // vim swap: .name.swp, .swo, … .saa, and its .swx probe
    name.endsWith('~') || // vim/emacs backup
    name === '4913' || // vim's write-permission probe
    name.startsWith('.#') || // emacs lock
    (name.startsWith('#') && name.endsWith('#')) || // emacs auto-save
    name === '.DS_Store' ||
    /^\.goutputstream-/.test(name) // GNOME's atomic-save temporary
  );
}

/** Paths the watcher should not even report. Never true for a directory the daemon must watch. */
export function isIgnoredPath(rel: string): boolean {
  if (rel === RUN_DIR || rel.startsWith(`${RUN_DIR}/`)) return true;
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (OWN_SUFFIXES.some((s) => name.endsWith(s))) return true;
  return isEditorArtifact(name);
}

export function classify(rel: string, specsDir: string): Change {
  if (isIgnoredPath(rel)) return { kind: 'none' };
  if (rel === LEDGER_PATH) return { kind: 'ledger' };
  if (rel === CONFIG_PATH) return { kind: 'config' };
  const prefix = `${specsDir}/`;
  if (rel === specsDir) return { kind: 'folders' };
  if (!rel.startsWith(prefix)) return { kind: 'none' };
  const rest = rel.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash === -1) return { kind: 'folders' };
  return { kind: 'document', folder: `${specsDir}/${rest.slice(0, slash)}` };
}

/** The changes collected between two reconciles. */
export interface PendingChanges {
  full: boolean;
  ledger: boolean;
  config: boolean;
  folders: boolean;
  documents: Set<string>;
  reasons: Set<string>;
}

export function noChanges(): PendingChanges {
  return { full: false, ledger: false, config: false, folders: false, documents: new Set(), reasons: new Set() };
}

export function addChange(p: PendingChanges, c: Change): boolean {
  switch (c.kind) {
    case 'none':
      return false;
    case 'ledger':
      p.ledger = true;
      break;
    case 'config':
      p.config = true;
      break;
    case 'folders':
      p.folders = true;
      break;
    case 'document':
      p.documents.add(c.folder);
      break;
  }
  p.reasons.add(c.kind);
  return true;
}
