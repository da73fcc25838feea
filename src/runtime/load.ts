/**
 * Loading the one wasm module in Node (and from the source tree): `init` reads elbo.wasm from
 * disk. After `await init()` every call into elbo is synchronous. The browser build and the
 * inline entry have their own `init` (init-browser.ts, init-inline.ts); all three end in
 * {@link initWith}, so every entry shares one module state.
 */
import { InitError } from './errors.js';
import { fetchWasm } from './fetch-wasm.js';
import { initWith, type InitOptions, type InitResult, type ThreadsPlatform, type WasmSource } from './instantiate.js';
import { nodeSpawner } from './threads/spawn-node.js';
import { webSpawner } from './threads/spawn-web.js';
import { webThreadsAvailability } from './threads/web-availability.js';

export { isInitialized, type InitOptions, type InitResult } from './instantiate.js';

/** The build folder relative to the source tree's src/runtime/. */
const SOURCE_TREE_BUILD = '../../build/';

/**
 * Loads and instantiates elbo.wasm. Call it once and await it before any other call; later
 * calls return the same promise. In Node the module is read from the package's dist/ folder;
 * in a browser (the package's "browser" build) it is fetched from beside the bundle; pass
 * `wasmUrl` to load it from elsewhere, or `wasm` to hand over the bytes.
 *
 * `threads` (default `'auto'`: `os.availableParallelism()` in Node) sets how many threads
 * compute; with more than one, a pool of worker threads shares one WebAssembly memory (see the
 * README's Threads section). The workers never keep the process alive; `dispose()` ends them.
 * Resolves to what it set up: `{ threads }`, with a `reason` when that is 1 against the request.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo-wasm';
 * const { threads } = await init(); // { threads: 2 } on a 2-core machine
 * ```
 */
export function init(options: InitOptions = {}): Promise<InitResult> {
  return initWith(options, () => readNodeOrFetch(options.wasmUrl, 'elbo.wasm'), isNode() ? NODE_THREADS : webThreads());
}

/** Threads in Node: worker_threads, as many as os.availableParallelism() by default. */
const NODE_THREADS: ThreadsPlatform = {
  async auto() {
    const os = await import('node:os');
    return { threads: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length };
  },
  unavailable: () => (typeof SharedArrayBuffer === 'undefined' ? 'SharedArrayBuffer is not available in this runtime' : null),
  threadsSource: (o) => o.threadsWasm !== undefined ? Promise.resolve(o.threadsWasm) : readNodeOrFetch(o.threadsWasmUrl, 'elbo.threads.wasm'),
  spawner: nodeSpawner,
};

/** The source tree loaded in a browser (tests, dev servers): Web Workers. */
function webThreads(): ThreadsPlatform {
  return {
    ...webThreadsAvailability(),
    threadsSource: (o) => o.threadsWasm !== undefined ? Promise.resolve(o.threadsWasm) : readNodeOrFetch(o.threadsWasmUrl, 'elbo.threads.wasm'),
    spawner: async () => webSpawner(),
  };
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Node: the file (url, or dist/<name>, or the source tree's build/<name>); elsewhere: fetch. */
async function readNodeOrFetch(url: string | URL | undefined, name: 'elbo.wasm' | 'elbo.threads.wasm'): Promise<WasmSource> {
  if (!isNode() || (url !== undefined && /^[a-z][a-z0-9+.-]+:/i.test(String(url)) && !String(url).startsWith('file:'))) {
    return fetchWasm(url ?? (name === 'elbo.wasm' ? new URL('./elbo.wasm', import.meta.url) : new URL('./elbo.threads.wasm', import.meta.url)));
  }
  // Loaded lazily so that this module stays importable where there is no node:fs.
  const fs = await import('node:fs/promises');
  const candidates = url !== undefined ? [url] : [
    // The published bundle: dist/elbo.wasm beside dist/index.js. The literal form lets bundlers
    // that build for Node (webpack, Vite SSR) copy the file and rewrite the URL.
    name === 'elbo.wasm' ? new URL('./elbo.wasm', import.meta.url) : new URL('./elbo.threads.wasm', import.meta.url),
    // The source tree: src/runtime/ → build/. Not a literal, so that no bundler chases it.
    new URL(SOURCE_TREE_BUILD + name, import.meta.url),
  ];
  const tried: string[] = [];
  for (const c of candidates) {
    try {
      return await fs.readFile(c);
    } catch {
      tried.push(String(c));
    }
  }
  throw new InitError(`${name} not found (tried ${tried.join(', ')}); run \`npm run build\` or pass init({ wasmUrl }) or init({ wasm: bytes })`);
}
