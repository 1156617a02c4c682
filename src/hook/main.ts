// The bundled hook entry (`dist/hook.cjs <hook> [args…]`; also built as `dist/hook.js`): the
// shims call it with node directly, skipping the command-line parser, so a hook loads only what
// it uses.
import { runHook } from './run.js';

const [name = '', ...args] = process.argv.slice(2);
// No top-level await: the same entry is also bundled as CommonJS (dist/hook.cjs).
void runHook(name, args).then((code) => {
  process.exitCode = code;
});
