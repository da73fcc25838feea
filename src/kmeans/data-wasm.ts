/** KMeansData in wasm memory: one workspace per computation, the kernels of assembly/kmeans.ts. */
import { kernels, typed } from '../runtime/kernels.js';
import { dtypeOf, type DType, type Matrix } from '../runtime/matrix.js';
import { Workspace, wasmMemory, type Buffer } from '../runtime/memory.js';
import { paddedK } from '../reference/kmeans.js';
import { centreBounds } from './bounds.js';
import { BLOCK_ROWS, centresIn, shiftedCopy, type ClusterSums, type KMeansData, type Shift } from './data.js';

/** Buffers sized by K (made on the first pass with a given K). */
interface CentreBuffers {
  K: number;
  centres: Buffer;
  packed: Buffer;
  /** BLOCK_ROWS × Kp: the distance GEMM's block. */
  scratch: Buffer;
  /** BLOCK_ROWS × K: sqDistances' output block. */
  distScratch: Buffer;
  sums: Buffer;
  counts: Buffer;
  shifts: Buffer;
  half: Buffer;
}

/** The f32 screen's buffers for K centres (f64 data only). */
interface ScreenBuffers {
  K: number;
  /** (D + 1) × Kp f32 (Kp = K rounded up to 8): the centres and norms rounded to f32. */
  packed: Buffer;
  /** K f64: the centres' squared norms. */
  norms: Buffer;
  /** BLOCK_ROWS × Kp f32: the f32 distance GEMM's block. */
  scratch: Buffer;
}

export class WasmKMeansData implements KMeansData {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: DType;
  readonly shift: Float64Array;
  readonly sumSquares: number = NaN;
  private readonly ws = new Workspace();
  private readonly x: Buffer;
  private readonly w: Buffer | null;
  private readonly labelBuf: Buffer;
  private readonly distBuf: Buffer;
  /** [inertia, changed labels, rows scanned (bounded passes)] of the last pass. */
  private readonly outBuf: Buffer;
  private closestBuf: Buffer | null = null;
  private normBuf: Buffer | null = null;
  private lowerBuf: Buffer | null = null;
  private gatherBuf: Buffer | null = null;
  private indexBuf: Buffer | null = null;
  private seedBufs: { trials: number; cand: Buffer; packed: Buffer; scratch: Buffer; pots: Buffer } | null = null;
  private cb: CentreBuffers | null = null;
  /** f64 data rounded to f32, for the screened assignment (made on its first pass). */
  private xs32: Buffer | null = null;
  private sb: ScreenBuffers | null = null;

  constructor(X: Matrix, shift: Shift, readonly weights: Float64Array | null) {
    this.rows = X.rows;
    this.cols = X.cols;
    this.dtype = dtypeOf(X.data);
    try {
      if (shift === 'mean') {
        // A plain copy, then centred in place by the kernel (three passes of JS cost more than the fit's first iterations).
        this.x = this.ws.copyIn(X.data.subarray(0, X.rows * X.cols), this.dtype);
        const mean = this.ws.f64(X.cols);
        this.sumSquares = typed('centreColumns', this.dtype)(this.x.ptr, mean.ptr, X.rows, X.cols);
        this.shift = mean.readF64();
      } else {
        // X − shift, written straight into wasm memory (no allocation between alloc and view).
        this.x = this.ws.alloc(this.dtype, X.rows * X.cols);
        shiftedCopy(X, shift, this.x.view());
        this.shift = shift;
      }
      this.w = weights ? this.ws.copyIn(weights, 'f64') : null;
      // Labels are i32: a buffer of 4-byte elements viewed as Int32Array.
      this.labelBuf = this.ws.f32(X.rows);
      this.distBuf = this.ws.f64(X.rows);
      this.outBuf = this.ws.f64(3);
      this.resetLabels();
    } catch (e) {
      this.ws.release();
      throw e;
    }
  }

  private get sz(): number { return this.dtype === 'f32' ? 4 : 8; }
  private get wPtr(): number { return this.w ? this.w.ptr : 0; }

  row(i: number): Float64Array {
    const D = this.cols;
    return Float64Array.from(this.x.view().subarray(i * D, i * D + D));
  }

