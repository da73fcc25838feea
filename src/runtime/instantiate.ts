/**
 * Instantiating the wasm module, shared by every package entry's `init` (Node's file loader in
 * load.ts, the browser's fetch in init-browser.ts, the embedded bytes in init-inline.ts), so that
 * all entries share one module state. Nothing here knows where the bytes come from, nor how a
 * platform starts threads: each entry passes a {@link ThreadsPlatform}.
 *
 * With one thread the single-threaded build (elbo.wasm) runs on a private memory, as it always
 * did. With more, the threaded build (elbo.threads.wasm) runs on one shared memory, in the
 * calling thread and in a pool of `threads − 1` workers (threads/pool.ts).
 */
import { instantiate } from '@assemblyscript/loader';
import { InitError, OptionError } from './errors.js';
import { isReady, setKernels, type Kernels } from './kernels.js';
import { attachMemory } from './memory.js';
import { checkOptions, optionKeys } from './options.js';
import { describe } from './matrix.js';
import { MAX_THREADS } from './threads/layout.js';
import { exportTable, installRunner } from './threads/parallel.js';
import { Pool } from './threads/pool.js';
import type { Spawner } from './threads/spawn.js';

/** Options of `init`. */
export interface InitOptions {
  /** Where to fetch elbo.wasm from (browser) or read it from (Node: a file: URL or path). */
  wasmUrl?: string | URL;
  /** The module's bytes, or a compiled WebAssembly.Module, when the caller has them already. */
  wasm?: ArrayBuffer | Uint8Array | WebAssembly.Module;
  /** Initial wasm memory in 64 KiB pages (default 32 = 2 MiB); it grows on demand. */
  initialPages?: number;
  /**
   * Threads to compute with, the calling thread included: a whole number from 1 to 256, or
   * `'auto'` (the default): in Node `os.availableParallelism()`; in a browser
   * `navigator.hardwareConcurrency` when the page is cross-origin isolated, else 1 (and 1 when
   * `wasm` or `wasmUrl` is given without `threadsWasm` or `threadsWasmUrl`). `1` runs the
   * single-threaded elbo.wasm; more run elbo.threads.wasm in a pool of workers over one shared
   * memory. Results are the same bytes whatever the number.
   */
  threads?: number | 'auto';
  /** Where to fetch (browser) or read (Node) elbo.threads.wasm from; default beside elbo.wasm. */
  threadsWasmUrl?: string | URL;
  /** The threaded build's bytes or compiled module, when the caller has them already. */
  threadsWasm?: ArrayBuffer | Uint8Array | WebAssembly.Module;
  /**
   * The shared memory's maximum in 64 KiB pages, with more than one thread (default 65536 =
   * 4 GiB, the most wasm32 addresses). A shared memory cannot grow past its maximum: a
   * computation that needs more fails with a WasmMemoryError naming this option.
   */
  maximumPages?: number;
}

/** What `init` set up. */
export interface InitResult {
  /** Threads that compute (the calling thread included); 1 runs the single-threaded build. */
  threads: number;
  /**
   * Why there are fewer threads than were asked for (`'auto'` or a number above 1), or why a later
   * `init` asking for another number kept the first setup (call `dispose()` before it to change).
   */
  reason?: string;
}

/** What a default source yields: the module's bytes or a compiled module. */
export type WasmSource = ArrayBuffer | Uint8Array | WebAssembly.Module;

/** How an entry starts threads on its platform. */
export interface ThreadsPlatform {
  /** The thread count of `threads: 'auto'`, with the reason when it is 1. */
  auto(): Promise<InitResult>;
  /** Why this platform cannot run a pool now (no SharedArrayBuffer, no cross-origin isolation), or null. */
  unavailable(options: InitOptions): string | null;
  /** elbo.threads.wasm (from the options or the default place). */
  threadsSource(options: InitOptions): Promise<WasmSource>;
  /** Starts workers. */
  spawner(): Promise<Spawner>;
}

const OPTION_KEYS = optionKeys<InitOptions>()(['wasmUrl', 'wasm', 'initialPages', 'threads', 'threadsWasmUrl', 'threadsWasm', 'maximumPages']);

/** Why 'auto' means one thread when init was given only the single-threaded module. */
const OWN_MODULE = 'init was given the single-threaded module (wasm or wasmUrl) and not the threaded one (threadsWasm or threadsWasmUrl)';

const DEFAULT_INITIAL_PAGES = 32;
const PAGE = 65536;
const MAX_PAGES = 65536;
/** Worker scratch regions start on a 64-byte boundary (the kernels' alignment for packing buffers). */
const SCRATCH_ALIGN = 64;
let pending: Promise<InitResult> | null = null;
let shutdownPool: (() => void) | null = null;

/** Lets the next init() load a fresh instance and ends the pool (called by dispose()). */
export function forgetInit(): void {
  pending = null;
  shutdownPool?.();
  shutdownPool = null;
  installRunner(null);
}

/** True once init() has resolved. */
export function isInitialized(): boolean {
  return isReady();
}

/**
 * The shared part of every entry's `init`: `options.wasm` wins, otherwise `defaultSource()`
 * supplies the module; `platform` says how to start threads. A failed load can be retried (the
 * next call starts afresh).
 */
