import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/core/config.js';
import type { Finding } from '../../src/core/finding.js';
import { checkGate, checkTransition, type FeatureDocuments, type GateSubject } from '../../src/core/gates.js';
import { analyseMarkdown } from '../../src/core/markdown.js';
import { planTemplate, specTemplate } from '../../src/core/templates.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/markdown/${name}`, import.meta.url), 'utf8');
const md = (...lines: string[]) => lines.join('\n') + '\n';
const DIR = '.specify/specs/f-7-tide-tables';

const GOOD_SPEC = md('# Tide Tables', '', 'Harbour masters need tomorrow’s tides before 05:00 to plan berthing.');
const GOOD_PLAN = fixture('plan-complete.md');
const GOOD_TASKS = md('# Tasks', '', '- [x] Parse the feed', '- [ ] Publish the JSON');

function docs(texts: { spec?: string; plan?: string; tasks?: string } = {}): FeatureDocuments {
  return {
    spec: { path: `${DIR}/spec.md`, text: texts.spec },
    plan: { path: `${DIR}/plan.md`, text: texts.plan },
    tasks: { path: `${DIR}/tasks.md`, text: texts.tasks },
  };
}

const approved: GateSubject = { id: 'F-7', approved: { by: 'Ann Example <ann@example.com>', at: '2026-11-24T10:00:00Z' } };
const unapproved: GateSubject = { id: 'F-7' };
const codes = (fs: Finding[]) => fs.map((f) => f.code);
const withConfig = (change: (c: Config) => void) => {
  const c = defaultConfig();
  change(c);
  return c;
};
/** The default plan with one section's heading and body replaced. */
const planWith = (from: string, to: string) => {
  expect(GOOD_PLAN).toContain(from);
  return GOOD_PLAN.replace(from, to);
};

describe('specify gate', () => {
  it('passes a filled-in spec', () => {
    expect(checkGate('specify', approved, docs({ spec: GOOD_SPEC }), defaultConfig())).toEqual([]);
  });

  it('reports a missing spec with the feature, the path and a hint', () => {
    const [f, ...rest] = checkGate('specify', approved, docs(), defaultConfig());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', code: 'spec.missing', feature: 'F-7', file: `${DIR}/spec.md` });
    expect(f?.hint).toContain('specflow specify F-7');
  });

  it('fails a template-looking spec: each placeholder and clarification marker with its line', () => {
    const findings = checkGate('specify', approved, docs({ spec: fixture('spec-template.md') }), defaultConfig());
    expect(findings.filter((f) => f.code === 'spec.placeholder').map((f) => f.line)).toEqual([6, 10, 14, 15, 17]);
    const open = findings.filter((f) => f.code === 'spec.needs-clarification');
    expect(open).toEqual([expect.objectContaining({ severity: 'error', line: 21, file: `${DIR}/spec.md`, feature: 'F-7' })]);
    expect(open[0]?.message).toContain('which harbours');
    expect(findings.every((f) => f.severity === 'error' && f.hint)).toBe(true);
  });

  it('reports a spec with no title, and one with nothing but headings', () => {
    expect(codes(checkGate('specify', approved, docs({ spec: 'Some real words, but no heading.\n' }), defaultConfig()))).toEqual(['spec.title.missing']);
    expect(codes(checkGate('specify', approved, docs({ spec: md('# Tides', '', '## Overview', '', '<!-- later -->') }), defaultConfig()))).toEqual(['spec.empty']);
  });

  it('checks the sections the config requires of the spec', () => {
    const config = withConfig((c) => (c.gates.specify.sections = ['User Scenarios', 'Success criteria']));
    const spec = md('# Tides', '', 'Why it matters.', '', '## User scenarios', '', '<!-- to do -->');
    const findings = checkGate('specify', approved, docs({ spec }), config);
    // In reading order: what concerns the whole document first, then by line.
    expect(findings.map((f) => [f.code, f.line])).toEqual([
      ['spec.section.missing', undefined],
      ['spec.section.empty', 5],
    ]);
  });
});

