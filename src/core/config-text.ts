import { DEFAULT_PLAN_SECTIONS, DEFAULT_PRINCIPLES, defaultConfig, type Config } from './config.js';

/** The commented `.maestro/config.yaml` that `specflow init` writes. */
export interface ConfigProfile {
  specs_dir: string;
  id_scheme: 'specflow' | 'spec-kit';
}

/** spec-kit's plan template sections that carry the plan; Complexity Tracking is filled only when a principle is broken. */
export const SPEC_KIT_PLAN_SECTIONS = ['Summary', 'Technical Context', 'Constitution Check', 'Project Structure'];

/** The schema comment editors with yaml-language-server read; the path is relative to `.maestro/`. */
export const CONFIG_SCHEMA_COMMENT = '# yaml-language-server: $schema=../node_modules/specflowd/schemas/config.schema.json';

export function renderConfig(profile: ConfigProfile): string {
  const list = (items: readonly string[], indent: string) => items.map((s) => `${indent}- ${s}`).join('\n');
  if (profile.id_scheme === 'spec-kit') return renderSpecKitConfig(profile, list);
  return `${CONFIG_SCHEMA_COMMENT}
# specflow configuration. Every field is optional; these are the defaults.
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

/** The spec-kit profile: spec-kit's own plan sections, no principle marks, no approval step. */
function renderSpecKitConfig(profile: ConfigProfile, list: (items: readonly string[], indent: string) => string): string {
  return `${CONFIG_SCHEMA_COMMENT}
# specflow configuration for a spec-kit layout (features in ${profile.specs_dir}/NNN-slug/). Every field is optional.
version: 1
specs_dir: ${profile.specs_dir}
# Feature ids are the folder's number prefix (001).
id_scheme: spec-kit
# spec-kit records no approval of the spec; set true to require \`specflow approve <id>\` before plan.
require_approval: false
gates:
  specify:
    file: spec.md
    sections: []
  plan:
    file: plan.md
    # The sections of spec-kit's plan template; each must exist as a heading and hold real content.
    sections:
${list(SPEC_KIT_PLAN_SECTIONS, '      ')}
    # spec-kit checks its principles in the Constitution Check section rather than by marks.
    principles: []
  tasks:
    file: tasks.md
# More names a section may go by, e.g.:
# aliases:
#   Technical Context: [Technical Approach]
`;
}

/** The configs `init` writes, with what `parseConfig` reads from them; built on first use. */
let known: Map<string, () => Config> | undefined;

/**
 * What `parseConfig` reads from a config exactly as `init` wrote it (no findings), known
 * without parsing; undefined for any other text. Most repositories keep that config, and the
 * pre-commit hook would otherwise load and run the YAML parser for it on every phase change.
 * A test holds each entry to `parseConfig`.
 */
export function configAsWritten(text: string): Config | undefined {
  known ??= new Map([
    [renderConfig({ specs_dir: '.specify/specs', id_scheme: 'specflow' }), defaultConfig],
    [
      renderConfig({ specs_dir: 'specs', id_scheme: 'spec-kit' }),
      (): Config => ({
        ...defaultConfig(),
        specs_dir: 'specs',
        id_scheme: 'spec-kit',
        require_approval: false,
        gates: { specify: { file: 'spec.md', sections: [] }, plan: { file: 'plan.md', sections: [...SPEC_KIT_PLAN_SECTIONS], principles: [] }, tasks: { file: 'tasks.md' } },
      }),
    ],
  ]);
  return known.get(text)?.();
}
