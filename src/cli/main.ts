import { Command, Option } from 'commander';
import type { CommandResult, ResultData } from '../core/command-results.js';
import { UsageError } from '../core/errors.js';
import { makeContext, type Context } from '../ui/context.js';
import { emit, type TextPresenter } from '../ui/emit.js';
import { reportFailure } from '../ui/failure.js';
import { guardPipes, write } from '../ui/output.js';

/**
 * `specflow`: wires arguments to command modules. Each command and its text presenter are
 * imported when it runs, so a command pays only for its own dependencies. A command returns
 * data; ui/emit prints it (text, or the one JSON envelope); ui/failure maps whatever is thrown
 * to an exit code, here and in specflowd and the hooks alike.
 */
type Action<T extends ResultData> = (ctx: Context) => CommandResult<T> | Promise<CommandResult<T>>;
type Presenter<T extends ResultData> = () => Promise<TextPresenter<T>>;

async function run<T extends ResultData>(json: boolean, action: Action<T>, presenter: Presenter<T>): Promise<void> {
  try {
    const result = await action(makeContext());
    process.exitCode = emit(result, json ? () => '' : await presenter(), json);
  } catch (e) {
    process.exitCode = reportFailure(e, { program: 'specflow', json });
  }
}

const present = {
  add: async () => (await import('../ui/present/add.js')).addText,
  advance: async () => (await import('../ui/present/advance.js')).advanceText,
  approve: async () => (await import('../ui/present/approve.js')).approveText,
  status: async () => (await import('../ui/present/status.js')).statusText,
  validate: async () => (await import('../ui/present/validate.js')).validateText,
  skip: async () => (await import('../ui/present/skip.js')).skipText,
  import: async () => (await import('../ui/present/import.js')).importText,
  next: async () => (await import('../ui/present/next.js')).nextText,
  doctor: async () => (await import('../ui/present/doctor.js')).doctorText,
  verify: async () => (await import('../ui/present/verify.js')).verifyText,
  log: async () => (await import('../ui/present/log.js')).logText,
  init: async () => (await import('../ui/present/init.js')).initText,
  setup: async () => (await import('../ui/present/setup.js')).setupText,
  initServer: async () => (await import('../ui/present/init-server.js')).initServerText,
  silent: async () => (await import('../ui/present/silent.js')).silentText,
  board: async () => (await import('../ui/present/board.js')).boardText,
};

/** `--format` of the checks CI runs (`verify`, `validate`, `doctor`); `--json` is `--format json`. */
type CheckCommand = 'verify' | 'validate' | 'doctor';
interface FormatOptions {
  json?: boolean;
  format?: 'text' | 'json' | 'github' | 'sarif' | 'junit';
}
const formatOption = () =>
  new Option('--format <format>', 'output: text, json, github (workflow annotations), sarif (2.1.0) or junit (XML)').choices(['text', 'json', 'github', 'sarif', 'junit']);

async function runCheck<T extends ResultData>(command: CheckCommand, o: FormatOptions, action: Action<T>, presenter: Presenter<T>): Promise<void> {
  if (o.json && o.format && o.format !== 'json') {
    process.exitCode = reportFailure(new UsageError(`--json is --format json; it cannot be combined with --format ${o.format}`, undefined, 'usage.format'), { program: 'specflow', json: true });
    return;
  }
  const format = o.json ? 'json' : (o.format ?? 'text');
  if (format === 'text' || format === 'json') return run(format === 'json', action, presenter);
  const formats = () => import('../ui/present/ci/formats.js');
  const ci = async () => (await formats()).ciPresenter(command, format, SPECFLOW_VERSION) as unknown as TextPresenter<T>;
  // In GitHub's log a check that could not run (a bad range, a shallow history) is an annotation too.
  const annotated: Action<T> = async (ctx) => {
    try {
      return await action(ctx);
    } catch (e) {
      if (format === 'github') write('stdout', `${(await formats()).githubFailure(e)}\n`);
      throw e;
    }
  };
  return run(false, annotated, ci);
}

