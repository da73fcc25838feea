/**
 * Ownership of wasm memory. The module imports its memory; this file creates it, hands out
 * 16-byte-aligned buffers from a stack (workspaces), grows the memory when a workspace needs
 * more, and re-derives typed-array views on every access (growth detaches old views).
 *
 * One workspace at a time may outlive its computation (`keep`): a partialFit stream's engine,
 * kept between batches. It lies at the very bottom of the stack, below every computation, and
 * is given back by its owner, by `releaseKept` (the next stream to keep one calls it first, so
 * the kept region never moves up and memory stays flat) or by dispose().
 */
import { InitError, ValueError, WasmMemoryError } from './errors.js';
import type { DType, FloatArray } from './matrix.js';

const PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
const MAX_PAGES = 65536;
const ALIGN = 16;
const GIB = 2 ** 30;

/**
 * What a buffer holds, for out-of-memory messages: a name and the dimensions whose product is
 * its length, e.g. `{ name: 'precision factors', dims: [['K', 200], ['D', 2000], ['D', 2000]] }`.
 */
export interface BufferLabel {
  /** What the buffer holds, e.g. 'responsibilities'. */
  name: string;
  /** The factors of its length, by the names users know them by (N rows, K components, D features). */
  dims: [string, number][];
}

let memory: WebAssembly.Memory | null = null;
/** The memory's declared maximum in pages: wasm32's 4 GiB, or less for the threaded build's shared memory. */
let maxPages = MAX_PAGES;
let heapBase = 0;
let top = 0;
let openWorkspaces: Workspace[] = [];
/** The workspace kept between computations (at the bottom of the stack), or null. */
let kept: Workspace | null = null;
/** Why there is no memory: set by detachMemory (dispose), so the error can say so. */
let detachedBy: string | null = null;

/**
 * Called once by init(): the memory the module imported, the first free byte, and the memory's
 * declared maximum in pages (a shared memory must declare one; it cannot grow past it).
 */
export function attachMemory(mem: WebAssembly.Memory, base: number, maximumPages = MAX_PAGES): void {
  kept?.release(); // it lived in the previous memory
  memory = mem;
  maxPages = maximumPages;
  heapBase = align(base);
  top = heapBase;
  openWorkspaces = [];
  detachedBy = null;
}

/**
 * Drops the reference to the module's memory (dispose): afterwards every use is an InitError
 * until init() attaches a new one. Refused while a workspace is open, since a computation would
 * then lose its buffers half-way; the kept workspace is released (its owner builds a new one).
 */
export function detachMemory(reason: string): void {
  if (openWorkspaces.length > 0) {
    throw new ValueError(`cannot ${reason} while a computation holds wasm memory (${openWorkspaces.length} open workspace${openWorkspaces.length === 1 ? '' : 's'}); call it after fit/transform returns`);
  }
  kept?.release();
  memory = null;
  heapBase = 0;
  top = 0;
  detachedBy = reason;
}

/** The module's memory (after init). */
export function wasmMemory(): WebAssembly.Memory {
  if (!memory) {
    throw new InitError(detachedBy
      ? `elbo's WebAssembly instance was released by ${detachedBy}(): call \`await init()\` again before using it`
      : 'elbo is not initialised: call `await init()` once before using it');
  }
  return memory;
}

/**
 * Bytes of wasm memory currently reserved: by open workspaces, and by the engine a partialFit
 * stream keeps between its batches (given back by that model's next fit, by the next stream
 * that keeps one, or by dispose()).
 */
export function bytesInUse(): number {
  return top - heapBase;
}

/**
 * Releases the kept workspace, if any, unless a computation is running (its workspaces lie above
 * the kept one). A stream calls it before it builds the engine it means to keep, which then
 * starts at the bottom of the stack where the released one was.
 * @returns whether no workspace is kept afterwards
 */
export function releaseKept(): boolean {
  if (kept && openWorkspaces.length === 0) kept.release();
  return kept === null;
}

