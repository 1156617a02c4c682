import type { CommandResult, SetupResult } from '../../core/command-results.js';

/** Quiet when the clone was already set up, as an install step should be. */
export function setupText({ data }: CommandResult<SetupResult>): string {
  return data.steps.map((s) => `specflow setup: ${s}`).join('\n');
}
