import { spawn, type ChildProcess } from 'node:child_process';
import { addFeature, newLedgerDocument, renderLedger } from '../../../src/core/ledger.js';
import { initRepo, LEDGER, type TestRepo } from '../../helpers/repo.js';

/**
 * Builders shared by the hardening tests: a ledger with many features whose text is canonical
 * (a writer's rewrite reproduces it byte for byte), a seeded random source so a failing run can
 * be replayed, and long-running child processes whose stdout is read line by line.
 */

/** A ledger of `size` features; each of `owned` carries `description: rev <n>` with n from `revs`. */
export function ledgerText(size: number, revs: Record<string, number> = {}): string {
  const doc = newLedgerDocument();
  for (let n = 1; n <= size; n++) {
    const id = `F-${n}`;
    addFeature(doc, id, {
      name: `Feature number ${n}`,
      phase: 'none',
      spec_path: `.specify/specs/f-${n}-feature-number-${n}`,
      ...(id in revs ? { description: `rev ${revs[id]}` } : {}),
    });
  }
  return renderLedger(doc);
}

/** An initialised repository (hooks installed, first commit made) whose ledger is `text`. */
export function repoWithLedger(text: string): TestRepo {
  const repo = initRepo();
  repo.write(LEDGER, text);
  return repo;
}

/** mulberry32: a tiny seeded generator; the seed is printed by the tests that use it. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFromEnv(): number {
  const fromEnv = Number(process.env.SPECFLOW_TEST_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1;
}

/** A child process whose stdout lines and stderr are collected as they arrive. */
export interface Child {
  proc: ChildProcess;
  lines: string[];
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, stdin: 'ignore' | 'pipe' = 'ignore'): Child {
  const proc = spawn(command, args, { env, cwd, stdio: [stdin, 'pipe', 'pipe'] });
  const child: Child = {
    proc,
    lines: [],
    stderr: '',
    exit: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let pending = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    child.lines.push(...parts);
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (child.stderr += chunk));
  return child;
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
