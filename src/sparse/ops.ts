/**
 * The kernels of one sparse-coding computation behind one interface with two implementations:
 * wasm (buffers in wasm memory, the SIMD kernels of assembly/sparse.ts and linalg) and reference
 * (typed arrays, the plain-TypeScript twins of src/reference). The solvers in encode.ts and
 * dictionary.ts are written once against it, so the reference engine runs literally the same
 * algorithm: the oracle in tests and the plain-JavaScript baseline in benchmarks.
 *
 * A handle `H` names a run of elements (a wasm Buffer or a typed array); `at` offsets it. Main
 * handles are in the computation's element type; `allocF64` gives the per-row f64 scalars.
 */
import { kernels, typed } from '../runtime/kernels.js';
import type { DType, FloatArray } from '../runtime/matrix.js';
import { Buffer, Workspace, wasmMemory } from '../runtime/memory.js';
import * as ref from '../reference/index.js';
import { runBlocks, threadCount } from '../runtime/threads/parallel.js';

/** Which implementation runs the kernels. */
export type EngineName = 'wasm' | 'reference';

export interface Ops<H> {
  readonly dtype: DType;
  /** n elements of the element type (contents unspecified). */
  alloc(n: number): H;
  /** n f64 elements. */
  allocF64(n: number): H;
  /** A new handle holding a copy of src, in the element type (or f64 with `f64`). */
  from(src: ArrayLike<number>, f64?: boolean): H;
  /** The handle `offset` elements further on. */
  at(h: H, offset: number): H;
  /** A live view of the first n elements: valid until the next allocation. */
  view(h: H, n: number): FloatArray;
  /** dst[0:n] = src[0:n] (same element type). */
  copy(src: H, dst: H, n: number): void;
  /** Runs fn with temporaries that are freed when it returns. */
  scoped<R>(fn: () => R): R;
  /** Frees everything. */
  release(): void;
  gemmNN(a: H, b: H, c: H, m: number, n: number, k: number, beta: number): void;
  gemmNT(a: H, b: H, c: H, m: number, n: number, k: number, beta: number): void;
  gemmTN(a: H, b: H, c: H, m: number, n: number, k: number, beta: number): void;
  sumSquares(x: H, n: number): number;
  mulCols(x: H, v: H, rows: number, cols: number): void;
  lassoCD(gram: H, c: H, h: H, x2: H, gap: H, obj: H, iters: H, work: H, rows: number, A: number, alpha: number, tol: number, maxIter: number, positive: number): void;
  proxGrad(y: H, qy: H, c: H, z: H, n: number, step: number, thr: number, positive: number): void;
  fistaMomentum(z: H, zPrev: H, q: H, qPrev: H, c: H, y: H, qy: H, x2: H, t: H, obj: H, gap: H, rows: number, A: number, alpha: number, momentum: number, positive: number): void;
  dictionaryUpdate(v: H, a: H, bt: H, norms: H, work: H, K: number, F: number, positive: number): void;
  /**
   * Coordinate descent over every block of rows as one job of the thread pool (the wasm engine
   * only): per block C = X_b Dᵀ, then lassoCD on it. Codes are solved in place; the per-row
   * statistics are written to `stats`. Rows are independent, so any thread count gives the same bytes.
   */
  lassoCDBlocks?(p: CDBlocks<H>, stats: { gap: Float64Array; objective: Float64Array; nIter: Int32Array }): void;
  /**
   * ISTA/FISTA over every block of rows as one job of the thread pool (the wasm engine only):
   * per block C = X_b Dᵀ, then the whole proximal-gradient loop of that block in one kernel.
   */
  proxBlocks?(p: ProxBlocks<H>, stats: { gap: Float64Array; objective: Float64Array; nIter: Int32Array }): void;
  /**
   * residualObjective over blocks of `blockRows` rows as one job of the thread pool (the wasm
   * engine only): per block R = H_b D − X_b, then each row's ½‖r‖² + α‖h‖₁ in index order.
   */
  residualObjectiveBlocks?(X: H, dict: H, codes: H, out: Float64Array, N: number, F: number, A: number, alpha: number, blockRows: number): void;
}