  /** ‖x_i‖² of every row, computed once. */
  private norms(): Buffer {
    if (!this.normBuf) {
      this.normBuf = this.ws.f64(this.rows);
      typed('rowSqNorms', this.dtype)(this.x.ptr, this.normBuf.ptr, 0, this.rows, this.cols);
    }
    return this.normBuf;
  }

  /** Copies K centres in, packed with their squared norms; sizes the per-K buffers on first use. */
  private setCentres(centres: Float64Array, K: number, pack = true): CentreBuffers {
    if (this.cb?.K !== K) {
      const Kp = paddedK(K, this.dtype === 'f32'), D = this.cols;
      this.cb = {
        K, centres: this.ws.alloc(this.dtype, K * D), packed: this.ws.alloc(this.dtype, (D + 1) * Kp),
        scratch: this.ws.alloc(this.dtype, BLOCK_ROWS * Kp), distScratch: this.ws.alloc(this.dtype, BLOCK_ROWS * K),
        sums: this.ws.f64(K * D), counts: this.ws.f64(K), shifts: this.ws.f64(K), half: this.ws.f64(K),
      };
    }
    const cb = this.cb;
    cb.centres.set(centresIn(this.dtype, centres));
    if (pack) typed('packCentres', this.dtype)(cb.centres.ptr, cb.packed.ptr, K, this.cols);
    return cb;
  }

  /** Runs one pass kernel over all rows with `into`'s sums copied in and out; returns the inertia. */
  private pass(cb: CentreBuffers, into: ClusterSums | undefined, run: (sums: number, counts: number) => void): number {
    if (into) { cb.sums.set(into.sums); cb.counts.set(into.counts); }
    this.outBuf.set([0, 0, 0]);
    run(into ? cb.sums.ptr : 0, into ? cb.counts.ptr : 0);
    if (into) { into.sums.set(cb.sums.view()); into.counts.set(cb.counts.view()); }
    return this.outBuf.view()[0];
  }

  assign(centres: Float64Array, K: number, into?: ClusterSums, exact = true): number {
    if (this.dtype === 'f64') return this.assignScreened(centres, K, into);
    const xNorms = exact ? 0 : this.norms().ptr;
    const cb = this.setCentres(centres, K);
    return this.pass(cb, into, (sums, counts) => typed('kmeansLloydPass', this.dtype)(
      this.x.ptr, xNorms, cb.centres.ptr, cb.packed.ptr, cb.scratch.ptr, this.wPtr, this.labelBuf.ptr, this.distBuf.ptr,
      sums, counts, this.outBuf.ptr, 0, this.rows, K, this.cols));
  }

  /**
   * f64 data: Lloyd's labels from the distance GEMM in f32, checked against its rounding bound
   * (kmeansScreenedPassF64), and exact distances — the same results as the f64 pass with
   * exact distances, for about half the GEMM's time.
   */
  private assignScreened(centres: Float64Array, K: number, into?: ClusterSums, distances = true): number {
    const D = this.cols, k = kernels();
    if (!this.xs32) {
      this.xs32 = this.ws.f32(this.rows * D);
      k.castF64ToF32(this.x.ptr, this.xs32.ptr, this.rows * D);
    }
    const xNorms = this.norms();
    const cb = this.setCentres(centres, K, false);
    if (this.sb?.K !== K) {
      const Kp = paddedK(K, true);
      this.sb = { K, packed: this.ws.f32((D + 1) * Kp), norms: this.ws.f64(K), scratch: this.ws.f32(BLOCK_ROWS * Kp) };
    }
    const sb = this.sb, xs = this.xs32;
    k.packCentresScreenedF64(cb.centres.ptr, sb.packed.ptr, sb.norms.ptr, K, D);
    return this.pass(cb, into, (sums, counts) => k.kmeansScreenedPassF64(
      this.x.ptr, xs.ptr, xNorms.ptr, cb.centres.ptr, sb.packed.ptr, sb.norms.ptr, sb.scratch.ptr, this.wPtr,
      this.labelBuf.ptr, distances ? this.distBuf.ptr : 0, sums, counts, this.outBuf.ptr, 0, this.rows, K, D));
  }

