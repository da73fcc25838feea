import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain .mjs build script without type declarations
import { embeddedDefines } from './scripts/embedded.mjs';


export default defineConfig({
  // The data sets the build embeds in dist/datasets.js, for tests that load them from src/.
  define: embeddedDefines(fileURLToPath(new URL('.', import.meta.url))),
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