/** The arguments of {@link Ops.proxBlocks}. */
export interface ProxBlocks<H> extends CDBlocks<H> {
  /** 1/L, the proximal-gradient step. */
  step: number;
  /** 1 for FISTA, 0 for ISTA. */
  momentum: number;
}

/** The arguments of {@link Ops.lassoCDBlocks}. */
export interface CDBlocks<H> {
  X: H; dict: H; codes: H; gram: H; x2: Float64Array;
  N: number; F: number; A: number; blockRows: number;
  alpha: number; tol: number; maxIter: number; positive: number;
}

/** The ops of the given engine and element type. */
export function makeOps(engine: EngineName, dtype: DType): Ops<unknown> {
  return (engine === 'reference' ? new ReferenceOps(dtype) : new WasmOps(dtype)) as Ops<unknown>;
}

class WasmOps implements Ops<Buffer> {
  private readonly spaces: Workspace[] = [new Workspace()];
  constructor(readonly dtype: DType) {}

  private get ws(): Workspace {
    return this.spaces[this.spaces.length - 1];
  }
  alloc(n: number): Buffer { return this.ws.alloc(this.dtype, n); }
  allocF64(n: number): Buffer { return this.ws.f64(n); }
  from(src: ArrayLike<number>, f64 = false): Buffer {
    return this.ws.alloc(f64 ? 'f64' : this.dtype, src.length).set(src);
  }
  at(h: Buffer, offset: number): Buffer {
    const size = h.dtype === 'f32' ? 4 : 8;
    return new Buffer(h.ptr + offset * size, h.length - offset, h.dtype);
  }
  view(h: Buffer, n: number): FloatArray {
    return h.view().subarray(0, n);
  }
  copy(src: Buffer, dst: Buffer, n: number): void {
    const size = src.dtype === 'f32' ? 4 : 8;
    new Uint8Array(wasmMemory().buffer).copyWithin(dst.ptr, src.ptr, src.ptr + n * size);
  }
  scoped<R>(fn: () => R): R {
    const ws = new Workspace();
    this.spaces.push(ws);
    try {
      return fn();
    } finally {
      this.spaces.pop();
      ws.release();
    }
  }
  release(): void { this.spaces[0].release(); }
  gemmNN(a: Buffer, b: Buffer, c: Buffer, m: number, n: number, k: number, beta: number): void {
    typed('gemmNN', this.dtype)(a.ptr, b.ptr, c.ptr, m, n, k, beta);
  }
  gemmNT(a: Buffer, b: Buffer, c: Buffer, m: number, n: number, k: number, beta: number): void {
    typed('gemmNT', this.dtype)(a.ptr, b.ptr, c.ptr, m, n, k, beta);
  }
  gemmTN(a: Buffer, b: Buffer, c: Buffer, m: number, n: number, k: number, beta: number): void {
    typed('gemmTN', this.dtype)(a.ptr, b.ptr, c.ptr, m, n, k, beta);
  }
  sumSquares(x: Buffer, n: number): number { return typed('sumSquares', this.dtype)(x.ptr, n); }
  mulCols(x: Buffer, v: Buffer, rows: number, cols: number): void { typed('mulCols', this.dtype)(x.ptr, v.ptr, rows, cols); }
  lassoCD(gram: Buffer, c: Buffer, h: Buffer, x2: Buffer, gap: Buffer, obj: Buffer, iters: Buffer, work: Buffer, rows: number, A: number, alpha: number, tol: number, maxIter: number, positive: number): void {
    typed('lassoCD', this.dtype)(gram.ptr, c.ptr, h.ptr, x2.ptr, gap.ptr, obj.ptr, iters.ptr, work.ptr, rows, A, alpha, tol, maxIter, positive);
  }
  proxGrad(y: Buffer, qy: Buffer, c: Buffer, z: Buffer, n: number, step: number, thr: number, positive: number): void {
    typed('proxGrad', this.dtype)(y.ptr, qy.ptr, c.ptr, z.ptr, n, step, thr, positive);
  }
  fistaMomentum(z: Buffer, zPrev: Buffer, q: Buffer, qPrev: Buffer, c: Buffer, y: Buffer, qy: Buffer, x2: Buffer, t: Buffer, obj: Buffer, gap: Buffer, rows: number, A: number, alpha: number, momentum: number, positive: number): void {
    typed('fistaMomentum', this.dtype)(z.ptr, zPrev.ptr, q.ptr, qPrev.ptr, c.ptr, y.ptr, qy.ptr, x2.ptr, t.ptr, obj.ptr, gap.ptr, rows, A, alpha, momentum, positive);
  }
  dictionaryUpdate(v: Buffer, a: Buffer, bt: Buffer, norms: Buffer, work: Buffer, K: number, F: number, positive: number): void {
    typed('dictionaryUpdate', this.dtype)(v.ptr, a.ptr, bt.ptr, norms.ptr, work.ptr, K, F, positive);
  }
  proxBlocks(p: ProxBlocks<Buffer>, stats: { gap: Float64Array; objective: Float64Array; nIter: Int32Array }): void {
    const { N, F, A, blockRows } = p;
    const threads = threadCount();
    const size = this.dtype === 'f32' ? 4 : 8;
    const sfx = this.dtype === 'f32' ? 'F32' : 'F64';
    this.scoped(() => {
      const workBytes = kernels().proxBlockWorkBytes(blockRows, A, size);
      const C = this.alloc(threads * blockRows * A), work = this.allocF64(Math.ceil((threads * workBytes) / 8));
      const x2 = this.from(p.x2, true), gap = this.allocF64(N), obj = this.allocF64(N), iters = this.allocF64(N);
      const perRow = (b: Buffer, cols: number) => ({ base: b.ptr, perRow: cols * (b.dtype === 'f32' ? 4 : 8) });
      const c = { base: C.ptr, perThread: blockRows * A * size };
      runBlocks({
        label: `sparse coding (${p.momentum ? 'fista' : 'ista'})`, nRows: N, blockRows,
        steps: [
          { kernel: `gemmNT${sfx}`, args: [perRow(p.X, F), p.dict.ptr, c, { rows: 1 }, A, F, 0] },
          { kernel: `proxBlock${sfx}`, args: [p.gram.ptr, c, perRow(p.codes, A), perRow(x2, 1), perRow(gap, 1), perRow(obj, 1), perRow(iters, 1),
            { base: work.ptr, perThread: workBytes }, { rows: 1 }, A, p.step, p.alpha, p.tol, p.maxIter, p.momentum, p.positive] },
        ],
      });
      stats.gap.set(gap.view());
      stats.objective.set(obj.view());
      stats.nIter.set(iters.view());
    });
  }
  residualObjectiveBlocks(X: Buffer, dict: Buffer, codes: Buffer, out: Float64Array, N: number, F: number, A: number, alpha: number, blockRows: number): void {
    const size = this.dtype === 'f32' ? 4 : 8;
    this.scoped(() => {
      const R = this.alloc(threadCount() * blockRows * F), obj = this.allocF64(N);
      const perRow = (b: Buffer, cols: number) => ({ base: b.ptr, perRow: cols * (b.dtype === 'f32' ? 4 : 8) });
      runBlocks({
        label: 'the sparse-coding objective', nRows: N, blockRows,
        steps: [{ kernel: `residualObjectiveBlock${this.dtype === 'f32' ? 'F32' : 'F64'}`, args: [perRow(X, F), perRow(codes, A), dict.ptr,
          { base: R.ptr, perThread: blockRows * F * size }, perRow(obj, 1), { rows: 1 }, F, A, alpha] }],
      });
      out.set(obj.view());
    });
  }
  lassoCDBlocks(p: CDBlocks<Buffer>, stats: { gap: Float64Array; objective: Float64Array; nIter: Int32Array }): void {
    const { N, F, A, blockRows } = p;
    const threads = threadCount();
    const size = this.dtype === 'f32' ? 4 : 8;
    const sfx = this.dtype === 'f32' ? 'F32' : 'F64';
    this.scoped(() => {
      const workSize = 2 * A * A + 11 * A;
      const C = this.alloc(threads * blockRows * A), work = this.alloc(threads * workSize);
      const x2 = this.from(p.x2, true), gap = this.allocF64(N), obj = this.allocF64(N), iters = this.allocF64(N);
      const perRow = (b: Buffer, cols: number) => ({ base: b.ptr, perRow: cols * (b.dtype === 'f32' ? 4 : 8) });
      const c = { base: C.ptr, perThread: blockRows * A * size };
      runBlocks({
        label: 'sparse coding (cd)', nRows: N, blockRows,
        steps: [
          { kernel: `gemmNT${sfx}`, args: [perRow(p.X, F), p.dict.ptr, c, { rows: 1 }, A, F, 0] },
          { kernel: `lassoCD${sfx}`, args: [p.gram.ptr, c, perRow(p.codes, A), perRow(x2, 1), perRow(gap, 1), perRow(obj, 1), perRow(iters, 1),
            { base: work.ptr, perThread: workSize * size }, { rows: 1 }, A, p.alpha, p.tol, p.maxIter, p.positive] },
        ],
      });
      stats.gap.set(gap.view());
      stats.objective.set(obj.view());
      stats.nIter.set(iters.view());
    });
  }
}