const PHASE_VERBS = ['specify', 'plan', 'tasks', 'implement', 'complete'] as const;

export function buildProgram(): Command {
  const program = new Command('specflow')
    .description('Keep the phase record of spec-driven development trustworthy.')
    .configureHelp({ helpWidth: 80 })
    .version(SPECFLOW_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => write('stdout', s), writeErr: (s) => write('stderr', s) });

  program
    .command('init')
    .description('set up .maestro/, register feature folders, install the hooks')
    .option('--adopt-phases', 'record each registered feature at the phase its documents already pass (default: none)')
    .option('--server <bare-repo>', 'install the server-side pre-receive check into a bare repository instead')
    .option('--json', 'print JSON')
    .action(async (o: { adoptPhases?: boolean; server?: string; json?: boolean }) =>
      o.server !== undefined
        ? run(!!o.json, async (ctx) => (await import('../commands/init/server.js')).initServer(ctx, o.server!), present.initServer)
        : run(!!o.json, async (ctx) => (await import('../commands/init/init.js')).init(ctx, { adoptPhases: !!o.adoptPhases }), present.init),
    );

  program
    .command('setup')
    .description("set this clone up: the ledger's merge driver, plain git hooks")
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/setup.js')).setup(ctx), present.setup));

  program
    .command('add')
    .description('register a feature and create its folder')
    .argument('<name>', 'feature name, e.g. "Vector Configuration"')
    .option('--id <id>', 'feature id (default: the next free F-<n>)')
    .option('--priority <n>', 'priority (lower comes first)')
    .option('--description <text>', 'one-line description')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { id?: string; priority?: string; description?: string; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/add.js')).add(ctx, name, o), present.add),
    );

  for (const verb of PHASE_VERBS) {
    program
      .command(verb)
      .description(`move a feature to ${verb} once its gate passes`)
      .argument('[id]', 'feature id (default: the one in .maestro/CURRENT_FEATURE.md)')
      .option('--feature <id>', 'feature id, as the SpecFlow CLI spells it')
      .option('--json', 'print JSON')
      .action(async (id: string | undefined, o: { feature?: string; json?: boolean }) =>
        run(
          !!o.json,
          async (ctx) => (await import('../commands/advance.js')).advance(ctx, id ?? o.feature, verb, { allowBackward: false, writeTemplates: true }),
          present.advance,
        ),
      );
  }

  program
    .command('phase')
    .description('set a phase: forward through the gates, backward freely')
    .argument('<id>', 'feature id')
    .argument('<phase>', 'none | specify | plan | tasks | implement | complete')
    .option('--json', 'print JSON')
    .action(async (id: string, phase: string, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/advance.js')).advance(ctx, id, phase, { allowBackward: true, writeTemplates: false }), present.advance),
    );

  program
    .command('approve')
    .description("record a human's approval of the spec")
    .argument('<id>', 'feature id')
    .option('--by <name>', 'who approves (default: git user.name <user.email>)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { by?: string; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/approve.js')).approve(ctx, id, o.by), present.approve),
    );

  program
    .command('status')
    .description('phase of every feature, or of one with its tasks')
    .argument('[id]', 'feature id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/status.js')).status(ctx, id), present.status),
    );

  program
    .command('validate')
    .description("run the gates of each feature's phase (the next as advice)")
    .argument('[id]', 'feature id')
    .option('--staged', 'read the ledger, config and documents from the index (what the next commit holds)')
    .option('--json', 'print JSON (same as --format json)')
    .addOption(formatOption())
    .action(async (id: string | undefined, o: FormatOptions & { staged?: boolean }) =>
      runCheck('validate', o, async (ctx) => (await import('../commands/validate.js')).validate(ctx, id, { staged: !!o.staged }), present.validate),
    );

  program
    .command('skip')
    .description('mark a feature skipped')
    .argument('<id>', 'feature id')
    .requiredOption('--reason <text>', 'why it is skipped')
    .option('--justification <text>', 'why, in words (kept after the reason)')
    .option('--duplicate-of <id>', 'the feature it duplicates (must be in progress or complete)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { reason?: string; justification?: string; duplicateOf?: string; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/skip.js')).skip(ctx, id, o), present.skip),
    );

  program
    .command('import')
    .description('bring a SpecFlow features.db into the ledger')
    .argument('<database>', 'path to the SpecFlow database, e.g. .specflow/features.db')
    .option('--json', 'print JSON')
    .action(async (database: string, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/import/import.js')).importFeatures(ctx, database), present.import),
    );

  program
    .command('next')
    .description('name the next feature to work on')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/next.js')).next(ctx), present.next));

  program
    .command('doctor')
    .description('the ledger against the files; --fix repairs what is safe')
    .option('--fix', 'apply the safe repairs')
    .option('--json', 'print JSON (same as --format json)')
    .addOption(formatOption())
    .action(async (o: FormatOptions & { fix?: boolean }) => runCheck('doctor', o, async (ctx) => (await import('../commands/doctor/doctor.js')).doctor(ctx, o), present.doctor));

  program
    .command('mcp')
    .description('serve the gate to AI agents: a Model Context Protocol server on stdio')
    .option('--repo <dir>', 'the repository to work in (default: the client\'s root, else the current folder)')
    .action(async (o: { repo?: string }) => {
      try {
        await (await import('../mcp/server.js')).serveMcp({ cwd: process.cwd(), ...(o.repo !== undefined ? { repo: o.repo } : {}) });
      } catch (e) {
        process.exitCode = reportFailure(e, { program: 'specflow mcp' });
      }
    });

  // The git gate: CI check, audit trail, merge driver, hook entry.
  program
    .command('verify')
    .description('for CI: judge every commit of a range by its own files')
    .requiredOption('--range <revisions>', 'commits to check, e.g. origin/main..HEAD')
    .option('--json', 'print JSON (same as --format json)')
    .addOption(formatOption())
    .action(async (o: FormatOptions & { range?: string }) => runCheck('verify', o, async (ctx) => (await import('../commands/verify.js')).verify(ctx, o.range), present.verify));

  program
    .command('log')
    .description('the audit trail: every phase change and whether its gate held')
    .argument('[id]', 'feature id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, o: { json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/log.js')).log(ctx, id), present.log));

  program
    .command('board')
    .description("the live board's address (specflowd serves it), or the board as one HTML file")
    .option('--open', 'open the address in a browser')
    .option('--out <file>', 'write the board, with every feature and the trail, to one self-contained HTML file')
    .option('--json', 'print JSON')
    .action(async (o: { open?: boolean; out?: string; json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/board.js')).board(ctx, o), present.board));

  program
    .command('merge-ledger', { hidden: true })
    .description('git merge driver for .maestro/ledger.yaml: merges feature by feature')
    .argument('<base>', '%O')
    .argument('<ours>', '%A (receives the result)')
    .argument('<theirs>', '%B')
    .option('--json', 'print JSON')
    .action(async (base: string, ours: string, theirs: string, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/merge-ledger.js')).mergeLedger(ctx, base, ours, theirs), present.silent),
    );

  program
    .command('hook', { hidden: true })
    .description('entry point of the installed git hooks')
    .argument('<name>', 'pre-commit | pre-merge-commit | commit-msg | pre-push | pre-receive | update')
    .argument('[args...]', 'what git passed to the hook')
    .action(async (name: string, args: string[]) => run(false, async (ctx) => (await import('../hook/command.js')).hook(ctx, name, args), present.silent));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    // Usage errors from the parser (help and version are exit 0), and anything thrown outside an action.
    process.exitCode = reportFailure(e, { program: 'specflow', json: argv.includes('--json') || argv.includes('--format=json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json') });
  }
}

guardPipes();
await main(process.argv);
