/**
 * KMeansData over plain arrays with the kernels' twins (src/reference/kmeans.ts): the oracle
 * engine. Its passes run over the same blocks as the wasm engine's (passBlockRows), each block
 * into its own partial sums, added in block order.
 */
import { centreInto } from '../mixture/centre.js';
import { dtypeOf, type DType, type FloatArray, type Matrix } from '../runtime/matrix.js';
import * as ref from '../reference/kmeans.js';
import { centreBounds } from './bounds.js';
import {
  BLOCK_ROWS, centresIn, PARTIAL_COUNTS, incrementalPass, keepsCandidateDistances, passBlockRows, passPartialSize, shiftedCopy, shiftOrigin, takePassTotals,
  type ClusterSums, type KMeansData, type Shift,
} from './data.js';

/**
 * Runs `block(start, end, part)` over the blocks of `blockRows` rows, each into a fresh
 * partial (`size` f64, zeros), and returns the partials added in block order from 0.
 */
function inBlocks(
  rows: number, blockRows: number, size: number, block: (start: number, end: number, part: Float64Array) => void,
  kept?: { parts: Float64Array[]; zeroed: number },
): Float64Array {
  const totals = new Float64Array(size);
  for (let b = 0, start = 0; start < rows; b++, start += blockRows) {
    // Kept parts: each block's from the pass before, the first `zeroed` values zeroed.
    const part = kept ? kept.parts[b].subarray(0, size).fill(0, 0, kept.zeroed) : new Float64Array(size);
    block(start, Math.min(start + blockRows, rows), part);
    for (let i = 0; i < size; i++) totals[i] += part[i];
  }
  return totals;
}

export class ReferenceKMeansData implements KMeansData {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: DType;
  readonly shift: Float64Array;
  readonly sumSquares: number = NaN;
  private readonly x: FloatArray;
  private readonly labelArr: Int32Array;
  private readonly dist: Float64Array;
  /** Labels the last pass changed. */
  private changedLabels = 0;
  private closestArr: Float64Array | null = null;
  private xNorms: Float64Array | null = null;
  private lower: Float64Array | null = null;
  private xs32: Float32Array | null = null;
  /** The last potentials' candidate distances (keepsCandidateDistances) and potentials. */
  private candidates: { candMin: Float64Array; pots: Float64Array } | null = null;
  /** Every block's partial results of the last pass over K centres (kept for incremental passes). */
  private parts: { K: number; parts: Float64Array[] } | null = null;
  /** Whether those hold every row's sums under the current labels (the last pass that wrote labels summed). */
  private summed = false;

  constructor(X: Matrix, shift: Shift, readonly weights: Float64Array | null) {
    this.rows = X.rows;
    this.cols = X.cols;
    const origin = shiftOrigin(shift);
    this.dtype = origin ? 'f64' : dtypeOf(X.data);
    this.x = this.make(X.rows * X.cols);
    if (shift instanceof Float64Array) {
      shiftedCopy(X, shift, this.x);
      this.shift = shift;
    } else {
      if (origin) centreInto(X, origin, this.x as Float64Array);
      else this.x.set(X.data.subarray(0, X.rows * X.cols));
      const mean = new Float64Array(X.cols);
      this.sumSquares = ref.centreColumns(this.x, mean, X.rows, X.cols);
      this.shift = origin ? mean.map((m, d) => origin[d] + m) : mean;
    }
    this.labelArr = new Int32Array(X.rows).fill(-1);
    this.dist = new Float64Array(X.rows);
  }

  private make(n: number): FloatArray {
    return this.dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
  }

  /** The centres in the element type, packed for the distance GEMM, and a row of scratch. */
  private pack(centres: Float64Array, K: number): { c: FloatArray; ct: FloatArray; g: FloatArray } {
    const c = centresIn(this.dtype, centres), D = this.cols, Kp = ref.paddedK(K, this.dtype === 'f32');
    const ct = this.make((D + 1) * Kp);
    ref.packCentres(c, ct, K, D);
    return { c, ct, g: this.make(BLOCK_ROWS * Kp) };
  }

  private norms(): Float64Array {
    if (!this.xNorms) {
      this.xNorms = new Float64Array(this.rows);
      ref.rowSqNorms(this.x, this.xNorms, 0, this.rows, this.cols);
    }
    return this.xNorms;
  }

  row(i: number): Float64Array {
    return Float64Array.from(this.x.subarray(i * this.cols, (i + 1) * this.cols));
  }

  /**
   * Runs a pass twin over every block (`run(start, end, sums, counts, out)` into the block's
   * partial results), adds their totals into `into` when given; returns the inertia.
   */
  private pass(
    K: number, into: ClusterSums | undefined,
    run: (start: number, end: number, sums: Float64Array | null, counts: Float64Array | null, out: Float64Array) => void, incremental = false,
  ): number {
    const D = this.cols, size = passPartialSize(K, D, into !== undefined), full = passPartialSize(K, D, true);
    const blockRows = passBlockRows(this.rows, K, D, full);
    // Every block's partial results live on between passes (as the wasm engine's), for incremental passes.
    if (this.parts?.K !== K) {
      this.parts = { K, parts: Array.from({ length: Math.ceil(this.rows / blockRows) }, () => new Float64Array(full)) };
      this.summed = false;
    }
    const zeroed = incremental ? PARTIAL_COUNTS : size;
    const totals = inBlocks(this.rows, blockRows, size, (start, end, part) => run(
      start, end, into ? part.subarray(PARTIAL_COUNTS + K) : null, into ? part.subarray(PARTIAL_COUNTS, PARTIAL_COUNTS + K) : null, part,
    ), { parts: this.parts.parts, zeroed });
    this.summed = into !== undefined;
    const [inertia, changed] = takePassTotals(totals, K, D, into);
    this.changedLabels = changed;
    return inertia;
  }

