import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.tools/**', '.data/**', 'scratch/**'],
    globalSetup: ['infra/testing/global-setup.ts'],
    reporters: ['default', './infra/testing/summary-reporter.ts'],
    pool: 'forks',
    // Two cores: two files at a time; the stack tests start whole process trees of their own.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
