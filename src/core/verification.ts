/**
 * What a verification record (SpecFlow's `verify.md`, a layout's `gates.complete.evidence`) says
 * of its outcome. A record counts as evidence of a finished feature only when none of its
 * verdicts is a failure: SpecFlow writes one whether verification passed or not
 * (`**Status:** ❌ FAIL — integration incomplete`), and a record of a failed verification says
 * the feature is not done. Pure.
 *
 * A verdict is the value of a `Status`, `Result`, `Verdict` or `Outcome` label (bold or not, in
 * a list item, a heading or the front matter), outside fenced code. Its first verdict word
 * decides; in a checklist value (`[x] PASS / [ ] FAIL`) the checked choice does.
 */

const LABELLED = /^(?:overall\s+|final\s+)?(?:status|result|verdict|outcome)\s*[:：]\s*(.+)$/i;
const CHECKED_BOX = /\[[xX✓✔]\]/;
const VERDICT_WORD = /✅|☑|✔|✓|❌|✗|✘|⛔|\b(?:pass(?:ed|es|ing)?|verified|complete[d]?|done|ok|fail(?:ed|s|ing)?|pending|blocked|incomplete|draft|in[ -]progress)\b/i;
const PASSING = /^(?:✅|☑|✔|✓|pass(?:ed|es|ing)?|verified|complete[d]?|done|ok)$/i;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** The first verdict that says the verification failed or has not been done, with its 1-based line. */
export function failedVerdict(text: string): { line: number; text: string } | undefined {
  const lines = text.split('\n');
  let fence: string | undefined;
  let frontMatter = lines[0]?.replace(/^\uFEFF/, '').trimEnd() === '---';
  for (let i = frontMatter ? 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (frontMatter) {
      if (/^(?:---|\.\.\.)\s*$/.test(line)) frontMatter = false;
      else if (failing(line.replace(/["']/g, ''))) return { line: i + 1, text: line.trim() };
      continue;
    }
    const f = FENCE.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1]![0]!.repeat(3);
      else if (f[1]!.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence === undefined && failing(line)) return { line: i + 1, text: line.trim() };
  }
  return undefined;
}

/** Does one of the record's verdicts say the verification failed or has not been done? */
export function recordsFailure(text: string): boolean {
  return failedVerdict(text) !== undefined;
}

/** Is `line` a labelled verdict whose deciding word is not a pass? */
function failing(line: string): boolean {
  const bare = line
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*)*/, '')
    .trim();
  const m = LABELLED.exec(bare);
  if (!m) return false;
  const value = m[1]!;
  const checked = CHECKED_BOX.exec(value);
  const word = VERDICT_WORD.exec(checked ? value.slice(checked.index + checked[0].length) : value)?.[0];
  return word !== undefined && !PASSING.test(word);
}
