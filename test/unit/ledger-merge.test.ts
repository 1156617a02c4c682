import { describe, expect, it } from 'vitest';
import { LedgerSyntaxError, parseLedger } from '../../src/core/ledger.js';
import { mergeLedgers, TextMergeNeeded } from '../../src/core/ledger-merge.js';

const BASE = `# Phase ledger kept by specflow.
version: 1
features:
  # first feature
  F-1:
    name: Search
    phase: specify
    spec_path: .specify/specs/f-1-search

  F-2:
    name: Export
    phase: none
    spec_path: .specify/specs/f-2-export
    owner: bo # a field specflow does not know
`;

const phases = (text: string) => Object.fromEntries(parseLedger(text).features.map((f) => [f.id, f.phase]));

describe('mergeLedgers', () => {
  it('merges changes to different features cleanly, keeping comments and unknown fields', () => {
    const ours = BASE.replace('phase: specify', 'phase: plan');
    const theirs = BASE.replace('phase: none', 'phase: specify');
    const result = mergeLedgers(BASE, ours, theirs);
    expect(result.conflicts).toEqual([]);
    expect(phases(result.text)).toEqual({ 'F-1': 'plan', 'F-2': 'specify' });
    expect(result.text).toContain('# first feature');
    expect(result.text).toContain('owner: bo # a field specflow does not know');
  });

  it('merges different fields of one feature, and the same change made on both sides', () => {
    const ours = BASE.replace('phase: specify', 'phase: plan');
    const theirs = BASE.replace('name: Search', 'name: Full-text Search').replace('phase: specify', 'phase: plan');
    const result = mergeLedgers(BASE, ours, theirs);
    expect(result.conflicts).toEqual([]);
    expect(parseLedger(result.text).features[0]).toMatchObject({ name: 'Full-text Search', phase: 'plan' });
  });

  it('takes additions and removals from either side', () => {
    const ours = `${BASE}\n  F-3:\n    name: Import\n    phase: none\n    spec_path: .specify/specs/f-3-import\n`;
    const theirs = BASE.replace(/ {2}F-2:[\s\S]*$/, '');
    const result = mergeLedgers(BASE, ours, theirs);
    expect(result.conflicts).toEqual([]);
    expect(Object.keys(phases(result.text))).toEqual(['F-1', 'F-3']);
  });

  it('writes a readable conflict around the one feature both sides changed differently', () => {
    const ours = BASE.replace('phase: specify', 'phase: plan').replace('phase: none', 'phase: specify');
    const theirs = BASE.replace('phase: specify', 'phase: none');
    const result = mergeLedgers(BASE, ours, theirs);
    expect(result.conflicts).toEqual(['F-1']);
    expect(result.text).toContain('<<<<<<< ours (F-1 changed on both sides)\n  F-1:\n    name: Search\n    phase: plan\n');
    expect(result.text).toContain('=======\n  F-1:\n    name: Search\n    phase: none\n');
    expect(result.text).toMatch(/>>>>>>> theirs\n\n {2}F-2:\n {4}name: Export\n {4}phase: specify/);
    expect(() => parseLedger(result.text)).toThrow(LedgerSyntaxError);
  });

  it('marks a feature deleted on one side and changed on the other as a conflict', () => {
    const ours = BASE.replace(/ {2}F-2:[\s\S]*$/, '');
    const theirs = BASE.replace('phase: none', 'phase: specify');
    const result = mergeLedgers(BASE, ours, theirs);
    expect(result.conflicts).toEqual(['F-2']);
    expect(result.text).toMatch(/<<<<<<< ours \(F-2 changed on both sides\)\n=======\n {2}F-2:\n/);
  });

  it('leaves sides it cannot parse, and header conflicts, to a line merge', () => {
    expect(() => mergeLedgers(BASE, `${BASE}<<<<<<< x\n`, BASE)).toThrow(LedgerSyntaxError);
    const v = (n: number) => BASE.replace('version: 1', `version: 1\nextra: ${n}`);
    expect(() => mergeLedgers(BASE, v(2), v(3))).toThrow(TextMergeNeeded);
  });
});
