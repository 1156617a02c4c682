import { build } from 'esbuild';
import { join } from 'node:path';
import { tempDir } from '../../helpers/repo.js';

/**
 * Bundles a support script from the real sources into a temporary folder (as `npm run build`
 * bundles the CLI), so a child process runs exactly the code under test.
 */
const bundles = new Map<string, string>();

export async function bundleSupport(name: 'ledger-writer'): Promise<string> {
  const done = bundles.get(name);
  if (done) return done;
  const outfile = join(tempDir('specflow-bundle-'), `${name}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, `${name}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  bundles.set(name, outfile);
  return outfile;
}
