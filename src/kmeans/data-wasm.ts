/**
 * KMeansData in wasm memory: one workspace per computation, the kernels of assembly/kmeans.ts.
 * Every pass over the rows is a job of fixed blocks run by the thread pool (runBlocks) or,
 * without one, by the calling thread; passes that sum go through BlockPartials (each block into
 * its own partial sums, added in block order), so results are the same bytes for any thread count.
 */
import { kernels, typed } from '../runtime/kernels.js';
import { dtypeOf, type DType, type Matrix } from '../runtime/matrix.js';
import { Workspace, wasmMemory, type Buffer } from '../runtime/memory.js';
import type { ArgSpec } from '../runtime/threads/block-job.js';
import { runBlocks, threadCount } from '../runtime/threads/parallel.js';
import { paddedK } from '../reference/kmeans.js';
import { BlockPartials, ROW_RANGE } from './block-partials.js';
import { centreBounds } from './bounds.js';
import {
  BLOCK_ROWS, centresIn, PARTIAL_COUNTS, incrementalPass, keepsCandidateDistances, passBlockRows, passPartialSize, shiftedCopy, shiftOrigin, takePassTotals,
  type ClusterSums, type KMeansData, type Shift,
} from './data.js';

/** Buffers sized by K (made on the first pass with a given K). */
interface CentreBuffers {
  K: number;
  centres: Buffer;
  packed: Buffer;
  /** Per thread, BLOCK_ROWS × Kp: the distance GEMM's block. */
  scratch: Buffer;
  /** The passes' blocks and their partial results (passPartialSize with sums). */
  pass: BlockPartials;
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
  /** Per thread, BLOCK_ROWS × Kp f32: the f32 distance GEMM's block. */
  scratch: Buffer;
}

/** Buffers sized by the number of k-means++ candidates (made on the first seeding step). */
interface SeedBuffers {
  trials: number;
  cand: Buffer;
  packed: Buffer;
  /** Per thread, BLOCK_ROWS × Tp: the candidates' distance block. */
  scratch: Buffer;
  /** trials × rows f64: each candidate's min(closest, distance) per row (keepsCandidateDistances), or null. */
  candMin: Buffer | null;
  /** The last potentials. */
  last: Float64Array | null;
  /** The candidates' potentials per block. */
  pots: BlockPartials;
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
  /** Labels the last pass changed. */
  private changedLabels = 0;
  /** f64 data rounded to f32, for the screened assignment (made on its first pass). */
  private xs32: Buffer | null = null;
  private sb: ScreenBuffers | null = null;
  /** Threads that may run a block at once: the multiple of every per-thread scratch buffer. */
  private readonly threads = threadCount();
  private closestBuf: Buffer | null = null;
  /** The seeding's per-block potentials after adding a seed. */
  private closestPots: BlockPartials | null = null;
  private normBuf: Buffer | null = null;
  private lowerBuf: Buffer | null = null;
  private gatherBuf: Buffer | null = null;
  private indexBuf: Buffer | null = null;
  private seedBufs: SeedBuffers | null = null;
  private cb: CentreBuffers | null = null;
  /** Whether the blocks' partial sums and counts are those of every row under the current labels (the last pass that wrote labels summed). */
  private summed = false;

  constructor(X: Matrix, shift: Shift, readonly weights: Float64Array | null) {
    this.rows = X.rows;
    this.cols = X.cols;
    const origin = shiftOrigin(shift);
    this.dtype = origin ? 'f64' : dtypeOf(X.data);
    try {
      if (shift instanceof Float64Array) {
        // X − shift, written straight into wasm memory (no allocation between alloc and view).
        this.x = this.ws.alloc(this.dtype, X.rows * X.cols);
        shiftedCopy(X, shift, this.x.view());
        this.shift = shift;
      } else {
        // A plain copy, then centred in place by the kernels (three passes of JS cost more than the fit's first iterations).
        this.x = this.copyCentred(X, origin);
        const mean = this.ws.f64(X.cols);
        this.sumSquares = typed('centreColumns', this.dtype)(this.x.ptr, mean.ptr, X.rows, X.cols);
        const m = mean.readF64();
        this.shift = origin ? m.map((v, d) => origin[d] + v) : m;
      }
      this.w = weights ? this.ws.copyIn(weights, 'f64') : null;
      // Labels are i32: a buffer of 4-byte elements viewed as Int32Array.
      this.labelBuf = this.ws.f32(X.rows);
      this.distBuf = this.ws.f64(X.rows);
      this.resetLabels();
    } catch (e) {
      this.ws.release();
      throw e;
    }
  }

