// The bundled hook entry (`dist/hook.js <hook> [args…]`): the shims call it with node directly,
// skipping the command-line parser, so a hook loads only what it uses.
import { runHook } from './run.js';

const [name = '', ...args] = process.argv.slice(2);
process.exitCode = await runHook(name, args);
