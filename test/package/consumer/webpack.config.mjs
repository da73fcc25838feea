// The consumer's webpack 5 configuration: the three pages, in production mode, and nothing
// about elbo-wasm (webpack copies elbo.wasm by itself from new URL(..., import.meta.url), and
// bundles the fit worker from new Worker(new URL('./worker-main.js', import.meta.url))).
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: { gmm: './gmm/main.js', iris: './iris/main.js', worker: './worker/main.js' },
  output: { path: fileURLToPath(new URL('./out/webpack/', import.meta.url)), clean: true },
};
