/**
 * The catalogue of finding codes: every code a check can report, with its usual severity and one
 * line saying what it means. Codes are stable: users match on them (`jq`, CI annotations, SARIF
 * rules). The code, docs/findings.md and the SARIF rules all come from this table, and the type
 * below makes a code that is not listed here a compile error.
 */
export type Severity = 'error' | 'warning';

export interface CodeInfo {
  severity: Severity;
  description: string;
}

export const FINDING_CODES = {
  // Feature documents, by gate.
  'spec.missing': { severity: 'error', description: 'The feature folder has no spec document.' },
  'spec.empty': { severity: 'error', description: 'The spec has no real content: only headings, whitespace or placeholders.' },
  'spec.title.missing': { severity: 'error', description: 'The spec has no title heading.' },
  'spec.placeholder': { severity: 'error', description: 'A template placeholder ([...], TODO, TBD, <fill in>) is left in the spec.' },
  'spec.needs-clarification': { severity: 'error', description: 'A [NEEDS CLARIFICATION] marker is left in the spec.' },
  'spec.section.missing': { severity: 'error', description: 'A section the specify gate requires has no heading in the spec.' },
  'spec.section.empty': { severity: 'error', description: 'A section the specify gate requires holds no real content.' },
  'spec.not-approved': { severity: 'error', description: 'The plan gate needs a human approval of the spec (`specflow approve`).' },
  'plan.missing': { severity: 'error', description: 'The feature folder has no plan document.' },
  'plan.empty': { severity: 'error', description: 'The plan has no real content.' },
  'plan.placeholder': { severity: 'error', description: 'A template placeholder is left in the plan.' },
  'plan.needs-clarification': { severity: 'error', description: 'A [NEEDS CLARIFICATION] marker is left in the plan.' },
  'plan.section.missing': { severity: 'error', description: 'A section the plan gate requires has no heading (or alias) in the plan.' },
  'plan.section.empty': { severity: 'error', description: 'A section the plan gate requires holds no real content.' },
  'plan.principle.unmarked': { severity: 'error', description: 'A principle the plan gate requires is not marked as applied (✅, [x], Yes).' },
  'tasks.missing': { severity: 'error', description: 'The feature folder has no task list.' },
  'tasks.none': { severity: 'error', description: 'The task list has no task item.' },
  'tasks.unchecked': { severity: 'error', description: 'A task item is not checked; complete needs every task checked.' },
  'evidence.failed': { severity: 'error', description: "The layout's record of the verification (SpecFlow's verify.md) says it failed (FAIL, ❌): the feature is not complete, whatever its task list says." },
  'evidence.unfinished': { severity: 'warning', description: "The layout's record of the verification is there but not finished (a pending verdict, a placeholder, an open question, no content), so it does not count; the task list decides." },
  // Reading documents.
  'doc.binary': { severity: 'error', description: 'A document holds binary data, not text.' },
  'doc.encoding': { severity: 'error', description: 'A document is not valid UTF-8.' },
  'doc.too-large': { severity: 'error', description: 'A document is larger than specflow reads.' },
  'doc.not-a-file': { severity: 'error', description: 'A document path is a directory, submodule or special file, not a regular file.' },
  'doc.unreadable': { severity: 'error', description: 'A document could not be read.' },
  'path.outside': { severity: 'error', description: 'A document path resolves outside the repository (symlink or loop); it was not read.' },
  // The ledger.
  'ledger.unreadable': { severity: 'error', description: 'The ledger exists but cannot be read (permissions, a directory in its place).' },
  'ledger.unwritable': { severity: 'error', description: 'The ledger could not be written (full disk, read-only file system, no permission); nothing was written.' },
  'ledger.read-only': { severity: 'error', description: 'The ledger is read-only (no write bit); specflow does not rewrite it.' },
  'ledger.missing': { severity: 'error', description: 'There is no .maestro/ledger.yaml (run `specflow init`).' },
  'ledger.unparsable': { severity: 'error', description: 'The ledger is not valid YAML.' },
  'ledger.conflict': { severity: 'error', description: 'The ledger holds git conflict markers.' },
  'ledger.empty': { severity: 'error', description: 'The ledger file is empty.' },
  'ledger.invalid': { severity: 'error', description: 'The ledger is not a mapping with `version` and `features`, or uses YAML aliases.' },
  'ledger.version': { severity: 'error', description: 'The ledger declares a version this specflow does not read.' },
  'ledger.duplicate-key': { severity: 'error', description: 'A feature id, or a field of one entry, appears twice in the ledger.' },
  'ledger.id.invalid': { severity: 'error', description: 'A key of `features` is not a feature id.' },
  'ledger.feature.invalid': { severity: 'error', description: 'A ledger entry is not a mapping.' },
  'ledger.field.invalid': { severity: 'error', description: 'A ledger field has a value of the wrong type.' },
  'ledger.phase.unknown': { severity: 'error', description: 'A ledger entry has no phase, or one that is not a phase.' },
  'maestro.not-a-directory': { severity: 'error', description: '.maestro is not a directory (a symlink, file, FIFO or submodule), in the working tree or a commit; specflow never follows it.' },
  'ledger.not-a-file': { severity: 'error', description: 'The ledger is not a regular file (a symlink, FIFO, device or submodule), in the working tree or a commit; it is never followed, read or replaced.' },
  'config.not-a-file': { severity: 'error', description: 'The config is not a regular file, in the working tree or a commit; it is never followed or read.' },
  'trailer.mismatch': { severity: 'error', description: "A commit's Specflow-Phase trailers say something else than its ledger change." },
  'approval.untrusted': { severity: 'error', description: 'An approval is recorded in a commit whose author is not among the approvers in the config.' },
  'approval.mismatch': { severity: 'error', description: "An approval's `by` does not name the author of the commit that records it." },
  'approval.unsigned': { severity: 'error', description: 'With require_signed_approval, the approving commit has no good signature by a key in .maestro/allowed_signers (as of its parent).' },
  'approval.stale': { severity: 'error', description: 'The spec differs from the one that was approved (the approval records its blob id), or the approval records none.' },
  'history.shallow': { severity: 'error', description: 'The range reaches past a shallow clone boundary: the history needed to judge it is missing.' },
  // The config.
  'config.unreadable': { severity: 'error', description: 'The config exists but cannot be read.' },
  'config.unparsable': { severity: 'error', description: 'The config is not valid YAML.' },
  'config.unknown-key': { severity: 'warning', description: 'The config holds a key specflow does not know (often a typo); it is ignored.' },
  'config.invalid': { severity: 'error', description: 'A config value is not what the config schema allows.' },
  // Ledger against the files.
  'phase.ahead': { severity: 'error', description: "A feature's recorded phase is ahead of what its documents pass." },
  'spec_path.invalid': { severity: 'error', description: 'A spec_path is not a safe repo-relative folder (absolute, outside, empty).' },
  'spec_path.missing': { severity: 'error', description: "A feature's folder does not exist, and no single folder carries its id." },
  'spec_path.foreign': { severity: 'error', description: "A spec_path is not the feature's own folder: its last segment does not carry the feature's id." },
  'spec_path.noncanonical': { severity: 'warning', description: 'A spec_path is not in its canonical form (a safe repair exists).' },
  'folder.id.conflict': { severity: 'error', description: 'Two feature folders carry the same id.' },
  'folder.unregistered': {
    severity: 'warning',
    description: 'A feature folder lost its ledger entry outside specflow (a stash, a checkout, an edit); specflowd leaves it unregistered until the entry returns or `specflow doctor --fix` registers it.',
  },
  'folder.id.shared': {
    severity: 'warning',
    description: 'Several folders carry one number (numbering restarted per branch, or `NNN` next to `f-NNN`); init tracks each under its whole folder name.',
  },
  'folder.no-id': { severity: 'warning', description: 'A folder under the specs directory carries no feature id and is not tracked.' },
  'skip.duplicate.invalid': { severity: 'error', description: 'A feature is skipped as a duplicate of one that is neither in progress nor complete.' },
  // Importing a SpecFlow database.
  'import.id.duplicate': { severity: 'warning', description: 'The database holds the same feature id twice; the first row is kept.' },
  'import.id.invalid': { severity: 'warning', description: 'A database row has no usable feature id; it was not imported.' },
  'import.phase.unknown': { severity: 'warning', description: 'A database row has a phase specflow does not know; it was imported at none.' },
  'import.spec_path.missing': { severity: 'warning', description: "A database row's spec folder does not exist in the repository." },
  'import.wal-pending': { severity: 'warning', description: 'The database has a write-ahead log not yet merged; recent changes may be missing.' },
} as const satisfies Record<string, CodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;

/** The safe repairs (`doctor --fix`, the daemon): changes to the ledger that need no judgement. */
export const REPAIR_CODES = {
  'spec_path.repaired': 'spec_path normalised: a file suffix, trailing slash, `./`, backslashes or an absolute path inside the repository.',
  'spec_path.moved': 'spec_path pointed at a folder that no longer exists, and exactly one folder carries the id.',
  'id.repaired': 'The ledger key spelled the id another way (`f-12` for `F-12`).',
  'feature.registered': 'A feature folder had no ledger entry; it is registered at phase none.',
  'ledger.reformatted': "The ledger's layout or order differed from its canonical rendering.",
} as const satisfies Record<string, string>;

export const isFindingCode = (code: string): code is FindingCode => Object.hasOwn(FINDING_CODES, code);

/** An error's code as a finding code, for an error reported as a finding (the daemon's problems). */
export const findingCode = (code: string, fallback: FindingCode): FindingCode => (isFindingCode(code) ? code : fallback);
