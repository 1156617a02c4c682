import { canonicalId } from '../core/feature-id.js';
import { printable } from '../core/printable.js';
import { GLYPHS, type Phase } from '../core/phase.js';
import { EXIT } from '../core/errors.js';
import { runGit } from '../git/run.js';
import { judgeHistory, type JudgedMove } from '../git/phase-history.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Context, Outcome } from '../ui/context.js';
import { formatFinding, table, type Style } from '../ui/format.js';

/**
 * `specflow log [id]`: the audit trail — every phase change in the history of `HEAD`, oldest
 * first, with its commit, author, date, the move, whether the commit message carries the
 * trailer, and whether the gate held at that commit. A phase that a merge took from another
 * branch is listed once, at the commit that changed it in that branch.
 */
export async function log(ctx: Context, rawId: string | undefined): Promise<Outcome> {
  const root = findRepoRoot(ctx.cwd);
  const want = rawId === undefined ? undefined : (canonicalId(rawId) ?? rawId);
  const hasHead = runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).code === 0;
  const commits = hasHead ? await judgeHistory(root, ['HEAD']) : [];
  const changes = commits.flatMap(({ commit, moves }) =>
    moves
      .filter((m) => !m.merged && (want === undefined || m.id === want))
      .map((m) => ({ commit: commit.oid, short: commit.short, author: commit.author, email: commit.email, date: commit.date, subject: commit.subject, feature: m.id, ...moveJson(m) })),
  );
  const s = ctx.style;
  const rows = changes.map((c) => [
    c.short,
    c.date.replace('T', ' ').slice(0, 16),
    printable(c.author),
    printable(c.feature),
    `${GLYPHS[c.from]} ${c.from} → ${GLYPHS[c.to]} ${c.to}`,
    gateText(c.gate, s),
    c.trailer ? 'trailer' : s.yellow('no trailer'),
  ]);
  const what = want === undefined ? 'the ledger' : printable(want);
  const text = changes.length
    ? table(rows, ['commit', 'date', 'author', 'feature', 'change', 'gate', 'message'])
    : `No phase changes of ${what} in the history of HEAD.`;
  return { exitCode: EXIT.ok, json: { feature: want ?? null, changes }, text };
}

function moveJson(m: JudgedMove) {
  return { from: m.from, to: m.to, kind: m.kind, gate: m.gate, trailer: m.trailer, findings: m.findings };
}

function gateText(gate: JudgedMove['gate'], s: Style): string {
  if (gate === 'held') return s.green('gate held');
  if (gate === 'failed') return s.red('GATE FAILED');
  return s.dim('no gate (back)');
}

const label = (p: Phase) => `${GLYPHS[p]} ${p}`;

/** One move with its verdict, for `verify`'s listing. */
export function describeMove(m: JudgedMove, s: Style): string {
  const head = `${printable(m.id)} ${label(m.from)} → ${label(m.to)}  ${gateText(m.gate, s)}${m.merged ? s.dim(' (merged in)') : ''}${m.trailer ? '' : s.dim('  (no Specflow-Phase trailer: --no-verify or SPECFLOW_SKIP=1?)')}`;
  return [head, ...m.findings.map((f) => `    ${formatFinding(f, s).replace(/\n/g, '\n    ')}`)].join('\n');
}
