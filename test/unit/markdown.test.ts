import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseMarkdown, appliedLines } from '../../src/core/markdown.js';
import { headingKeys, normaliseName, principleRequirements, sectionRequirements } from '../../src/core/section-names.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/markdown/${name}`, import.meta.url), 'utf8');
const md = (...lines: string[]) => lines.join('\n') + '\n';
const section = (text: string, heading: string) => analyseMarkdown(text).sections.find((s) => s.text === heading);

describe('tasks', () => {
  const tasks = analyseMarkdown(fixture('tasks-mixed.md')).tasks;

  it('counts list items with [ ], [x] and [X], nested and ordered, with their lines', () => {
    const list = tasks.filter((t) => t.text.startsWith('T-') && t.line >= 10);
    expect(list).toEqual([
      { text: 'T-1 Parse the feed', checked: true, line: 12 },
      { text: 'T-1.1 Handle the header row', checked: true, line: 13 },
      { text: 'T-1.2 Reject rows without a height', checked: false, line: 14 },
      { text: 'T-2 Write the JSON file', checked: false, line: 15 },
      { text: 'T-3 Schedule the nightly rebuild', checked: false, line: 16 },
    ]);
  });

  it('never counts checkboxes inside fenced or indented code', () => {
    expect(tasks.some((t) => t.text.includes('example') || t.text.includes('indented'))).toBe(false);
    expect(tasks).toHaveLength(7);
  });

  it('reads task tables through a status column of ☐ / ✅', () => {
    expect(tasks.slice(0, 2)).toEqual([
      { text: 'T-1 | merged', checked: true, line: 7 },
      { text: 'T-2', checked: false, line: 8 },
    ]);
  });

  it('reads task tables whose first cell is the glyph, [ ] or [x]', () => {
    const o = analyseMarkdown(md('| Done | Task |', '|---|---|', '| ✅ | Ship it |', '| ☐ | Write docs |', '| [x] | Tag release |', '| [ ] | Announce |', '| ⬜ | Retire v1 |'));
    expect(o.tasks.map((t) => [t.text, t.checked, t.line])).toEqual([
      ['Ship it', true, 3],
      ['Write docs', false, 4],
      ['Tag release', true, 5],
      ['Announce', false, 6],
      ['Retire v1', false, 7],
    ]);
  });

  it('ignores tables without a status cell and words in columns not named status', () => {
    const o = analyseMarkdown(md('| Name | Note |', '|---|---|', '| T-1 | pending |', '| T-2 | done |'));
    expect(o.tasks).toEqual([]);
    const s = analyseMarkdown(md('| Task | Status |', '|---|---|', '| T-1 | pending |', '| T-2 | done |'));
    expect(s.tasks.map((t) => t.checked)).toEqual([false, true]);
  });

  it('counts headings that start with a checkbox', () => {
    const o = analyseMarkdown(md('# Tasks', '', '### [X] Task 1.1: Parse', '', '### [ ] Task 1.2: Render'));
    expect(o.tasks).toEqual([
      { text: 'Task 1.1: Parse', checked: true, line: 3 },
      { text: 'Task 1.2: Render', checked: false, line: 5 },
    ]);
  });

  it('counts headings that end with a checkbox', () => {
    const o = analyseMarkdown(md('# Tasks', '', '#### Task 2.1: Load the index [X]', '', '#### Task 2.2: Rank results [ ]', '', '## Notes [draft]'));
    expect(o.tasks).toEqual([
      { text: 'Task 2.1: Load the index', checked: true, line: 3 },
      { text: 'Task 2.2: Rank results', checked: false, line: 5 },
    ]);
  });

  it('does not take a bracket that is not a checkbox for a task', () => {
    const o = analyseMarkdown(md('- [link](http://example.com) text', '- [P] parallel marker', '- [x]no space'));
    expect(o.tasks).toEqual([]);
  });
});

