// B6: `specflow doctor` on the 10,000-feature repository, cold (no cache) and on an unchanged
// tree (its cache from the run before), each against its baseline.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT, timed } from './setup.mjs';
import { abPairs } from './stats.mjs';

const CACHE = join('.maestro', 'run', 'doctor-cache.json');
const doctor = (repo, { env, pkg }) => timed(process.execPath, [pkg.cli, 'doctor'], { cwd: repo, env });

/** Cold: no doctor cache, vs parsing every document once with markdown-it. */
export function doctorCold(repo, ws, { pairs, warmup = 1 }) {
  const { env } = ws;
  return abPairs({
    pairs,
    warmup,
    between: () => rmSync(join(repo, CACHE), { force: true }),
    baseline: () => timed(process.execPath, [join(PROJECT, 'scripts', 'bench', 'markdown-baseline.mjs'), join(repo, '.specify', 'specs')], { cwd: repo, env }),
    ours: () => doctor(repo, ws),
  });
}

/** Unchanged tree: the cache of the previous doctor, vs `cat` of every file under the specs folder. */
export function doctorWarm(repo, ws, { pairs, warmup = 1 }) {
  const { env } = ws;
  doctor(repo, ws);
  return abPairs({
    pairs,
    warmup,
    baseline: () => timed('sh', ['-c', 'find .specify/specs -type f -exec cat {} + >/dev/null'], { cwd: repo, env }),
    ours: () => doctor(repo, ws),
  });
}
