import { describe, expect, it } from 'vitest';
import { decidesGates, gateConfig, gatedMoves, hasTrailer, judgeCommit, phaseMoves, trailerValue } from '../../src/core/commit-gate.js';
import { defaultConfig } from '../../src/core/config.js';
import type { FeatureDocuments } from '../../src/core/gates.js';
import { ledgerDelta, PreparedLedger } from '../../src/core/ledger-delta.js';
import { parsePushUpdates } from '../../src/core/push-updates.js';
import { CONFIG_PATH } from '../../src/core/config.js';
import { LEDGER_PATH } from '../../src/core/ledger.js';
import { STAGED_CONFIG, STAGED_LEDGER } from '../../src/hook/staged-reads.js';
import { GOOD_SPEC, goodPlan } from '../helpers/docs.js';

const DIR = '.specify/specs/f-12-vector-configuration';

function ledger(features: Record<string, { phase: string; approved?: boolean }>): PreparedLedger {
  const blocks = Object.entries(features).map(
    ([id, f]) =>
      `  ${id}:\n    name: Vector Configuration\n    phase: ${f.phase}\n    spec_path: ${DIR}\n` +
      (f.approved ? '    approved: { by: Ann <ann@example.com>, at: 2026-11-24T10:00:00Z }\n' : ''),
  );
  return new PreparedLedger(`version: 1\nfeatures:\n${blocks.join('\n')}`);
}

function docs(plan: string | undefined): FeatureDocuments {
  return {
    spec: { path: `${DIR}/spec.md`, text: GOOD_SPEC },
    plan: { path: `${DIR}/plan.md`, text: plan },
    tasks: { path: `${DIR}/tasks.md`, text: undefined },
  };
}

describe('judgeCommit', () => {
  const before = ledger({ 'F-12': { phase: 'specify', approved: true } });
  const after = ledger({ 'F-12': { phase: 'plan', approved: true } });

  it('holds a forward move whose documents pass every gate crossed', () => {
    const delta = ledgerDelta(before, after);
    const verdict = judgeCommit(delta, defaultConfig(), new Map([['F-12', docs(goodPlan())]]));
    expect(verdict.ok).toBe(true);
    expect(verdict.gates).toEqual([{ move: { id: 'F-12', from: 'specify', to: 'plan', kind: 'advanced' }, findings: [], held: true }]);
  });

  it('refuses a forward move whose plan lacks a section, with the findings', () => {
    const verdict = judgeCommit(ledgerDelta(before, after), defaultConfig(), new Map([['F-12', docs(goodPlan({ omit: 'Failure modes' }))]]));
    expect(verdict.ok).toBe(false);
    expect(verdict.gates[0]!.findings.map((f) => f.code)).toEqual(['plan.section.missing']);
  });

  it('needs no gate to move back, and records the move', () => {
    const verdict = judgeCommit(ledgerDelta(after, before), defaultConfig(), new Map());
    expect(verdict.ok).toBe(true);
    expect(verdict.moves).toEqual([{ id: 'F-12', from: 'plan', to: 'specify', kind: 'reverted' }]);
    expect(verdict.gates).toEqual([]);
  });

  it('checks a new feature entering beyond none from none, and ignores one registered at none', () => {
    const delta = ledgerDelta(ledger({}), ledger({ 'F-12': { phase: 'plan' }, 'F-13': { phase: 'none' } }));
    expect(gatedMoves(delta).map((m) => [m.id, m.from, m.to])).toEqual([['F-12', 'none', 'plan']]);
    const verdict = judgeCommit(delta, defaultConfig(), new Map([['F-12', docs(goodPlan())]]));
    expect(verdict.gates[0]!.findings.map((f) => f.code)).toEqual(['spec.not-approved']);
  });

  it('fails a gated move whose documents were not gathered (fail closed)', () => {
    const verdict = judgeCommit(ledgerDelta(before, after), defaultConfig(), new Map());
    expect(verdict.ok).toBe(false);
    expect(verdict.gates[0]!.findings.map((f) => f.code)).toContain('plan.missing');
  });

  it('blocks on ledger findings even without a phase move', () => {
    const broken = new PreparedLedger('version: 1\nfeatures:\n  F-12: [\n');
    const verdict = judgeCommit(ledgerDelta(before, broken), defaultConfig(), new Map());
    expect(verdict.ok).toBe(false);
    expect(verdict.blocking.map((f) => f.code)).toEqual(['ledger.unparsable']);
  });
});

