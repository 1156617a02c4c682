import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most of the suite waits on real git, node and daemon processes (and daemons sit idle while
    // a test waits for their event), so three files at a time keep two cores busy: 600 s instead
    // of 675 s with two on the CI machine's size, every test green.
    maxWorkers: 3,
  },
});
