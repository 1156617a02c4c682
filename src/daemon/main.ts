import { Command } from 'commander';
import type { CommandResult, ResultData } from '../core/command-results.js';
import { EXIT, UsageError } from '../core/errors.js';
import { findRepoRoot } from '../tree/repo.js';
import { emit, type TextPresenter } from '../ui/emit.js';
import { reportFailure } from '../ui/failure.js';
import { err, guardPipes, write } from '../ui/output.js';
import { formatStatus } from './format.js';

/**
 * `specflowd run | start | stop | status`: the watcher daemon (DESIGN §6). `run` stays in the
 * foreground (for a terminal, systemd or any supervisor); `start` detaches one and returns once
 * it is ready. chokidar and pino are loaded only by `run`.
 */
interface CommonOptions {
  repo?: string;
  json?: boolean;
}
interface RunFlags extends CommonOptions {
  debounce?: string;
  interval?: string;
}

function number(flag: string, raw: string | undefined, env: string, fallback: number): number {
  const value = raw ?? process.env[env];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a number of milliseconds, not "${value}"`);
  return n;
}

function timing(o: RunFlags) {
  const debounceMs = number('--debounce', o.debounce, 'SPECFLOWD_DEBOUNCE_MS', 40);
  const intervalMs = Math.max(1000, number('--interval', o.interval, 'SPECFLOWD_INTERVAL_MS', 60_000));
  return { debounceMs, intervalMs, maxWaitMs: Math.max(500, debounceMs * 10) };
}

/** Runs a subcommand and prints its result, or its failure, through the same path as `specflow`. */
async function action<T extends ResultData>(json: boolean, body: () => Promise<CommandResult<T>>, text: TextPresenter<T>): Promise<void> {
  try {
    process.exitCode = emit(await body(), text, json);
  } catch (e) {
    process.exitCode = reportFailure(e, { program: 'specflowd', json });
  }
}

const root = (o: CommonOptions) => findRepoRoot(o.repo ?? process.cwd());

function buildProgram(): Command {
  const program = new Command('specflowd')
    .description('Watches the specs and the ledger; repairs drift that needs no judgement, reports the rest.')
    .version(SPECFLOW_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => write('stdout', s), writeErr: (s) => write('stderr', s) });
  const repo = ['--repo <dir>', 'the repository (default: the one around the current directory)'] as const;
  const runFlags = (c: Command) =>
    c.option('--debounce <ms>', 'quiet time after a burst of file events before reconciling (default 40)').option('--interval <ms>', 'full reconcile every so often, as a safety net (default 60000)');

  runFlags(program.command('run').description('run in the foreground until SIGTERM or Ctrl-C').option(...repo).option('--json', 'print JSON')).action(async (o: RunFlags) => {
    const detached = process.env.SPECFLOWD_DETACHED === '1';
    await action(
      !!o.json,
      async (): Promise<CommandResult<{ running: true; pid: number } | { stopped: string }>> => {
        const dir = root(o);
        const { runDaemon } = await import('./run.js');
        const r = await runDaemon({
          root: dir,
          ...timing(o),
          onReady: (s) => {
            if (!detached && !o.json) err(`specflowd: watching ${dir} (pid ${s.pid}); log in .maestro/run/specflowd.log; Ctrl-C stops it`);
          },
        });
        if ('alreadyRunning' in r)
          return { exitCode: EXIT.busy, data: { running: true, pid: r.alreadyRunning }, notes: [`specflowd: already running in ${dir} (pid ${r.alreadyRunning})`] };
        return { exitCode: EXIT.ok, data: { stopped: r.stopped } };
      },
      ({ data }) => ('stopped' in data && !detached ? `specflowd: stopped (${data.stopped})` : ''),
    );
  });

  runFlags(program.command('start').description('start in the background; returns once it is watching').option(...repo).option('--json', 'print JSON')).action(async (o: RunFlags) =>
    action(
      !!o.json,
      async () => {
        const dir = root(o);
        const t = timing(o);
        const { startDaemon } = await import('./control.js');
        const r = await startDaemon(dir, ['--debounce', String(t.debounceMs), '--interval', String(t.intervalMs)]);
        return { exitCode: EXIT.ok, data: { started: !r.alreadyRunning, ...r.report, root: dir, pid: r.pid } };
      },
      ({ data }) => `specflowd: ${data.started ? 'started' : 'already running'} in ${data.root} (pid ${data.pid})`,
    ),
  );

  program
    .command('stop')
    .description('stop the daemon of this worktree (it finishes any write first)')
    .option(...repo)
    .option('--json', 'print JSON')
    .action(async (o: CommonOptions) =>
      action(
        !!o.json,
        async () => {
          const dir = root(o);
          const { stopDaemon } = await import('./control.js');
          return { exitCode: EXIT.ok, data: { root: dir, ...(await stopDaemon(dir)) } };
        },
        ({ data }) =>
          !data.wasRunning ? `specflowd: not running in ${data.root}` : `specflowd: stopped (pid ${data.pid})${data.forced ? ' — it did not stop in time and was killed' : ''}`,
      ),
    );

  program
    .command('status')
    .description('running or not, pid, uptime, last reconcile, repairs, last error (exit 1 when not running)')
    .option(...repo)
    .option('--json', 'print JSON')
    .action(async (o: CommonOptions) =>
      action(
        !!o.json,
        async () => {
          const { daemonStatus } = await import('./control.js');
          const s = daemonStatus(root(o));
          return { exitCode: s.running ? EXIT.ok : EXIT.failed, data: s };
        },
        ({ data }) => formatStatus(data, Date.now()),
      ),
    );
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    // Usage errors from the parser (help and version are exit 0), and anything thrown outside an action.
    process.exitCode = reportFailure(e, { program: 'specflowd', json: argv.includes('--json') });
  }
}

guardPipes();
await main(process.argv);