function align(n: number): number {
  // Arithmetic, not bit masks: addresses reach 4 GiB, past the 32-bit signed range of `&`.
  return Math.ceil(n / ALIGN) * ALIGN;
}

function ensureCapacity(end: number, request: () => OutOfMemory): void {
  const mem = wasmMemory();
  const have = mem.buffer.byteLength;
  if (end <= have) return;
  const pages = Math.ceil((end - have) / PAGE);
  const current = have / PAGE;
  if (current + pages > MAX_PAGES) {
    const r = request();
    throw new WasmMemoryError(`${r.what}: ${gib(end)} in all, past the 4 GiB (4,294,967,296 bytes) that WebAssembly memory can address (wasm32); ${r.hint}`);
  }
  if (current + pages > maxPages) {
    const r = request();
    throw new WasmMemoryError(`${r.what}: ${gib(end)} in all, past the maximum of ${gib(maxPages * PAGE)} (${maxPages} pages) declared for the threads' shared memory; ${r.hint}, or pass a larger init({ maximumPages }) (at most 65536)`);
  }
  try {
    mem.grow(pages);
  } catch {
    // Below the 4 GiB cap the engine may still refuse (a browser tab's or the machine's limit).
    const r = request();
    throw new WasmMemoryError(`${r.what}: the JavaScript engine refused to grow WebAssembly memory to ${gib(end)} (a limit of this tab or machine, below the 4 GiB of wasm32); ${r.hint}`);
  }
}

/**
 * A byte count in GiB (MiB below 1 GiB); near the 4 GiB limit, in bytes, so that a size just
 * past it never reads as the limit itself.
 */
