/**
 * Feature ids. SpecFlow ids are `F-<n>` (`F-12`, `F-016`); in a spec-kit layout the folder's
 * number prefix (`001`) is the id; in the Kiro and OpenSpec layouts (`name`) the folder's whole
 * name is the id (`user-login`, `2025-01-02-add-search`). Where two folders share one number,
 * each is tracked under its whole folder name (a *name id*, see `layout.ts`). A feature of a
 * sub-root of a monorepo carries its root's qualifier: `api/F-1`. Numbered ids are compared by
 * number so that the ledger keeps numeric order (`F-2` before `F-10`); name ids follow them.
 */
export type IdScheme = 'specflow' | 'spec-kit' | 'name';

const SPECFLOW_ID = /^[Ff]-(\d{1,9})$/;
const SPECKIT_ID = /^(\d{1,9})$/;

/** Canonical spelling of an id (`f-12` → `F-12`), or undefined when it is not an id at all. */
export function canonicalId(raw: string): string | undefined {
  const s = raw.trim();
  const sf = SPECFLOW_ID.exec(s);
  if (sf) return `F-${sf[1]}`;
  if (SPECKIT_ID.test(s)) return s;
  return undefined;
}

/** A folder name used as an id: lowercase or uppercase ASCII letters, digits, `.`, `_`, `-`. */
const NAME_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
/** `<qualifier>/<id>`: a feature of a sub-root. */
const QUALIFIED_ID = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})\/([^/]+)$/;

/** Whether a ledger key is a feature id of any kind: numbered, a folder name, or qualified by its root. */
export function isFeatureId(raw: string): boolean {
  if (canonicalId(raw) !== undefined || NAME_ID.test(raw)) return true;
  const q = QUALIFIED_ID.exec(raw);
  return q !== null && (canonicalId(q[2]!) !== undefined || NAME_ID.test(q[2]!));
}

/** `api/F-1` → `{ qualifier: 'api', id: 'F-1' }`; an unqualified id has no qualifier. */
export function splitQualified(id: string): { qualifier: string | undefined; id: string } {
  const q = QUALIFIED_ID.exec(id);
  return q ? { qualifier: q[1], id: q[2]! } : { qualifier: undefined, id };
}

/** The id of a feature found under a root: qualified when the root has a qualifier. */
export function qualify(qualifier: string | undefined, id: string): string {
  return qualifier ? `${qualifier}/${id}` : id;
}

/** The numeric part of an id, used for ordering. */
export function idNumber(id: string): number {
  const m = /(\d+)$/.exec(id);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/**
 * A total order: numbered ids (`F-4`, `001`) first, in numeric order (ties such as `F-4` vs
 * `F-004` fall back to string order); then every other id (name ids, qualified ids) in natural
 * order, digit runs compared as numbers (`api/F-2` before `api/F-10`).
 */
export function compareIds(a: string, b: string): number {
  const na = canonicalId(a) !== undefined;
  const nb = canonicalId(b) !== undefined;
  if (na !== nb) return na ? -1 : 1;
  if (!na) return naturalCompare(a, b);
  const d = idNumber(a) - idNumber(b);
  if (d !== 0 && Number.isFinite(d)) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

const CHUNK = /(\d+)|(\D+)/g;

function naturalCompare(a: string, b: string): number {
  const ca = a.match(CHUNK) ?? [];
  const cb = b.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Do two ids name the same feature (`F-4`, `f-004`)? */
export function sameFeature(a: string, b: string): boolean {
  const ca = canonicalId(a);
  const cb = canonicalId(b);
  if (!ca || !cb) return a === b;
  const prefix = (id: string) => id.replace(/\d+$/, '');
  return prefix(ca) === prefix(cb) && idNumber(ca) === idNumber(cb);
}

/** A folder name that starts with a date, as OpenSpec's `changes/archive/2025-03-01-add-search`. */
const ARCHIVED = /^\d{4}-\d{2}-\d{2}-(.+)$/;

const SPECFLOW_FOLDER = /^([Ff]-\d{1,9})-([a-z0-9][a-z0-9-]*)$/i;
const SPECKIT_FOLDER = /^(\d{1,9})-([a-z0-9][a-z0-9-]*)$/i;

/**
 * The feature id a folder name carries (`f-12-vector-configuration` → `F-12`), or undefined.
 * In a SpecFlow tree a plain `NNN-slug` folder carries `F-NNN` (so that it meets an `f-NNN-…`
 * folder of the same number as a clash); under the `name` scheme the folder name is the id,
 * less the date an archived OpenSpec change carries in front of it.
 */
export function idFromFolder(folder: string, scheme: IdScheme): string | undefined {
  if (scheme === 'name') {
    if (!NAME_ID.test(folder)) return undefined;
    // OpenSpec archives a change as `YYYY-MM-DD-<change-id>`: the date says when, the id stays.
    const archived = ARCHIVED.exec(folder)?.[1];
    return archived !== undefined && NAME_ID.test(archived) ? archived : folder;
  }
  if (scheme === 'spec-kit') return SPECKIT_FOLDER.exec(folder)?.[1];
  const m = SPECFLOW_FOLDER.exec(folder);
  if (m?.[1]) return canonicalId(m[1]);
  const plain = SPECKIT_FOLDER.exec(folder)?.[1];
  return plain === undefined ? undefined : `F-${plain}`;
}

/** Whether a folder name can stand as a name id (its whole name). */
export function isNameId(folder: string): boolean {
  return NAME_ID.test(folder);
}

/** Lowercase ASCII, `-` separated, at most 50 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 50).replace(/-+$/, '') || 'feature';
}

/** The folder name for a feature: `<id lowercased>-<slug>`. */
export function folderName(id: string, name: string): string {
  return `${id.toLowerCase()}-${slugify(name)}`;
}
