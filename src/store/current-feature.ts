import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalId } from '../core/feature-id.js';

/** Where the Maestro playbooks record the feature they are working on. */
export const CURRENT_FEATURE_PATH = '.maestro/CURRENT_FEATURE.md';

/**
 * The feature named in `.maestro/CURRENT_FEATURE.md` (`Feature ID: F-12`, or the playbooks'
 * own `- **Feature ID:** F-12`), if any. `ALL_FEATURES_COMPLETE` names none.
 */
export function currentFeatureId(root: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, CURRENT_FEATURE_PATH), 'utf8');
  } catch {
    return undefined;
  }
  const m = /Feature\s*ID\s*:\s*\**\s*`?([A-Za-z]-?\d+|\d+)/i.exec(text);
  return m?.[1] ? (canonicalId(m[1]) ?? m[1]) : undefined;
}
