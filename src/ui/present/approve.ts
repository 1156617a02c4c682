import type { ApproveResult, CommandResult } from '../../core/command-results.js';
import { printable } from '../../core/printable.js';
import { formatFindings, type Style } from '../format.js';

export function approveText({ data }: CommandResult<ApproveResult>, s: Style): string {
  if (!data.approved) return `${formatFindings(data.findings, s)}\n\nThe spec of ${printable(data.id)} is not ready to approve.`;
  return `${printable(data.id)} spec approved by ${printable(data.approved.by)}`;
}
