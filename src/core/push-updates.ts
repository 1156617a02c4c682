/**
 * What git tells a pre-push hook on stdin: one line per ref being pushed,
 * `<local ref> SP <local oid> SP <remote ref> SP <remote oid>`. An all-zero id (40 zeros in a
 * SHA-1 repository, 64 in a SHA-256 one) means "no such ref": a zero local id is a deletion,
 * a zero remote id a new ref on the remote.
 */
export interface PushUpdate {
  localRef: string;
  localOid: string;
  remoteRef: string;
  remoteOid: string;
  /** The remote ref is being deleted: nothing to check. */
  deletion: boolean;
  /** The remote does not have the ref yet. */
  newRef: boolean;
}

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
export const isZeroOid = (oid: string) => OID.test(oid) && /^0+$/.test(oid);

/** Parses the hook's whole stdin; lines that do not fit the format are returned as `malformed`. */
export function parsePushUpdates(input: string): { updates: PushUpdate[]; malformed: string[] } {
  const updates: PushUpdate[] = [];
  const malformed: string[] = [];
  for (const raw of input.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    // Ref names cannot hold spaces, so the last three fields are unambiguous.
    const parts = line.split(' ');
    if (parts.length < 4) {
      malformed.push(line);
      continue;
    }
    const remoteOid = parts.pop()!;
    const remoteRef = parts.pop()!;
    const localOid = parts.pop()!;
    const localRef = parts.join(' ');
    if (!OID.test(localOid) || !OID.test(remoteOid)) {
      malformed.push(line);
      continue;
    }
    updates.push({ localRef, localOid, remoteRef, remoteOid, deletion: isZeroOid(localOid), newRef: isZeroOid(remoteOid) });
  }
  return { updates, malformed };
}

/**
 * What git tells pre-receive on stdin (and update in its arguments): one line per ref,
 * `<old oid> SP <new oid> SP <ref>`. A zero new id deletes the ref; a zero old id creates it.
 */
export interface ReceivedUpdate {
  ref: string;
  oldOid: string;
  newOid: string;
  deletion: boolean;
  newRef: boolean;
}

export function receivedUpdate(oldOid: string, newOid: string, ref: string): ReceivedUpdate | undefined {
  if (!OID.test(oldOid) || !OID.test(newOid) || ref === '') return undefined;
  return { ref, oldOid, newOid, deletion: isZeroOid(newOid), newRef: isZeroOid(oldOid) };
}

export function parseReceivedUpdates(input: string): { updates: ReceivedUpdate[]; malformed: string[] } {
  const updates: ReceivedUpdate[] = [];
  const malformed: string[] = [];
  for (const raw of input.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const [oldOid = '', newOid = '', ...ref] = line.split(' ');
    const update = receivedUpdate(oldOid, newOid, ref.join(' '));
    if (update) updates.push(update);
    else malformed.push(line);
  }
  return { updates, malformed };
}
