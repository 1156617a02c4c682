import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GitObjects } from './objects.js';
import { runGit } from './run.js';

/**
 * A commit's signature as trusted approvals judge it (DESIGN §5): good only when git verifies it
 * against `.maestro/allowed_signers` as it was in the commit's parent (SSH keys), or, without
 * that file, against the keyring (GPG). The file is copied into the git directory for git to
 * read, and removed at once.
 */
export const ALLOWED_SIGNERS = '.maestro/allowed_signers';
let copies = 0;

export async function signatureStatus(root: string, objects: GitObjects, oid: string, parent: string | undefined): Promise<'good' | 'bad' | 'none'> {
  const signers = parent ? await objects.blob(`${parent}:${ALLOWED_SIGNERS}`) : undefined;
  const args = ['log', '-1', '--format=%G?', oid];
  if (!signers) return verdict(runGit(root, args).stdout);
  const gitDir = resolve(root, runGit(root, ['rev-parse', '--git-dir']).stdout.trim());
  const file = join(gitDir, `specflow-allowed-signers-${process.pid}-${++copies}`);
  try {
    writeFileSync(file, signers, { mode: 0o600 });
    return verdict(runGit(root, ['-c', `gpg.ssh.allowedSignersFile=${file}`, ...args]).stdout);
  } finally {
    rmSync(file, { force: true });
  }
}

/** `%G?`: G good and trusted; N none; anything else (bad, unknown key, expired, revoked) is not good. */
function verdict(out: string): 'good' | 'bad' | 'none' {
  const g = out.trim();
  return g === 'G' ? 'good' : g === 'N' || g === '' ? 'none' : 'bad';
}
