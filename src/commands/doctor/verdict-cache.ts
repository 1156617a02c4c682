import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write.js';
import type { Verdict } from '../../reconcile/phase-verdicts.js';
import type { LedgerView } from '../../reconcile/reconcile-ledger.js';
import { ensureRunDir, runDir } from '../../store/run-dir.js';

/**
 * `doctor`'s memory between runs, in `.maestro/run/doctor-cache.json`: the parsed view of the
 * ledger keyed by the hash of its text (parsing a large ledger costs more than reading every
 * document), and the phase verdicts keyed by content (see PhaseVerdicts). A cache that is
 * missing, corrupt or from another version is ignored; it only ever saves work.
 */
const CACHE_FILE = 'doctor-cache.json';
const CACHE_VERSION = 2;

interface CacheFile {
  version: number;
  ledger?: { hash: string; view: LedgerView };
  verdicts: [string, Verdict][];
}

export interface DoctorCache {
  ledger?: { hash: string; view: LedgerView } | undefined;
  verdicts: Map<string, Verdict>;
}

export function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function loadDoctorCache(root: string): DoctorCache {
  try {
    const raw = JSON.parse(readFileSync(join(runDir(root), CACHE_FILE), 'utf8')) as CacheFile;
    if (raw.version !== CACHE_VERSION || !Array.isArray(raw.verdicts)) return { verdicts: new Map() };
    return { ledger: raw.ledger, verdicts: new Map(raw.verdicts) };
  } catch {
    return { verdicts: new Map() };
  }
}

/** Best effort: a read-only checkout still gets its diagnosis, just not a faster next one. */
export function saveDoctorCache(root: string, cache: DoctorCache): void {
  const file: CacheFile = { version: CACHE_VERSION, ...(cache.ledger ? { ledger: cache.ledger } : {}), verdicts: [...cache.verdicts] };
  try {
    writeFileAtomic(join(ensureRunDir(root), CACHE_FILE), JSON.stringify(file));
  } catch {
    /* the cache is an optimisation */
  }
}
