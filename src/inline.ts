/**
 * `elbo-wasm/inline`: the whole library with elbo.wasm embedded, for bundlers and pages with no
 * configuration at all: its {@link init} needs no file and no URL.
 */
export * from './index.js';
export { init } from './runtime/init-inline.js';
