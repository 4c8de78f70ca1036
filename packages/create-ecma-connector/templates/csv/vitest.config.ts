import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each conformance check writes a fresh CSV file in a temp folder; a few seconds is plenty.
    testTimeout: 30_000,
  },
});