  /**
   * X in wasm memory, first minus `origin` when one is given: then in f64 whatever X's type,
   * x + (−o) row by row, the same values as the f64 matrix centreInto(X, origin) writes (an f32
   * value widens exactly, and adding −o is subtracting o). Without an origin, X as it is.
   */
  private copyCentred(X: Matrix, origin: Float64Array | null): Buffer {
    const n = X.rows * X.cols, data = X.data.subarray(0, n);
    if (!origin) return this.ws.copyIn(data, this.dtype);
    const x = this.ws.f64(n).set(data);
    const negated = this.ws.f64(X.cols).set(origin.map((o) => -o));
    kernels().addRowVectorF64(x.ptr, negated.ptr, X.rows, X.cols);
    return x;
  }

  private get sz(): number { return this.dtype === 'f32' ? 4 : 8; }
  private get sfx(): string { return this.dtype === 'f32' ? 'F32' : 'F64'; }
  private get wPtr(): number { return this.w ? this.w.ptr : 0; }

  /** Per-thread scratch of `perThread` elements of the data's type, from `buf`. */
  private perThread(buf: Buffer, perThread: number): ArgSpec {
    return { base: buf.ptr, perThread: perThread * this.sz };
  }

  /** Per-thread scratch for the distance GEMM of a block against `width` centres (BLOCK_ROWS × padded width). */
  private gemmScratch(buf: Buffer, width: number): ArgSpec {
    return this.perThread(buf, BLOCK_ROWS * paddedK(width, this.dtype === 'f32'));
  }

  row(i: number): Float64Array {
    const D = this.cols;
    return Float64Array.from(this.x.view().subarray(i * D, i * D + D));
  }

  /** ‖x_i‖² of every row, computed once. */
  private norms(): Buffer {
    if (!this.normBuf) {
      this.normBuf = this.ws.f64(this.rows);
      runBlocks({
        label: 'the k-means row norms', nRows: this.rows, blockRows: passBlockRows(this.rows, 1, this.cols, 0),
        steps: [{ kernel: `rowSqNorms${this.sfx}`, args: [this.x.ptr, this.normBuf.ptr, ...ROW_RANGE, this.cols] }],
      });
    }
    return this.normBuf;
  }

  /** Copies K centres in, packed with their squared norms; sizes the per-K buffers on first use. */
  private setCentres(centres: Float64Array, K: number, pack = true): CentreBuffers {
    if (this.cb?.K !== K) {
      const Kp = paddedK(K, this.dtype === 'f32'), D = this.cols;
      this.cb = {
        K, centres: this.ws.alloc(this.dtype, K * D), packed: this.ws.alloc(this.dtype, (D + 1) * Kp),
        scratch: this.ws.alloc(this.dtype, this.threads * BLOCK_ROWS * Kp),
        pass: new BlockPartials(this.ws, this.rows, K, D, passPartialSize(K, D, true), 'the k-means partial sums'),
        shifts: this.ws.f64(K), half: this.ws.f64(K),
      };
      this.summed = false;
    }
    const cb = this.cb;
    cb.centres.set(centresIn(this.dtype, centres));
    if (pack) typed('packCentres', this.dtype)(cb.centres.ptr, cb.packed.ptr, K, this.cols);
    return cb;
  }

  /**
   * Runs one pass kernel (`kernel` with `args(sums, counts, out)`) over every block, each block
   * into its own partial results; adds their totals into `into` when given; returns the inertia.
   */
  private pass(
    cb: CentreBuffers, into: ClusterSums | undefined, label: string, kernel: string,
    args: (sums: ArgSpec, counts: ArgSpec, out: ArgSpec) => ArgSpec[], incremental = false,
  ): number {
    const K = cb.K, D = this.cols;
    const stride = passPartialSize(K, D, into !== undefined);
    // An incremental pass keeps each block's sums and counts from the pass before.
    const totals = cb.pass.sum(label, stride, (part) => ({
      kernel, args: args(into ? part(PARTIAL_COUNTS + K) : 0, into ? part(PARTIAL_COUNTS) : 0, part(0)),
    }), incremental ? PARTIAL_COUNTS : stride);
    this.summed = into !== undefined;
    const [inertia, changed] = takePassTotals(totals, K, D, into);
    this.changedLabels = changed;
    return inertia;
  }

