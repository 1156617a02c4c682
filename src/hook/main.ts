// The bundled hook entry (`dist/hook.cjs <hook> [args…]`; also built as `dist/hook.js`): the
// shims call it with node directly, skipping the command-line parser, so a hook loads only what
// it uses. A commit hook starts git reading the staged ledgers before the checking code is
// loaded, so git works while node evaluates the YAML parser and the gates.
import { startStagedReads, type StagedReads } from './staged-reads.js';

const [name = '', ...args] = process.argv.slice(2);
const commitHook = ['pre-commit', 'pre-merge-commit', 'commit-msg'].includes(name) && process.env.SPECFLOW_SKIP !== '1';
const started: StagedReads | undefined = commitHook ? startStagedReads(process.cwd(), process.env, { changes: name !== 'commit-msg', parent: name === 'commit-msg' }) : undefined;
// No top-level await: the same entry is also bundled as CommonJS (dist/hook.cjs).
void import('./run.js')
  .then(({ runHook }) => runHook(name, args, process.cwd(), started))
  .then((code) => {
    process.exitCode = code;
  });