describe('plan gate', () => {
  it('passes a complete plan for an approved spec', () => {
    expect(checkGate('plan', approved, docs({ spec: GOOD_SPEC, plan: GOOD_PLAN }), defaultConfig())).toEqual([]);
  });

  it('requires approval unless require_approval is false', () => {
    const d = docs({ spec: GOOD_SPEC, plan: GOOD_PLAN });
    const [f, ...rest] = checkGate('plan', unapproved, d, defaultConfig());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'spec.not-approved', feature: 'F-7', file: `${DIR}/spec.md` });
    expect(f?.hint).toContain('specflow approve F-7');
    expect(checkGate('plan', unapproved, d, withConfig((c) => (c.require_approval = false)))).toEqual([]);
  });

  it('reports a missing plan', () => {
    expect(codes(checkGate('plan', approved, docs({ spec: GOOD_SPEC }), defaultConfig()))).toEqual(['plan.missing']);
  });

  it('names each missing section, with the accepted aliases in the hint', () => {
    const plan = md('# Plan', '', 'Nothing structured yet.');
    const findings = checkGate('plan', approved, docs({ plan }), defaultConfig()).filter((f) => f.code === 'plan.section.missing');
    expect(findings.map((f) => f.message)).toEqual([
      'plan.md has no "Data models" section',
      'plan.md has no "API/Interface design" section',
      'plan.md has no "Error handling strategy" section',
      'plan.md has no "Failure modes" section',
      'plan.md has no "Dependencies" section',
      'plan.md has no "Testing strategy" section',
    ]);
    expect(findings[3]?.hint).toContain('Risk Assessment');
    expect(findings[3]?.hint).toContain('## Failure modes');
  });

  it('matches a numbered heading at another level, and an alias', () => {
    const numbered = planWith('## Risk Assessment', '### 3. Failure Modes');
    expect(checkGate('plan', approved, docs({ plan: numbered }), defaultConfig())).toEqual([]);
    const noAlias = planWith('## Risk Assessment', '## Hazards');
    expect(codes(checkGate('plan', approved, docs({ plan: noAlias }), defaultConfig()))).toEqual(['plan.section.missing']);
  });

  it('accepts an alias added in the config', () => {
    const plan = planWith('## Risk Assessment', '## Hazards');
    const config = withConfig((c) => (c.aliases = { 'failure modes': ['Hazards'] }));
    expect(checkGate('plan', approved, docs({ plan }), config)).toEqual([]);
  });

  it('reports a section holding only a placeholder as empty, at its heading, once (the placeholder is that same problem)', () => {
    const plan = planWith(
      '## Test Plan\n\nGolden files for three harbours; a property test that heights stay within the recorded range.\n',
      '## Test Plan\n\n[Describe the tests]\n',
    );
    const line = plan.split('\n').indexOf('## Test Plan') + 1;
    const findings = checkGate('plan', approved, docs({ plan }), defaultConfig());
    expect(findings.map((f) => [f.severity, f.code, f.line])).toEqual([['error', 'plan.section.empty', line]]);
    expect(findings[0]?.message).toContain('Testing strategy');
  });

  it('makes placeholders outside required sections warnings, and clarification markers errors anywhere', () => {
    const plan = planWith('## Overview\n', '## Overview\n\nOwner: <fill in>\n\nScope: [NEEDS CLARIFICATION: one harbour or all?]\n');
    const findings = checkGate('plan', approved, docs({ plan }), defaultConfig());
    expect(findings.map((f) => [f.severity, f.code])).toEqual([
      ['warning', 'plan.placeholder'],
      ['error', 'plan.needs-clarification'],
    ]);
  });

  it('reports each principle not marked as applied', () => {
    const plan = planWith('| Code before prompts | ✅ |', '| Code before prompts | planned |').replace('- [x] Deterministic', '- [ ] Deterministic');
    const findings = checkGate('plan', approved, docs({ plan }), defaultConfig());
    expect(findings.map((f) => f.code)).toEqual(['plan.principle.unmarked', 'plan.principle.unmarked']);
    expect(findings.map((f) => f.message)).toEqual([
      'Principle "Code before prompts" is not marked as applied',
      'Principle "Deterministic where possible" is not marked as applied',
    ]);
    const none = withConfig((c) => (c.gates.plan.principles = []));
    expect(checkGate('plan', approved, docs({ plan }), none)).toEqual([]);
  });

  it('fails a plan with no content when no sections are required', () => {
    const config = withConfig((c) => {
      c.gates.plan.sections = [];
      c.gates.plan.principles = [];
    });
    expect(codes(checkGate('plan', approved, docs({ plan: md('# Plan', '', '## Notes') }), config))).toEqual(['plan.empty']);
  });
});

describe('tasks, implement and complete gates', () => {
  it('reports a missing tasks file and one without task items', () => {
    expect(codes(checkGate('tasks', approved, docs(), defaultConfig()))).toEqual(['tasks.missing']);
    const onlyExample = md('# Tasks', '', '```', '- [ ] an example', '```');
    expect(codes(checkGate('tasks', approved, docs({ tasks: onlyExample }), defaultConfig()))).toEqual(['tasks.none']);
    expect(codes(checkGate('implement', approved, docs({ tasks: onlyExample }), defaultConfig()))).toEqual(['tasks.none']);
  });

  it('passes tasks and implement with any task item; complete needs every one checked', () => {
    const d = docs({ tasks: GOOD_TASKS });
    expect(checkGate('tasks', approved, d, defaultConfig())).toEqual([]);
    expect(checkGate('implement', approved, d, defaultConfig())).toEqual([]);
    const findings = checkGate('complete', approved, d, defaultConfig());
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'tasks.unchecked', line: 4, feature: 'F-7', file: `${DIR}/tasks.md` })]);
    expect(findings[0]?.message).toContain('Publish the JSON');
  });

  it('reports every unchecked item of a mixed task file, tables included, with its line', () => {
    const findings = checkGate('complete', approved, docs({ tasks: fixture('tasks-mixed.md') }), defaultConfig());
    expect(findings.map((f) => f.line)).toEqual([8, 14, 15, 16]);
    const done = md('# Tasks', '- [x] one', '  - [X] nested', '', '| Status | Task |', '|---|---|', '| ✅ | two |');
    expect(checkGate('complete', approved, docs({ tasks: done }), defaultConfig())).toEqual([]);
  });
});