function gib(bytes: number): string {
  if (Math.abs(bytes - 4 * GIB) < 0.01 * GIB) return `${bytes.toLocaleString('en-US')} bytes`;
  return bytes >= GIB ? `${(bytes / GIB).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

interface OutOfMemory {
  /** The request: the buffer (with its dimensions when the caller named them) and what is in use. */
  what: string;
  /** Which dimension to reduce. */
  hint: string;
}

function outOfMemory(n: number, dtype: DType, inUse: number, label?: BufferLabel): OutOfMemory {
  const bytes = n * (dtype === 'f32' ? 4 : 8);
  const size = `${n.toExponential(2)} ${dtype} values (${gib(bytes)})`;
  const what = label
    ? `${label.name} need ${label.dims.map(([d]) => d).join('·')} = ${label.dims.map(([, v]) => v).join('·')} = ${size}`
    : `a buffer of ${size} was requested`;
  const names = label ? [...new Set(label.dims.map(([d]) => d))] : [];
  return {
    what: `${what}${inUse > 0 ? `, on top of ${gib(inUse)} already in use` : ''}`,
    hint: names.length ? `reduce ${names.join(' or ')}` : 'reduce the size of the problem',
  };
}

/**
 * A buffer inside wasm memory: a pointer, a length and an element type. `view()` returns a
 * fresh typed array each time, valid until the next allocation that may grow memory.
 */
export class Buffer {
  /**
   * @param ptr byte address of the first element in wasm memory (what kernels take)
   * @param length number of elements
   * @param dtype element type
   */
  constructor(readonly ptr: number, readonly length: number, readonly dtype: DType) {}

  /** A typed-array view of the buffer (re-derived from the current memory). */
  view(): FloatArray {
    const buf = wasmMemory().buffer;
    return this.dtype === 'f32'
      ? new Float32Array(buf, this.ptr, this.length)
      : new Float64Array(buf, this.ptr, this.length);
  }

  /** Copies `src` (converted to this buffer's element type) into the buffer at `offset`. */
  set(src: ArrayLike<number>, offset = 0): this {
    this.view().set(src, offset);
    return this;
  }

  /** A copy of the buffer's contents, outside wasm memory. */
  read(): FloatArray {
    return this.view().slice();
  }

  /** A copy of the contents as a Float64Array. */
  readF64(): Float64Array {
    const v = this.view();
    // slice copies an f64 buffer as it is, several times faster than from's element-wise copy.
    return v instanceof Float64Array ? v.slice() : Float64Array.from(v);
  }
}

/**
 * A region of wasm memory for one computation (one fit, one transform). Buffers are taken
 * from the top of a stack; `release()` returns all of them at once. Workspaces nest and must be
 * released in reverse order of creation.
 */
export class Workspace {
  private readonly base: number;
  private released = false;

  constructor() {
    wasmMemory();
    this.base = top;
    openWorkspaces.push(this);
  }

  /** False once released (by `release`, or for the kept workspace by releaseKept, init or dispose). */
  get isOpen(): boolean {
    return !this.released;
  }

  /**
   * Keeps this workspace and its buffers after its computation, until it is released. Only the
   * one open workspace, starting at the bottom of the stack (after releaseKept), can be kept:
   * later workspaces then stack above it and never reach below it.
   * @returns whether it is kept; when false it stays open and must be released as usual
   */
  keep(): boolean {
    if (this.released || kept !== null || openWorkspaces.length !== 1 || openWorkspaces[0] !== this || this.base !== heapBase) return false;
    openWorkspaces.length = 0;
    kept = this;
    return true;
  }

  /**
   * A new buffer of n elements of the given type (contents unspecified). `label` names what it
   * holds and its dimensions, so that a request past the 4 GiB of wasm32 says which to reduce.
   * @throws WasmMemoryError when the memory cannot grow to hold it
   */
  alloc(dtype: DType, n: number, label?: BufferLabel): Buffer {
    if (this.released) throw new ValueError('this workspace was released; create a new one');
    if (openWorkspaces[openWorkspaces.length - 1] !== this) {
      throw new ValueError('only the innermost open workspace can allocate');
    }
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`buffer length must be a non-negative integer; got ${n}`);
    const bytes = n * (dtype === 'f32' ? 4 : 8);
    const ptr = top;
    const end = align(ptr + bytes);
    ensureCapacity(end, () => outOfMemory(n, dtype, ptr - heapBase, label));
    top = end;
    return new Buffer(ptr, n, dtype);
  }

  /** A new f64 buffer of n elements (see {@link Workspace.alloc} for `label`). */
  f64(n: number, label?: BufferLabel): Buffer {
    return this.alloc('f64', n, label);
  }

  /** A new f32 buffer of n elements (see {@link Workspace.alloc} for `label`). */
  f32(n: number, label?: BufferLabel): Buffer {
    return this.alloc('f32', n, label);
  }

  /** A new buffer holding a copy of `src`, in the element type of `src` (or `dtype`). */
  copyIn(src: FloatArray, dtype: DType = src instanceof Float32Array ? 'f32' : 'f64'): Buffer {
    return this.alloc(dtype, src.length).set(src);
  }

  /**
   * Returns every buffer of this workspace (and of any workspace opened inside it). The kept
   * workspace's bytes return to the stack once no computation runs above them.
   */
  release(): void {
    if (this.released) return;
    if (kept === this) {
      this.released = true;
      kept = null;
      if (openWorkspaces.length === 0) top = heapBase;
      return;
    }
    const at = openWorkspaces.lastIndexOf(this);
    for (let i = openWorkspaces.length - 1; i >= at; i--) openWorkspaces[i].released = true;
    openWorkspaces.length = Math.max(0, at);
    top = this.base;
    // The outermost computation ended: the stack is back to the kept workspace, or empty when that
    // was released while the computation ran.
    if (openWorkspaces.length === 0 && kept === null) top = heapBase;
  }
}

/** Runs `fn` with a fresh workspace and releases it afterwards, also when `fn` throws. */
export function withWorkspace<R>(fn: (ws: Workspace) => R): R {
  const ws = new Workspace();
  try {
    return fn(ws);
  } finally {
    ws.release();
  }
}
