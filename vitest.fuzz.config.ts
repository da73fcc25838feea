// `npm run fuzz`: only the fuzz suites, FUZZ_RUNS (default 50) times the cases each runs in
// `npm test`, with a new seed per run (fast-check prints it with any counterexample; FUZZ_SEED
// replays one). FUZZ_PENDING=off also tries the input classes listed in test/fuzz/pending.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? '50' },
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
