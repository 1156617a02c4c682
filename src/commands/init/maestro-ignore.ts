/**
 * `.maestro/.gitignore`: the daemon's runtime folder, the ledger lock and its takeover guard, and
 * the temporary file of a write in progress (`ledger.yaml.<pid>.tmp`, see store/atomic-write.ts),
 * so that a `git add -A` during a write never stages them (DESIGN §6).
 */
const HEADER = '# Runtime state and the files of a write in progress (specflow); never committed.';
export const MAESTRO_IGNORES = ['run/', 'ledger.yaml.lock', '*.break', '*.tmp'] as const;

/** An ignore line as git reads it, for comparing: no leading slash, no trailing spaces. */
const normal = (line: string) => line.trim().replace(/^\//, '');

/**
 * The file's text with every pattern above present: the full file when there is none, else the
 * user's lines kept as they are and the missing patterns appended. Undefined when nothing is missing.
 */
export function maestroIgnoreText(current: string | undefined): string | undefined {
  if (current === undefined) return `${HEADER}\n${MAESTRO_IGNORES.join('\n')}\n`;
  const have = new Set(current.split('\n').map(normal));
  // `run` without the slash ignores the folder as well.
  if (have.has('run')) have.add('run/');
  const missing = MAESTRO_IGNORES.filter((p) => !have.has(p));
  if (missing.length === 0) return undefined;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  return `${current}${sep}${missing.join('\n')}\n`;
}
