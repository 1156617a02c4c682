import type { Config } from './config.js';

/**
 * Document templates. Each carries the gate's required sections as headings with placeholder
 * text, so a fresh template never passes its gate: someone has to write the content.
 */
export interface TemplateSubject {
  id: string;
  name: string;
}

export function specTemplate(f: TemplateSubject, config: Config): string {
  const required = config.gates.specify.sections;
  const extra = required.map((s) => `## ${s}\n\n[Describe ${s.toLowerCase()}]\n`).join('\n');
  // A profile that names its spec's sections (Kiro's Introduction and Requirements, OpenSpec's Why) gets those alone.
  if (required.length) return `# ${f.id}: ${f.name}\n\n${extra}`;
  return `# ${f.id}: ${f.name}

## Problem

[What problem does this feature solve, and for whom?]

## Users and scenarios

[Who uses it, and what do they do with it?]

## Requirements

- [Requirement]

## Success criteria

- [How will we know it works?]
`;
}

export function planTemplate(f: TemplateSubject, config: Config): string {
  const sections = config.gates.plan.sections.map((s) => `## ${s}\n\n[Describe ${s.toLowerCase()}]\n`).join('\n');
  const principles = config.gates.plan.principles;
  const table = principles.length
    ? `## Principles\n\n| Principle | Applied |\n|---|---|\n${principles.map((p) => `| ${p} | ☐ |`).join('\n')}\n\n[Mark each principle applied with ✅ once the plan honours it]\n`
    : '';
  return `# ${f.id}: ${f.name} — plan

${sections}${table ? `\n${table}` : ''}`;
}

export function tasksTemplate(f: TemplateSubject): string {
  return `# ${f.id}: ${f.name} — tasks

[List the tasks as checkboxes, e.g. "- [ ] Write the parser"; check them off as they are done]
`;
}
