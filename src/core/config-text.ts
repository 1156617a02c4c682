import { DEFAULT_PLAN_SECTIONS, DEFAULT_PRINCIPLES } from './config.js';

/** The commented `.maestro/config.yaml` that `specflow init` writes. */
export interface ConfigProfile {
  specs_dir: string;
  id_scheme: 'specflow' | 'spec-kit';
}

export function renderConfig(profile: ConfigProfile): string {
  const list = (items: readonly string[], indent: string) => items.map((s) => `${indent}- ${s}`).join('\n');
  return `# specflow configuration. Every field is optional; these are the defaults.
version: 1
specs_dir: ${profile.specs_dir}
id_scheme: ${profile.id_scheme}
# Entering the plan phase needs a human's \`specflow approve <id>\` of the spec.
require_approval: true
gates:
  specify:
    file: spec.md
    sections: []
  plan:
    file: plan.md
    # Each must exist as a heading (any level, numbering ignored) and hold real content.
    sections:
${list(DEFAULT_PLAN_SECTIONS, '      ')}
    # Each must be marked applied (✅, [x] or Yes) somewhere in plan.md.
    principles:
${list(DEFAULT_PRINCIPLES, '      ')}
  tasks:
    file: tasks.md
# More names a section may go by, e.g.:
# aliases:
#   Failure modes: [What can go wrong]
`;
}
