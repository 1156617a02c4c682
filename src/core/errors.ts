import type { Finding } from './finding.js';

/**
 * The few errors a command may throw. Each carries its exit code (DESIGN §4) and, where it
 * helps, a hint; the CLI maps them to output and `process.exitCode` in one place.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, state: 3, busy: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class SpecflowError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code: string,
    readonly hint?: string,
    readonly findings: Finding[] = [],
  ) {
    super(message);
  }
}

/** Bad arguments or an unknown feature: exit 2. */
export class UsageError extends SpecflowError {
  constructor(message: string, hint?: string, code = 'usage') {
    super(message, EXIT.usage, code, hint);
  }
}

/** The ledger or config cannot be used; nothing was written: exit 3. */
export class StateError extends SpecflowError {
  constructor(message: string, code: string, hint?: string, findings: Finding[] = []) {
    super(message, EXIT.state, code, hint, findings);
  }
}

/** The ledger lock could not be taken in time: exit 4. */
export class BusyError extends SpecflowError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.busy, 'busy', hint);
  }
}

/** A gate or check failed: exit 1, with the findings. */
export class GateError extends SpecflowError {
  constructor(message: string, findings: Finding[], hint?: string) {
    super(message, EXIT.failed, 'gate.failed', hint, findings);
  }
}
