import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Each EM iteration is a Beam pipeline (tens of milliseconds on the direct runner).
    testTimeout: 120_000,
    pool: 'forks',
  },
});
