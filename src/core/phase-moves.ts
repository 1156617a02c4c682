import type { LedgerFeature } from './ledger.js';
import type { LedgerDelta } from './ledger-delta.js';
import { isPhase, phaseIndex, type Phase } from './phase.js';

/**
 * The phase moves of a ledger delta, and their commit trailers. Kept apart from the gates so
 * that what needs only the moves (the commit-msg hook) does not load the markdown parser.
 */
export interface PhaseMove {
  id: string;
  from: Phase;
  to: Phase;
  /** `added`: a feature that enters the ledger beyond `none`. */
  kind: 'advanced' | 'reverted' | 'added';
}

export interface GatedMove extends PhaseMove {
  /** The feature's entry in the new ledger (spec_path, approval). */
  feature: LedgerFeature;
}

/** Every phase change of a delta; features registered at `none` and removed entries are not phase changes. */
export function phaseMoves(delta: LedgerDelta): PhaseMove[] {
  const moves: PhaseMove[] = [];
  for (const c of delta.changes) {
    if (c.kind === 'removed' || (c.kind === 'added' && c.to === 'none')) continue;
    moves.push(c.kind === 'added' ? { id: c.id, from: 'none', to: c.to, kind: 'added' } : { id: c.id, from: c.from, to: c.to, kind: c.kind });
  }
  return moves;
}

/** The forward moves, each with the entry whose documents its gates read. */
export function gatedMoves(delta: LedgerDelta): GatedMove[] {
  return phaseMoves(delta).flatMap((m) => {
    const feature = delta.after.get(m.id);
    return m.kind !== 'reverted' && feature ? [{ ...m, feature }] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// Trailers: `Specflow-Phase: F-12 specify -> plan`, one per phase change.

export const PHASE_TRAILER = 'Specflow-Phase';

export function trailerValue(move: Pick<PhaseMove, 'id' | 'from' | 'to'>): string {
  return `${move.id} ${move.from} -> ${move.to}`;
}

/** Does a commit's list of `Specflow-Phase` values record this move? */
export function hasTrailer(values: readonly string[], move: Pick<PhaseMove, 'id' | 'from' | 'to'>): boolean {
  const want = trailerValue(move);
  return values.some((v) => v.trim().replace(/\s+/g, ' ') === want);
}

/**
 * The trailers a commit should carry, given the ones its message already has and the moves it
 * makes against `HEAD`. An amended commit's message carries the trailers of the commit it
 * replaces, which ended at `HEAD`'s phases: those chain on with the new moves (an amend that
 * goes one phase further records the whole move; one that undoes it records none). Trailers that
 * do not end where `HEAD` stands are stale, from elsewhere: they are replaced.
 */
export function trailersFor(existing: readonly string[], moves: readonly PhaseMove[], phaseAtHead: (id: string) => Phase | undefined): PhaseMove[] {
  const chains = new Map<string, { from: Phase; to: Phase }>();
  for (const value of existing) {
    const m = /^(\S+)\s+(\S+)\s*->\s*(\S+)$/.exec(value.trim());
    if (!m || !isPhase(m[2]) || !isPhase(m[3])) return moves.slice();
    const chain = chains.get(m[1]!);
    if (chain && chain.to !== m[2]) return moves.slice();
    chains.set(m[1]!, { from: chain?.from ?? m[2], to: m[3] });
  }
  for (const [id, chain] of chains) if (phaseAtHead(id) !== chain.to) return moves.slice();
  const out: PhaseMove[] = [];
  const ids = new Set([...chains.keys(), ...moves.map((m) => m.id)]);
  for (const id of ids) {
    const chain = chains.get(id);
    const move = moves.find((m) => m.id === id);
    const from = chain?.from ?? move!.from;
    const to = move?.to ?? chain!.to;
    if (from === to) continue;
    out.push({ id, from, to, kind: phaseIndex(to) > phaseIndex(from) ? 'advanced' : 'reverted' });
  }
  return out;
}

/** The message without its `Specflow-Phase` trailer lines (the rest of the trailer block is kept). */
export function withoutPhaseTrailers(message: string): string {
  const lower = `${PHASE_TRAILER.toLowerCase()}:`;
  const lines = message.split('\n');
  const kept = lines.filter((line) => !line.toLowerCase().startsWith(lower));
  return kept.length === lines.length ? message : `${kept.join('\n').replace(/\n{3,}$/, '\n\n').replace(/\n+$/, '')}\n`;
}
