import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config, type Layout } from '../../src/core/config.js';
import { checkGate, type FeatureDocuments } from '../../src/core/gates.js';
import { PHASES } from '../../src/core/phase.js';
import { layoutProfile } from '../../src/core/profiles.js';

/**
 * A plan that fills in its layout's own template passes that layout's gates (issue: real
 * repositories). Each document below is written for this test with the headings each tool's
 * template gives, in the order it gives them, and invented content.
 */
const md = (...lines: string[]) => lines.join('\n') + '\n';
const section = (heading: string, body = 'Written out for this feature, with the details a reviewer needs.') => ['', heading, '', body];

const configFor = (layout: Layout): Config => ({ ...defaultConfig(), ...layoutProfile(layout) });

const TASKS_DONE = md('# Tasks', '', '- [x] 1. Build the parser', '  - [x] 1.1 Cover the edge cases', '- [x] 2. Wire the command');

/** What each layout's tools generate, filled in. */
const FILLED: Record<Layout, { spec: string; plan: string; tasks: string; files: [string, string, string] }> = {
  specflow: {
    files: ['spec.md', 'plan.md', 'tasks.md'],
    spec: md('# Specification: Harbour Tides', ...section('## Problem Statement'), ...section('## Users & Stakeholders'), ...section('## Functional Requirements')),
    plan: md(
      '# Technical Plan: Harbour Tides',
      ...section('## Architecture Overview'),
      ...section('## Technology Stack'),
      ...section(
        '## Constitutional Compliance',
        '- [x] **CLI-First:** one command per task\n- [x] **Library-First:** the parser is a module\n- [x] **Test-First:** fixtures of real feeds, written before the parser\n- [x] **Deterministic:** no clock in the parser\n- [x] **Code Before Prompts:** all of it is code',
      ),
      ...section('## Data Model'),
      ...section('### Entities'),
      ...section('## API Contracts'),
      ...section('## Implementation Strategy'),
      ...section('## File Structure'),
      ...section('## Risk Assessment'),
      ...section('## Failure Mode Analysis'),
      ...section('### How This Code Can Fail'),
      ...section('## Dependencies'),
      ...section('## Migration/Deployment'),
      ...section('## Estimated Complexity'),
    ),
    tasks: TASKS_DONE,
  },
  'spec-kit': {
    files: ['spec.md', 'plan.md', 'tasks.md'],
    spec: md('# Feature Specification: Harbour Tides', ...section('## User Scenarios & Testing'), ...section('## Requirements'), ...section('## Success Criteria')),
    plan: md(
      '# Implementation Plan: Harbour Tides',
      ...section('## Summary'),
      ...section('## Technical Context', '**Language/Version**: TypeScript 5\n**Testing**: vitest'),
      ...section('## Constitution Check'),
      ...section('## Project Structure', '```text\nsrc/\ntests/\n```\n\nOne package, as the tree shows.'),
      ...section('## Complexity Tracking'),
    ),
    tasks: md('# Tasks: Harbour Tides', '', '## Phase 1: Setup', '', '- [X] T001 Create the package', '- [X] T002 [P] [US1] Parse the feed in src/feed.ts'),
  },
  kiro: {
    files: ['requirements.md', 'design.md', 'tasks.md'],
    spec: md(
      '# Requirements Document',
      ...section('## Introduction'),
      '',
      '## Requirements',
      '',
      '### Requirement 1',
      '',
      '**User Story:** As a harbour master, I want tomorrow’s tides, so that I can plan berthing.',
      '',
      '#### Acceptance Criteria',
      '',
      '1. WHEN the feed is fetched THEN the system SHALL list each tide.',
    ),
    plan: md('# Design Document', ...section('## Overview'), ...section('## Architecture'), ...section('## Components and Interfaces'), ...section('## Data Models'), ...section('## Error Handling'), ...section('## Testing Strategy')),
    tasks: md('# Implementation Plan', '', '- [x] 1. Set up the package', '  - [x] 1.1 Write the parser', '- [ ]* 2. Add property tests', '- [x] 3. Wire the command'),
  },
  openspec: {
    files: ['proposal.md', 'design.md', 'tasks.md'],
    spec: md('## Why', '', 'Harbour masters plan berthing from tomorrow’s tides.', ...section('## What Changes', '- Add a tides command'), ...section('## Impact', '- Affected specs: tides')),
    plan: md('## Context', '', 'The feed is hourly.', ...section('## Goals / Non-Goals'), ...section('## Decisions'), ...section('## Risks / Trade-offs')),
    tasks: md('## 1. Implementation', '', '- [x] 1.1 Parse the feed', '- [x] 1.2 Add the command'),
  },
};

