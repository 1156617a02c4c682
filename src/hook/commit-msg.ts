import { readFileSync, writeFileSync } from 'node:fs';
import { trailerValues } from '../core/git-format.js';
import { phaseMoves, PHASE_TRAILER, trailersFor, trailerValue, withoutPhaseTrailers } from '../core/phase-moves.js';
import { git, runGit } from '../git/run.js';
import type { StagedReads } from './staged-reads.js';
import { stagedDelta } from './staged-delta.js';

/**
 * commit-msg: records each phase change of the commit as a `Specflow-Phase: F-12 specify -> plan`
 * trailer, through git's own trailer support, replacing the trailers the message already
 * carries (see `trailersFor`: an amend's chain on, stale ones go), so that what a message says
 * is what its commit does.
 */
export async function commitMsg(root: string, messageFile: string | undefined, started?: StagedReads): Promise<number> {
  if (!messageFile) {
    started?.objects.close();
    return 0;
  }
  const { delta, head } = await stagedDelta(root, process.env, started);
  const message = readFileSync(messageFile, 'utf8');
  const existing = trailerValues(message, PHASE_TRAILER);
  const moves = phaseMoves(delta);
  if ((moves.length === 0 && existing.length === 0) || isEmptyMessage(root, message)) return 0;
  const wanted = trailersFor(existing, moves, (id) => head?.feature(id)?.phase);
  if (existing.length) writeFileSync(messageFile, withoutPhaseTrailers(message));
  if (wanted.length === 0) return 0;
  const trailers = wanted.flatMap((m) => ['--trailer', `${PHASE_TRAILER}: ${trailerValue(m)}`]);
  git(root, ['interpret-trailers', '--in-place', '--if-exists', 'addIfDifferent', ...trailers, messageFile]);
  return 0;
}

/** An empty message aborts the commit; a trailer must not turn it into a real one. */
function isEmptyMessage(root: string, text: string): boolean {
  const configured = runGit(root, ['config', '--get', 'core.commentChar']).stdout.trim();
  const comment = configured && configured !== 'auto' ? configured : '#';
  const scissors = text.search(new RegExp(`^${escape(comment)} -+ >8 -+$`, 'm'));
  const body = scissors >= 0 ? text.slice(0, scissors) : text;
  return body.split('\n').every((line) => line.trim() === '' || line.startsWith(comment));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
