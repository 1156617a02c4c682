import { posix } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { IdScheme } from './feature-id.js';
import { StateError } from './errors.js';
import { openedAt } from './yaml-errors.js';
import { error, warning, type Finding } from './finding.js';
import { layoutProfile, legacyDefaults } from './profiles.js';

/**
 * `.maestro/config.yaml`: every field optional. `parseConfig` fills in the defaults of
 * DESIGN §2 and reports what it cannot use as findings with line numbers.
 */
export interface GateConfig {
  /** Document file inside the feature folder. */
  file: string;
  /** Headings that must exist and hold real content. */
  sections: string[];
}

export interface PlanGateConfig extends GateConfig {
  /** Principles that must be marked applied (✅, [x], Yes) somewhere in the document. */
  principles: string[];
  /**
   * The plan document may be absent (OpenSpec's `design.md`): then the plan gate asks for the
   * approval alone, the spec having passed its own gate; a plan that exists must meet `sections`.
   */
  optional: boolean;
}

/** The layouts specflow knows (README "Layouts and adoption"); each has its own gate profile. */
export type Layout = 'specflow' | 'spec-kit' | 'kiro' | 'openspec';
export const LAYOUTS: readonly Layout[] = ['specflow', 'spec-kit', 'kiro', 'openspec'];

/**
 * A folder of feature folders beyond `specs_dir`: a sub-project's specs in a monorepo (its
 * features' ids carry `qualifier`, `api/F-1`), or an archive of finished work (OpenSpec's
 * `changes/archive/`), whose features count as complete where they are.
 */
export interface SpecRoot {
  path: string;
  qualifier?: string;
  archive?: boolean;
}

export interface Config {
  version: 1;
  layout: Layout;
  specs_dir: string;
  /** More roots of the same layout (init writes what it detected; checks never re-detect). */
  roots: SpecRoot[];
  id_scheme: IdScheme;
  require_approval: boolean;
  /** Emails of those whose approval counts; empty: any approval is recorded as it is (DESIGN §5). */
  approvers: string[];
  /** With approvers: the approving commit must carry a good signature by a key in .maestro/allowed_signers. */
  require_signed_approval: boolean;
  /**
   * What a commit that changes a feature's documents must leave: `block` (default) refuses one
   * whose documents no longer pass every gate up to the feature's phase; `warn` reports it;
   * `off` does not look.
   */
  regression: 'block' | 'warn' | 'off';
  gates: {
    specify: GateConfig;
    plan: PlanGateConfig;
    tasks: { file: string };
    /**
     * Files that record a finished feature besides its task list (SpecFlow's `verify.md`): one
     * that exists and holds real content without placeholders passes the complete gate.
     */
    complete: { evidence: string[] };
  };
  /** Extra names a required section may go by: canonical section name → aliases. */
  aliases: Record<string, string[]>;
}

export const CONFIG_PATH = '.maestro/config.yaml';

export { DEFAULT_PLAN_SECTIONS, DEFAULT_PRINCIPLES } from './profiles.js';

/** The defaults of DESIGN §2: the SpecFlow layout with the seed's gates. */
export function defaultConfig(): Config {
  return {
    version: 1,
    ...legacyDefaults(),
    approvers: [],
    require_signed_approval: false,
    regression: 'block',
    aliases: {},
  };
}

export interface ParsedConfig {
  config: Config;
  findings: Finding[];
}

