// The types of git-env.mjs, for its TypeScript callers (the test helpers) and its JavaScript ones alike.
export interface GitEnvOptions {
  /** The fixed author and committer name (default `Test User`). */
  name?: string;
  /** The fixed author and committer email (default `test@example.com`). */
  email?: string;
  /** More gitconfig text, appended as is (e.g. `[advice]\n\tdetachedHead = false\n`). */
  config?: string;
  /** Variables set last, over everything else. */
  extra?: NodeJS.ProcessEnv;
  /** The environment to start from (default `process.env`). */
  from?: NodeJS.ProcessEnv;
}

export function isolatedGitEnv(home: string, options?: GitEnvOptions): NodeJS.ProcessEnv;
