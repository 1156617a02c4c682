import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most of the suite waits on real git, node and daemon processes, so two files at a time fit
    // two cores: 5.7 min instead of 8 on the CI machine's size, every test green.
    maxWorkers: 2,
  },
});