/** Thrown when the config is not YAML at all; the caller maps it to exit 3. */
export class ConfigSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function parseConfig(text: string, file = CONFIG_PATH): ParsedConfig {
  const config = defaultConfig();
  const findings: Finding[] = [];
  const source = text.replace(/^\uFEFF/, '');
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    const msg = e.message.split('\n')[0] ?? 'YAML syntax error';
    const line = openedAt(source, pos.line, msg) ?? pos.line;
    const col = line === pos.line ? pos.col : 1;
    throw new ConfigSyntaxError(`${file}:${line}:${col}: ${msg}`, line, col);
  }
  let raw: Json;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) as Json;
  } catch (e) {
    // yaml refuses alias bombs ("billion laughs") here; any such refusal means the text is unusable.
    throw new ConfigSyntaxError(`${file}: ${(e as Error).message}`, 1, 1);
  }
  if (raw === null || raw === undefined) return { config, findings };
  const bad = (key: string, message: string) =>
    findings.push(error('config.invalid', `${key}: ${message}`, { file, line: lineOf(source, doc, key.split('.')) }));
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    findings.push(error('config.invalid', 'the config must be a mapping', { file, line: 1 }));
    return { config, findings };
  }
  unknownKeys(raw, TOP_LEVEL_KEYS, '', (key, message) => findings.push(warning('config.unknown-key', message, { file, line: lineOf(source, doc, key.split('.')) })));
  if (raw.version !== undefined && raw.version !== 1) bad('version', `unsupported version ${JSON.stringify(raw.version)} (expected 1)`);
  if (raw.layout !== undefined) {
    // A named layout brings its own gate profile (README "Layouts and adoption"); the fields below override it.
    if (typeof raw.layout === 'string' && (LAYOUTS as readonly string[]).includes(raw.layout)) Object.assign(config, layoutProfile(raw.layout as Layout));
    else bad('layout', `must be one of ${LAYOUTS.join(', ')}`);
  }
  if (raw.specs_dir !== undefined) {
    const dir = typeof raw.specs_dir === 'string' ? insideFolder(raw.specs_dir) : undefined;
    if (dir !== undefined) config.specs_dir = dir;
    else bad('specs_dir', 'must be a folder inside the repository, relative to its root');
  }
  if (raw.layout === undefined) {
    // A config written before layouts existed keeps the defaults it was written against.
    if (config.specs_dir === 'specs' || raw.id_scheme === 'spec-kit') config.layout = 'spec-kit';
  }
  if (raw.id_scheme !== undefined) {
    if (raw.id_scheme === 'specflow' || raw.id_scheme === 'spec-kit' || raw.id_scheme === 'name') config.id_scheme = raw.id_scheme;
    else bad('id_scheme', 'must be "specflow", "spec-kit" or "name"');
  } else config.id_scheme = LAYOUT_ID_SCHEME[config.layout];
  if (raw.roots !== undefined && raw.roots !== null) {
    const roots = readRoots(raw.roots);
    if (roots) config.roots = roots.filter((r) => r.path !== config.specs_dir);
    else bad('roots', 'must be a list of folders inside the repository, each a path or {path, qualifier, archive}');
  }
  if (raw.require_approval !== undefined) {
    if (typeof raw.require_approval === 'boolean') config.require_approval = raw.require_approval;
    else bad('require_approval', 'must be true or false');
  }
  if (raw.approvers !== undefined && raw.approvers !== null) {
    if (Array.isArray(raw.approvers) && raw.approvers.every((a) => typeof a === 'string' && /^[^<>\s]+@[^<>\s]+$/.test(a.trim()))) config.approvers = raw.approvers.map((a) => (a as string).trim());
    else bad('approvers', 'must be a list of email addresses');
  }
  if (raw.require_signed_approval !== undefined) {
    if (typeof raw.require_signed_approval === 'boolean') config.require_signed_approval = raw.require_signed_approval;
    else bad('require_signed_approval', 'must be true or false');
  }
  if (raw.regression !== undefined) {
    if (raw.regression === 'block' || raw.regression === 'warn' || raw.regression === 'off') config.regression = raw.regression;
    else bad('regression', 'must be block, warn or off');
  }
  const gates = raw.gates;
  if (gates !== undefined && gates !== null) {
    if (typeof gates !== 'object' || Array.isArray(gates)) bad('gates', 'must be a mapping');
    else {
      unknownKeys(gates, ['specify', 'plan', 'tasks', 'complete'], 'gates.', (key, message) =>
        findings.push(warning('config.unknown-key', message, { file, line: lineOf(source, doc, key.split('.')) })),
      );
      for (const name of ['specify', 'plan', 'tasks'] as const) {
        const g = gates[name];
        if (g === undefined || g === null) continue;
        if (typeof g !== 'object' || Array.isArray(g)) {
          bad(`gates.${name}`, 'must be a mapping');
          continue;
        }
        unknownKeys(g, name === 'plan' ? ['file', 'sections', 'principles', 'optional'] : name === 'specify' ? ['file', 'sections'] : ['file'], `gates.${name}.`, (key, message) =>
          findings.push(warning('config.unknown-key', message, { file, line: lineOf(source, doc, key.split('.')) })),
        );
        const target = config.gates[name] as Partial<PlanGateConfig>;
        if (g.file !== undefined) {
          if (typeof g.file === 'string' && /^[^/\\]+$/.test(g.file) && g.file !== '..' && g.file !== '.') target.file = g.file;
          else bad(`gates.${name}.file`, 'must be a file name inside the feature folder');
        }
        if (name === 'plan' && g.optional !== undefined) {
          if (typeof g.optional === 'boolean') config.gates.plan.optional = g.optional;
          else bad('gates.plan.optional', 'must be true or false');
        }
        for (const list of ['sections', 'principles'] as const) {
          if (g[list] === undefined || name === 'tasks' || (list === 'principles' && name !== 'plan')) continue;
          const v = g[list];
          if (v === null) target[list] = [];
          else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) target[list] = v;
          else bad(`gates.${name}.${list}`, 'must be a list of strings');
        }
      }
    }
  }
  const complete = gates !== null && typeof gates === 'object' && !Array.isArray(gates) ? gates.complete : undefined;
  if (complete !== undefined && complete !== null) {
    const evidence = typeof complete === 'object' && !Array.isArray(complete) ? complete.evidence : undefined;
    if (evidence === null) config.gates.complete.evidence = [];
    else if (Array.isArray(evidence) && evidence.every((s) => typeof s === 'string' && /^[^/\\]+$/.test(s) && s !== '.' && s !== '..')) config.gates.complete.evidence = evidence as string[];
    else bad('gates.complete', 'must be a mapping with evidence: a list of file names inside the feature folder');
  }
  const aliases = raw.aliases;
  if (aliases !== undefined && aliases !== null) {
    if (typeof aliases !== 'object' || Array.isArray(aliases)) bad('aliases', 'must be a mapping of section name to a list of names');
    else
      for (const [k, v] of Object.entries(aliases)) {
        if (Array.isArray(v) && v.every((s) => typeof s === 'string')) config.aliases[k] = v;
        else bad(`aliases.${k}`, 'must be a list of strings');
      }
  }
  return { config, findings };
}

