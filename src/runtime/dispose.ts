/**
 * Giving WebAssembly memory back. A wasm memory can grow but never shrink, so after a large fit
 * it stays at its peak for as long as the instance lives; dropping the instance and its memory
 * is the only way to return the pages to the system.
 */
import { clearKernels, isReady } from './kernels.js';
import { forgetInit } from './instantiate.js';
import { detachMemory } from './memory.js';

/**
 * Drops elbo's WebAssembly instance and its memory so that the garbage collector can return them
 * to the system, and ends the worker pool of `init({ threads })` when there is one: after a fit of N = K = 20,000 the memory stays at its peak (about 3.2 GB) until
 * then. Fitted models keep working data (they hold their parameters in ordinary typed arrays),
 * but every call that computes needs `await init()` again first, which loads a fresh instance
 * with a small memory; a call before it throws an InitError that says so. Does nothing when elbo
 * is not initialised.
 *
 * Call it between computations, not from inside one (an `onIteration` callback): that throws a
 * ValueError and keeps the instance.
 *
 * @example
 * ```ts
 * import { init, dispose, GaussianMixture } from 'elbo-wasm';
 * await init();
 * const gm = new GaussianMixture({ nComponents: 50 }).fit(big);
 * const labels = gm.predict(big);
 * dispose();        // the wasm memory (its peak size) can now be garbage-collected
 * await init();     // a fresh, small instance
 * gm.predict(other); // the fitted model still works
 * ```
 */
export function dispose(): void {
  if (!isReady()) return;
  detachMemory('dispose');
  clearKernels();
  forgetInit();
}
