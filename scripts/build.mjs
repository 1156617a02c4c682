// Bundles the three entry points. Dependencies that are heavy or spawn workers stay external
// and are loaded lazily by the code that needs them; the hook path bundles only what it uses.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { entityTables } from './build/entity-tables.mjs';

// The version is package.json's, said once; src/types/build.d.ts declares the constant.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { SPECFLOW_VERSION: JSON.stringify(version) };

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    specflow: 'src/cli/main.ts',
    specflowd: 'src/daemon/main.ts',
    hook: 'src/hook/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: false,
  // sql.js finds its .wasm next to its own file, so it is loaded from node_modules, not bundled.
  // The MCP SDK and zod are bundled into the chunk that only `specflow mcp` loads, and are
  // devDependencies: the SDK's own dependencies (HTTP servers, OAuth) would add ~90 packages
  // to every install for code that stdio never runs.
  external: ['chokidar', 'pino', 'sql.js'],
  // CommonJS dependencies inside an ESM bundle need a real `require` for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  define,
  plugins: [entityTables],
});

// The hooks' entry once more, as one CommonJS file (dist/hook.cjs), which the shims run: Node
// loads a single CommonJS file faster than an ES module and its chunks, and a commit pays for
// that on every hook. Hook modules imported on demand are still evaluated only when used, and
// the YAML parser, the largest dependency, sits in its own file loaded on first use.
const yamlOnDemand = {
  name: 'yaml-on-demand',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, (args) => (args.importer.includes('node_modules') ? undefined : { path: new URL('./build/yaml-on-demand.mjs', import.meta.url).pathname }));
  },
};
/** @type {import('esbuild').BuildOptions} */
const hookBuild = { bundle: true, format: 'cjs', platform: 'node', target: 'node20.19', sourcemap: false, logLevel: 'warning', define };
await build({
  ...hookBuild,
  entryPoints: { hook: 'src/hook/main.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  external: ['chokidar', 'pino', 'sql.js', './hook-yaml.cjs'],
  plugins: [yamlOnDemand, entityTables],
});
await build({ ...hookBuild, entryPoints: ['yaml'], outfile: 'dist/hook-yaml.cjs' });
