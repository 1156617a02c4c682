// Stands in for the `yaml` package inside dist/hook.cjs. The real parser is bundled on its own
// (dist/hook-yaml.cjs) and loaded the first time something here is called: a hook whose ledger
// entries and config need no YAML parse (the usual case, see ledger-canonical.ts) then never
// reads or compiles it. Only what the hook's modules use is here; a missing name fails the build.
let real;
// A CommonJS require on purpose: this file is bundled into dist/hook.cjs, beside hook-yaml.cjs.
// @ts-expect-error -- hook-yaml.cjs exists only in dist/, where the build writes it beside this code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = () => (real ??= require('./hook-yaml.cjs'));

export const parseDocument = (...args) => yaml().parseDocument(...args);
export const isMap = (node) => yaml().isMap(node);
export const isScalar = (node) => yaml().isScalar(node);
export const visit = (...args) => yaml().visit(...args);

// Constructors return the real instance, so `new` gives what the real class would.
const standIn = (name) =>
  class {
    constructor(...args) {
      return new (yaml()[name])(...args);
    }
  };
export const Document = standIn('Document');
export const LineCounter = standIn('LineCounter');
export const Scalar = standIn('Scalar');
export const YAMLMap = standIn('YAMLMap');
