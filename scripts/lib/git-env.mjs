// An isolated environment for git and specflow, shared by the tests, the bench, the demo, the
// corpus run and the compat check: nothing of the user's git config, hooks, identity, signing
// or specflow/husky switches leaks in, and every repository starts on `main`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Inherited variables that would change what git, husky or specflow do. */
const LEAKY = ['GIT_', 'SPECFLOW', 'HUSKY'];

/**
 * Writes `<home>/.gitconfig` (a fixed identity, `main` as the default branch, no signing, no
 * automatic gc or maintenance, plus `config`) and returns an environment that uses it and
 * nothing else: the inherited `GIT_*`, `SPECFLOW*` and `HUSKY*` variables are dropped; HOME,
 * XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM and NO_COLOR are set; `extra` comes last.
 * @param {string} home
 * @param {import('./git-env.d.mts').GitEnvOptions} [options]
 * @returns {NodeJS.ProcessEnv}
 */
export function isolatedGitEnv(home, { name = 'Test User', email = 'test@example.com', config = '', extra = {}, from = process.env } = {}) {
  mkdirSync(home, { recursive: true });
  const globalConfig = join(home, '.gitconfig');
  writeFileSync(
    globalConfig,
    `[user]\n\tname = ${name}\n\temail = ${email}\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n${config}`,
  );
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [k, v] of Object.entries(from)) if (!LEAKY.some((prefix) => k.startsWith(prefix))) env[k] = v;
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    ...extra,
  };
}