const docsOf = (layout: Layout, without: { plan?: boolean } = {}): FeatureDocuments => {
  const f = FILLED[layout];
  const dir = `features/${layout}`;
  return {
    spec: { path: `${dir}/${f.files[0]}`, text: f.spec },
    plan: { path: `${dir}/${f.files[1]}`, text: without.plan ? undefined : f.plan },
    tasks: { path: `${dir}/${f.files[2]}`, text: f.tasks },
  };
};

const subject = { id: 'harbour-tides', approved: { by: 'Ann Example <ann@example.com>', at: '2026-11-24T10:00:00Z' } };
const errorsUpTo = (layout: Layout, docs: FeatureDocuments) =>
  PHASES.slice(1).flatMap((p) => checkGate(p, subject, docs, configFor(layout)).filter((f) => f.severity === 'error').map((f) => `${p}: ${f.code} ${f.message}`));

describe('each layout’s filled-in templates pass its gates, up to complete', () => {
  it.each(['specflow', 'spec-kit', 'kiro', 'openspec'] as const)('%s', (layout) => {
    expect(errorsUpTo(layout, docsOf(layout))).toEqual([]);
  });

  it('OpenSpec: a change without design.md passes its plan gate (the design is optional there)', () => {
    expect(errorsUpTo('openspec', docsOf('openspec', { plan: true }))).toEqual([]);
  });

  it('SpecFlow’s profile is the seed’s: six topics and three principles, Test-First met by its checklist row marked applied, not by one left open', () => {
    const config = configFor('specflow');
    expect(config.gates.plan.sections).toEqual(defaultConfig().gates.plan.sections);
    expect(config.gates.plan.principles).toEqual(defaultConfig().gates.plan.principles);
    const docs = docsOf('specflow');
    const open = { ...docs, plan: { ...docs.plan, text: docs.plan.text!.replace('- [x] **Test-First:**', '- [ ] **Test-First:**') } };
    const found = checkGate('plan', subject, open, config).map((f) => `${f.code} ${f.message}`);
    expect(found.filter((c) => c.startsWith('plan.section.missing'))).toEqual(['plan.section.missing plan.md has no "Testing strategy" section']);
    // The row must say something after its label: a bare checked topic, or a template's placeholder, does not meet it.
    for (const row of ['- [x] **Test-First:**', '- [x] Testing strategy', '- [x] **Test-First:** [Testing strategy]']) {
      const bare = { ...docs, plan: { ...docs.plan, text: docs.plan.text!.replace(/- \[x\] \*\*Test-First:\*\*[^\n]*/, row) } };
      expect(checkGate('plan', subject, bare, config).map((f) => f.code), row).toContain('plan.section.missing');
    }
    const unmarked = { ...docs, plan: { ...docs.plan, text: docs.plan.text!.replace('- [x] **Deterministic:**', '- [ ] **Deterministic:**') } };
    expect(checkGate('plan', subject, unmarked, config).map((f) => f.code)).toEqual(['plan.principle.unmarked']);
  });

  it('a template left unfilled does not pass: placeholders are not content', () => {
    const docs = docsOf('specflow');
    const unfilled = { ...docs, plan: { ...docs.plan, text: docs.plan.text!.replace(/Written out for this feature[^\n]*/g, '[Describe this section]') } };
    expect(checkGate('plan', subject, unfilled, configFor('specflow')).map((f) => f.code)).toContain('plan.section.empty');
  });
});

