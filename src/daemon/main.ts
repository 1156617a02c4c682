import { Command, CommanderError } from 'commander';
import { EXIT, SpecflowError, UsageError } from '../core/errors.js';
import { findRepoRoot } from '../tree/repo.js';
import { err, guardPipes, out, outJson, write } from '../ui/output.js';
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

const wantsJson = (argv: readonly string[]) => argv.includes('--json');

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

async function action(json: boolean, body: () => Promise<{ code: number; json: unknown; text: string; notes?: string }>): Promise<void> {
  try {
    const r = await body();
    if (r.notes) err(r.notes);
    if (json) outJson(r.json);
    else out(r.text);
    process.exitCode = r.code;
  } catch (e) {
    const se = e instanceof SpecflowError ? e : undefined;
    const message = e instanceof Error ? e.message : String(e);
    if (json) outJson({ ok: false, error: { code: se?.code ?? 'internal', message, ...(se?.hint ? { hint: se.hint } : {}) } });
    err(`specflowd: ${message}`);
    if (se?.hint) err(`  ${se.hint}`);
    process.exitCode = se?.exitCode ?? EXIT.failed;
  }
}

const root = (o: CommonOptions) => findRepoRoot(o.repo ?? process.cwd());

function buildProgram(): Command {
  const program = new Command('specflowd')
    .description('Watches the specs and the ledger; repairs drift that needs no judgement, reports the rest.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => write('stdout', s), writeErr: (s) => write('stderr', s) });
  const repo = ['--repo <dir>', 'the repository (default: the one around the current directory)'] as const;
  const runFlags = (c: Command) =>
    c.option('--debounce <ms>', 'quiet time after a burst of file events before reconciling (default 40)').option('--interval <ms>', 'full reconcile every so often, as a safety net (default 60000)');

  runFlags(program.command('run').description('run in the foreground until SIGTERM or Ctrl-C').option(...repo).option('--json', 'print JSON')).action(async (o: RunFlags) =>
    action(!!o.json, async () => {
      const dir = root(o);
      const { runDaemon } = await import('./run.js');
      const detached = process.env.SPECFLOWD_DETACHED === '1';
      const r = await runDaemon({
        root: dir,
        ...timing(o),
        onReady: (s) => {
          if (!detached && !o.json) err(`specflowd: watching ${dir} (pid ${s.pid}); log in .maestro/run/specflowd.log; Ctrl-C stops it`);
        },
      });
      if ('alreadyRunning' in r)
        return { code: EXIT.busy, json: { ok: false, running: true, pid: r.alreadyRunning }, text: '', notes: `specflowd: already running in ${dir} (pid ${r.alreadyRunning})` };
      return { code: EXIT.ok, json: { ok: true, stopped: r.stopped }, text: detached ? '' : `specflowd: stopped (${r.stopped})` };
    }),
  );

  runFlags(program.command('start').description('start in the background; returns once it is watching').option(...repo).option('--json', 'print JSON')).action(async (o: RunFlags) =>
    action(!!o.json, async () => {
      const dir = root(o);
      const t = timing(o);
      const { startDaemon } = await import('./control.js');
      const r = await startDaemon(dir, ['--debounce', String(t.debounceMs), '--interval', String(t.intervalMs)]);
      const text = r.alreadyRunning ? `specflowd: already running in ${dir} (pid ${r.pid})` : `specflowd: started in ${dir} (pid ${r.pid})`;
      return { code: EXIT.ok, json: { ok: true, started: !r.alreadyRunning, ...r.report }, text };
    }),
  );

  program
    .command('stop')
    .description('stop the daemon of this worktree (it finishes any write first)')
    .option(...repo)
    .option('--json', 'print JSON')
    .action(async (o: CommonOptions) =>
      action(!!o.json, async () => {
        const dir = root(o);
        const { stopDaemon } = await import('./control.js');
        const r = await stopDaemon(dir);
        const text = !r.wasRunning ? `specflowd: not running in ${dir}` : `specflowd: stopped (pid ${r.pid})${r.forced ? ' — it did not stop in time and was killed' : ''}`;
        return { code: EXIT.ok, json: { ok: true, ...r }, text };
      }),
    );

  program
    .command('status')
    .description('running or not, pid, uptime, last reconcile, repairs, last error (exit 1 when not running)')
    .option(...repo)
    .option('--json', 'print JSON')
    .action(async (o: CommonOptions) =>
      action(!!o.json, async () => {
        const { daemonStatus } = await import('./control.js');
        const s = daemonStatus(root(o));
        return { code: s.running ? EXIT.ok : EXIT.failed, json: s, text: formatStatus(s, Date.now()) };
      }),
    );
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exitCode = EXIT.ok;
        return;
      }
      if (wantsJson(argv)) outJson({ ok: false, error: { code: 'usage', message: e.message.replace(/^error: /, '') } });
      process.exitCode = EXIT.usage;
      return;
    }
    throw e;
  }
}

guardPipes();
await main(process.argv);