describe('unreadable documents', () => {
  it('yields the document’s finding as an error for the feature, and the gate fails', () => {
    const d = docs({ tasks: GOOD_TASKS });
    d.tasks = { ...d.tasks, text: '', unreadable: { severity: 'warning', code: 'doc.binary', message: 'tasks.md is binary', file: `${DIR}/tasks.md` } };
    expect(checkGate('tasks', approved, d, defaultConfig())).toEqual([
      { severity: 'error', code: 'doc.binary', message: 'tasks.md is binary', file: `${DIR}/tasks.md`, feature: 'F-7' },
    ]);
  });
});

describe('transitions', () => {
  const all = docs({ spec: GOOD_SPEC, plan: GOOD_PLAN, tasks: GOOD_TASKS });

  it('none → plan checks the specify and the plan gates', () => {
    const d = docs({ spec: fixture('spec-template.md') });
    const found = new Set(codes(checkTransition('none', 'plan', unapproved, d, defaultConfig())));
    expect(found).toEqual(new Set(['spec.placeholder', 'spec.needs-clarification', 'spec.not-approved', 'plan.missing']));
    expect(checkTransition('none', 'plan', approved, all, defaultConfig())).toEqual([]);
  });

  it('moving backwards or nowhere has no findings, whatever the documents say', () => {
    expect(checkTransition('complete', 'specify', unapproved, docs(), defaultConfig())).toEqual([]);
    expect(checkTransition('plan', 'plan', unapproved, docs(), defaultConfig())).toEqual([]);
    expect(checkTransition('plan', 'none', unapproved, docs(), defaultConfig())).toEqual([]);
  });

  it('reports a finding repeated by later gates once', () => {
    const findings = checkTransition('plan', 'complete', approved, docs(), defaultConfig());
    expect(codes(findings)).toEqual(['tasks.missing']);
    expect(codes(checkTransition('tasks', 'complete', approved, all, defaultConfig()))).toEqual(['tasks.unchecked']);
  });

  it('uses an outline the caller attached instead of analysing the text again', () => {
    const d = docs({ tasks: 'not analysed\n' });
    d.tasks.outline = analyseMarkdown(GOOD_TASKS);
    expect(checkTransition('plan', 'tasks', approved, d, defaultConfig())).toEqual([]);
  });
});

describe('findings on a fresh template', () => {
  it('name each problem once, in reading order, principles on their rows, with no word said twice', () => {
    const spec = specTemplate({ id: 'F-7', name: 'Vector Configuration' }, defaultConfig());
    const plan = planTemplate({ id: 'F-7', name: 'Vector Configuration' }, defaultConfig());
    const onSpec = checkGate('specify', approved, docs({ spec }), defaultConfig());
    expect(onSpec.map((f) => f.code)).toEqual(onSpec.map(() => 'spec.placeholder'));
    const onPlan = checkGate('plan', approved, docs({ spec: GOOD_SPEC, plan }), defaultConfig()).filter((f) => f.severity === 'error');
    const lines = onPlan.map((f) => f.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(onPlan.filter((f) => f.code === 'plan.section.empty')).toHaveLength(defaultConfig().gates.plan.sections.length);
    expect(onPlan.filter((f) => f.code === 'plan.placeholder')).toEqual([]);
    const principles = onPlan.filter((f) => f.code === 'plan.principle.unmarked');
    expect(principles).toHaveLength(defaultConfig().gates.plan.principles.length);
    for (const f of principles) expect(plan.split('\n')[f.line! - 1]).toContain(/"(.*)"/.exec(f.message)![1]);
    for (const f of onPlan) expect(f.message).not.toMatch(/"([^"]+)" \(\1\)/);
  });

  it('says a missing document once: the path is the finding\'s file, not its message', () => {
    const [f] = checkGate('tasks', approved, docs({ spec: GOOD_SPEC, plan: GOOD_PLAN }), defaultConfig());
    expect(f).toMatchObject({ code: 'tasks.missing', file: `${DIR}/tasks.md`, message: 'the task list is not written yet' });
  });
});