export function initWith(options: InitOptions, defaultSource: () => Promise<WasmSource>, platform: ThreadsPlatform): Promise<InitResult> {
  options = checkOptions(options, OPTION_KEYS, 'init');
  checkThreadOptions(options);
  if (!pending) {
    pending = load(options, defaultSource, platform).catch((err: unknown) => {
      pending = null;
      throw err instanceof InitError ? err : new InitError(`could not load elbo.wasm: ${String((err as Error)?.message ?? err)}`);
    });
    return pending;
  }
  // The same promise unless a thread count was named, which the first setup may not have.
  const threads = options.threads;
  return typeof threads === 'number' ? pending.then((done) => alreadyInitialised(done, threads)) : pending;
}

/**
 * What a later init resolves to: the setup of the first (the instance is loaded once), with a
 * reason when it asked for another thread count by number, so nobody mistakes it for a change.
 */
function alreadyInitialised(done: InitResult, threads: number): InitResult {
  if (threads === done.threads) return done;
  return { threads: done.threads, reason: `elbo was already initialised with ${done.threads} thread${done.threads === 1 ? '' : 's'}; call dispose() before init({ threads: ${threads} }) to change it` };
}

function checkThreadOptions(o: InitOptions): void {
  const t = o.threads;
  if (t !== undefined && t !== 'auto' && !(Number.isInteger(t) && t >= 1 && t <= MAX_THREADS)) {
    throw new OptionError(`init: threads must be 'auto' or a whole number from 1 to ${MAX_THREADS}; got ${describe(t)}`);
  }
  const m = o.maximumPages;
  if (m !== undefined && !(Number.isInteger(m) && m >= 1 && m <= MAX_PAGES)) {
    throw new OptionError(`init: maximumPages must be a whole number from 1 to ${MAX_PAGES} (64 KiB pages); got ${describe(m)}`);
  }
}

async function load(options: InitOptions, defaultSource: () => Promise<WasmSource>, platform: ThreadsPlatform): Promise<InitResult> {
  const auto = options.threads === undefined || options.threads === 'auto';
  // A caller who hands over the single-threaded module (wasm, wasmUrl) and not the threaded one
  // gets what it handed over, as before threads existed, unless it asks for threads by number.
  const ownModule = (options.wasm !== undefined || options.wasmUrl !== undefined) && options.threadsWasm === undefined && options.threadsWasmUrl === undefined;
  const wanted: InitResult = auto && ownModule ? { threads: 1, reason: OWN_MODULE }
    : auto ? await platform.auto() : { threads: options.threads as number };
  const why = wanted.threads > 1 ? platform.unavailable(options) : null;
  if (wanted.threads > 1 && why === null) return loadThreaded(options, wanted.threads, platform);
  const source = options.wasm ?? (await defaultSource());
  const memory = new WebAssembly.Memory({ initial: options.initialPages ?? DEFAULT_INITIAL_PAGES });
  const { module, instance, exports } = await instantiate<Record<string, unknown>>(source as ArrayBuffer, { env: { memory } });
  const k = exports as unknown as Kernels;
  attachMemory(memory, k.heapBase());
  installRunner({ ...exportTable(module, instance), pool: null });
  setKernels(k);
  const reason = why ?? wanted.reason;
  return reason === undefined ? { threads: 1 } : { threads: 1, reason };
}

/**
 * The threaded build on one shared memory: the calling thread's instance, a scratch region per
 * worker above its static data (the calling thread keeps the one in the data segment), then the
 * workers. Resolves once every worker is ready.
 */
async function loadThreaded(options: InitOptions, threads: number, platform: ThreadsPlatform): Promise<InitResult> {
  const source = await platform.threadsSource(options);
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source as BufferSource);
  const maximum = options.maximumPages ?? MAX_PAGES;
  const initial = Math.min(maximum, options.initialPages ?? DEFAULT_INITIAL_PAGES);
  const memory = new WebAssembly.Memory({ initial, maximum, shared: true });
  const { instance, exports } = await instantiate<Record<string, unknown>>(module, { env: { memory } });
  const k = exports as unknown as Kernels;
  const bytes = k.scratchBytes();
  const first = Math.ceil(k.heapBase() / SCRATCH_ALIGN) * SCRATCH_ALIGN;
  const scratch = Array.from({ length: threads }, (_, t) => (t === 0 ? 0 : first + (t - 1) * bytes));
  const heap = first + (threads - 1) * bytes;
  const need = Math.ceil(heap / PAGE) - memory.buffer.byteLength / PAGE;
  if (need > 0) {
    if (memory.buffer.byteLength / PAGE + need > maximum) {
      throw new InitError(`init: ${threads} threads need ${Math.ceil(heap / PAGE)} pages of scratch and static data, more than maximumPages = ${maximum}`);
    }
    memory.grow(need);
  }
  const table = exportTable(module, instance);
  const pool = new Pool({ threads, spawn: await platform.spawner(), module, memory, fns: table.fns, index: table.index, scratch });
  await pool.start();
  attachMemory(memory, heap, maximum);
  installRunner({ ...table, pool });
  shutdownPool = () => pool.shutdown();
  setKernels(k);
  return { threads };
}
