import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import type { Finding } from '../core/finding.js';
import type { FeatureDocument } from '../core/gates.js';
import { LEDGER_PATH, type LedgerFeature } from '../core/ledger.js';
import { documentsNeeded, phaseAhead } from '../core/phase-check.js';
import { type WorkingTree } from '../tree/working-tree.js';
import { featureDocuments } from '../core/feature-documents.js';

/**
 * The "phase ahead of its documents" check, run once per feature and remembered: a verdict is
 * reused while its key — the feature's entry, the config and a fingerprint of each document the
 * gates read — stays the same. Parsing markdown is the expensive part of reconcile; this keeps
 * a second `doctor` on an unchanged tree, and the daemon's periodic pass, from doing it again.
 *
 * Fingerprints: `content` hashes the text (doctor: it reads each file anyway, and a hash cannot
 * be fooled by a preserved mtime); `stat` uses inode, size and times (the daemon: no read at all
 * for an unchanged file, and file events tell it what changed).
 */
export type FingerprintMode = 'content' | 'stat';

export interface Verdict {
  key: string;
  findings: Finding[];
}

/** Bumped when what a verdict holds or how its key is made changes. */
const VERDICT_VERSION = '3';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export function configHash(configText: string | undefined): string {
  return sha1(configText ?? '');
}

export class PhaseVerdicts {
  /** Verdicts by feature id; the persisted cache is exactly this map. */
  readonly byFeature: Map<string, Verdict>;
  parsed = 0;

  constructor(
    private readonly tree: WorkingTree,
    private readonly config: Config,
    private readonly configKey: string,
    private readonly mode: FingerprintMode,
    initial?: Map<string, Verdict>,
  ) {
    this.byFeature = initial ?? new Map<string, Verdict>();
  }

  check(f: LedgerFeature): Finding[] {
    const needed = new Set(documentsNeeded(f.phase, this.config).map((file) => `${f.spec_path}/${file}`));
    const read = new Map<string, FeatureDocument>();
    const prints = [...needed].map((rel) => {
      if (this.mode === 'stat') return statPrint(this.tree.root, rel);
      const doc = this.tree.readDocument(rel);
      read.set(rel, doc);
      return contentPrint(doc);
    });
    const approved = f.approved ? `${f.approved.by}\u0001${f.approved.at}` : '';
    // The entry's line is not part of the key: registering one feature shifts every line below it.
    const key = sha1([VERDICT_VERSION, this.configKey, f.id, f.spec_path, f.phase, approved, ...prints].join('\0'));
    const known = this.byFeature.get(f.id);
    if (known?.key === key) return known.findings.map((x) => (x.file === LEDGER_PATH && f.line > 0 && x.line !== f.line ? { ...x, line: f.line } : x));
    const docs = featureDocuments(f.spec_path, this.config, (rel) => {
      if (!needed.has(rel)) return { path: rel, text: undefined };
      return read.get(rel) ?? this.tree.readDocument(rel);
    });
    this.parsed++;
    const findings = phaseAhead(f, docs, this.config);
    this.byFeature.set(f.id, { key, findings });
    return findings;
  }

  /** Forgets features no longer in the ledger, so the map stays the size of the ledger. */
  keepOnly(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of this.byFeature.keys()) if (!keep.has(id)) this.byFeature.delete(id);
  }
}

function contentPrint(doc: FeatureDocument): string {
  if (doc.unreadable) return `unreadable:${doc.unreadable.code}`;
  if (doc.text === undefined) return 'missing';
  return sha1(doc.text);
}

function statPrint(root: string, rel: string): string {
  try {
    const st = statSync(join(root, rel), { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (e) {
    return `missing:${(e as NodeJS.ErrnoException).code ?? ''}`;
  }
}
