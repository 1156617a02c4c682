import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

/** The project's package.json, and whether it lists specflowd; undefined when there is none or it does not parse. */
function readPackage(root: string): { pkg: PackageJson; text: string; path: string; listed: boolean } | undefined {
  const path = join(root, 'package.json');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  try {
    const pkg = JSON.parse(text) as unknown;
    if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) return undefined;
    const p = pkg as PackageJson;
    return { pkg: p, text, path, listed: !!(p.devDependencies?.[PACKAGE] ?? p.dependencies?.[PACKAGE]) };
  } catch {
    return undefined;
  }
}

/**
 * What init tells the user about teammates' clones when `prepare` cannot do it: the command
 * each clone runs once. Undefined when the prepare script runs it.
 */
export function cloneAdvice(root: string): string | undefined {
  const found = readPackage(root);
  const prepare = found?.pkg.scripts?.prepare;
  if (found?.listed && typeof prepare === 'string' && prepare.includes(SETUP_COMMAND)) return undefined;
  return `each clone runs \`${SETUP_COMMAND}\` once (the ledger's merge driver; without husky, lefthook or pre-commit, the hooks too)`;
}

/** What a teammate's clone runs to get what git does not carry (`specflow setup`). */
export const SETUP_COMMAND = 'specflow setup';
const PACKAGE = 'specflowd';

/**
 * Puts `specflow setup` in the project's own `prepare` script (after what is there: husky's
 * `husky` first, so the hooks folder is active when setup looks), so that `npm install` or
 * `npm ci` in any clone registers the ledger's merge driver and, without a hook manager, the
 * hooks. Only where package.json lists specflowd as a dependency: elsewhere `prepare` could not
 * find it, and init prints the command each clone runs instead. Indentation and key order kept.
 */
export function addSetupToPrepare(root: string): string[] {
  const found = readPackage(root);
  if (!found?.listed) return [];
  const { pkg, text, path } = found;
  const prepare = pkg.scripts?.prepare;
  if (typeof prepare === 'string' && prepare.includes(SETUP_COMMAND)) return [];
  if (prepare !== undefined && typeof prepare !== 'string') return [];
  const scripts = { ...(pkg.scripts ?? {}), prepare: prepare ? `${prepare} && ${SETUP_COMMAND}` : SETUP_COMMAND };
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  writeFileSync(path, `${JSON.stringify({ ...pkg, scripts }, null, indent)}\n`);
  return [`package.json's prepare script runs \`${SETUP_COMMAND}\` (now: "${scripts.prepare}"): npm ci in a clone sets the hooks and the merge driver up`];
}