describe('SpecFlow’s verify.md: a record of a passed verification, not of a failed or pending one', () => {
  const docs = docsOf('specflow');
  const open = { ...docs, tasks: { ...docs.tasks, text: md('# Tasks', '', '| Task | Status |', '|---|---|', '| T-1 Parse | ☐ |', '| T-2 Wire | ☐ |') } };
  const withVerify = (text: string): FeatureDocuments => ({ ...open, evidence: [{ path: 'features/specflow/verify.md', text }] });
  const completeErrors = (d: FeatureDocuments) => checkGate('complete', subject, d, configFor('specflow')).map((f) => f.code);

  it.each([
    ['a status line that passes', md('# Verification', '', '**Status:** ✅ PASS', '', 'All 12 smoke tests ran.')],
    ['checked rows and a status note a tool wrote', md('# Verification', '', '- [x] `bun test` — 408 pass, 0 fail', '- [x] **Failure Test**: Confirmed [AI-evaluated]')],
    ['the checked choice of a template’s status row', md('# Verification', '', 'Ran the import by hand.', '', '**Status:** [x] PASS / [ ] FAIL')],
  ])('counts %s', (_, text) => {
    expect(completeErrors(withVerify(text))).toEqual([]);
  });

  it.each([
    ['a failed status', md('# Verification', '', '**Status:** ❌ **FAIL** — foundation complete, integration incomplete', '', 'The provider is not wired.')],
    ['a failing result in a list', md('# Verification', '', '- **Result:** FAILED (3 of 12)')],
    ['the unchecked choice it left', md('# Verification', '', 'Ran the import by hand.', '', '**Status:** [ ] PASS / [x] FAIL')],
  ])('does not count %s, and says so: it keeps the feature from complete', (_, text) => {
    expect(completeErrors(withVerify(text))).toEqual(['tasks.unchecked', 'tasks.unchecked', 'evidence.failed']);
    // A failed verification holds even a fully checked task list back.
    expect(completeErrors({ ...withVerify(text), tasks: docs.tasks })).toEqual(['evidence.failed']);
  });

  it('a pending verdict (a template’s front matter left as it was) does not count, and does not hold a checked list back', () => {
    const pending = withVerify(md('---', 'status: "pending"', '---', '# Verification', '', '**Status:** [x] PASS / [ ] FAIL'));
    expect(checkGate('complete', subject, pending, configFor('specflow')).map((f) => `${f.severity} ${f.code} ${f.line}`)).toEqual([
      'error tasks.unchecked 5',
      'error tasks.unchecked 6',
      'warning evidence.unfinished 2',
    ]);
    expect(completeErrors({ ...pending, tasks: docs.tasks })).toEqual([]);
    // A failure anywhere outranks a pending verdict.
    expect(completeErrors(withVerify(md('---', 'status: pending', '---', '# Verification', '', 'Result: ❌ two tides missing')))).toContain('evidence.failed');
  });

  it('a record not filled in does not count: a warning says why, and the task list decides', () => {
    const unfinished = withVerify(md('# Verification', '', '**Command:** [paste actual command]'));
    expect(checkGate('complete', subject, unfinished, configFor('specflow')).map((f) => `${f.severity} ${f.code} ${f.line}`)).toEqual([
      'error tasks.unchecked 5',
      'error tasks.unchecked 6',
      'warning evidence.unfinished 3',
    ]);
    expect(completeErrors({ ...unfinished, tasks: docs.tasks })).toEqual([]);
  });

  it('ignores a verdict inside fenced code (an example of output)', () => {
    expect(completeErrors(withVerify(md('# Verification', '', 'Smoke test passed:', '', '```', 'Status: FAIL', '```')))).toEqual([]);
  });

  it('a passed verification meets the testing topic of a plan without a testing section; a failed one does not', () => {
    const plan = { ...docs.plan, text: docs.plan.text!.replace(/- \[x\] \*\*Test-First:\*\*[^\n]*\n/, '') };
    const judged = (verify: string) =>
      checkGate('plan', subject, { ...withVerify(verify), plan }, configFor('specflow')).map((f) => `${f.code} ${f.message}`);
    expect(judged(md('# Verification', '', '**Status:** ✅ PASS'))).toEqual([]);
    expect(judged(md('# Verification', '', '**Status:** ❌ FAIL'))).toEqual(['plan.section.missing plan.md has no "Testing strategy" section']);
  });
});
