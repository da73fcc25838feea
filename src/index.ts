/**
 * elbo: approximate inference (EM, MAP / sparse coding, mean-field) on SIMD WebAssembly.
 * The public surface; re-exports only.
 */
export * from './runtime/index.js';
export * from './mixture/index.js';
export * from './kmeans/index.js';
export * from './sparse/index.js';
export * from './meanfield/index.js';
export * from './datasets/index.js';
export * from './plot/index.js';
export * as reference from './reference/index.js';
