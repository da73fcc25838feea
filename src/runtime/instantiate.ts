/**
 * Instantiating the one wasm module, shared by every package entry's `init` (Node's file
 * loader in load.ts, the browser's fetch in init-browser.ts, the embedded bytes in
 * init-inline.ts), so that all entries share one module state. Nothing here knows where the
 * bytes come from.
 */
import { instantiate } from '@assemblyscript/loader';
import { InitError } from './errors.js';
import { isReady, setKernels, type Kernels } from './kernels.js';
import { attachMemory } from './memory.js';
import { checkOptions, optionKeys } from './options.js';

/** Options of `init`. */
export interface InitOptions {
  /** Where to fetch elbo.wasm from (browser) or read it from (Node: a file: URL or path). */
  wasmUrl?: string | URL;
  /** The module's bytes, or a compiled WebAssembly.Module, when the caller has them already. */
  wasm?: ArrayBuffer | Uint8Array | WebAssembly.Module;
  /** Initial wasm memory in 64 KiB pages (default 32 = 2 MiB); it grows on demand. */
  initialPages?: number;
}

/** What a default source yields: the module's bytes or a compiled module. */
export type WasmSource = ArrayBuffer | Uint8Array | WebAssembly.Module;

const OPTION_KEYS = optionKeys<InitOptions>()(['wasmUrl', 'wasm', 'initialPages']);

const DEFAULT_INITIAL_PAGES = 32;
let pending: Promise<void> | null = null;

/** Lets the next init() load a fresh instance (called by dispose()). */
export function forgetInit(): void {
  pending = null;
}

/** True once init() has resolved. */
export function isInitialized(): boolean {
  return isReady();
}

/**
 * The shared part of every entry's `init`: `options.wasm` wins, otherwise `defaultSource()`
 * supplies the module. A failed load can be retried (the next call starts afresh).
 */
export function initWith(options: InitOptions, defaultSource: () => Promise<WasmSource>): Promise<void> {
  options = checkOptions(options, OPTION_KEYS, 'init');
  if (!pending) {
    pending = load(options, defaultSource).catch((err: unknown) => {
      pending = null;
      throw err instanceof InitError ? err : new InitError(`could not load elbo.wasm: ${String((err as Error)?.message ?? err)}`);
    });
  }
  return pending;
}

async function load(options: InitOptions, defaultSource: () => Promise<WasmSource>): Promise<void> {
  const source = options.wasm ?? (await defaultSource());
  const memory = new WebAssembly.Memory({ initial: options.initialPages ?? DEFAULT_INITIAL_PAGES });
  const { exports } = await instantiate<Record<string, unknown>>(source as ArrayBuffer, { env: { memory } });
  const k = exports as unknown as Kernels;
  attachMemory(memory, k.heapBase());
  setKernels(k);
}
