/**
 * `init` of the `elbo-wasm/inline` entry: the module's bytes are embedded in the bundle
 * (base64, written in by scripts/build.mjs), so it needs no file, no URL and no bundler
 * configuration, at the cost of about 130 kB more JavaScript.
 */
import { InitError } from './errors.js';
import { fetchWasm } from './fetch-wasm.js';
import { initWith, type InitOptions, type InitResult } from './instantiate.js';
import { webThreadsAvailability } from './threads/web-availability.js';
import { webSpawner } from './threads/spawn-web.js';

/** elbo.wasm in base64, defined by the build; absent when this file runs from the source tree. */
declare const __ELBO_WASM_BASE64__: string | undefined;

/** Decodes base64 without Node's Buffer, in every runtime with `atob`. */
export function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function inlinedWasm(): Uint8Array {
  if (typeof __ELBO_WASM_BASE64__ !== 'string') {
    throw new InitError('this build has no inlined elbo.wasm: the inline entry is made by `npm run build` (dist/inline.js)');
  }
  return base64Bytes(__ELBO_WASM_BASE64__);
}

/**
 * Instantiates the embedded elbo.wasm. Call it once and await it before any other call; later
 * calls return the same promise. `wasmUrl` or `wasm` override the embedded bytes. It runs one
 * thread unless given the threaded module (`threadsWasmUrl` or `threadsWasm`) in a
 * cross-origin isolated page.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo-wasm/inline';
 * await init();
 * ```
 */
export function init(options: InitOptions = {}): Promise<InitResult> {
  const web = webThreadsAvailability();
  return initWith(options, async () => (options.wasmUrl !== undefined ? fetchWasm(options.wasmUrl) : inlinedWasm()), {
    auto: async () => ({ threads: 1, reason: INLINE_ONE_THREAD }),
    // Only the single-threaded module is embedded; threads need the threaded one from elsewhere, and Web Workers.
    unavailable: (o) => (o.threadsWasm === undefined && o.threadsWasmUrl === undefined ? INLINE_ONE_THREAD : web.unavailable(o)),
    threadsSource: async (o) => o.threadsWasm ?? fetchWasm(o.threadsWasmUrl as string | URL),
    spawner: async () => webSpawner(),
  });
}

const INLINE_ONE_THREAD = "the inline entry embeds only the single-threaded module: pass init({ threadsWasmUrl }) or init({ threadsWasm }), or import from 'elbo-wasm'";