describe('gateConfig', () => {
  const loose = 'require_approval: false\n';
  const broken = 'gates: [\n';
  const withLedger = (configText: string | undefined) => ({ hasLedger: true, configText });

  it('judges with the parent commit config, so a gate cannot be loosened and passed at once', () => {
    expect(gateConfig(withLedger(loose), [withLedger(undefined)]).config.require_approval).toBe(true);
    expect(gateConfig(withLedger(undefined), [withLedger(loose)]).config.require_approval).toBe(false);
  });

  it('uses the commit own config when no ancestor has a ledger (the commit that adopts specflow)', () => {
    expect(gateConfig(withLedger(loose), []).config.require_approval).toBe(false);
    expect(gateConfig(withLedger(loose), [{ hasLedger: false, configText: undefined }]).config.require_approval).toBe(false);
  });

  it('skips ancestors whose config cannot be used: break one commit, loosen the next, and the gates before the break still hold', () => {
    const ancestors = [withLedger(broken), withLedger(undefined)];
    expect(gateConfig(withLedger(loose), ancestors).config.require_approval).toBe(true);
    expect(ancestors.map(decidesGates)).toEqual([false, true]);
    expect(gateConfig(withLedger(loose), [withLedger(broken), withLedger('require_approval: "no"\n'), withLedger(loose)]).config.require_approval).toBe(false);
  });

  it('blocks every commit whose own config cannot be used, whether it brings it or leaves it so', () => {
    expect(gateConfig(withLedger(broken), [withLedger(loose)]).blocking.map((f) => f.code)).toEqual(['config.unparsable']);
    expect(gateConfig(withLedger(broken), [withLedger(broken)]).blocking.map((f) => f.code)).toEqual(['config.unparsable']);
    expect(gateConfig(withLedger('regression: maybe\n'), [withLedger(loose)]).blocking.map((f) => f.code)).toEqual(['config.invalid']);
    expect(gateConfig(withLedger(loose), [withLedger(broken)]).blocking).toEqual([]);
  });
});

describe('phase trailers', () => {
  it('formats one value per move and recognises it again', () => {
    const moves = phaseMoves(ledgerDelta(ledger({ 'F-12': { phase: 'specify' } }), ledger({ 'F-12': { phase: 'plan' } })));
    expect(moves.map(trailerValue)).toEqual(['F-12 specify -> plan']);
    expect(hasTrailer(['F-12  specify ->  plan'], moves[0]!)).toBe(true);
    expect(hasTrailer(['F-12 none -> plan'], moves[0]!)).toBe(false);
  });
});

describe('parsePushUpdates', () => {
  const a = 'a'.repeat(40);
  const z40 = '0'.repeat(40);
  const z64 = '0'.repeat(64);
  const b64 = 'b'.repeat(64);

  it('reads updates, new refs, deletions, both hash lengths and empty input', () => {
    const { updates, malformed } = parsePushUpdates(
      `refs/heads/main ${a} refs/heads/main ${a}\nHEAD~1 ${a} refs/heads/x ${z40}\n(delete) ${z40} refs/heads/old ${a}\nrefs/tags/v1 ${b64} refs/tags/v1 ${z64}\n\n`,
    );
    expect(malformed).toEqual([]);
    expect(updates.map((u) => [u.localRef, u.newRef, u.deletion])).toEqual([
      ['refs/heads/main', false, false],
      ['HEAD~1', true, false],
      ['(delete)', false, true],
      ['refs/tags/v1', true, false],
    ]);
    expect(parsePushUpdates('')).toEqual({ updates: [], malformed: [] });
  });

  it('returns lines it cannot read, so the hook can refuse', () => {
    expect(parsePushUpdates('refs/heads/main xyz refs/heads/main abc\n').malformed).toHaveLength(1);
    expect(parsePushUpdates('garbage\n').malformed).toEqual(['garbage']);
  });
});

describe('the hook entry', () => {
  it('reads the same paths as the rest of specflow (it spells them out to stay light)', () => {
    expect([STAGED_LEDGER, STAGED_CONFIG]).toEqual([LEDGER_PATH, CONFIG_PATH]);
  });
});
