import { describe, expect, it } from 'vitest';
import { diffLedgers, transitionOf } from '../../src/core/ledger-diff.js';
import { phasesCrossed } from '../../src/core/phase.js';

describe('diffLedgers', () => {
  it('lists advances, reverts, additions and removals; nothing for an unchanged ledger', () => {
    const before = [
      { id: 'F-1', phase: 'specify' as const },
      { id: 'F-2', phase: 'plan' as const },
      { id: 'F-3', phase: 'tasks' as const },
    ];
    const after = [
      { id: 'F-1', phase: 'plan' as const },
      { id: 'F-2', phase: 'specify' as const },
      { id: 'F-4', phase: 'tasks' as const },
    ];
    expect(diffLedgers(before, after)).toEqual([
      { kind: 'advanced', id: 'F-1', from: 'specify', to: 'plan' },
      { kind: 'reverted', id: 'F-2', from: 'plan', to: 'specify' },
      { kind: 'added', id: 'F-4', to: 'tasks' },
      { kind: 'removed', id: 'F-3', from: 'tasks' },
    ]);
    expect(diffLedgers(before, before)).toEqual([]);
  });

  it('treats f-12 and F-12 as one feature', () => {
    expect(diffLedgers([{ id: 'f-12', phase: 'none' }], [{ id: 'F-12', phase: 'none' }])).toEqual([]);
  });

  it('a new feature entering at tasks crosses every gate from none', () => {
    const [change] = diffLedgers([], [{ id: 'F-4', phase: 'tasks' }]);
    const t = transitionOf(change!);
    expect(phasesCrossed(t.from, t.to)).toEqual(['specify', 'plan', 'tasks']);
  });
});