  assign(centres: Float64Array, K: number, into?: ClusterSums, exact = true): number {
    if (this.dtype === 'f64') return this.assignScreened(centres, K, into);
    const xNorms = exact ? 0 : this.norms().ptr;
    const cb = this.setCentres(centres, K);
    return this.pass(cb, into, 'the k-means assignment', `kmeansLloydPass${this.sfx}`, (sums, counts, out) => [
      this.x.ptr, xNorms, cb.centres.ptr, cb.packed.ptr, this.gemmScratch(cb.scratch, K),
      this.wPtr, this.labelBuf.ptr, this.distBuf.ptr, sums, counts, out, ...ROW_RANGE, K, this.cols,
    ]);
  }

  /**
   * f64 data: Lloyd's labels from the distance GEMM in f32, checked against its rounding bound
   * (kmeansScreenedPassF64), and exact distances — the same results as the f64 pass with
   * exact distances, for about half the GEMM's time. Blocks as every pass, on the pool.
   */
  private assignScreened(centres: Float64Array, K: number, into?: ClusterSums, distances = true): number {
    const D = this.cols, k = kernels();
    if (!this.xs32) {
      this.xs32 = this.ws.f32(this.rows * D);
      k.castF64ToF32(this.x.ptr, this.xs32.ptr, this.rows * D);
    }
    const xNorms = this.norms();
    const cb = this.setCentres(centres, K, false);
    const Kp = paddedK(K, true);
    if (this.sb?.K !== K) {
      this.sb = { K, packed: this.ws.f32((D + 1) * Kp), norms: this.ws.f64(K), scratch: this.ws.f32(this.threads * BLOCK_ROWS * Kp) };
    }
    const sb = this.sb, xs = this.xs32;
    k.packCentresScreenedF64(cb.centres.ptr, sb.packed.ptr, sb.norms.ptr, K, D);
    const incremental = incrementalPass(this, into, this.summed);
    return this.pass(cb, into, 'the k-means assignment (f32-screened)', 'kmeansScreenedPassF64', (sums, counts, out) => [
      this.x.ptr, xs.ptr, xNorms.ptr, cb.centres.ptr, sb.packed.ptr, sb.norms.ptr, { base: sb.scratch.ptr, perThread: BLOCK_ROWS * Kp * 4 },
      this.wPtr, this.labelBuf.ptr, distances ? this.distBuf.ptr : 0, sums, counts, out, ...ROW_RANGE, K, D, incremental ? 1 : 0,
    ], incremental);
  }

  assignLabels(centres: Float64Array, K: number, into: ClusterSums): void {
    if (this.dtype === 'f64') this.assignScreened(centres, K, into, false);
    else this.assign(centres, K, into, false);
  }

  assignBounded(centres: Float64Array, previous: Float64Array | null, K: number, into?: ClusterSums): number {
    const xNorms = this.norms(), D = this.cols;
    this.lowerBuf ??= this.ws.f64(this.rows);
    this.gatherBuf ??= this.ws.alloc(this.dtype, this.threads * BLOCK_ROWS * D);
    this.indexBuf ??= this.ws.f32(this.threads * BLOCK_ROWS);
    const cb = this.setCentres(centres, K);
    // The bounds see the centres as the kernels do (rounded to the element type).
    const round = (c: Float64Array) => Float64Array.from(centresIn(this.dtype, c));
    const b = centreBounds(round(centres), previous && round(previous), K, D);
    cb.shifts.set(b.shifts);
    cb.half.set(b.half);
    const lower = this.lowerBuf, gather = this.gatherBuf, index = this.indexBuf;
    const incremental = incrementalPass(this, into, this.summed);
    return this.pass(cb, into, 'the k-means assignment (elkan)', `kmeansHamerlyPass${this.sfx}`, (sums, counts, out) => [
      this.x.ptr, xNorms.ptr, cb.centres.ptr, cb.packed.ptr, this.gemmScratch(cb.scratch, K),
      this.perThread(gather, BLOCK_ROWS * D), { base: index.ptr, perThread: BLOCK_ROWS * 4 }, this.wPtr,
      this.labelBuf.ptr, this.distBuf.ptr, lower.ptr, cb.shifts.ptr, cb.half.ptr, b.maxNorm, sums, counts, out, ...ROW_RANGE, K, D, incremental ? 1 : 0,
    ], incremental);
  }

