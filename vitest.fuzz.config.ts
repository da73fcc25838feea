// `npm run fuzz`: only the fuzz suites, FUZZ_RUNS (default 50) times the cases each runs in
// `npm test`, with a new seed per run (fast-check prints it with any counterexample; FUZZ_SEED
// replays one).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain .mjs build script without type declarations
import { embeddedDefines } from './scripts/embedded.mjs';

export default defineConfig({
  define: embeddedDefines(fileURLToPath(new URL('.', import.meta.url))),
  test: {
    include: ['test/fuzz/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? '50' },
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
