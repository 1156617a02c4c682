import type { Config } from './config.js';
import { error, warning, type Finding, type FindingCode } from './finding.js';
import { analyseMarkdown, appliedLines, type MarkdownOutline, type OutlineSection } from './markdown.js';
import { phasesCrossed, type Phase } from './phase.js';
import { headingKeys, headingMatches, normaliseName, principleRequirements, sectionRequirements, type NameRequirement } from './section-names.js';
import { isReal, scanPlaceholders } from './placeholders.js';
import { failedVerdict } from './verification.js';

/** A checklist row marked applied, as `[x] **Label:** text`: its box, its label, a separator and what follows. */
const LABELLED_ROW = /^\s*\[[xX]\]\s*([^:：]+)[:：]\s*(.*)$/s;

/**
 * A checklist row marked applied meets a topic when its label names the topic and real content
 * follows the label (`- [x] **Test-First:** fixtures of real feeds, written first`); a bare
 * `- [x] Testing strategy` or a row whose text is a template placeholder does not.
 */
function rowMeets(text: string, req: NameRequirement): boolean {
  const row = LABELLED_ROW.exec(text.replace(/\*\*|__/g, ''));
  if (!row) return false;
  return headingMatches(headingKeys(row[1]!), req) && isReal(scanPlaceholders(row[2]!, []));
}

/**
 * The gates of DESIGN §1 as pure functions of already-read documents. Callers gather the
 * documents (from the working tree, the index being committed, or a commit's tree) and pass
 * them in; nothing here touches the file system or git.
 *
 * Rules where DESIGN leaves a choice:
 * - Every placeholder or clarification marker in the spec is an error (the spec gate says "no
 *   placeholders left").
 * - In the plan, placeholders inside a required section (its heading and body, subsections
 *   included) are errors; elsewhere they are warnings, since the plan gate is defined by its
 *   required sections. A `[NEEDS CLARIFICATION]` marker is an error anywhere: it is an open
 *   question, not leftover template text.
 * - A required section is satisfied when any heading that matches it is filled; when every
 *   match is empty, `*.section.empty` points at the first.
 * - A plan (or spec) without any real content also fails with `plan.empty` (`spec.empty`).
 */
export interface FeatureDocument {
  /** Repo-relative POSIX path, used in findings. */
  path: string;
  /** The text, or undefined when the file does not exist. */
  text: string | undefined;
  /** Set when the file exists but could not be used (binary, too large, outside the repository, not UTF-8). */
  unreadable?: Finding;
  /** The outline of `text`, when the caller already has it (e.g. cached by content hash); analysed from `text` otherwise. */
  outline?: MarkdownOutline;
  /** For a missing document: files beside it that look like it under another name (`auth-spec.md`), named in the finding. */
  candidates?: string[];
}

export interface FeatureDocuments {
  spec: FeatureDocument;
  plan: FeatureDocument;
  tasks: FeatureDocument;
  /** The layout's other records of a finished feature (`gates.complete.evidence`, SpecFlow's `verify.md`). */
  evidence?: FeatureDocument[];
  /** The feature lies in an archive root (OpenSpec's `changes/archive/`): finished where it is. */
  archived?: boolean;
}

export interface GateSubject {
  id: string;
  approved?: { by: string; at: string } | undefined;
}

/** Findings that stand between `feature` and entering `phase`. `none` has no gate. */
export function checkGate(phase: Phase, feature: GateSubject, docs: FeatureDocuments, config: Config): Finding[] {
  return inReadingOrder(new GateRun(feature, docs, config).gate(phase));
}

/** Findings by file, then line (a finding about a whole document first): the order a person reads them in. */
export function inReadingOrder(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.file ?? '').localeCompare(b.f.file ?? '') || (a.f.line ?? 0) - (b.f.line ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}

