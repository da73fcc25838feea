/**
 * Loading the one wasm module, in Node (read from disk next to this module) and in browsers
 * (fetched by URL). After `await init()` every call into elbo is synchronous.
 */
import { instantiate } from '@assemblyscript/loader';
import { InitError } from './errors.js';
import { isReady, setKernels, type Kernels } from './kernels.js';
import { attachMemory } from './memory.js';
import { checkOptions, optionKeys } from './options.js';

/** Options of {@link init}. */
export interface InitOptions {
  /** Where to fetch elbo.wasm from (browser) or read it from (Node: a file: URL or path). */
  wasmUrl?: string | URL;
  /** The module's bytes, or a compiled WebAssembly.Module, when the caller has them already. */
  wasm?: ArrayBuffer | Uint8Array | WebAssembly.Module;
  /** Initial wasm memory in 64 KiB pages (default 32 = 2 MiB); it grows on demand. */
  initialPages?: number;
}

const OPTION_KEYS = optionKeys<InitOptions>()(['wasmUrl', 'wasm', 'initialPages']);

const DEFAULT_INITIAL_PAGES = 32;
let pending: Promise<void> | null = null;

/**
 * Loads and instantiates elbo.wasm. Call it once and await it before any other call; later
 * calls return the same promise.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo';
 * await init();
 * ```
 */
export function init(options: InitOptions = {}): Promise<void> {
  options = checkOptions(options, OPTION_KEYS, 'init');
  if (!pending) {
    pending = load(options).catch((err: unknown) => {
      pending = null;
      throw err instanceof InitError ? err : new InitError(`could not load elbo.wasm: ${String((err as Error)?.message ?? err)}`);
    });
  }
  return pending;
}

/** Lets the next init() load a fresh instance (called by dispose()). */
export function forgetInit(): void {
  pending = null;
}

/** True once init() has resolved. */
export function isInitialized(): boolean {
  return isReady();
}

async function load(options: InitOptions): Promise<void> {
  const source = options.wasm ?? (await fetchBytes(options.wasmUrl));
  const memory = new WebAssembly.Memory({ initial: options.initialPages ?? DEFAULT_INITIAL_PAGES });
  const { exports } = await instantiate<Record<string, unknown>>(source as ArrayBuffer, { env: { memory } });
  const k = exports as unknown as Kernels;
  attachMemory(memory, k.heapBase());
  setKernels(k);
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

async function fetchBytes(url: string | URL | undefined): Promise<ArrayBuffer | Uint8Array> {
  if (isNode() && (url === undefined || String(url).startsWith('file:') || !/^[a-z]+:/i.test(String(url)))) {
    const fs = await import('node:fs/promises');
    const candidates = url !== undefined ? [url] : [
      new URL('./elbo.wasm', import.meta.url), // the published bundle: dist/elbo.wasm beside dist/index.js
      new URL('../../build/elbo.wasm', import.meta.url), // the source tree: src/runtime → build/
    ];
    const tried: string[] = [];
    for (const c of candidates) {
      try {
        return await fs.readFile(c);
      } catch {
        tried.push(String(c));
      }
    }
    throw new InitError(`elbo.wasm not found (tried ${tried.join(', ')}); run \`npm run build\` or pass init({ wasmUrl })`);
  }
  const res = await fetch(url ?? new URL('./elbo.wasm', import.meta.url));
  if (!res.ok) throw new InitError(`fetching ${res.url} for elbo.wasm failed: HTTP ${res.status}`);
  return res.arrayBuffer();
}
