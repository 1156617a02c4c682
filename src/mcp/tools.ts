import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { CommandResult, ResultData } from '../core/command-results.js';
import { PHASES } from '../core/phase.js';
import { advance } from '../commands/advance.js';
import { log } from '../commands/log.js';
import { next } from '../commands/next.js';
import { status } from '../commands/status.js';
import { validate } from '../commands/validate.js';
import type { Context } from '../ui/context.js';
import { answer, failure } from './reply.js';

/**
 * The agent's tool set: few tools, short descriptions, each one a command of the command line
 * run in-process and answered with the same data as its `--json` (DESIGN §11). There is no
 * approval tool: approving a spec is a person's act (`specflow approve <id>`).
 */

/** Where each call runs: the repository is chosen per call (the client's roots may change). */
export type ContextFor = () => Promise<Context>;

const feature = z.string().min(1).describe('Feature id, e.g. F-12');
/** Forward targets only: `none` is never ahead of a feature. */
const FORWARD = PHASES.filter((p) => p !== 'none') as [Exclude<(typeof PHASES)[number], 'none'>, ...Exclude<(typeof PHASES)[number], 'none'>[]];

const READS: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

async function call<T extends ResultData>(contextFor: ContextFor, run: (ctx: Context) => CommandResult<T> | Promise<CommandResult<T>>): Promise<CallToolResult> {
  try {
    return answer(await run(await contextFor()));
  } catch (e) {
    return failure(e);
  }
}

export function registerTools(server: McpServer, contextFor: ContextFor): void {
  server.registerTool(
    'status',
    {
      title: 'Feature status',
      description:
        'Phase of every feature in the ledger (features[]: id, name, phase, status, priority, spec_path, approved). With a feature id: that feature alone, with its tasks.',
      inputSchema: { feature: feature.optional() },
      annotations: READS,
    },
    ({ feature: id }) => call(contextFor, (ctx) => status(ctx, id)),
  );

  server.registerTool(
    'validate',
    {
      title: 'Check gates',
      description:
        "Findings of each feature's current gate, and of its next gate as advice (warnings). ok is false while an error stands. Each finding has a code, file, line, message and hint: fix the documents, then validate again.",
      inputSchema: { feature: feature.optional().describe('Feature id, e.g. F-12 (default: every feature)') },
      annotations: READS,
    },
    ({ feature: id }) => call(contextFor, (ctx) => validate(ctx, id)),
  );

  server.registerTool(
    'next',
    {
      title: 'Next feature',
      description: 'The feature to work on next (lowest priority number, then id, not complete, skipped or blocked) and the command that moves it to its next phase; id is null when none is left.',
      annotations: READS,
    },
    () => call(contextFor, (ctx) => next(ctx)),
  );

  server.registerTool(
    'advance',
    {
      title: 'Advance a feature',
      description:
        "Move a feature forward to a phase, as `specflow <phase> <id>`: writes the phase's document from its template when missing, then records the phase in .maestro/ledger.yaml if every gate up to it passes. Refused: ok false with the findings to fix (nothing recorded). Never moves backward. Spec approval is the user's (`specflow approve <id>`), not yours.",
      inputSchema: {
        feature: feature.optional().describe('Feature id, e.g. F-12 (default: the one named in .maestro/CURRENT_FEATURE.md)'),
        phase: z.enum(FORWARD).describe('The phase to move to'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ feature: id, phase }) =>
      call(contextFor, (ctx) => advance(ctx, id, phase, { allowBackward: false, writeTemplates: true })),
  );

  server.registerTool(
    'log',
    {
      title: 'Audit trail',
      description: "Every phase change in git history (oldest first): commit, author, date, from, to, and whether the gate held at that commit. With a feature id: that feature's trail.",
      inputSchema: { feature: feature.optional().describe('Feature id, e.g. F-12 (default: every feature)') },
      annotations: READS,
    },
    ({ feature: id }) => call(contextFor, (ctx) => log(ctx, id)),
  );
}
