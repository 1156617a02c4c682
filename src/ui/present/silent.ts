/** For results that say everything in their notes (`merge-ledger`, `hook`): no text on stdout. */
export function silentText(): string {
  return '';
}
