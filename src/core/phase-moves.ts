import type { LedgerFeature } from './ledger.js';
import type { LedgerDelta } from './ledger-delta.js';
import type { Phase } from './phase.js';

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
