import type { CommandResult, VerifyResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { formatFinding, type Style } from '../format.js';
import { describeMove } from './log.js';

export function verifyText({ data }: CommandResult<VerifyResult>, s: Style): string {
  const lines = data.commits.filter((c) => c.moves.length || c.blocking.length || c.regressions.length || c.warnings.length).map((c) => commitText(c, s));
  const { commits, violations } = data.summary;
  const summary = `${commits} commit(s) in ${printable(data.range)} judged; ${violations} violate${violations === 1 ? 's' : ''} a rule`;
  lines.push('', violations ? s.red(summary) : s.green(summary));
  if (violations) lines.push(s.dim('Each commit is judged by its own files: rewrite the offending commits (git rebase -i), or move the phase back in them.'));
  return lines.join('\n').replace(/^\n/, '');
}

function commitText(c: VerifyResult['commits'][number], s: Style): string {
  const head = `${s.bold(c.short)} ${c.date.slice(0, 10)} ${printable(c.author)}  ${printable(c.subject)}`;
  const body = c.moves.map((m) => `  ${describeMove(m, s)}`);
  for (const r of c.regressions) {
    body.push(`  ${s.red(`${printable(r.id)} stays at ${r.phase}, but this commit leaves its documents failing`)}`);
    for (const f of r.findings) body.push(`    ${formatFinding(f, s).replace(/\n/g, '\n    ')}`);
  }
  for (const f of [...c.blocking, ...c.warnings]) body.push(`  ${formatFinding(f, s).replace(/\n/g, '\n  ')}`);
  return [head, ...body].join('\n');
}
