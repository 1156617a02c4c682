import type { Config } from './config.js';
import { error, type Finding } from './finding.js';
import type { Approval, LedgerFeature } from './ledger.js';
import { phaseIndex } from './phase.js';

/**
 * Trusted approvals (DESIGN §5): with `approvers` in the config, the commit that records a
 * feature's `approved` must be authored by one of them, `approved.by` must name that author,
 * and with `require_signed_approval` the commit must carry a good signature by a key in
 * `.maestro/allowed_signers` as of its parent. An approval records the blob id of the spec it
 * approved; a spec that differs from it is no longer approved. Without `approvers`, nothing
 * here applies. Pure: the caller gathers the author, the signature verdict and the spec blobs.
 */
export interface ApprovalEvidence {
  /** Who made the commit (its author; at pre-commit, the committing identity). */
  author: { name: string; email: string } | undefined;
  /** The commit's signature as judged against the allowed signers; undefined where there is no commit yet (pre-commit). */
  signature?: 'good' | 'bad' | 'none';
  /** The blob id of each feature's spec at this commit, by feature id (undefined: no spec). */
  specBlobs: ReadonlyMap<string, string | undefined>;
}

export interface ApprovalCheck extends ApprovalEvidence {
  /** Features whose approval this commit records (new, or changed from the parent's). */
  recorded: readonly LedgerFeature[];
  /** Features at or moving to plan or later, whose approval must still match their spec. */
  standing: readonly LedgerFeature[];
}

/** Trusted approvals are on: the config names who may approve. */
export const approvalsTrusted = (config: Config): boolean => config.approvers.length > 0;

/** The features of `changed` whose approval differs from the parent's entry. */
export function recordedApprovals(changed: Iterable<LedgerFeature>, parentApproval: (f: LedgerFeature) => Approval | undefined): LedgerFeature[] {
  const key = (a: Approval | undefined) => (a ? `${a.by}\0${a.at}\0${a.spec ?? ''}` : '');
  return [...changed].filter((f) => f.approved && key(f.approved) !== key(parentApproval(f)));
}

const emailOf = (who: string): string | undefined => /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(who)?.[1] ?? (/^[^<>\s]+@[^<>\s]+$/.test(who.trim()) ? who.trim() : undefined);
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function approvalFindings(config: Config, check: ApprovalCheck): Finding[] {
  if (!approvalsTrusted(config)) return [];
  const findings: Finding[] = [];
  const author = check.author;
  const who = author ? `${author.name} <${author.email}>` : 'an unknown author';
  for (const f of check.recorded) {
    const approved = f.approved!;
    const file = `${f.spec_path}/${config.gates.specify.file}`;
    if (!author || !config.approvers.some((a) => same(a, author.email)))
      findings.push(
        error('approval.untrusted', `${f.id} is approved in a commit by ${who}, who is not among the approvers`, {
          feature: f.id,
          hint: `Only ${config.approvers.join(', ')} may approve (approvers in .maestro/config.yaml): have one of them run \`specflow approve ${f.id}\` and commit it.`,
        }),
      );
    else {
      const named = emailOf(approved.by);
      if (!(named ? same(named, author.email) : same(approved.by, author.name)))
        findings.push(
          error('approval.mismatch', `${f.id}'s approval names ${approved.by}, but the commit recording it is by ${who}`, {
            feature: f.id,
            hint: `The approver records their own approval: \`specflow approve ${f.id}\` as ${approved.by}, committed by them.`,
          }),
        );
    }
    if (config.require_signed_approval && check.signature !== undefined && check.signature !== 'good')
      findings.push(
        error('approval.unsigned', `${f.id} is approved in a commit ${check.signature === 'none' ? 'that is not signed' : 'whose signature is not good, or not by a key in .maestro/allowed_signers'}`, {
          feature: f.id,
          hint: 'require_signed_approval is on: sign the approving commit (git commit -S) with a key listed in .maestro/allowed_signers as of its parent commit.',
        }),
      );
    if (!approved.spec)
      findings.push(
        error('approval.stale', `${f.id}'s approval records no spec blob, so what was approved cannot be told`, { feature: f.id, file, hint: `Record it again with \`specflow approve ${f.id}\`.` }),
      );
  }
  for (const f of check.standing) {
    const spec = f.approved?.spec;
    if (!spec || check.recorded.includes(f) || phaseIndex(f.phase) < phaseIndex('plan')) continue;
    const now = check.specBlobs.get(f.id);
    if (now !== spec)
      findings.push(
        error('approval.stale', `${f.id}'s spec changed after it was approved (approved ${spec.slice(0, 12)}, now ${now ? now.slice(0, 12) : 'missing'})`, {
          feature: f.id,
          file: `${f.spec_path}/${config.gates.specify.file}`,
          hint: `Have an approver review the spec again and run \`specflow approve ${f.id}\`, or restore the approved spec.`,
        }),
      );
  }
  return findings;
}
