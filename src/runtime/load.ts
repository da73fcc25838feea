/**
 * Loading the one wasm module in Node (and from the source tree): `init` reads elbo.wasm from
 * disk. After `await init()` every call into elbo is synchronous. The browser build and the
 * inline entry have their own `init` (init-browser.ts, init-inline.ts); all three end in
 * {@link initWith}, so every entry shares one module state.
 */
import { InitError } from './errors.js';
import { fetchWasm } from './fetch-wasm.js';
import { initWith, type InitOptions, type WasmSource } from './instantiate.js';

export { isInitialized, type InitOptions } from './instantiate.js';

/** The wasm file relative to the source tree's src/runtime/. */
const SOURCE_TREE_WASM = '../../build/elbo.wasm';

/**
 * Loads and instantiates elbo.wasm. Call it once and await it before any other call; later
 * calls return the same promise. In Node the module is read from the package's dist/ folder;
 * in a browser (the package's "browser" build) it is fetched from beside the bundle; pass
 * `wasmUrl` to load it from elsewhere, or `wasm` to hand over the bytes.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo-wasm';
 * await init();
 * ```
 */
export function init(options: InitOptions = {}): Promise<void> {
  return initWith(options, () => readNodeOrFetch(options.wasmUrl));
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Node: the file (wasmUrl, or dist/elbo.wasm, or the source tree's build/); elsewhere: fetch. */
async function readNodeOrFetch(url: string | URL | undefined): Promise<WasmSource> {
  if (!isNode() || (url !== undefined && /^[a-z][a-z0-9+.-]+:/i.test(String(url)) && !String(url).startsWith('file:'))) {
    return fetchWasm(url ?? new URL('./elbo.wasm', import.meta.url));
  }
  // Loaded lazily so that this module stays importable where there is no node:fs.
  const fs = await import('node:fs/promises');
  const candidates = url !== undefined ? [url] : [
    // The published bundle: dist/elbo.wasm beside dist/index.js. The literal form lets bundlers
    // that build for Node (webpack, Vite SSR) copy the file and rewrite the URL.
    new URL('./elbo.wasm', import.meta.url),
    // The source tree: src/runtime/ → build/. Not a literal, so that no bundler chases it.
    new URL(SOURCE_TREE_WASM, import.meta.url),
  ];
  const tried: string[] = [];
  for (const c of candidates) {
    try {
      return await fs.readFile(c);
    } catch {
      tried.push(String(c));
    }
  }
  throw new InitError(`elbo.wasm not found (tried ${tried.join(', ')}); run \`npm run build\` or pass init({ wasmUrl }) or init({ wasm: bytes })`);
}
