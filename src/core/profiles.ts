import type { Config, Layout } from './config.js';

/**
 * The gate profile of each layout (README "Layouts and adoption"): where its features live,
 * what its documents are called, which sections its own templates give each document, and what
 * records a finished feature. A required section is a topic; `section-names.ts` lists the
 * headings that satisfy each one.
 */
export type Profile = Pick<Config, 'layout' | 'specs_dir' | 'roots' | 'id_scheme' | 'require_approval' | 'gates'>;

/** The seed's six plan topics (DESIGN §2); SpecFlow's own plan template meets them through aliases. */
export const DEFAULT_PLAN_SECTIONS = [
  'Data models',
  'API/Interface design',
  'Error handling strategy',
  'Failure modes',
  'Dependencies',
  'Testing strategy',
];

export const DEFAULT_PRINCIPLES = ['Code before prompts', 'Deterministic where possible', 'CLI-first interfaces'];

/** spec-kit's plan template sections that carry the plan; Complexity Tracking is filled only when a principle is broken. */
export const SPEC_KIT_PLAN_SECTIONS = ['Summary', 'Technical Context', 'Constitution Check', 'Project Structure'];

/** Kiro's requirements document: an introduction, then numbered requirements with user stories and acceptance criteria. */
export const KIRO_SPEC_SECTIONS = ['Introduction', 'Requirements'];
/** Kiro's design document: the one section every generated design carries (Architecture, Components and Interfaces, … vary). */
export const KIRO_PLAN_SECTIONS = ['Overview'];

/** OpenSpec's proposal: why the change (its What Changes and Impact sections vary between projects). */
export const OPENSPEC_SPEC_SECTIONS = ['Why'];
/** OpenSpec's design document is free-form when a change has one: real content, no placeholders. */
export const OPENSPEC_PLAN_SECTIONS: string[] = [];

/** What a config without `layout` means: the SpecFlow layout with the seed's gates, as DESIGN §2 writes them. */
export function legacyDefaults(): Profile {
  return {
    layout: 'specflow',
    specs_dir: '.specify/specs',
    roots: [],
    id_scheme: 'specflow',
    require_approval: true,
    gates: {
      specify: { file: 'spec.md', sections: [] },
      plan: { file: 'plan.md', sections: [...DEFAULT_PLAN_SECTIONS], principles: [...DEFAULT_PRINCIPLES], optional: false },
      tasks: { file: 'tasks.md' },
      complete: { evidence: [] },
    },
  };
}

export function layoutProfile(layout: Layout): Profile {
  const base = legacyDefaults();
  switch (layout) {
    case 'specflow':
      // The seed's gates (DESIGN §2). SpecFlow's own plan template meets them: its headings through
      // the built-in aliases, the principles and Test-First through its Constitutional Compliance
      // checklist rows marked applied. Its workflow ends with verify.md, which records the verification.
      return { ...base, gates: { ...base.gates, complete: { evidence: ['verify.md'] } } };
    case 'spec-kit':
      return {
        ...base,
        layout,
        specs_dir: 'specs',
        id_scheme: 'spec-kit',
        require_approval: false,
        gates: { ...base.gates, plan: { file: 'plan.md', sections: [...SPEC_KIT_PLAN_SECTIONS], principles: [], optional: false } },
      };
    case 'kiro':
      return {
        ...base,
        layout,
        specs_dir: '.kiro/specs',
        id_scheme: 'name',
        require_approval: false,
        gates: {
          specify: { file: 'requirements.md', sections: [...KIRO_SPEC_SECTIONS] },
          plan: { file: 'design.md', sections: [...KIRO_PLAN_SECTIONS], principles: [], optional: false },
          tasks: { file: 'tasks.md' },
          complete: { evidence: [] },
        },
      };
    case 'openspec':
      return {
        ...base,
        layout,
        specs_dir: 'openspec/changes',
        roots: [{ path: 'openspec/changes/archive', archive: true }],
        id_scheme: 'name',
        require_approval: false,
        gates: {
          specify: { file: 'proposal.md', sections: [...OPENSPEC_SPEC_SECTIONS] },
          plan: { file: 'design.md', sections: [...OPENSPEC_PLAN_SECTIONS], principles: [], optional: true },
          tasks: { file: 'tasks.md' },
          complete: { evidence: [] },
        },
      };
  }
}
