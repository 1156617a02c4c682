import { Command, CommanderError, Option } from 'commander';
import { printable } from '../core/printable.js';
import { EXIT, SpecflowError } from '../core/errors.js';
import { makeContext, type Context, type Outcome } from '../ui/context.js';
import { formatFindings } from '../ui/format.js';
import { err, guardPipes, out, outJson, write } from '../ui/output.js';

/**
 * `specflow`: wires arguments to command modules. Each command is imported when it runs, so a
 * command pays only for its own dependencies. Errors are mapped to exit codes here, once.
 */
type Action = (ctx: Context) => Outcome | Promise<Outcome>;

const wantsJson = (argv: readonly string[]) => argv.includes('--json');

function emit(ctx: Context, outcome: Outcome): void {
  if (outcome.notes) err(outcome.notes);
  if (ctx.json) outJson(outcome.json);
  else out(outcome.text);
  process.exitCode = outcome.exitCode;
}

function fail(ctx: Context, e: unknown): void {
  if (e instanceof SpecflowError) {
    if (ctx.json) outJson({ ok: false, error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }, findings: e.findings });
    else {
      if (e.findings.length) err(formatFindings(e.findings, ctx.style));
      // Messages quote ids and names from the ledger: escape what could spoof the terminal.
      err(`specflow: ${printable(e.message)}`);
      if (e.hint) err(`  ${printable(e.hint)}`);
    }
    process.exitCode = e.exitCode;
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (ctx.json) outJson({ ok: false, error: { code: 'internal', message } });
  err(`specflow: internal error: ${printable(message)}`);
  if (process.env.SPECFLOW_DEBUG && e instanceof Error && e.stack) err(e.stack);
  process.exitCode = EXIT.failed;
}

async function run(json: boolean, action: Action): Promise<void> {
  const ctx = makeContext(json);
  try {
    emit(ctx, await action(ctx));
  } catch (e) {
    fail(ctx, e);
  }
}

const PHASE_VERBS = ['specify', 'plan', 'tasks', 'implement', 'complete'] as const;

export function buildProgram(): Command {
  const program = new Command('specflow')
    .description('Keep the phase record of spec-driven development trustworthy.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => write('stdout', s), writeErr: (s) => write('stderr', s) });

  program
    .command('init')
    .description('create .maestro/ (ledger, config), register existing feature folders, install the git hooks')
    .option('--adopt-phases', 'record each registered feature at the phase its documents already pass (default: none)')
    .option('--json', 'print JSON')
    .action(async (o: { adoptPhases?: boolean; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/init/init.js')).init(ctx, { adoptPhases: !!o.adoptPhases })),
    );

  program
    .command('add')
    .description('register a feature and create its folder')
    .argument('<name>', 'feature name, e.g. "Vector Configuration"')
    .option('--id <id>', 'feature id (default: the next free F-<n>)')
    .option('--priority <n>', 'priority (lower comes first)')
    .option('--description <text>', 'one-line description')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { id?: string; priority?: string; description?: string; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/add.js')).add(ctx, name, o)),
    );

  for (const verb of PHASE_VERBS) {
    program
      .command(verb)
      .description(`move a feature to ${verb} when its gate passes (writes the document template if missing)`)
      .argument('[id]', 'feature id (default: the one in .maestro/CURRENT_FEATURE.md)')
      .option('--feature <id>', 'feature id, as the SpecFlow CLI spells it')
      .option('--json', 'print JSON')
      .action(async (id: string | undefined, o: { feature?: string; json?: boolean }) =>
        run(!!o.json, async (ctx) =>
          (await import('../commands/advance.js')).advance(ctx, id ?? o.feature, verb, { allowBackward: false, writeTemplates: true }),
        ),
      );
  }

  program
    .command('phase')
    .description('set a phase directly: forward only through the gates, backward allowed')
    .argument('<id>', 'feature id')
    .argument('<phase>', 'none | specify | plan | tasks | implement | complete')
    .option('--json', 'print JSON')
    .action(async (id: string, phase: string, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/advance.js')).advance(ctx, id, phase, { allowBackward: true, writeTemplates: false })),
    );

  program
    .command('approve')
    .description("record a human's approval of the spec")
    .argument('<id>', 'feature id')
    .option('--by <name>', 'who approves (default: git user.name <user.email>)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { by?: string; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/approve.js')).approve(ctx, id, o.by)),
    );

  program
    .command('status')
    .description('phase of every feature, or of one with its tasks')
    .argument('[id]', 'feature id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/status.js')).status(ctx, id)),
    );

  program
    .command('validate')
    .description("run the gates of each feature's current phase (and the next one, as advice)")
    .argument('[id]', 'feature id')
    .option('--staged', 'read the ledger, config and documents from the index (what the next commit holds)')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, o: { staged?: boolean; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/validate.js')).validate(ctx, id, { staged: !!o.staged })),
    );

  program
    .command('skip')
    .description('mark a feature skipped')
    .argument('<id>', 'feature id')
    .addOption(new Option('--reason <text>', 'why it is skipped'))
    .option('--justification <text>', 'why, in words (kept after the reason)')
    .option('--duplicate-of <id>', 'the feature it duplicates (must be in progress or complete)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { reason?: string; justification?: string; duplicateOf?: string; json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/skip.js')).skip(ctx, id, o)),
    );

  program
    .command('import')
    .description("bring a SpecFlow features.db into the ledger, checking each imported phase against its gates")
    .argument('<database>', 'path to the SpecFlow database, e.g. .specflow/features.db')
    .option('--json', 'print JSON')
    .action(async (database: string, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/import/import.js')).importFeatures(ctx, database)),
    );

  program
    .command('next')
    .description('name the next feature to work on')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/next.js')).next(ctx)));

  program
    .command('doctor')
    .description('diagnose the ledger against the files; --fix applies the safe repairs (as specflowd does)')
    .option('--fix', 'apply the safe repairs')
    .option('--json', 'print JSON')
    .action(async (o: { fix?: boolean; json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/doctor/doctor.js')).doctor(ctx, o)));

  // The git gate: CI check, audit trail, merge driver, hook entry.
  program
    .command('verify')
    .description('for CI: judge every commit in a range that changes the ledger against its own files')
    .option('--range <revisions>', 'commits to check, e.g. origin/main..HEAD')
    .option('--json', 'print JSON')
    .action(async (o: { range?: string; json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/verify.js')).verify(ctx, o.range)));

  program
    .command('log')
    .description('the audit trail: every phase change in git history, and whether its gate held')
    .argument('[id]', 'feature id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, o: { json?: boolean }) => run(!!o.json, async (ctx) => (await import('../commands/log.js')).log(ctx, id)));

  program
    .command('merge-ledger')
    .description('git merge driver for .maestro/ledger.yaml: merges feature by feature')
    .argument('<base>', '%O')
    .argument('<ours>', '%A (receives the result)')
    .argument('<theirs>', '%B')
    .option('--json', 'print JSON')
    .action(async (base: string, ours: string, theirs: string, o: { json?: boolean }) =>
      run(!!o.json, async (ctx) => (await import('../commands/merge-ledger.js')).mergeLedger(ctx, base, ours, theirs)),
    );

  program
    .command('hook')
    .description('entry point of the installed git hooks')
    .argument('<name>', 'pre-commit | pre-merge-commit | commit-msg | pre-push')
    .argument('[args...]', 'what git passed to the hook')
    .action(async (name: string, args: string[]) => run(false, async (ctx) => (await import('../hook/command.js')).hook(ctx, name, args)));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
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
    fail(makeContext(wantsJson(argv)), e);
  }
}

guardPipes();
await main(process.argv);
