/** package.json's version, put in by the bundler (scripts/build.mjs) so that it is said in one place. */
declare const SPECFLOW_VERSION: string;
