// `npm run demo`: walks one feature through the workflow in a throwaway git repository, with
// the real built CLI, printing each command and what it answers as a user would see it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedGitEnv } from './lib/git-env.mjs';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(project, 'bin', 'specflow.js');
const keep = process.argv.includes('--keep');
const base = mkdtempSync(join(tmpdir(), 'specflow-demo-'));
const repo = join(base, 'vector-service');
const home = join(base, 'home');
mkdirSync(repo);
const env = isolatedGitEnv(home, { name: 'Ann Example', email: 'ann@example.com' });
const bin = join(base, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'specflow'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
writeFileSync(join(bin, 'specflowd'), `#!/bin/sh\nexec "${process.execPath}" "${join(project, 'bin', 'specflowd.js')}" "$@"\n`, { mode: 0o755 });
env.PATH = `${bin}:${env.PATH}`;

let failures = 0;
// Bold headings only on a terminal that wants colour: none with NO_COLOR (any non-empty value,
// https://no-color.org) or when the output is piped. The commands below run with NO_COLOR set.
const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const bold = colour ? (s) => `\x1b[1m${s}\x1b[0m` : (s) => s;
const say = (text) => process.stdout.write(`\n${bold(`== ${text}`)}\n`);
function sh(cmd, { expect = 0 } = {}) {
  process.stdout.write(`\n$ ${cmd}\n`);
  const r = spawnSync('sh', ['-c', cmd], { cwd: repo, env, encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`.trimEnd();
  if (output) process.stdout.write(`${output.replace(/^/gm, '  ')}\n`);
  if (r.status !== expect) {
    failures++;
    process.stdout.write(`  !! expected exit ${expect}, got ${r.status}\n`);
  } else if (expect !== 0) process.stdout.write(`  (exit ${r.status}, as expected)\n`);
  return r;
}
const write = (rel, text) => {
  mkdirSync(dirname(join(repo, rel)), { recursive: true });
  writeFileSync(join(repo, rel), text);
  process.stdout.write(`\n# (wrote ${rel})\n`);
};

const dir = '.specify/specs/f-12-vector-configuration';
const spec = `# Vector Configuration

## Problem

Operators tune vector search by editing three files by hand and restarting the service.

## Requirements

- One file holds every vector setting, validated on load.
- A bad value names the file and the line.
`;
const plan = (withFailureModes) => `# Vector Configuration — plan

## Data models

A \`VectorConfig\` record: dimensions, metric, index type, and the file it came from.

## API/Interface design

\`loadVectorConfig(path)\` and a \`vectors check\` command.

## Error handling strategy

Every error carries the file and line; nothing is applied half-way.
${withFailureModes ? '\n## Failure modes\n\nA missing file falls back to defaults and says so; a corrupt file stops start-up.\n' : ''}
## Dependencies

The yaml package; nothing else new.

## Testing strategy

Unit tests on the loader; one end-to-end test that starts the service.

## Principles

| Principle | Applied |
|---|---|
| Code before prompts | ✅ |
| Deterministic where possible | ✅ |
| CLI-first interfaces | ✅ |
`;

const tasks = `# Vector Configuration — tasks

- [x] Write the loader
- [ ] Add the \`vectors check\` command
- [ ] Document the settings
`;

say('A new repository, and specflow set up in it');
sh('git init -q && echo "# vector-service" > README.md && git add README.md && git commit -qm "Initial commit" && echo ok');
sh('specflow init');
sh('git add .maestro .gitattributes && git commit -qm "Track feature phases with specflow" && echo committed');

say('Register the feature; its spec starts as a template, which does not pass');
sh('specflow add "Vector Configuration" --id F-12 --priority 1');
sh('specflow specify F-12', { expect: 1 });
write(`${dir}/spec.md`, spec);
sh('specflow specify F-12');
sh('specflow approve F-12');

say('Commit it: the commit-msg hook records the phase change as a trailer');
sh('git add -A && git commit -qm "F-12: spec" && git log -1 --format=%B');

// From here an agent works on F-12 and moves its phase by editing the ledger, as agents do.
const setPhaseByHand = (phase) => {
  const file = join(repo, '.maestro/ledger.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/phase: \w+/, `phase: ${phase}`));
  process.stdout.write(`\n# (an agent edits .maestro/ledger.yaml by hand: F-12 phase: ${phase})\n`);
};

say('An agent moves F-12 to plan with a plan missing "Failure modes": the pre-commit hook refuses');
write(`${dir}/plan.md`, plan(false));
setPhaseByHand('plan');
sh('git add -A && git commit -qm "F-12: plan"', { expect: 1 });

say('With the section written, the same commit goes through');
write(`${dir}/plan.md`, plan(true));
sh('git add -A && git commit -qm "F-12: plan" && git log -1 --format=%B');
sh('specflow status');
sh('specflow next');

say('The next command: tasks.md from its template, then a real task list');
sh('specflow tasks F-12', { expect: 1 });
write(`${dir}/tasks.md`, tasks);
sh('specflow tasks F-12');
sh('specflow status F-12');
sh('git add -A && git commit -qm "F-12: tasks" && echo committed');

say('A --no-verify commit skips the hook; git push catches it, and so does verify in CI');
setPhaseByHand('complete');
sh('git commit -qam "F-12: complete (two tasks still open)" --no-verify && echo committed without the hook');
sh('git init -q --bare ../origin.git && git remote add origin ../origin.git && echo remote ready');
sh('git push -q origin main', { expect: 1 });
sh('specflow verify --range HEAD~1..HEAD', { expect: 1 });
sh('git reset -q --hard HEAD~1 && git push -q origin main && echo pushed: the history without the false commit');

say('The audit trail: every phase change of F-12, from the ledger history');
sh('specflow log F-12');

say('The daemon repairs drift on its own: a spec_path written by hand to point at spec.md');
sh('specflowd start');
const ledgerFile = join(repo, '.maestro', 'ledger.yaml');
const canonicalPath = `spec_path: ${dir}\n`;
writeFileSync(ledgerFile, readFileSync(ledgerFile, 'utf8').replace(canonicalPath, `spec_path: ${dir}/spec.md\n`));
process.stdout.write(`\n# (wrote "spec_path: ${dir}/spec.md" into .maestro/ledger.yaml by hand)\n`);
const deadline = Date.now() + 5000;
while (!readFileSync(ledgerFile, 'utf8').includes(canonicalPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
sh('grep -n "spec_path" .maestro/ledger.yaml');
sh(`grep '"msg":"repair"' .maestro/run/specflowd.log`);
sh('specflowd status');
sh('specflowd stop');
sh('specflow doctor');

if (keep) process.stdout.write(`\nThe demo repository is kept at ${repo}\n`);
else rmSync(base, { recursive: true, force: true });
if (failures) {
  process.stdout.write(`\n${failures} step(s) did not answer as expected.\n`);
  process.exitCode = 1;
} else process.stdout.write('\nDemo finished: every step answered as expected.\n');
