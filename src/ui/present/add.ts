import type { AddResult, CommandResult } from '../../core/command-results.js';
import { GLYPHS } from '../../core/phase.js';
import { printable } from '../../core/printable.js';

export function addText({ data }: CommandResult<AddResult>): string {
  return `added ${data.id} ${printable(data.name)} at ${GLYPHS[data.phase]} ${data.phase}\n  folder ${data.spec_path}\n  next: specflow specify ${data.id}`;
}
