/**
 * `init` of the browser build (`elbo-wasm` under the "browser" and "default" conditions): fetches
 * elbo.wasm from beside the bundle. The URL is written in the one form bundlers recognise
 * (`new URL('./elbo.wasm', import.meta.url)`), so Vite and webpack 5 copy the file into their
 * output and rewrite the URL; nothing here imports a Node module.
 */
import { fetchWasm } from './fetch-wasm.js';
import { initWith, type InitOptions, type InitResult } from './instantiate.js';
import { webSpawner } from './threads/spawn-web.js';
import { webThreadsAvailability } from './threads/web-availability.js';

/**
 * Loads and instantiates elbo.wasm. Call it once and await it before any other call; later
 * calls return the same promise. It fetches elbo.wasm from beside the bundle; pass `wasmUrl` to
 * fetch it from elsewhere, or `wasm` to hand over the bytes. A 404, or a page that is not
 * WebAssembly, ends in an InitError saying what to pass.
 *
 * `threads` (default `'auto'`) sets how many threads compute: with more than one, Web Workers
 * share one WebAssembly memory with the page, which browsers allow only on cross-origin isolated
 * pages (COOP `same-origin` and COEP `require-corp` headers); elsewhere init resolves to
 * `{ threads: 1, reason }`. The page's own thread never blocks on a worker (Atomics.wait is not
 * allowed there); it only spins briefly for blocks already being computed, so long fits belong
 * in a Worker of their own.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo-wasm';
 * await init();
 * ```
 */
export function init(options: InitOptions = {}): Promise<InitResult> {
  return initWith(options, () => fetchWasm(options.wasmUrl ?? new URL('./elbo.wasm', import.meta.url)), {
    ...webThreadsAvailability(),
    threadsSource: async (o) => o.threadsWasm ?? fetchWasm(o.threadsWasmUrl ?? new URL('./elbo.threads.wasm', import.meta.url)),
    spawner: async () => webSpawner(),
  });
}
