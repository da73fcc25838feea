/**
 * elbo: approximate inference (EM, MAP / sparse coding, mean-field) on SIMD WebAssembly.
 * The public surface but `init`; re-exports only. Each package entry re-exports this list with
 * its own `init`: src/node.ts (Node), src/browser.ts (browsers and bundlers), src/inline.ts
 * (elbo.wasm embedded). The data sets are their own entry, `elbo-wasm/datasets`
 * (src/datasets/index.ts). A new export added here reaches every entry.
 */
export * from './runtime/index.js';
export * from './mixture/index.js';
export * from './kmeans/index.js';
export * from './sparse/index.js';
export * from './meanfield/index.js';
export * from './learned/index.js';
export * from './plot/index.js';
export * as reference from './reference/index.js';
export * from './hmm/index.js';
export * from './stats/index.js';