  assign(centres: Float64Array, K: number, into?: ClusterSums, exact = true): number {
    if (this.x instanceof Float64Array) return this.assignScreened(this.x, centres, K, into);
    const { c, ct, g } = this.pack(centres, K);
    const xNorms = exact ? null : this.norms();
    return this.pass(K, into, (start, end, sums, counts, out) => ref.kmeansLloydPass(
      this.x, xNorms, c, ct, g, this.weights, this.labelArr, this.dist, sums, counts, out, start, end, K, this.cols));
  }

  /** f64 data: the f32-screened pass (exact distances), as the wasm engine. */
  private assignScreened(x: Float64Array, centres: Float64Array, K: number, into?: ClusterSums, distances = true): number {
    const D = this.cols, Kp = ref.paddedK(K, true);
    this.xs32 ??= Float32Array.from(x);
    const cts = new Float32Array((D + 1) * Kp), norms = new Float64Array(K);
    ref.packCentresScreened(centres, cts, norms, K, D);
    const xs = this.xs32, xNorms = this.norms(), scratch = new Float32Array(Kp);
    const incremental = incrementalPass(this, into, this.summed && this.parts?.K === K);
    return this.pass(K, into, (start, end, sums, counts, out) => ref.kmeansScreenedPass(
      x, xs, xNorms, centres, cts, norms, scratch, this.weights, this.labelArr, distances ? this.dist : null, sums, counts, out, start, end, K, D, incremental,
    ), incremental);
  }

  assignLabels(centres: Float64Array, K: number, into: ClusterSums): void {
    if (this.x instanceof Float64Array) this.assignScreened(this.x, centres, K, into, false);
    else this.assign(centres, K, into, false);
  }

  assignBounded(centres: Float64Array, previous: Float64Array | null, K: number, into?: ClusterSums): number {
    const { c, ct, g } = this.pack(centres, K);
    const round = (a: Float64Array) => Float64Array.from(centresIn(this.dtype, a));
    const b = centreBounds(round(centres), previous && round(previous), K, this.cols);
    this.lower ??= new Float64Array(this.rows);
    const lower = this.lower, xNorms = this.norms();
    const incremental = incrementalPass(this, into, this.summed && this.parts?.K === K);
    return this.pass(K, into, (start, end, sums, counts, out) => ref.kmeansHamerlyPass(
      this.x, xNorms, c, ct, g, this.weights, this.labelArr, this.dist, lower, b.shifts, b.half, b.maxNorm, sums, counts, out, start, end, K, this.cols, incremental,
    ), incremental);
  }

  resetLabels(): void {
    this.summed = false;
    this.labelArr.fill(-1);
  }

  changed(): number { return this.changedLabels; }

  labels(): Int32Array { return this.labelArr.slice(); }

  minDistances(): Float64Array { return this.dist.slice(); }

  sqDistances(centres: Float64Array, K: number): Float64Array {
    const { ct, g } = this.pack(centres, K);
    const D = this.cols;
    const out = new Float64Array(this.rows * K);
    const block = this.make(BLOCK_ROWS * K);
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, this.rows - r0);
      ref.sqDistances(this.x.subarray(r0 * D, (r0 + n) * D), ct, g, block, n, K, D);
      out.set(block.subarray(0, n * K), r0 * K);
    }
    return out;
  }

  startClosest(row: number): number {
    this.closestArr = new Float64Array(this.rows).fill(Infinity);
    return this.addSeed(row);
  }

  closest(): Float64Array { return this.closestArr!.slice(); }

  potentials(candidates: Int32Array): Float64Array {
    const T = candidates.length, D = this.cols;
    const cand = this.make(T * D);
    candidates.forEach((r, t) => cand.set(this.x.subarray(r * D, r * D + D), t * D));
    const { ct, g } = this.pack(Float64Array.from(cand), T);
    const xNorms = this.norms(), closest = this.closestArr!;
    const candMin = keepsCandidateDistances(this.rows, T) ? new Float64Array(T * this.rows) : null;
    const pots = inBlocks(this.rows, passBlockRows(this.rows, T, D, T), T, (start, end, part) =>
      ref.kmeansppPotentials(this.x, xNorms, ct, g, closest, this.weights, part, start, end, T, D, candMin, this.rows));
    this.candidates = candMin && { candMin, pots };
    return pots;
  }

  takeCandidate(t: number, row: number): number {
    if (!this.candidates) return this.addSeed(row);
    this.closestArr = this.candidates.candMin.slice(t * this.rows, (t + 1) * this.rows);
    return this.candidates.pots[t];
  }

  addSeed(row: number): number {
    const D = this.cols, seed = this.x.subarray(row * D, row * D + D), closest = this.closestArr!;
    return inBlocks(this.rows, passBlockRows(this.rows, 1, D, 1), 1, (start, end, part) => {
      part[0] = ref.updateClosest(this.x, seed, closest, this.weights, start, end, D);
    })[0];
  }

  release(): void {}
}