  assignLabels(centres: Float64Array, K: number, into: ClusterSums): void {
    if (this.dtype === 'f64') this.assignScreened(centres, K, into, false);
    else this.assign(centres, K, into, false);
  }

  /** Rows whose label the last screened pass decided by exact values (more than one candidate). */
  exactlyDecided(): number {
    return this.outBuf.view()[2];
  }

  assignBounded(centres: Float64Array, previous: Float64Array | null, K: number, into?: ClusterSums): number {
    const xNorms = this.norms();
    this.lowerBuf ??= this.ws.f64(this.rows);
    this.gatherBuf ??= this.ws.alloc(this.dtype, BLOCK_ROWS * this.cols);
    this.indexBuf ??= this.ws.f32(BLOCK_ROWS);
    const cb = this.setCentres(centres, K);
    // The bounds see the centres as the kernels do (rounded to the element type).
    const round = (c: Float64Array) => Float64Array.from(centresIn(this.dtype, c));
    const b = centreBounds(round(centres), previous && round(previous), K, this.cols);
    cb.shifts.set(b.shifts);
    cb.half.set(b.half);
    const lower = this.lowerBuf, gather = this.gatherBuf, index = this.indexBuf;
    return this.pass(cb, into, (sums, counts) => typed('kmeansHamerlyPass', this.dtype)(
      this.x.ptr, xNorms.ptr, cb.centres.ptr, cb.packed.ptr, cb.scratch.ptr, gather.ptr, index.ptr, this.wPtr,
      this.labelBuf.ptr, this.distBuf.ptr, lower.ptr, cb.shifts.ptr, cb.half.ptr, b.maxNorm,
      sums, counts, this.outBuf.ptr, 0, this.rows, K, this.cols));
  }

  resetLabels(): void {
    new Int32Array(wasmMemory().buffer, this.labelBuf.ptr, this.rows).fill(-1);
  }

  changed(): number {
    return this.outBuf.view()[1];
  }

  labels(): Int32Array {
    return new Int32Array(wasmMemory().buffer, this.labelBuf.ptr, this.rows).slice();
  }

  minDistances(): Float64Array {
    return (this.distBuf.view() as Float64Array).slice();
  }

  sqDistances(centres: Float64Array, K: number): Float64Array {
    const cb = this.setCentres(centres, K);
    const D = this.cols, sz = this.sz;
    const out = new Float64Array(this.rows * K);
    const kernel = typed('sqDistances', this.dtype);
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, this.rows - r0);
      kernel(this.x.ptr + r0 * D * sz, cb.packed.ptr, cb.scratch.ptr, cb.distScratch.ptr, n, K, D);
      out.set(cb.distScratch.view().subarray(0, n * K), r0 * K);
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
    const T = candidates.length, D = this.cols;
    const xNorms = this.norms();
    if (this.seedBufs?.trials !== T) {
      const Tp = paddedK(T, this.dtype === 'f32');
      this.seedBufs = {
        trials: T, cand: this.ws.alloc(this.dtype, T * D), packed: this.ws.alloc(this.dtype, (D + 1) * Tp),
        scratch: this.ws.alloc(this.dtype, BLOCK_ROWS * Tp), pots: this.ws.f64(T),
      };
    }
    const s = this.seedBufs;
    const xv = this.x.view(), cv = s.cand.view();
    candidates.forEach((r, t) => cv.set(xv.subarray(r * D, r * D + D), t * D));
    typed('packCentres', this.dtype)(s.cand.ptr, s.packed.ptr, T, D);
    s.pots.view().fill(0);
    typed('kmeansppPotentials', this.dtype)(this.x.ptr, xNorms.ptr, s.packed.ptr, s.scratch.ptr, this.closestBuf!.ptr, this.wPtr, s.pots.ptr, 0, this.rows, T, D);
    return (s.pots.view() as Float64Array).slice();
  }

  addSeed(row: number): number {
    // The seed's own row is read in place: the kernel only reads it while it updates closest.
    const seed = this.x.ptr + row * this.cols * this.sz;
    return typed('updateClosest', this.dtype)(this.x.ptr, seed, this.closestBuf!.ptr, this.wPtr, 0, this.rows, this.cols);
  }

  release(): void {
    this.ws.release();
  }
}
