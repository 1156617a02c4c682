import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most of the suite waits on real git, node and daemon processes, so two files at a time fit
    // two cores. Three were some 10 % faster on the CI machine's size; two keep headroom for the
    // daemon tests on a busy machine.
    maxWorkers: 2,
  },
});
