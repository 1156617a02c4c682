/**
 * How headings and principle names are compared (DESIGN §2): case-insensitively, ignoring
 * leading numbering, punctuation, the word "and", and singular/plural. Pure string functions;
 * everything that is built from a config is cached per config object, so callers must treat a
 * Config as immutable once it has been used for a check.
 */

const LEADING_JUNK = /^[^\p{L}\p{N}]+/u;
/**
 * Leading numbering: `3.`, `2.1`, `4)`, `Section 4:`, `§3`, `IV.`, `A)`. Roman numerals and
 * single letters only count when followed by `.` or `)`, so `Mid-level design` keeps its `mid`.
 */
const NUMBERING =
  /^(?:(?:section|part|chapter|phase|step|§)\s*)?(?:\d+(?:[.-]\d+)*[.):]?(?=[\s\p{P}]|$)|[ivxlcdm]+[.)]|\p{L}[.)](?=\s))[\s\p{P}]*/u;
/** Chapter numbering as Japanese and Chinese documents write it: `第3章`, `第2節`, `第一部`. */
const CJK_NUMBERING = /^第\s*[\d〇一二三四五六七八九十百]+\s*[章節节部条項回]\s*[\s\p{P}]*/u;
const NON_WORD = /[^\p{L}\p{N}]+/u;
/** Parenthetical remarks: `Data Model (draft)`, `Testing [v2]`. */
const PARENTHETICAL = /\s*[([{][^)\]}]*[)\]}]/g;
/** Separators between a heading's name and a qualifier: `Failure modes: network`, `Data model — v2`. */
const SEPARATOR = /\s+[-–—|/]\s+|[:：]\s*(?=\S)|[:：]$/;

function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || word.endsWith('uses')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/**
 * Remembers a pure string function's answers, up to `limit` of them: headings, table headers
 * and principle lines repeat across a repository's documents, and `doctor` normalises the
 * headings of thousands of plans.
 */
function remembered<T>(fn: (text: string) => T, limit = 4096): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let answer = known.get(text);
    if (answer === undefined) {
      answer = fn(text);
      if (text.length > MAX_REMEMBERED) return answer;
      if (known.size >= limit) known.clear();
      // A copy as the key: the text is often a slice of a whole document, which V8 keeps alive
      // for as long as the slice lives.
      known.set(JSON.parse(JSON.stringify(text)) as string, answer);
    }
    return answer;
  };
}

/** Longer texts (a long table row) are normalised every time rather than remembered. */
const MAX_REMEMBERED = 200;

/** Lowercase words without punctuation, `and` or plural endings, joined by single spaces. */
export const normaliseWords = remembered(function normaliseWords(text: string): string {
  const out: string[] = [];
  for (const w of text.normalize('NFKC').toLowerCase().split(NON_WORD)) {
    if (w === '' || w === 'and') continue;
    out.push(singular(w));
  }
  return out.join(' ');
});

/** A section name as a heading would give it: numbering stripped, then {@link normaliseWords}. */
export function normaliseName(text: string): string {
  const lower = text.normalize('NFKC').toLowerCase().replace(LEADING_JUNK, '');
  return normaliseWords(lower.replace(CJK_NUMBERING, '').replace(NUMBERING, ''));
}

/**
 * The normalised names a heading answers to. Rule: a heading matches a section when, after
 * normalisation, its whole text, its text without parenthetical remarks, the part before its
 * first separator (`:`, ` - `, ` — `), or the part after it equals the section's name or an
 * alias. So `Data Model (draft)`, `Failure modes: network` and `Phase 1: Contracts` match, but
 * `Data Model Overview` does not: a heading that merely starts with a name is another topic.
 */
export const headingKeys: (text: string) => readonly string[] = remembered(function headingKeys(text: string): readonly string[] {
  const keys = new Set<string>();
  const add = (s: string) => {
    const k = normaliseName(s);
    if (k !== '') keys.add(k);
  };
  const body = text.normalize('NFKC').replace(LEADING_JUNK, '').replace(CJK_NUMBERING, '');
  add(body);
  const bare = body.replace(PARENTHETICAL, '');
  if (bare !== body) add(bare);
  const sep = SEPARATOR.exec(bare);
  if (sep) {
    add(bare.slice(0, sep.index));
    add(bare.slice(sep.index + sep[0].length));
  }
  return Object.freeze([...keys]);
});

/**
 * Built-in aliases: for each topic a profile requires, the headings real documents of that
 * layout use for it (README "Layouts and adoption" prints this table; config aliases add to it).
 * The seed's six plan topics first, each met by the headings of SpecFlow's own plan template
 * (Data Model, API Contracts, Failure Mode Analysis, Risk Assessment, …) and of Kiro's design
 * documents; then the topics of the spec-kit, Kiro and OpenSpec profiles.
 */
