/**
 * Ownership of wasm memory. The module imports its memory; this file creates it, hands out
 * 16-byte-aligned buffers from a stack (workspaces), grows the memory when a workspace needs
 * more, and re-derives typed-array views on every access (growth detaches old views).
 */
import { ValueError } from './errors.js';
import type { DType, FloatArray } from './matrix.js';

const PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
const MAX_PAGES = 65536;
const ALIGN = 16;

let memory: WebAssembly.Memory | null = null;
let heapBase = 0;
let top = 0;
let openWorkspaces: Workspace[] = [];

/** Called once by init(): the memory the module imported and the first free byte. */
export function attachMemory(mem: WebAssembly.Memory, base: number): void {
  memory = mem;
  heapBase = align(base);
  top = heapBase;
  openWorkspaces = [];
}

/** The module's memory (after init). */
export function wasmMemory(): WebAssembly.Memory {
  if (!memory) throw new ValueError('wasm memory is not attached: call `await init()` first');
  return memory;
}

/** Bytes of wasm memory currently reserved by open workspaces. */
export function bytesInUse(): number {
  return top - heapBase;
}

function align(n: number): number {
  // Arithmetic, not bit masks: addresses reach 4 GiB, past the 32-bit signed range of `&`.
  return Math.ceil(n / ALIGN) * ALIGN;
}

function ensureCapacity(end: number): void {
  const mem = wasmMemory();
  const have = mem.buffer.byteLength;
  if (end <= have) return;
  const pages = Math.ceil((end - have) / PAGE);
  const current = have / PAGE;
  if (current + pages > MAX_PAGES) {
    throw new ValueError(
      `the computation needs ${(end / 2 ** 20).toFixed(0)} MiB of wasm memory, more than the 4096 MiB a 32-bit module can address; use a smaller block size or fewer rows per call`,
    );
  }
  mem.grow(pages);
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
    return Float64Array.from(this.view());
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

  /** A new buffer of n elements of the given type (contents unspecified). */
  alloc(dtype: DType, n: number): Buffer {
    if (this.released) throw new ValueError('this workspace was released; create a new one');
    if (openWorkspaces[openWorkspaces.length - 1] !== this) {
      throw new ValueError('only the innermost open workspace can allocate');
    }
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`buffer length must be a non-negative integer; got ${n}`);
    const bytes = n * (dtype === 'f32' ? 4 : 8);
    const ptr = top;
    const end = align(ptr + bytes);
    ensureCapacity(end);
    top = end;
    return new Buffer(ptr, n, dtype);
  }

  /** A new f64 buffer of n elements. */
  f64(n: number): Buffer {
    return this.alloc('f64', n);
  }

  /** A new f32 buffer of n elements. */
  f32(n: number): Buffer {
    return this.alloc('f32', n);
  }

  /** A new buffer holding a copy of `src`, in the element type of `src` (or `dtype`). */
  copyIn(src: FloatArray, dtype: DType = src instanceof Float32Array ? 'f32' : 'f64'): Buffer {
    return this.alloc(dtype, src.length).set(src);
  }

  /** Returns every buffer of this workspace (and of any workspace opened inside it). */
  release(): void {
    if (this.released) return;
    const at = openWorkspaces.lastIndexOf(this);
    for (let i = openWorkspaces.length - 1; i >= at; i--) openWorkspaces[i].released = true;
    openWorkspaces.length = Math.max(0, at);
    top = this.base;
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