/** Findings for moving from `from` to `to`: the gate of every phase crossed; none when moving back. */
export function checkTransition(from: Phase, to: Phase, feature: GateSubject, docs: FeatureDocuments, config: Config): Finding[] {
  const run = new GateRun(feature, docs, config);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const phase of phasesCrossed(from, to)) {
    for (const f of run.gate(phase)) {
      // Later gates repeat earlier ones (implement and complete re-check the tasks gate); report each finding once.
      const key = `${f.code}\0${f.file ?? ''}\0${f.line ?? ''}\0${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return inReadingOrder(out);
}

/** The outline of a readable, existing document: the one the caller attached, else analysed now. */
export function outlineOf(doc: FeatureDocument): MarkdownOutline | undefined {
  if (doc.text === undefined || doc.unreadable) return undefined;
  return doc.outline ?? analyseMarkdown(doc.text);
}

interface Requirements {
  spec: NameRequirement[];
  plan: NameRequirement[];
  principles: NameRequirement[];
}

/** Built once per config object: configs are treated as immutable. */
const requirementsCache = new WeakMap<Config, Requirements>();

function requirementsOf(config: Config): Requirements {
  let r = requirementsCache.get(config);
  if (!r) {
    r = {
      spec: sectionRequirements(config.gates.specify.sections, config.aliases),
      plan: sectionRequirements(config.gates.plan.sections, config.aliases),
      principles: principleRequirements(config.gates.plan.principles, config.aliases),
    };
    requirementsCache.set(config, r);
  }
  return r;
}

/** The seed's testing topic, normalised: a passed verification record meets it too (DESIGN §2). */
const TESTING_TOPIC = normaliseName('Testing strategy');

const MAX_QUOTE = 80;
const shortList = (names: readonly string[]) => (names.length > 8 ? `${names.slice(0, 8).join(', ')}, …` : names.join(', '));
const quote = (s: string) => (s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE - 1)}…` : s);
const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** What the layout's evidence files say, read once per gate run. */
interface Verification {
  /** One of them records a passed verification. */
  passed: boolean;
  /** `evidence.failed`: records of a failed verification. */
  failed: Finding[];
  /** `evidence.unfinished`: records that do not count yet, and why. */
  unfinished: Finding[];
}

/** One evaluation: each document is analysed at most once, however many gates look at it. */
class GateRun {
  private readonly outlines = new Map<FeatureDocument, MarkdownOutline | undefined>();
  private verificationRead: Verification | undefined;

  constructor(
    private readonly feature: GateSubject,
    private readonly docs: FeatureDocuments,
    private readonly config: Config,
  ) {}

  /** Built on first use (and cached per config): the tasks gate needs no section names. */
  private get req(): Requirements {
    return requirementsOf(this.config);
  }

  gate(phase: Phase): Finding[] {
    switch (phase) {
      case 'none':
        return [];
      case 'specify':
        return this.specify();
      case 'plan':
        return this.plan();
      case 'tasks':
      case 'implement':
        return this.tasks(false);
      case 'complete':
        return this.tasks(true);
    }
  }

  private outline(doc: FeatureDocument): MarkdownOutline | undefined {
    if (!this.outlines.has(doc)) this.outlines.set(doc, outlineOf(doc));
    return this.outlines.get(doc);
  }

  private at(doc: FeatureDocument, line?: number): Partial<Finding> {
    return line === undefined ? { feature: this.feature.id, file: doc.path } : { feature: this.feature.id, file: doc.path, line };
  }

  /** The document's outline, or the findings that say why there is none. */
  private read(doc: FeatureDocument, missingCode: FindingCode, hint: string): MarkdownOutline | Finding[] {
    if (doc.unreadable) return [{ ...doc.unreadable, severity: 'error', feature: this.feature.id, file: doc.unreadable.file ?? doc.path }];
    const outline = this.outline(doc);
    const what = missingCode === 'spec.missing' ? 'the spec' : missingCode === 'plan.missing' ? 'the plan' : 'the task list';
    if (!outline) {
      const named = doc.candidates?.length ? doc.candidates : undefined;
      if (named)
        return [
          error(missingCode, `${what} is not written yet as ${fileName(doc.path)}; ${named.join(', ')} may be it under another name`, {
            ...this.at(doc),
            hint: `If ${named[0]} is ${what}, rename it to ${fileName(doc.path)} (git mv), or set gates.*.file in .maestro/config.yaml.`,
          }),
        ];
      return [error(missingCode, `${what} is not written yet`, { ...this.at(doc), hint })];
    }
    return outline;
  }

  private specify(): Finding[] {
    const doc = this.docs.spec;
    const id = this.feature.id;
    const o = this.read(doc, 'spec.missing', `Write the spec: \`specflow specify ${id}\` creates it from the template.`);
    if (Array.isArray(o)) return o;
    const out: Finding[] = [];
    if (o.title === undefined)
      out.push(error('spec.title.missing', `${fileName(doc.path)} has no title`, { ...this.at(doc, 1), hint: 'Start the spec with a "# " heading that names the feature.' }));
    // A document that is all template: each placeholder is a problem at its line; "empty" says it only when none is left.
    if (!o.hasContent && o.placeholders.length === 0)
      out.push(error('spec.empty', `${fileName(doc.path)} has no content yet`, { ...this.at(doc), hint: 'Describe what the feature does and why; headings and placeholders do not count.' }));
    for (const p of o.placeholders)
      out.push(error('spec.placeholder', `Template placeholder left in the spec: ${quote(p.text)}`, { ...this.at(doc, p.line), hint: 'Replace it with the real text, or delete it.' }));
    for (const c of o.clarifications)
      out.push(error('spec.needs-clarification', `Open question in the spec: ${quote(c.text)}`, { ...this.at(doc, c.line), hint: 'Settle the question, write the answer into the spec and remove the marker.' }));
    out.push(...this.sections(doc, o, this.req.spec, 'spec').findings);
    return out;
  }

  private plan(): Finding[] {
    const out: Finding[] = [];
    const id = this.feature.id;
    if (this.config.require_approval && !this.feature.approved)
      out.push(
        error('spec.not-approved', `The spec of ${id} has not been approved`, {
          ...this.at(this.docs.spec),
          hint: `Have a human review the spec and run \`specflow approve ${id}\` (or set require_approval: false in .maestro/config.yaml).`,
        }),
      );
    const doc = this.docs.plan;
    // An optional plan (OpenSpec's design.md) that is absent: the spec, already through its gate, carries the plan.
    if (this.config.gates.plan.optional && doc.text === undefined && !doc.unreadable) return out;
    const o = this.read(doc, 'plan.missing', `Write the plan: \`specflow plan ${id}\` creates it from the template.`);
    if (Array.isArray(o)) return [...out, ...o];
    const { findings, ranges, empty } = this.sections(doc, o, this.req.plan, 'plan');
    if (!o.hasContent && findings.length === 0 && o.placeholders.length === 0)
      out.push(error('plan.empty', `${fileName(doc.path)} has no content yet`, { ...this.at(doc), hint: 'Write the plan; headings and placeholders do not count.' }));
    out.push(...findings);
    for (const p of o.placeholders) {
      const inRequired = ranges.some((r) => p.line >= r.line && p.line <= r.endLine);
      // A placeholder in a section already reported empty is that same problem: said once.
      if (empty.some((r) => p.line >= r.line && p.line <= r.endLine)) continue;
      const make = inRequired ? error : warning;
      out.push(make('plan.placeholder', `Template placeholder left in the plan: ${quote(p.text)}`, { ...this.at(doc, p.line), hint: 'Replace it with the real text, or delete it.' }));
    }
    for (const c of o.clarifications)
      out.push(error('plan.needs-clarification', `Open question in the plan: ${quote(c.text)}`, { ...this.at(doc, c.line), hint: 'Settle the question, write the answer into the plan and remove the marker.' }));
    const applied = appliedLines(o, this.req.principles);
    const lines = doc.text?.split('\n') ?? [];
    this.req.principles.forEach((p, i) => {
      if (applied[i] !== undefined) return;
      // On the row that names it, when there is one (a template's principles table).
      const named = lines.findIndex((l) => [p.name, ...p.aliases].some((n) => l.toLowerCase().includes(n.toLowerCase())));
      out.push(
        error('plan.principle.unmarked', `Principle "${p.name}" is not marked as applied`, {
          ...this.at(doc, named >= 0 ? named + 1 : undefined),
          hint: `On the line, list item or table row that names it, mark it with ✅, [x] or Yes, e.g. "- [x] ${p.name}".`,
        }),
      );
    });
    return out;
  }

  /** `<prefix>.section.missing` / `.empty` for each requirement, and the sections that satisfied one. */
  private sections(doc: FeatureDocument, o: MarkdownOutline, reqs: readonly NameRequirement[], prefix: 'spec' | 'plan') {
    const findings: Finding[] = [];
    const ranges: OutlineSection[] = [];
    const empty: OutlineSection[] = [];
    if (reqs.length === 0) return { findings, ranges, empty };
    const keys = o.sections.map((s) => headingKeys(s.text));
    for (const req of reqs) {
      const matches = o.sections.filter((_, i) => headingMatches(keys[i]!, req));
      const also = req.aliases.length > 0 ? ` (also accepted: ${shortList(req.aliases)})` : '';
      // A checklist row marked applied whose label names the topic (SpecFlow's
      // `- [x] **Test-First:** …` in its Constitutional Compliance list) meets it too, in a plan.
      if (matches.length === 0 && prefix === 'plan' && o.applied.some((a) => rowMeets(a.text, req))) continue;
      // The layout's record of a passed verification (SpecFlow's verify.md) meets the testing topic.
      if (matches.length === 0 && prefix === 'plan' && req.keys.has(TESTING_TOPIC) && this.verified()) continue;
      if (matches.length === 0) {
        findings.push(
          error(`${prefix}.section.missing`, `${fileName(doc.path)} has no "${req.name}" section`, {
            ...this.at(doc),
            hint: `Add a "## ${req.name}" heading${also} with real content under it${prefix === 'plan' ? ' (or a checklist row naming it, marked [x])' : ''}, or name the heading your plans use for it under aliases: in .maestro/config.yaml (aliases: {${req.name}: [Your heading]}).`,
          }),
        );
        continue;
      }
      ranges.push(...matches);
      if (matches.some((s) => s.filled)) continue;
      const first = matches[0]!;
      empty.push(...matches);
      const named = headingKeys(first.text).some((k) => headingKeys(req.name).includes(k)) ? '' : ` (${req.name})`;
      findings.push(
        error(`${prefix}.section.empty`, `Section "${first.text}"${named} has no real content`, {
          ...this.at(doc, first.line),
          hint: 'Write the section; placeholders, TODO/TBD, HTML comments and headings do not count.',
        }),
      );
    }
    return { findings, ranges, empty };
  }

  private tasks(complete: boolean): Finding[] {
    // A finished change moved into an archive root (OpenSpec) is complete where it is, task list or not.
    if (this.docs.archived) return [];
    const doc = this.docs.tasks;
    const o = this.read(doc, 'tasks.missing', `Write the task list: \`specflow tasks ${this.feature.id}\` creates it from the template.`);
    if (Array.isArray(o)) return o;
    if (o.tasks.length === 0)
      return [
        error('tasks.none', `${fileName(doc.path)} has no task items`, {
          ...this.at(doc),
          hint: 'List the work as task items such as "- [ ] Write the parser" (or table rows whose status cell is ☐ / ✅).',
        }),
      ];
    if (!complete) return [];
    // Tasks marked optional (Kiro's `- [ ]*`) are deliberately left open.
    const unchecked = o.tasks
      .filter((t) => !t.checked && !t.optional)
      .map((t) =>
        error('tasks.unchecked', `Task not done: ${quote(t.text)}`, {
          ...this.at(doc, t.line),
          hint: 'Check it ("- [x]" or ✅) once it is done, or remove it if it no longer applies.',
        }),
      );
    // The layout's record of the verification (SpecFlow's verify.md): a pass completes the
    // feature as a fully checked list does; a recorded failure keeps it from complete either way.
    const { passed, failed, unfinished } = this.verification();
    if (failed.length) return [...failed, ...unchecked];
    if (passed || unchecked.length === 0) return [];
    return [...unfinished, ...unchecked];
  }

  /**
   * What the layout's evidence files say: whether one records a pass, and the findings of those
   * that record a failure (errors) or do not count yet (warnings).
   */
  private verification(): Verification {
    if (this.verificationRead) return this.verificationRead;
    const v: Verification = { passed: false, failed: [], unfinished: [] };
    for (const doc of this.docs.evidence ?? []) {
      if (doc.text === undefined && !doc.unreadable) continue;
      const name = fileName(doc.path);
      const unfinished = (why: string, line?: number) =>
        v.unfinished.push(
          warning('evidence.unfinished', `${name} ${why}, so it does not record a finished verification`, {
            ...this.at(doc, line),
            hint: `Fill ${name} in with what was verified and its result, or check every task.`,
          }),
        );
      const o = this.outline(doc);
      const verdict = o && failedVerdict(doc.text!);
      const open = o?.placeholders[0] ?? o?.clarifications[0];
      if (!o) unfinished('cannot be read');
      else if (verdict?.kind === 'failed')
        v.failed.push(
          error('evidence.failed', `${name} says the verification did not pass: ${quote(verdict.text)}`, {
            ...this.at(doc, verdict.line),
            hint: `Fix what failed and record the passed verification in ${name}, or move the phase back (specflow phase ${this.feature.id} <phase>).`,
          }),
        );
      else if (verdict) unfinished(`says the verification is not finished: ${quote(verdict.text)}`, verdict.line);
      else if (open) unfinished(`still holds ${quote(open.text)}`, open.line);
      else if (!o.hasContent) unfinished('has no content');
      else v.passed = true;
    }
    return (this.verificationRead = v);
  }

  /** Does the layout's record of the verification say it passed (and none says it failed)? */
  private verified(): boolean {
    const v = this.verification();
    return v.passed && v.failed.length === 0;
  }
}
