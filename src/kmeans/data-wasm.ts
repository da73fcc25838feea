/** KMeansData in wasm memory: one workspace per computation, the kernels of assembly/kmeans.ts. */
import { typed } from '../runtime/kernels.js';
import { dtypeOf, type DType, type Matrix } from '../runtime/matrix.js';
import { Workspace, wasmMemory, type Buffer } from '../runtime/memory.js';
import { paddedK } from '../reference/kmeans.js';
import { BLOCK_ROWS, centresIn, shiftedCopy, type ClusterSums, type KMeansData } from './data.js';

export class WasmKMeansData implements KMeansData {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: DType;
  private readonly ws = new Workspace();
  private readonly x: Buffer;
  private readonly w: Buffer | null;
  private readonly labelBuf: Buffer;
  private readonly distBuf: Buffer;
  private closestBuf: Buffer | null = null;
  private K = 0;
  private centreBuf: Buffer | null = null;
  private packedBuf: Buffer | null = null;
  private distScratch: Buffer | null = null;
  private scratch: Buffer | null = null;
  private sumBuf: Buffer | null = null;
  private countBuf: Buffer | null = null;

  constructor(X: Matrix, shift: Float64Array, readonly weights: Float64Array | null) {
    this.rows = X.rows;
    this.cols = X.cols;
    this.dtype = dtypeOf(X.data);
    try {
      // X − shift, written straight into wasm memory (no allocation between alloc and view).
      this.x = this.ws.alloc(this.dtype, X.rows * X.cols);
      shiftedCopy(X, shift, this.x.view());
      this.w = weights ? this.ws.copyIn(weights, 'f64') : null;
      // Labels are i32: a buffer of 4-byte elements viewed as Int32Array.
      this.labelBuf = this.ws.f32(X.rows);
      this.distBuf = this.ws.f64(X.rows);
    } catch (e) {
      this.ws.release();
      throw e;
    }
  }

  row(i: number): Float64Array {
    const D = this.cols;
    return Float64Array.from(this.x.view().subarray(i * D, i * D + D));
  }

  /** Copies K centres in, with their squared norms; sizes the per-K buffers on first use. */
  private setCentres(centres: Float64Array, K: number): void {
    if (this.K !== K) {
      this.K = K;
      const Kp = paddedK(K, this.dtype === 'f32');
      this.centreBuf = this.ws.alloc(this.dtype, K * this.cols);
      this.packedBuf = this.ws.alloc(this.dtype, (this.cols + 1) * Kp);
      this.scratch = this.ws.alloc(this.dtype, BLOCK_ROWS * Kp);
      this.distScratch = this.ws.alloc(this.dtype, BLOCK_ROWS * K);
      this.sumBuf = this.ws.f64(K * this.cols);
      this.countBuf = this.ws.f64(K);
    }
    this.centreBuf!.set(centresIn(this.dtype, centres));
    typed('packCentres', this.dtype)(this.centreBuf!.ptr, this.packedBuf!.ptr, K, this.cols);
  }

  assign(centres: Float64Array, K: number, into?: ClusterSums): number {
    this.setCentres(centres, K);
    const D = this.cols, sx = this.x.ptr, sz = this.dtype === 'f32' ? 4 : 8;
    const assign = typed('kmeansAssign', this.dtype), scatter = typed('kmeansScatter', this.dtype);
    if (into) { this.sumBuf!.set(into.sums); this.countBuf!.set(into.counts); }
    let inertia = 0;
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, this.rows - r0);
      const xp = sx + r0 * D * sz, lp = this.labelBuf.ptr + r0 * 4, wp = this.w ? this.w.ptr + r0 * 8 : 0;
      inertia += assign(xp, this.centreBuf!.ptr, this.packedBuf!.ptr, this.scratch!.ptr, wp, lp, this.distBuf.ptr + r0 * 8, n, K, D);
      if (into) scatter(xp, lp, wp, this.sumBuf!.ptr, this.countBuf!.ptr, n, D);
    }
    if (into) { into.sums.set(this.sumBuf!.view()); into.counts.set(this.countBuf!.view()); }
    return inertia;
  }

  labels(): Int32Array {
    return new Int32Array(wasmMemory().buffer, this.labelBuf.ptr, this.rows).slice();
  }

  minDistances(): Float64Array {
    return (this.distBuf.view() as Float64Array).slice();
  }

  sqDistances(centres: Float64Array, K: number): Float64Array {
    this.setCentres(centres, K);
    const D = this.cols, sz = this.dtype === 'f32' ? 4 : 8;
    const out = new Float64Array(this.rows * K);
    const kernel = typed('sqDistances', this.dtype);
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, this.rows - r0);
      kernel(this.x.ptr + r0 * D * sz, this.packedBuf!.ptr, this.scratch!.ptr, this.distScratch!.ptr, n, K, D);
      out.set(this.distScratch!.view().subarray(0, n * K), r0 * K);
    }
    return out;
  }

  startClosest(row: number): number {
    this.closestBuf ??= this.ws.f64(this.rows);
    this.closestBuf.view().fill(Infinity);
    return this.addSeed(row);
  }

  closest(): Float64Array {
    // A view, valid until the next allocation: callers read it before any.
    return this.closestBuf!.view() as Float64Array;
  }

  potentials(candidates: Int32Array): Float64Array {
    const T = candidates.length, D = this.cols, sz = this.dtype === 'f32' ? 4 : 8;
    const inner = new Workspace();
    try {
      const cand = inner.alloc(this.dtype, T * D);
      const xv = this.x.view(), cv = cand.view();
      candidates.forEach((r, t) => cv.set(xv.subarray(r * D, r * D + D), t * D));
      const pots = inner.f64(T);
      pots.view().fill(0);
      const kernel = typed('kmeansppPotentials', this.dtype);
      for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
        const n = Math.min(BLOCK_ROWS, this.rows - r0);
        kernel(this.x.ptr + r0 * D * sz, cand.ptr, this.closestBuf!.ptr + r0 * 8, this.w ? this.w.ptr + r0 * 8 : 0, pots.ptr, n, T, D);
      }
      return (pots.view() as Float64Array).slice();
    } finally {
      inner.release();
    }
  }

  addSeed(row: number): number {
    const D = this.cols, sz = this.dtype === 'f32' ? 4 : 8;
    const kernel = typed('updateClosest', this.dtype);
    // The seed's own row is read in place: the kernel only reads it while it updates closest.
    const seed = this.x.ptr + row * D * sz;
    let pot = 0;
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, this.rows - r0);
      pot += kernel(this.x.ptr + r0 * D * sz, seed, this.closestBuf!.ptr + r0 * 8, this.w ? this.w.ptr + r0 * 8 : 0, n, D);
    }
    return pot;
  }

  release(): void {
    this.ws.release();
  }
}
