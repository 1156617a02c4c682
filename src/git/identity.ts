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