describe('lines, front matter, BOM and CRLF', () => {
  it('skips YAML front matter but keeps the file’s line numbers', () => {
    const o = analyseMarkdown(fixture('plan-complete.md'));
    expect(o.title).toBe('Plan: Harbour Tide Tables');
    expect(o.titleLine).toBe(6);
    expect(o.sections.find((s) => s.text === '1. Data Model')?.line).toBe(12);
    // The placeholder-looking values in the front matter of the template are not findings.
    const t = analyseMarkdown(fixture('spec-template.md'));
    expect(t.placeholders.every((p) => p.line >= 6)).toBe(true);
    expect(t.placeholders[0]).toEqual({ line: 6, text: '[FEATURE_NAME]' });
  });

  it('accepts a BOM and CRLF line endings', () => {
    const text = '\uFEFF---\r\ntitle: x\r\n---\r\n# Tide Tables\r\n\r\n- [ ] first\r\n- [x] second\r\n\r\n## Notes\r\n\r\nTBD\r\n';
    const o = analyseMarkdown(text);
    expect(o.title).toBe('Tide Tables');
    expect(o.titleLine).toBe(4);
    expect(o.tasks).toEqual([
      { text: 'first', checked: false, line: 6 },
      { text: 'second', checked: true, line: 7 },
    ]);
    expect(o.placeholders).toEqual([{ line: 11, text: 'TBD' }]);
    expect(o.sections.map((x) => [x.line, x.endLine])).toEqual([[4, 11], [9, 11]]);
  });

  it('treats a leading --- without a closing line as markdown, not front matter', () => {
    const o = analyseMarkdown(md('---', '', '# Title', '', 'Body text.'));
    expect(o.title).toBe('Title');
    expect(o.titleLine).toBe(3);
  });
});

describe('sections and real content', () => {
  it('lists headings with level, text, line and body extent; a heading inside a fence is none', () => {
    const o = analyseMarkdown(md('# Title', '', '```md', '## Not a heading', '```', '', '## One', '', 'text', '', '### One.a', '', '## Two'));
    expect(o.sections.map((s) => [s.level, s.text, s.line, s.endLine])).toEqual([
      [1, 'Title', 1, 13],
      [2, 'One', 7, 12],
      [3, 'One.a', 11, 12],
      [2, 'Two', 13, 13],
    ]);
  });

  it('counts a parent filled when its content lives only in subsections', () => {
    const text = fixture('plan-complete.md');
    expect(section(text, 'Dependencies')?.filled).toBe(true);
    expect(section(text, 'External')?.filled).toBe(true);
  });

  it('does not count placeholders, TODO, TBD, comments or headings as real content', () => {
    const text = md(
      '# T',
      '## A',
      '[Describe the data model]',
      '## B',
      'TODO',
      '## C',
      'TBD',
      '## D',
      '<!-- write this later -->',
      '## E',
      '### E.1',
      '## F',
      '- [ ] [Testable criterion]',
      '## G',
      '<fill in>',
      '## H',
      '| Entity | Description |',
      '|---|---|',
      '| [Name] | [What it is] |',
      '## I',
      '```',
      '[ASCII diagram]',
      '```',
    );
    const o = analyseMarkdown(text);
    expect(o.sections.filter((s) => s.filled).map((s) => s.text)).toEqual([]);
    expect(o.hasContent).toBe(false);
  });

  it('counts prose, code, links, table rows and real task items as real content', () => {
    const o = analyseMarkdown(
      md('## A', 'Plain words.', '## B', '```ts', 'const x = 1;', '```', '## C', '[the RFC](https://example.com/rfc)', '## D', '| a |', '|---|', '| 42 |', '## E', '- [ ] Write it'),
    );
    expect(o.sections.map((s) => s.filled)).toEqual([true, true, true, true, true]);
  });

  it('hides everything inside a multi-paragraph HTML comment, headings included', () => {
    const o = analyseMarkdown(md('# T', '', '## Notes', '', '<!--', 'Fill this in.', '', '## Example', '', '- [ ] not a task', '-->', '', '## After', '', 'Real text.'));
    expect(o.sections.map((s) => s.text)).toEqual(['T', 'Notes', 'After']);
    expect(o.sections.map((s) => s.filled)).toEqual([true, false, true]);
    expect(o.tasks).toEqual([]);
  });

  it('takes the first level-1 heading as the title, else the first heading', () => {
    expect(analyseMarkdown(md('## Intro', '', '# Real Title')).title).toBe('Real Title');
    expect(analyseMarkdown(md('## Only a second level')).title).toBe('Only a second level');
    expect(analyseMarkdown(md('Just text.')).title).toBeUndefined();
    expect(analyseMarkdown(md('# [FEATURE_NAME]', '', '## Overview')).title).toBeUndefined();
    expect(analyseMarkdown(md('# Tides `v2` and [links](x)')).title).toBe('Tides v2 and links');
  });
});

