/**
 * A readable name for a feature found as a folder with no ledger entry: the spec's title when
 * there is one, else the folder's slug in sentence case. Used by `init` and by the repair that
 * registers unregistered folders, so both name a feature the same way.
 */
const MAX_NAME = 120;
const GENERIC_TITLE = /^(requirements?( document)?|design( document)?|proposal|change proposal|specification|spec|feature specification|implementation plan|tasks?)$/i;

export function featureNameFromFolder(folderName: string, specText?: string): string {
  const title = specText === undefined ? undefined : /^#\s+(.+)$/m.exec(specText)?.[1];
  if (title) {
    const cleaned = title
      .replace(/^(feature\s+specification|specification|spec|change|proposal)\s*:\s*/i, '')
      .replace(/^[A-Za-z]-?\d+\s*[:—–-]\s*/, '')
      .replace(/\s+#+\s*$/, '')
      .trim();
    // A template's own title names no feature (Kiro's "Requirements Document", a bare "Proposal").
    if (cleaned && !GENERIC_TITLE.test(cleaned)) return cleaned.slice(0, MAX_NAME);
  }
  const slug = folderName.replace(/^([A-Za-z]-)?\d+-/, '');
  const words = slug.split('-').filter(Boolean);
  if (words.length === 0) return folderName;
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}
