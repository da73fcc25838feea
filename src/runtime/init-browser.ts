/**
 * `init` of the browser build (`elbo-wasm` under the "browser" and "default" conditions): fetches
 * elbo.wasm from beside the bundle. The URL is written in the one form bundlers recognise
 * (`new URL('./elbo.wasm', import.meta.url)`), so Vite and webpack 5 copy the file into their
 * output and rewrite the URL; nothing here imports a Node module.
 */
import { fetchWasm } from './fetch-wasm.js';
import { initWith, type InitOptions } from './instantiate.js';

/**
 * Loads and instantiates elbo.wasm. Call it once and await it before any other call; later
 * calls return the same promise. It fetches elbo.wasm from beside the bundle; pass `wasmUrl` to
 * fetch it from elsewhere, or `wasm` to hand over the bytes. A 404, or a page that is not
 * WebAssembly, ends in an InitError saying what to pass.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo-wasm';
 * await init();
 * ```
 */
export function init(options: InitOptions = {}): Promise<void> {
  return initWith(options, () => fetchWasm(options.wasmUrl ?? new URL('./elbo.wasm', import.meta.url)));
}
