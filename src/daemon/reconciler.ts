import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PATH, type Config } from '../core/config.js';
import { SpecflowError } from '../core/errors.js';
import { error, type Finding } from '../core/finding.js';
import { findingCode } from '../core/finding-codes.js';
import type { LedgerFeature } from '../core/ledger.js';
import { initialState, type Action, type DaemonState, type LedgerAge, type Observation, type ReconcileResult, type Trigger } from '../core/reconcile-pass.js';
import { documentSettle, startPass, step, takeConfig, writeDecision } from '../core/reconcile-step.js';
import { documentsNeeded } from '../core/phase-check.js';
import { operationInProgress } from '../git/state.js';
import { configHash, PhaseVerdicts } from '../reconcile/phase-verdicts.js';
import { canonicalView, fixLedger, inspectLedger, inspectView } from '../reconcile/reconcile-ledger.js';
import { registerInText } from '../core/reconcile-register.js';
import { readConfig } from '../store/config-store.js';
import { ledgerFile, readLedgerText, replaceLedgerText } from '../store/ledger-store.js';
import { gatherSnapshot } from '../tree/specs-snapshot.js';
import { scanSpecsDir } from '../tree/specs-tree.js';
import { WorkingTree } from '../tree/working-tree.js';

export type { ReconcileResult } from '../core/reconcile-pass.js';

/**
 * The shell around the daemon's reconcile (core/reconcile-step.ts): it performs each action the
 * transition asks for — a stat, a read, a write through the ledger store, the gates — and feeds
 * back what it saw. Synchronous on purpose: a SIGTERM is handled between two reconciles, never
 * in the middle of a write. A ledger that cannot be read (a symlink or FIFO in its place, no
 * permission) is a problem the transition reports; anything untyped ends the reconcile.
 */
export class Reconciler {
  readonly tree: WorkingTree;
  private state: DaemonState;
  /** The gates' remembered verdicts, for the config they were made under. */
  private verdicts: { key: string | undefined | null; of: PhaseVerdicts | undefined } = { key: null, of: undefined };
  /** `folderPaths` of the current listing, kept while the listing stands. */
  private paths: { of: readonly unknown[] | undefined; paths: readonly string[] } = { of: undefined, paths: [] };

  constructor(
    readonly root: string,
    private readonly gitDir: string | undefined,
  ) {
    this.tree = new WorkingTree(root);
    this.state = initialState(root.replace(/\\/g, '/'));
  }

  get specsDir(): string {
    return this.state.config.config.specs_dir;
  }

  /** The feature folders of the last listing, for the watcher to follow (the same array while the listing stands). */
  get folderPaths(): readonly string[] {
    const folders = this.state.folders.list;
    if (this.paths.of !== folders) this.paths = { of: folders, paths: (folders ?? []).map((f) => f.path) };
    return this.paths.paths;
  }

  /** Reads the config before the first reconcile, so the watcher starts on the right specs_dir. */
  loadConfigNow(): void {
    this.state = takeConfig(this.state, this.config());
  }

  reconcile(trigger: Trigger): ReconcileResult {
    let t = startPass(this.state, trigger);
    for (;;) {
      this.state = t.state;
      if (t.action.kind === 'done') return t.action.result;
      t = step(this.state, this.perform(t.action));
    }
  }

  private perform(a: Exclude<Action, { kind: 'done' }>): Observation {
    switch (a.kind) {
      case 'read-config':
        return this.config();
      case 'look':
        return {
          kind: 'looked',
          operation: operationInProgress(this.gitDir),
          ledgerStamp: stamp(ledgerFile(this.root)),
          specsStamp: a.specsDir === undefined ? undefined : stamp(join(this.root, a.specsDir)),
        };
      case 'read':
        return attempt(() => ({ kind: 'read', text: a.ledger ? readLedgerText(this.root) : undefined, folders: a.listWith && scanSpecsDir(this.tree, a.listWith) }));
      case 'age':
        return { kind: 'age', ...this.age() };
      case 'snapshot':
        return attempt(() => ({ kind: 'snapshot', snapshot: gatherSnapshot(this.tree, a.config, a.features, a.folders, { naming: a.naming }) }));
      case 'replace':
        return attempt(() => ({ kind: 'replaced', ok: replaceLedgerText(this.root, a.expected, a.next) }));
      case 'judge':
        return attempt(() => this.judge(a));
      case 'gate':
        return { kind: 'gated', ...this.gate(a) };
    }
  }

  private config(): Extract<Observation, { kind: 'config' }> {
    const read = readConfig(this.root);
    if ('parsed' in read) return { kind: 'config', text: read.text, config: read.parsed.config, problem: undefined };
    const f = read.failure;
    const problem = f.findings[0] ?? error(findingCode(f.code, 'config.unreadable'), f.message, { file: CONFIG_PATH, ...(f.hint ? { hint: f.hint } : {}) });
    return { kind: 'config', text: read.text, config: undefined, problem };
  }

