/**
 * The Node entry of elbo-wasm (the "node" export condition; also `main`): the whole library,
 * with an {@link init} that reads elbo.wasm from the package's dist/ folder. The library itself is
 * listed once, in src/index.ts, and every entry re-exports it with its own `init`.
 */
export * from './index.js';
export { init } from './runtime/load.js';