export const SECTION_ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    'Data models',
    [
      'Data Model', 'Data Models', 'Data Structures', 'Schema', 'Database Schema', 'Entities', 'Key Entities', 'Data Model Design', 'Domain Model',
      'Data Design', 'Data Schema', 'Data Flow', 'Types', 'Type Definitions', 'Storage', 'Data Storage', 'State Model', 'Data Sources', 'Schema Definition',
      'Database Design',
    ],
  ],
  [
    'API/Interface design',
    [
      'API Design', 'Interface Design', 'API Contracts', 'Contracts', 'Interfaces', 'CLI Interface', 'Public API', 'API', 'API Specification',
      'Interface Contracts', 'Command Line Interface', 'CLI Design', 'Components and Interfaces', 'Command Structure', 'Commands', 'CLI Commands',
      'API Endpoints', 'Endpoints', 'Tool Interface', 'Architecture', 'Architecture Overview', 'Technical Design', 'Core Interfaces', 'Module Architecture',
    ],
  ],
  [
    'Error handling strategy',
    [
      'Error Handling', 'Errors', 'Error Strategy', 'Error Model', 'Errors and Recovery', 'Error Cases', 'Error Recovery', 'Failure Handling',
      'Exception Handling', 'Failure Mode Analysis', 'How This Code Can Fail', 'Edge Cases', 'Risk Assessment', 'Risks and Mitigations',
    ],
  ],
  [
    'Failure modes',
    [
      'Failure Mode Analysis', 'Risk Assessment', 'Risks', 'Failure Scenarios', 'Edge Cases and Failure Modes', 'Failure Analysis', 'Risk Analysis',
      'Risks and Mitigations', 'How This Code Can Fail', 'Assumptions That Could Break', 'Blast Radius', 'Risks / Trade-offs', 'Trade-offs', 'Edge Cases',
    ],
  ],
  [
    'Dependencies',
    ['External Dependencies', 'Prerequisites', 'Internal Dependencies', 'Technical Dependencies', 'Third-Party Dependencies', 'Runtime Dependencies', 'Integration Points'],
  ],
  [
    'Testing strategy',
    [
      'Testing', 'Test Plan', 'Test Strategy', 'Verification', 'Tests', 'Testing Approach', 'Testing Plan', 'Verification Plan', 'Quality Assurance',
      'Test Cases', 'Validation Checklist', 'Manual Test Matrix', 'Verification Checklist', 'Unit Tests', 'Integration Tests', 'Test Coverage',
      'Acceptance Tests', 'Validation', 'Test-First', 'Test First', 'Testing and Validation', 'Testing and Verification',
    ],
  ],
  // spec-kit's plan template.
  ['Summary', ['Overview', 'Executive Summary']],
  ['Technical Context', ['Technical Approach', 'Technology Stack', 'Tech Stack']],
  ['Constitution Check', ['Constitutional Compliance', 'Constitution Compliance', 'Constitution Gates']],
  ['Project Structure', ['File Structure', 'Source Code', 'Structure', 'Files', 'Directory Structure']],
  // Kiro's requirements and design documents.
  ['Introduction', ['Overview', 'Summary']],
  ['Requirements', ['Functional Requirements', 'User Stories']],
  ['Overview', ['Summary', 'Introduction']],
  ['Architecture', ['High-Level Architecture', 'System Architecture', 'Architecture Overview', 'Design']],
  ['Components and interfaces', ['Components', 'Component Design', 'Interfaces', 'API Design', 'Components and Interface']],
  // OpenSpec's proposal and design documents.
  ['Why', ['Motivation', 'Problem', 'Background', 'Summary', 'Rationale', 'Problem Statement']],
  ['What changes', ['Changes', 'Proposed Changes', 'Scope', 'Solution', 'Proposal', 'Implementation Approach', 'What Changes']],
  ['Context', ['Background', 'Overview', 'Problem', 'Goals / Non-Goals', 'Goals']],
  ['Decisions', ['Design Decisions', 'Key Decisions', 'Approach', 'Proposed Changes', 'Decision', 'Design', 'Technical Decisions']],
];

/** Built-in aliases for the default principles, matching the labels SpecFlow's own plan template uses. */
const PRINCIPLE_ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['CLI-first interfaces', ['CLI-first', 'CLI-first design']],
  ['Deterministic where possible', ['Deterministic', 'Deterministic behaviour', 'Deterministic behavior']],
];

/** A required section or principle: the name the user configured and every normalised name that satisfies it. */
export interface NameRequirement {
  name: string;
  /** Display names that are also accepted (built-in and config aliases), for hints. */
  aliases: string[];
  /** Normalised forms of the name and its aliases. */
  keys: ReadonlySet<string>;
}

function requirements(
  names: readonly string[],
  configAliases: Readonly<Record<string, readonly string[]>>,
  builtIn: ReadonlyArray<readonly [string, readonly string[]]>,
  normalise: (s: string) => string,
): NameRequirement[] {
  const extra = new Map<string, string[]>();
  const addExtra = (canonical: string, list: readonly string[]) => {
    const k = normalise(canonical);
    extra.set(k, [...(extra.get(k) ?? []), ...list]);
  };
  for (const [canonical, list] of builtIn) addExtra(canonical, list);
  for (const [canonical, list] of Object.entries(configAliases)) addExtra(canonical, list);
  return names.map((name) => {
    const key = normalise(name);
    const aliases = [...new Set(extra.get(key) ?? [])].filter((a) => normalise(a) !== key);
    const keys = new Set([key, ...aliases.map(normalise)]);
    keys.delete('');
    return { name, aliases, keys };
  });
}

export function sectionRequirements(names: readonly string[], configAliases: Readonly<Record<string, readonly string[]>>): NameRequirement[] {
  return requirements(names, configAliases, SECTION_ALIASES, normaliseName);
}

export function principleRequirements(names: readonly string[], configAliases: Readonly<Record<string, readonly string[]>>): NameRequirement[] {
  return requirements(names, configAliases, PRINCIPLE_ALIASES, normaliseWords);
}

/** Whether a heading (given by its {@link headingKeys}) satisfies a requirement. */
export function headingMatches(keys: readonly string[], req: NameRequirement): boolean {
  return keys.some((k) => req.keys.has(k));
}

/** Whether normalised text (see {@link normaliseWords}) mentions a requirement as whole words. */
export function textMentions(words: string, req: NameRequirement): boolean {
  const padded = ` ${words} `;
  for (const k of req.keys) if (padded.includes(` ${k} `)) return true;
  return false;
}