  private age(): LedgerAge {
    const now = Date.now();
    try {
      return { now, mtimeMs: statSync(ledgerFile(this.root)).mtimeMs };
    } catch {
      return { now, mtimeMs: undefined };
    }
  }

  /** The full path; a write waits while `writeDecision`, asked with the ledger's age under the lock, says so. */
  private judge(a: Extract<Action, { kind: 'judge' }>): Observation {
    if (!a.write) return { kind: 'judged', verdict: inspectLedger(this.tree, a.config, a.text, a.folders, a.held), postponedMs: 0 };
    const registered = this.register(a);
    if (registered) return registered;
    let postponedMs = 0;
    const verdict = fixLedger(
      this.tree,
      a.config,
      a.folders,
      (r) => {
        const d = writeDecision(this.state, r.repairs, this.age());
        postponedMs = Math.max(postponedMs, d.waitMs);
        return d.write;
      },
      a.held,
    );
    return { kind: 'judged', verdict, postponedMs };
  }

  /**
   * New folders registered into a known or canonical ledger without parsing or rendering it
   * whole (see core/reconcile-register.ts), written only if, under the lock, the ledger still reads the text
   * decided on. Undefined: the full path decides (another kind of repair, a text it cannot
   * splice into, a write that landed meanwhile).
   */
  private register(a: Extract<Action, { kind: 'judge' }>): Observation | undefined {
    // The ledger as this daemon last wrote or fully reconciled it (in a burst, every time) is
    // known without reading it again; any other text must be canonical to be read without YAML.
    const base = this.state.ledger.base;
    const view = base?.text === a.text ? { features: base.features.map((f) => ({ ...f })), findings: [], layout: undefined } : canonicalView(a.text);
    if (!view) return undefined;
    const verdict = inspectView(this.tree, a.config, view, a.text, a.folders, a.held);
    const { repairs, writable } = verdict.reconciliation;
    if (repairs.length === 0) return { kind: 'judged', verdict, postponedMs: 0 };
    const next = writable ? registerInText(a.text, view.features, repairs) : undefined;
    if (!next) return undefined;
    const d = writeDecision(this.state, repairs, this.age());
    if (!d.write) return { kind: 'judged', verdict, postponedMs: d.waitMs };
    if (!replaceLedgerText(this.root, a.text, next.text)) return undefined;
    return { kind: 'judged', verdict: { ...verdict, features: next.features, text: next.text, written: true }, postponedMs: 0 };
  }

  /**
   * The gates, where asked. A finding from a document saved a moment ago is held back and its
   * verdict forgotten, so the look again (after `unsettledMs`) judges the document once settled.
   */
  private gate(a: Extract<Action, { kind: 'gate' }>): { findings: Finding[]; unsettledMs?: number } {
    if (!this.verdicts.of || this.verdicts.key !== a.configKey) this.verdicts = { key: a.configKey, of: new PhaseVerdicts(this.tree, a.config, configHash(a.configKey), 'stat') };
    const verdicts = this.verdicts.of!;
    const out: Finding[] = [];
    let unsettledMs = 0;
    const now = Date.now();
    a.features.forEach((f: LedgerFeature, i) => {
      const known = verdicts.byFeature.get(f.id);
      if (!a.recheck[i] && known) {
        out.push(...known.findings);
        return;
      }
      const findings = verdicts.check(f);
      const wait = findings.length ? this.unsettled(f, a.config, now) : 0;
      if (wait === 0) out.push(...findings);
      else {
        verdicts.byFeature.delete(f.id);
        unsettledMs = Math.max(unsettledMs, wait);
      }
    });
    if (a.forgetOthers) verdicts.keepOnly(a.features.map((f) => f.id));
    return unsettledMs ? { findings: out, unsettledMs } : { findings: out };
  }

  /** How long until the documents the gates read for `f` have settled (0: they have). */
  private unsettled(f: LedgerFeature, config: Config, now: number): number {
    let wait = 0;
    for (const file of documentsNeeded(f.phase, config)) {
      let doc: { mtimeMs: number; empty: boolean } | undefined;
      try {
        const st = statSync(join(this.root, f.spec_path, file));
        doc = { mtimeMs: st.mtimeMs, empty: st.size === 0 };
      } catch {
        doc = undefined;
      }
      wait = Math.max(wait, documentSettle(doc, now).waitMs);
    }
    return wait;
  }
}

/** A typed failure becomes an observation; anything else is a bug and ends the reconcile. */
function attempt(run: () => Observation): Observation {
  try {
    return run();
  } catch (e) {
    if (e instanceof SpecflowError) return { kind: 'failed', error: e };
    throw e;
  }
}

/** A file's or folder's identity and last change, to tell whether it changed without reading it. */
function stamp(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return undefined;
  }
}
