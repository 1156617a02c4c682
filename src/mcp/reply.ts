import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CommandResult, ResultData } from '../core/command-results.js';
import { envelope } from '../ui/emit.js';
import { describeFailure } from '../ui/failure.js';

/**
 * A command's outcome as an MCP tool result. A result the command returned, also a refusal or a
 * failed check (`ok: false` with its findings), is a normal answer: the agent reads it and acts.
 * What the command threw (an unknown feature, bad arguments, an unreadable ledger, a busy lock)
 * is a tool error (`isError`) carrying the same `{ok: false, error: {code, message, hint},
 * findings}` document as `--json`, and the exit code the command line would have used.
 */
export function answer<T extends ResultData>(result: CommandResult<T>): CallToolResult {
  return reply(envelope(result), false);
}

export function failure(e: unknown): CallToolResult {
  const f = describeFailure(e);
  return reply({ ok: false, error: f.error, findings: f.findings, exit_code: f.exitCode }, true);
}

/** The same document twice: as structured content, and as JSON text for clients that show only text. */
function reply(document: Record<string, unknown>, isError: boolean): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(document) }], structuredContent: document, ...(isError ? { isError } : {}) };
}