describe('placeholders and clarification markers', () => {
  it('finds bracketed, angled, TODO and TBD placeholders with their lines', () => {
    const o = analyseMarkdown(md('# T', '', 'The store is [Describe the data model] for now.', 'Owner: <fill in>', '', 'Timeout: TBD', '', 'TODO: pick a retry policy', '', '[...]'));
    expect(o.placeholders).toEqual([
      { line: 3, text: '[Describe the data model]' },
      { line: 4, text: '<fill in>' },
      { line: 6, text: 'TBD' },
      { line: 8, text: 'TODO: pick a retry policy' },
      { line: 10, text: '[...]' },
    ]);
  });

  it('leaves tokens inside quoted example output and SpecFlow phase markers alone', () => {
    const o = analyseMarkdown(
      md('# T', '', 'The command prints "No services depend on <service>" and exits.', '', 'It logs “nothing cached for [region]” once.', '', '[PHASE COMPLETE: PLAN]', '', 'Owner: <fill in> "quoted"'),
    );
    expect(o.placeholders).toEqual([{ line: 9, text: '<fill in>' }]);
  });

  it('leaves a status note a tool wrote after real text alone, but not a blank that names what to write', () => {
    const o = analyseMarkdown(md('# T', '', '- [x] **Failure Test**: Confirmed [AI-evaluated]', '- Rows [auto-generated] nightly.', '', 'Store: [Entity-name]', 'Owner: [user-defined]', 'Kept: [Verified]', 'Stubs show a [stub] indicator and the [WIP] label.'));
    expect(o.placeholders).toEqual([
      { line: 6, text: '[Entity-name]' },
      { line: 8, text: '[Verified]' },
    ]);
  });

  it('takes TODO for a placeholder as a note or at the end of a line, not inside a sentence', () => {
    const o = analyseMarkdown(md('# T', '', 'Retry policy: TODO.', 'TODO(ann): choose a store', 'A TODO - pick one', 'The TODO app syncs.'));
    expect(o.placeholders).toEqual([
      { line: 3, text: 'TODO' },
      { line: 4, text: 'TODO(ann): choose a store' },
      { line: 5, text: 'TODO - pick one' },
    ]);
    expect(o.sections[0]?.filled).toBe(true);
  });

  it('leaves links, checkboxes, code, prose "todo", generics and HTML tags alone', () => {
    const o = analyseMarkdown(
      md(
        '# T',
        '',
        'See [the docs](https://example.com) and [the spec][ref].',
        '',
        '[ref]: https://example.com/spec',
        '',
        '- [x] done item',
        '- [ ] open item',
        '',
        'Our todo list app keeps a TODO list per user; items[i] and [y]es / [n]o prompts.',
        '',
        'Returns `[Entity]` and a `Map<string, Tide>`; a List<Tide> too; line<br>break.',
        '',
        'Order is [A, B, C] and see footnote[^1] or [1]; use [--force] rarely.',
        '',
        '> [!NOTE]',
        '> A note.',
        '',
        '```',
        '[Placeholder in code]',
        '<fill in>',
        'TODO: in code',
        '```',
      ),
    );
    expect(o.placeholders).toEqual([]);
    expect(o.clarifications).toEqual([]);
  });

  it('reports [NEEDS CLARIFICATION] markers separately, with their lines, across brackets inside them', () => {
    const o = analyseMarkdown(md('# T', '', 'Retention is [NEEDS CLARIFICATION: keep [raw] data for how long?] days.', '', '## [NEEDS CLARIFICATION]'));
    expect(o.clarifications).toEqual([
      { line: 3, text: '[NEEDS CLARIFICATION: keep [raw] data for how long?]' },
      { line: 5, text: '[NEEDS CLARIFICATION]' },
    ]);
    expect(o.placeholders).toEqual([]);
  });

  it('gives each placeholder of a long multi-line paragraph its own line, in linear time', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => (i % 2 === 0 ? `Row ${i} is [Describe row ${i}]` : `Row ${i} is fine`));
    const o = analyseMarkdown(md('# T', '', ...lines));
    expect(o.placeholders).toHaveLength(25_000);
    expect(o.placeholders[1]).toEqual({ line: 5, text: '[Describe row 2]' });
    expect(o.placeholders.at(-1)).toEqual({ line: 50_001, text: '[Describe row 49998]' });
  });

  it('finds placeholders in headings, table cells and list items, not in front matter', () => {
    const o = analyseMarkdown(fixture('spec-template.md'));
    expect(o.placeholders.map((p) => p.line)).toEqual([6, 10, 14, 15, 17]);
    expect(o.clarifications).toEqual([{ line: 21, text: '[NEEDS CLARIFICATION: which harbours are in scope?]' }]);
  });
});

