// Generates benchmark repositories: N features with realistic spec, plan and tasks documents,
// a ledger that records them, and (optionally) a history of commits that each change the ledger.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackWriter, writeTree } from './pack.mjs';

const WORDS = 'vector index metric cache shard replica query planner budget latency window token schema field record stream batch retry backoff quota lease snapshot journal segment cursor filter ranking embedding tenant region'.split(' ');

/** Deterministic pseudo-random text so every run measures the same bytes. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
function sentence(r, n = 14) {
  const w = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return `${w.join(' ')}.`;
}
const para = (r, k = 3) => Array.from({ length: k }, () => sentence(r)).join(' ');

export function specDoc(i) {
  const r = rng(i * 3 + 1);
  return `---\nfeature: F-${i}\n---\n# Feature ${i}: ${sentence(r, 3).slice(0, -1)}\n\n## Problem\n\n${para(r, 4)}\n\n## Users and scenarios\n\n${para(r, 3)}\n\n## Requirements\n\n${Array.from({ length: 6 }, () => `- ${sentence(r, 10)}`).join('\n')}\n\n## Success criteria\n\n${Array.from({ length: 3 }, () => `- ${sentence(r, 8)}`).join('\n')}\n`;
}

export function planDoc(i) {
  const r = rng(i * 3 + 2);
  const sections = ['Data models', 'API/Interface design', 'Error handling strategy', 'Failure modes', 'Dependencies', 'Testing strategy'];
  const body = sections.map((s) => `## ${s}\n\n${para(r, 3)}\n\n\`\`\`ts\n// - [ ] not a task: example code\ninterface Example${i} { id: string }\n\`\`\`\n`).join('\n');
  return `# Feature ${i} — plan\n\n${body}\n## Principles\n\n| Principle | Applied |\n|---|---|\n| Code before prompts | ✅ |\n| Deterministic where possible | ✅ |\n| CLI-first interfaces | ✅ |\n`;
}

export function tasksDoc(i, done = false) {
  const r = rng(i * 3 + 3);
  return `# Feature ${i} — tasks\n\n${Array.from({ length: 10 }, (_, k) => `- [${done || k < 4 ? 'x' : ' '}] T${k + 1} ${sentence(r, 8)}`).join('\n')}\n`;
}

export const PHASE_CYCLE = ['specify', 'plan', 'tasks', 'implement'];

export function featureBlock(i, phase) {
  return `  F-${i}:\n    name: Feature ${i}\n    phase: ${phase}\n    spec_path: .specify/specs/f-${i}-feature-${i}\n${phase !== 'none' && phase !== 'specify' ? '    approved: { by: Bench <bench@example.com>, at: 2026-11-24T10:00:00Z }\n' : ''}`;
}

export function ledgerText(n, phaseOf) {
  const blocks = [];
  for (let i = 1; i <= n; i++) blocks.push(featureBlock(i, phaseOf(i)));
  return `# Phase ledger kept by specflow. Change phases with \`specflow <phase> <id>\`.\n# specflowd repairs paths and formatting here, never phases.\n\nversion: 1\nfeatures:\n${blocks.join('\n')}`;
}

export function git(dir, args, env = process.env, input) {
  return execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
}

/**
 * A git repository with `n` features at phase `phaseOf(i)`, committed on `main`. The objects
 * go into one pack and the files are written directly; the index is then read from the commit
 * and refreshed, so the working tree is clean.
 */
export function generateRepo(dir, n, env, phaseOf = (i) => PHASE_CYCLE[i % PHASE_CYCLE.length]) {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main'], env);
  /** @type {import('./pack.d.mts').TreeNode} */
  const specs = {};
  for (let i = 1; i <= n; i++) {
    const name = `f-${i}-feature-${i}`;
    const folder = join(dir, '.specify', 'specs', name);
    const docs = { 'spec.md': specDoc(i), 'plan.md': planDoc(i), 'tasks.md': tasksDoc(i) };
    mkdirSync(folder, { recursive: true });
    for (const [file, text] of Object.entries(docs)) writeFileSync(join(folder, file), text);
    specs[name] = docs;
  }
  const files = {
    '.maestro': { 'ledger.yaml': ledgerText(n, phaseOf), '.gitignore': 'run/\n' },
    'README.md': '# bench\n',
  };
  mkdirSync(join(dir, '.maestro'), { recursive: true });
  for (const [rel, text] of [['.maestro/ledger.yaml', files['.maestro']['ledger.yaml']], ['.maestro/.gitignore', 'run/\n'], ['README.md', '# bench\n']])
    writeFileSync(join(dir, rel), text);
  const pack = new PackWriter();
  const tree = writeTree(pack, { ...files, '.specify': { specs } });
  const commit = pack.commit({ tree, message: `Generate ${n} features\n`, time: 1764000000 });
  pack.store(dir, env);
  git(dir, ['update-ref', 'refs/heads/main', commit], env);
  // Files written in the same instant as the index would be "racily clean" and hashed again by
  // every later git command; let the clock move on first.
  sleep(20);
  git(dir, ['read-tree', 'HEAD'], env);
  git(dir, ['update-index', '-q', '--refresh'], env);
}

export function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