class ReferenceOps implements Ops<FloatArray> {
  constructor(readonly dtype: DType) {}
  alloc(n: number): FloatArray { return this.dtype === 'f32' ? new Float32Array(n) : new Float64Array(n); }
  allocF64(n: number): FloatArray { return new Float64Array(n); }
  from(src: ArrayLike<number>, f64 = false): FloatArray {
    return f64 || this.dtype === 'f64' ? Float64Array.from(src) : Float32Array.from(src);
  }
  at(h: FloatArray, offset: number): FloatArray { return h.subarray(offset); }
  view(h: FloatArray, n: number): FloatArray { return h.subarray(0, n); }
  copy(src: FloatArray, dst: FloatArray, n: number): void { dst.set(src.subarray(0, n)); }
  scoped<R>(fn: () => R): R { return fn(); }
  release(): void {}
  gemmNN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number): void { ref.gemmNN(a, b, c, m, n, k, beta); }
  gemmNT(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number): void { ref.gemmNT(a, b, c, m, n, k, beta); }
  gemmTN(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, beta: number): void { ref.gemmTN(a, b, c, m, n, k, beta); }
  sumSquares(x: FloatArray, n: number): number { return ref.sumSquares(x, n); }
  mulCols(x: FloatArray, v: FloatArray, rows: number, cols: number): void { ref.mulCols(x, v, rows, cols); }
  lassoCD(gram: FloatArray, c: FloatArray, h: FloatArray, x2: FloatArray, gap: FloatArray, obj: FloatArray, iters: FloatArray, work: FloatArray, rows: number, A: number, alpha: number, tol: number, maxIter: number, positive: number): void {
    ref.lassoCD(gram, c, h, x2 as Float64Array, gap as Float64Array, obj as Float64Array, iters as Float64Array, work, rows, A, alpha, tol, maxIter, positive);
  }
  proxGrad(y: FloatArray, qy: FloatArray, c: FloatArray, z: FloatArray, n: number, step: number, thr: number, positive: number): void {
    ref.proxGrad(y, qy, c, z, n, step, thr, positive);
  }
  fistaMomentum(z: FloatArray, zPrev: FloatArray, q: FloatArray, qPrev: FloatArray, c: FloatArray, y: FloatArray, qy: FloatArray, x2: FloatArray, t: FloatArray, obj: FloatArray, gap: FloatArray, rows: number, A: number, alpha: number, momentum: number, positive: number): void {
    ref.fistaMomentum(z, zPrev, q, qPrev, c, y, qy, x2 as Float64Array, t as Float64Array, obj as Float64Array, gap as Float64Array, rows, A, alpha, momentum, positive);
  }
  dictionaryUpdate(v: FloatArray, a: FloatArray, bt: FloatArray, norms: FloatArray, work: FloatArray, K: number, F: number, positive: number): void {
    ref.dictionaryUpdate(v, a, bt, norms as Float64Array, work, K, F, positive);
  }
}