  resetLabels(): void {
    this.summed = false;
    new Int32Array(wasmMemory().buffer, this.labelBuf.ptr, this.rows).fill(-1);
  }

  changed(): number {
    return this.changedLabels;
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
    const out = this.ws.alloc(this.dtype, this.rows * K, { name: 'the distances', dims: [['N', this.rows], ['K', K]] });
    // Blocks of the kernel's own size: its scratch holds one block's GEMM; nothing is summed.
    runBlocks({
      label: 'the k-means distances', nRows: this.rows, blockRows: BLOCK_ROWS,
      steps: [{ kernel: `sqDistances${this.sfx}`, args: [
        { base: this.x.ptr, perRow: D * sz }, cb.packed.ptr, this.gemmScratch(cb.scratch, K),
        { base: out.ptr, perRow: K * sz }, { rows: 1 }, K, D,
      ] }],
    });
    return Float64Array.from(out.view());
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

  /** The seeding's buffers for `T` candidates (made on the first call with T). */
  private seeding(T: number): SeedBuffers {
    if (this.seedBufs?.trials !== T) {
      const Tp = paddedK(T, this.dtype === 'f32'), D = this.cols;
      this.seedBufs = {
        trials: T, cand: this.ws.alloc(this.dtype, T * D), packed: this.ws.alloc(this.dtype, (D + 1) * Tp),
        scratch: this.ws.alloc(this.dtype, this.threads * BLOCK_ROWS * Tp),
        pots: new BlockPartials(this.ws, this.rows, T, D, T, 'the k-means++ potentials'),
        candMin: keepsCandidateDistances(this.rows, T) ? this.ws.f64(T * this.rows, { name: "the k-means++ candidates' distances", dims: [['trials', T], ['N', this.rows]] }) : null,
        last: null,
      };
    }
    return this.seedBufs;
  }

  potentials(candidates: Int32Array): Float64Array {
    const T = candidates.length, D = this.cols;
    const xNorms = this.norms();
    const s = this.seeding(T);
    const xv = this.x.view(), cv = s.cand.view();
    candidates.forEach((r, t) => cv.set(xv.subarray(r * D, r * D + D), t * D));
    typed('packCentres', this.dtype)(s.cand.ptr, s.packed.ptr, T, D);
    const pots = s.pots.sum('the k-means++ candidates', T, (part) => ({
      kernel: `kmeansppPotentials${this.sfx}`,
      args: [this.x.ptr, xNorms.ptr, s.packed.ptr, this.gemmScratch(s.scratch, T),
        this.closestBuf!.ptr, this.wPtr, part(0), ...ROW_RANGE, T, D, s.candMin ? s.candMin.ptr : 0, this.rows],
    }));
    s.last = pots.slice();
    return s.last.slice();
  }

  takeCandidate(t: number, row: number): number {
    const s = this.seedBufs;
    if (!s?.candMin || !s.last) return this.addSeed(row);
    // Candidate t's row of candMin becomes closest: a copy within wasm memory.
    const n = this.rows, from = s.candMin.ptr + t * n * 8;
    new Uint8Array(wasmMemory().buffer).copyWithin(this.closestBuf!.ptr, from, from + n * 8);
    return s.last[t];
  }

  addSeed(row: number): number {
    // The seed's own row is read in place: the kernel only reads X.
    const seed = this.x.ptr + row * this.cols * this.sz;
    // Blocks of a pass against one centre, each returning its Σ w closest.
    this.closestPots ??= new BlockPartials(this.ws, this.rows, 1, this.cols, 1, 'the k-means++ potential');
    return this.closestPots.sumResults('the k-means++ seeding', {
      kernel: `updateClosest${this.sfx}`, args: [this.x.ptr, seed, this.closestBuf!.ptr, this.wPtr, ...ROW_RANGE, this.cols],
    });
  }

  release(): void {
    this.ws.release();
  }
}
