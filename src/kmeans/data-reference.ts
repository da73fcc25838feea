/** KMeansData over plain arrays with the kernels' twins (src/reference/kmeans.ts): the oracle engine. */
import { dtypeOf, type DType, type FloatArray, type Matrix } from '../runtime/matrix.js';
import * as ref from '../reference/kmeans.js';
import { BLOCK_ROWS, centresIn, shiftedCopy, type ClusterSums, type KMeansData } from './data.js';

export class ReferenceKMeansData implements KMeansData {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: DType;
  private readonly x: FloatArray;
  private readonly labelArr: Int32Array;
  private readonly dist: Float64Array;
  private closestArr: Float64Array | null = null;

  constructor(X: Matrix, shift: Float64Array, readonly weights: Float64Array | null) {
    this.rows = X.rows;
    this.cols = X.cols;
    this.dtype = dtypeOf(X.data);
    this.x = this.dtype === 'f32' ? new Float32Array(X.rows * X.cols) : new Float64Array(X.rows * X.cols);
    shiftedCopy(X, shift, this.x);
    this.labelArr = new Int32Array(X.rows);
    this.dist = new Float64Array(X.rows);
  }

  private block(r0: number): { n: number; x: FloatArray; w: Float64Array | null } {
    const n = Math.min(BLOCK_ROWS, this.rows - r0), D = this.cols;
    return { n, x: this.x.subarray(r0 * D, (r0 + n) * D), w: this.weights ? this.weights.subarray(r0, r0 + n) : null };
  }

  /** The centres in the element type, packed for the distance GEMM, and a block of scratch. */
  private pack(centres: Float64Array, K: number): { c: FloatArray; ct: FloatArray; g: FloatArray } {
    const c = centresIn(this.dtype, centres), D = this.cols, Kp = ref.paddedK(K, this.dtype === 'f32');
    const make = (n: number) => (this.dtype === 'f32' ? new Float32Array(n) : new Float64Array(n));
    const ct = make((D + 1) * Kp);
    ref.packCentres(c, ct, K, D);
    return { c, ct, g: make(BLOCK_ROWS * Kp) };
  }

  row(i: number): Float64Array {
    return Float64Array.from(this.x.subarray(i * this.cols, (i + 1) * this.cols));
  }

  assign(centres: Float64Array, K: number, into?: ClusterSums): number {
    const { c, ct, g } = this.pack(centres, K);
    const D = this.cols;
    let inertia = 0;
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const { n, x, w } = this.block(r0);
      const labels = this.labelArr.subarray(r0, r0 + n);
      inertia += ref.kmeansAssign(x, c, ct, g, w, labels, this.dist.subarray(r0, r0 + n), n, K, D);
      if (into) ref.kmeansScatter(x, labels, w, into.sums, into.counts, n, D);
    }
    return inertia;
  }

  labels(): Int32Array { return this.labelArr.slice(); }

  minDistances(): Float64Array { return this.dist.slice(); }

  sqDistances(centres: Float64Array, K: number): Float64Array {
    const { ct, g } = this.pack(centres, K);
    const D = this.cols;
    const out = new Float64Array(this.rows * K);
    const block = this.dtype === 'f32' ? new Float32Array(BLOCK_ROWS * K) : new Float64Array(BLOCK_ROWS * K);
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const { n, x } = this.block(r0);
      ref.sqDistances(x, ct, g, block, n, K, D);
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
    const cand = this.dtype === 'f32' ? new Float32Array(T * D) : new Float64Array(T * D);
    candidates.forEach((r, t) => cand.set(this.x.subarray(r * D, r * D + D), t * D));
    const pots = new Float64Array(T);
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const { n, x, w } = this.block(r0);
      ref.kmeansppPotentials(x, cand, this.closestArr!.subarray(r0, r0 + n), w, pots, n, T, D);
    }
    return pots;
  }

  addSeed(row: number): number {
    const D = this.cols, seed = this.x.subarray(row * D, row * D + D);
    let pot = 0;
    for (let r0 = 0; r0 < this.rows; r0 += BLOCK_ROWS) {
      const { n, x, w } = this.block(r0);
      pot += ref.updateClosest(x, seed, this.closestArr!.subarray(r0, r0 + n), w, n, D);
    }
    return pot;
  }

  release(): void {}
}