describe('principles marked applied', () => {
  const reqs = principleRequirements(['Code before prompts', 'Deterministic where possible', 'CLI-first interfaces', 'Small modules'], {});

  it('sees ✅ in a table row, [x] on a list item and Yes on a line', () => {
    expect(appliedLines(analyseMarkdown(fixture('plan-complete.md')), reqs)).toEqual([48, 50, 51, undefined]);
  });

  it('does not count unmarked, unchecked or placeholder-marked principles', () => {
    const o = analyseMarkdown(
      md('- [ ] Code before prompts', '', '| Deterministic where possible | [Yes/No] |', '|---|---|', '', 'CLI-first interfaces are planned.', '', 'Small modules ❌ no'),
    );
    expect(appliedLines(o, reqs)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('matches names case-insensitively, ignoring punctuation, and accepts ✓, ✔ and headings', () => {
    const o = analyseMarkdown(md('### ✅ CODE BEFORE PROMPTS', '', '- **Deterministic, where possible** ✓', '', 'CLI first interfaces: ✔'));
    expect(appliedLines(o, reqs).slice(0, 3)).toEqual([1, 3, 5]);
  });

  it('keeps a mark on one line of a paragraph from applying to another', () => {
    const o = analyseMarkdown(md('Code before prompts', 'Small modules: yes'));
    expect(appliedLines(o, reqs)).toEqual([undefined, undefined, undefined, 2]);
  });
});

describe('section names', () => {
  it('normalises numbering, punctuation, "and" and plurals', () => {
    expect(normaliseName('3. Failure Modes')).toBe('failure mode');
    expect(normaliseName('2.1 Data Model')).toBe('data model');
    expect(normaliseName('Section 4: Testing Strategy')).toBe('testing strategy');
    expect(normaliseName('IV. Dependencies')).toBe('dependency');
    expect(normaliseName('API/Interface design')).toBe(normaliseName('API & Interface Design'));
    expect(normaliseName('API and Interface Design')).toBe(normaliseName('API Interface Design'));
    expect(normaliseName('Mid-level design')).toBe('mid level design');
  });

  it('lets a heading answer to its text without a parenthetical or a qualifier, not to a longer title', () => {
    expect(headingKeys('Data Model (draft)')).toContain('data model');
    expect(headingKeys('Failure modes: network')).toContain('failure mode');
    expect(headingKeys('Data Model Overview')).not.toContain('data model');
  });

  it('builds requirements with built-in and config aliases', () => {
    const [data] = sectionRequirements(['Data models'], { 'data model': ['Storage Layout'] });
    expect(data?.keys.has('schema')).toBe(true);
    expect(data?.keys.has('storage layout')).toBe(true);
    expect(data?.aliases).toContain('Storage Layout');
  });
});
