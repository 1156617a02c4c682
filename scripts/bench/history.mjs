// A history of commits that each move one feature's phase in the ledger, as a team using
// specflow makes them (with the commit-msg hook's trailer), written as one pack.
import { git } from './generate.mjs';
import { PackWriter } from './pack.mjs';

/** The next phase a commit gives a feature: forward through the gates, or back from implement. */
const NEXT = { none: 'specify', specify: 'plan', plan: 'tasks', tasks: 'implement', implement: 'tasks', complete: 'implement' };
const APPROVAL = '    approved: { by: Bench <bench@example.com>, at: 2026-11-24T10:00:00Z }\n';

/** Moves feature `id`'s phase in ledger text; returns the new text and the move. */
export function movePhase(text, id) {
  const start = text.indexOf(`\n  ${id}:\n`);
  if (start < 0) throw new Error(`${id} is not in the ledger`);
  const next = text.indexOf('\n  F-', start + 1);
  const end = next < 0 ? text.length : next;
  const block = text.slice(start, end);
  const m = /\n {4}phase: (\S+)\n/.exec(block);
  if (!m) throw new Error(`${id} has no phase line`);
  const from = m[1];
  const to = NEXT[from];
  let moved = block.replace(m[0], `\n    phase: ${to}\n`);
  if (to === 'plan' && !moved.includes('\n    approved:')) moved = moved.replace(/(\n {4}spec_path: [^\n]*\n)/, `$1${APPROVAL}`);
  return { text: text.slice(0, start) + moved + text.slice(end), from, to };
}

function lsTree(dir, env, rev) {
  return git(dir, ['ls-tree', '-z', rev], env)
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, , oid] = line.slice(0, tab).split(' ');
      return { mode, oid, name: line.slice(tab + 1) };
    });
}

/**
 * Adds `count` commits on top of `base` (a commit of `dir`), each moving one feature of an
 * `n`-feature ledger, on branch `ref`. Ledger versions are stored as deltas of the previous one,
 * with a full copy every 50 versions (git's own default depth). Returns the tip.
 */
export function ledgerHistory(dir, env, { base, n, count, ref }) {
  const root = lsTree(dir, env, `${base}^{tree}`);
  const maestro = lsTree(dir, env, `${base}:.maestro`);
  let text = git(dir, ['cat-file', 'blob', `${base}:.maestro/ledger.yaml`], env);
  const ledger = maestro.find((e) => e.name === 'ledger.yaml');
  if (!ledger) throw new Error(`${base} has no .maestro/ledger.yaml`);
  /** @type {{ oid: string, bytes: Buffer | undefined }} */
  let prev = { oid: ledger.oid, bytes: undefined };
  const pack = new PackWriter();
  /** @type {string} */
  let parent = base;
  for (let i = 0; i < count; i++) {
    const id = `F-${((i * 7) % n) + 1}`;
    const move = movePhase(text, id);
    text = move.text;
    const bytes = Buffer.from(text);
    const oid = prev.bytes && i % 50 !== 0 ? pack.blobDelta(prev.oid, prev.bytes, bytes) : pack.blob(bytes);
    prev = { oid, bytes };
    const maestroTree = pack.tree(maestro.map((e) => (e.name === 'ledger.yaml' ? { ...e, oid } : e)));
    const tree = pack.tree(root.map((e) => (e.name === '.maestro' ? { ...e, oid: maestroTree } : e)));
    const change = `${id} ${move.from} -> ${move.to}`;
    parent = pack.commit({ tree, parents: [parent], message: `Move ${change}\n\nSpecflow-Phase: ${change}\n`, time: 1764000000 + 60 * (i + 1) });
  }
  pack.store(dir, env);
  git(dir, ['update-ref', `refs/heads/${ref}`, parent], env);
  return parent;
}