/** Exit 3 for a config value specflow cannot use: a command never runs on half a config. Unknown keys are warnings. */
export function refuseInvalidConfig(findings: readonly Finding[]): void {
  const bad = findings.filter((f) => f.severity === 'error');
  if (!bad.length) return;
  const first = bad[0]!;
  // The findings carry file and line; the message says what, once.
  throw new StateError(`${CONFIG_PATH} cannot be used: ${first.message}`, first.code, 'Fix .maestro/config.yaml (docs/reference.md lists every setting).', bad);
}

/** The keys a config may hold at its top level; `gates` holds `specify`, `plan` and `tasks`. */
const TOP_LEVEL_KEYS = ['version', 'layout', 'specs_dir', 'roots', 'id_scheme', 'require_approval', 'approvers', 'require_signed_approval', 'regression', 'gates', 'aliases'];

/** The id scheme of each layout, when the config names none. */
const LAYOUT_ID_SCHEME: Record<Layout, IdScheme> = { specflow: 'specflow', 'spec-kit': 'spec-kit', kiro: 'name', openspec: 'name' };

const QUALIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** `roots:` entries, each a folder or `{path, qualifier, archive}`; undefined when any is unusable. */
function readRoots(raw: Json): SpecRoot[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: SpecRoot[] = [];
  for (const item of raw) {
    const entry = typeof item === 'string' ? { path: item } : item;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
    if (Object.keys(entry).some((k) => k !== 'path' && k !== 'qualifier' && k !== 'archive')) return undefined;
    const path = typeof entry.path === 'string' ? insideFolder(entry.path) : undefined;
    if (path === undefined) return undefined;
    const root: SpecRoot = { path };
    if (entry.qualifier !== undefined) {
      if (typeof entry.qualifier !== 'string' || !QUALIFIER.test(entry.qualifier)) return undefined;
      root.qualifier = entry.qualifier;
    }
    if (entry.archive !== undefined) {
      if (typeof entry.archive !== 'boolean') return undefined;
      if (entry.archive) root.archive = true;
    }
    out.push(root);
  }
  return out;
}

/** A key specflow does not know is most often a typo: say so, with the nearest known key. */
function unknownKeys(raw: { [k: string]: Json }, known: readonly string[], prefix: string, report: (key: string, message: string) => void): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    const near = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
    const guess = near && near.d <= Math.max(2, Math.floor(key.length / 3)) ? `; did you mean ${prefix}${near.k}?` : '';
    report(`${prefix}${key}`, `${prefix}${key} is not a setting specflow knows; it is ignored${guess}`);
  }
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** A repo-relative folder in canonical form, or undefined when it is empty, absolute or leaves the repository. */
function insideFolder(raw: string): string | undefined {
  const p = posix.normalize(raw.trim().replace(/\\/g, '/')).replace(/\/+$/, '');
  if (p === '' || p === '.' || p === '..' || p.startsWith('../') || p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return undefined;
  return p;
}

function lineOf(src: string, doc: ReturnType<typeof parseDocument>, path: string[]): number | undefined {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  return src.slice(0, offset).split('\n').length;
}
