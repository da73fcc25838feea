// The files the build embeds in the package's JavaScript, as esbuild/Vite `define` entries:
// the data sets (dist/datasets.js) and elbo.wasm (dist/inline.js, when it has been built).
// Shared by scripts/build.mjs and vitest.config.ts, so tests of the source see the same data.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `define` entries for the data sets, and for the wasm when `wasm` is true. */
export function embeddedDefines(root, { wasm = false } = {}) {
  const file = (p) => readFileSync(join(root, p));
  const defines = {
    __ELBO_IRIS_CSV__: JSON.stringify(file('data/iris.csv').toString('utf-8')),
    __ELBO_IRIS_LABELS_CSV__: JSON.stringify(file('data/iris-labels.csv').toString('utf-8')),
    __ELBO_DIGITS_CSV_GZ_BASE64__: JSON.stringify(file('data/digits.csv.gz').toString('base64')),
  };
  if (wasm && existsSync(join(root, 'build/elbo.wasm'))) {
    defines.__ELBO_WASM_BASE64__ = JSON.stringify(file('build/elbo.wasm').toString('base64'));
  }
  return defines;
}
