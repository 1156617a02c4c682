/**
 * Feature ids. SpecFlow ids are `F-<n>` (`F-12`, `F-016`); in a spec-kit layout the folder's
 * number prefix (`001`) is the id. Ids are compared by number so that the ledger keeps
 * numeric order (`F-2` before `F-10`).
 */
export type IdScheme = 'specflow' | 'spec-kit';

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

/** The numeric part of an id, used for ordering. */
export function idNumber(id: string): number {
  const m = /(\d+)$/.exec(id);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/** Numeric id order; ties (e.g. `F-4` vs `F-004`) fall back to string order so sorting is total. */
export function compareIds(a: string, b: string): number {
  const d = idNumber(a) - idNumber(b);
  if (d !== 0 && Number.isFinite(d)) return d;
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

const SPECFLOW_FOLDER = /^([Ff]-\d{1,9})-([a-z0-9][a-z0-9-]*)$/i;
const SPECKIT_FOLDER = /^(\d{1,9})-([a-z0-9][a-z0-9-]*)$/i;

/** The feature id a folder name carries (`f-12-vector-configuration` → `F-12`), or undefined. */
export function idFromFolder(folder: string, scheme: IdScheme): string | undefined {
  const m = (scheme === 'spec-kit' ? SPECKIT_FOLDER : SPECFLOW_FOLDER).exec(folder);
  if (!m?.[1]) return undefined;
  return scheme === 'spec-kit' ? m[1] : canonicalId(m[1]);
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
