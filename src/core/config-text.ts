import { defaultConfig, type Config, type Layout, type SpecRoot } from './config.js';
import { layoutProfile, type Profile } from './profiles.js';

/** What `specflow init` detected and writes into `.maestro/config.yaml` (DESIGN §2). */
export interface ConfigProfile {
  layout: Layout;
  specs_dir: string;
  /** More roots of the layout: sub-projects of a monorepo (qualified), an archive. */
  roots?: SpecRoot[];
  /** Seed principles left out of `gates.plan.principles`: none of the plans `init --adopt-phases` found marks them. */
  unpractised?: string[];
}

export { SPEC_KIT_PLAN_SECTIONS } from './profiles.js';

/** The schema comment editors with yaml-language-server read; the path is relative to `.maestro/`. */
export const CONFIG_SCHEMA_COMMENT = '# yaml-language-server: $schema=../node_modules/specflowd/schemas/config.schema.json';

const FOLDERS: Record<Layout, string> = {
  specflow: 'f-<n>-slug; plain NNN-slug folders read as F-NNN',
  'spec-kit': 'NNN-slug; the number prefix (001) is the id',
  kiro: '<name>; the folder name is the id',
  openspec: '<change-id>; the folder name is the id',
};

const APPROVAL: Record<Layout, string> = {
  specflow: 'Entering the plan phase needs a human\'s `specflow approve <id>` of the spec.',
  'spec-kit': 'spec-kit records no approval of the spec; set true to require `specflow approve <id>` before plan.',
  kiro: 'Kiro records no approval of the requirements; set true to require `specflow approve <id>` before plan.',
  openspec: 'OpenSpec records no approval of the proposal; set true to require `specflow approve <id>` before plan.',
};

const list = (items: readonly string[], indent: string) => (items.length ? items.map((s) => `\n${indent}- ${s}`).join('') : ' []');

function rootLines(roots: readonly SpecRoot[]): string {
  return roots
    .map((r) => {
      const extra = [r.qualifier ? `qualifier: ${r.qualifier}` : '', r.archive ? 'archive: true' : ''].filter(Boolean);
      return extra.length ? `  - path: ${r.path}\n${extra.map((e) => `    ${e}`).join('\n')}` : `  - ${r.path}`;
    })
    .join('\n');
}

/**
 * The commented config `init` writes for a layout. The hook shim reads `specs_dir`, `layout` and
 * the paths under `roots` with the shell alone, in any order; a root outside `specs_dir` is
 * written before it, a root inside after it.
 */
export function renderConfig(detected: ConfigProfile): string {
  const p = layoutProfile(detected.layout);
  const roots = detected.roots ?? p.roots;
  const outside = roots.some((r) => !r.path.startsWith(`${detected.specs_dir}/`));
  const rootsText = roots.length
    ? `# More folders of feature folders: sub-projects (their ids carry the qualifier, qualifier/<id>) and archives (complete where they are).\nroots:\n${rootLines(roots)}\n`
    : '';
  const g = p.gates;
  const plan = g.plan;
  const left = detected.unpractised ?? [];
  const principles = writtenConfig(detected).gates.plan.principles;
  const principlesNote =
    (principles.length ? '    # Each must be marked applied (✅, [x] or Yes) somewhere in the plan.\n' : '') +
    (left.length
      ? `    # Left out by \`specflow init --adopt-phases\`, since none of this repository's plans marked them applied: ${left.join(', ')}.\n    # List them here to require them of every plan.\n`
      : '');
  return `${CONFIG_SCHEMA_COMMENT}
# specflow configuration, written by \`specflow init\` for the ${detected.layout} layout (features in ${detected.specs_dir}/${FOLDERS[detected.layout]}).
# Checks read this file and never detect the layout again. Every field is optional.
version: 1
${outside ? rootsText : ''}specs_dir: ${detected.specs_dir}
layout: ${detected.layout}
${outside ? '' : rootsText}# ${APPROVAL[detected.layout]}
require_approval: ${p.require_approval}
gates:
  specify:
    file: ${g.specify.file}
    sections:${list(g.specify.sections, '      ')}
  plan:
    file: ${plan.file}
${plan.optional ? '    # A change without this file passes the plan gate on its proposal; one that has it must meet the sections.\n    optional: true\n' : ''}    # Each is a topic: a heading that names it (or an alias, README "Layouts and adoption") with real content under it.
    sections:${list(plan.sections, '      ')}
${principlesNote}    principles:${list(principles, '      ')}
  tasks:
    file: ${g.tasks.file}
${g.complete.evidence.length ? `  complete:\n    # A file here with real content records a finished feature, as a fully checked task list does.\n    evidence:${list(g.complete.evidence, '      ')}\n` : ''}# More names a section may go by, e.g.:
# aliases:
#   Failure modes: [What can go wrong]
`;
}

/**
 * The config `renderConfig(detected)` writes, as `parseConfig` reads it (a test holds the two
 * equal for each config `init` writes without extra roots).
 */
export function writtenConfig(detected: ConfigProfile): Config {
  const p = layoutProfile(detected.layout);
  const left = detected.unpractised ?? [];
  const plan = { ...p.gates.plan, principles: p.gates.plan.principles.filter((name) => !left.includes(name)) };
  return { ...defaultConfig(), ...p, specs_dir: detected.specs_dir, roots: detected.roots ?? p.roots, gates: { ...p.gates, plan } };
}

/** The configs `init` writes with no extra roots, by their text; built on first use. */
let known: Map<string, ConfigProfile> | undefined;

/**
 * What `parseConfig` reads from a config exactly as `init` wrote it (no findings), known
 * without parsing; undefined for any other text. Most repositories keep that config, and the
 * pre-commit hook would otherwise load and run the YAML parser for it on every phase change.
 * A test holds each entry to `parseConfig`.
 */
export function configAsWritten(text: string): Config | undefined {
  known ??= new Map(
    (['specflow', 'spec-kit', 'kiro', 'openspec'] as const).flatMap((layout) => {
      const p: Profile = layoutProfile(layout);
      const plain: ConfigProfile = { layout, specs_dir: p.specs_dir };
      // Also as `init --adopt-phases` writes it for a history whose plans mark none of the principles.
      const profiles = p.gates.plan.principles.length ? [plain, { ...plain, unpractised: p.gates.plan.principles }] : [plain];
      return profiles.map((d) => [renderConfig(d), d] as const);
    }),
  );
  const detected = known.get(text);
  return detected && writtenConfig(detected);
}
