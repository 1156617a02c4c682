/**
 * What a verification record (SpecFlow's `verify.md`, a layout's `gates.complete.evidence`) says
 * of its outcome. A record counts as evidence of a finished feature only when none of its
 * verdicts is a failure: SpecFlow writes one whether verification passed or not
 * (`**Status:** ❌ FAIL — integration incomplete`), and a record of a failed verification says
 * the feature is not done. Pure.
 *
 * A verdict is the value of a `Status`, `Result`, `Verdict` or `Outcome` label (bold or not, in
 * a list item, a heading or the front matter), outside fenced code. Its first verdict word
 * decides; in a checklist value (`[x] PASS / [ ] FAIL`) the checked choice does. A failure
 * (FAIL, ❌) keeps the feature from complete; a pending verdict (pending, blocked, incomplete,
 * draft, in progress) only means the record does not count yet.
 */

const LABELLED = /^(?:overall\s+|final\s+)?(?:status|result|verdict|outcome)\s*[:：]\s*(.+)$/i;
const CHECKED_BOX = /\[[xX✓✔]\]/;
const VERDICT_WORD = /✅|☑|✔|✓|❌|✗|✘|⛔|\b(?:pass(?:ed|es|ing)?|verified|complete[d]?|done|ok|fail(?:ed|s|ing|ure)?|pending|blocked|incomplete|draft|in[ -]progress)\b/i;
const PASSING = /^(?:✅|☑|✔|✓|pass(?:ed|es|ing)?|verified|complete[d]?|done|ok)$/i;
const FAILING = /^(?:❌|✗|✘|⛔|fail(?:ed|s|ing|ure)?)$/i;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** A verdict that is not a pass: `failed` (FAIL, ❌), or `pending` (pending, blocked, incomplete, draft, in progress). */
export interface Verdict {
  line: number;
  text: string;
  kind: 'failed' | 'pending';
}

/**
 * The record's first verdict that is not a pass, with its 1-based line; a failure anywhere is
 * reported before a pending verdict (a template's front matter left at `status: "pending"`).
 */
export function failedVerdict(text: string): Verdict | undefined {
  let pending: Verdict | undefined;
  const lines = text.split('\n');
  let fence: string | undefined;
  let frontMatter = lines[0]?.replace(/^\uFEFF/, '').trimEnd() === '---';
  for (let i = frontMatter ? 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    let kind: Verdict['kind'] | undefined;
    if (frontMatter) {
      if (/^(?:---|\.\.\.)\s*$/.test(line)) frontMatter = false;
      else kind = verdictOf(line.replace(/["']/g, ''));
    } else {
      const f = FENCE.exec(line);
      if (f) {
        if (fence === undefined) fence = f[1]![0]!.repeat(3);
        else if (f[1]!.startsWith(fence)) fence = undefined;
      } else if (fence === undefined) kind = verdictOf(line);
    }
    if (kind === 'failed') return { line: i + 1, text: line.trim(), kind };
    if (kind === 'pending') pending ??= { line: i + 1, text: line.trim(), kind };
  }
  return pending;
}

/** What a labelled verdict on `line` says, when it is not a pass. */
function verdictOf(line: string): Verdict['kind'] | undefined {
  const bare = line
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*)*/, '')
    .trim();
  const m = LABELLED.exec(bare);
  if (!m) return undefined;
  const value = m[1]!;
  const checked = CHECKED_BOX.exec(value);
  const word = VERDICT_WORD.exec(checked ? value.slice(checked.index + checked[0].length) : value)?.[0];
  if (word === undefined || PASSING.test(word)) return undefined;
  return FAILING.test(word) ? 'failed' : 'pending';
}
