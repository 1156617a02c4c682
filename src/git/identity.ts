import { execFileSync } from 'node:child_process';

/** `Name <email>` from git's config, for approvals; undefined when git has none. */
export function gitIdentity(cwd: string): string | undefined {
  const get = (key: string) => {
    try {
      return execFileSync('git', ['config', key], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const name = get('user.name');
  const email = get('user.email');
  if (!name && !email) return undefined;
  return email ? `${name || email} <${email}>` : name;
}

/** Who the next commit will be authored by (`git var GIT_AUTHOR_IDENT`, which honours GIT_AUTHOR_NAME/EMAIL). */
export function committingIdentity(cwd: string, env: NodeJS.ProcessEnv = process.env): { name: string; email: string } | undefined {
  try {
    const ident = execFileSync('git', ['var', 'GIT_AUTHOR_IDENT'], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /^(.*?) <([^>]*)>/.exec(ident);
    return m ? { name: m[1]!, email: m[2]! } : undefined;
  } catch {
    return undefined;
  }
}

/** The blob id git would store for a file of the working tree (its clean filters applied); undefined when there is none. */
export function workingBlobId(cwd: string, rel: string): string | undefined {
  try {
    return execFileSync('git', ['hash-object', '--', rel], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
