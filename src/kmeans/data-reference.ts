/** KMeansData over plain arrays with the kernels' twins (src/reference/kmeans.ts): the oracle engine. */
import { dtypeOf, type DType, type FloatArray, type Matrix } from '../runtime/matrix.js';
import * as ref from '../reference/kmeans.js';
import { centreBounds } from './bounds.js';
import { BLOCK_ROWS, centresIn, shiftedCopy, type ClusterSums, type KMeansData, type Shift } from './data.js';

export class ReferenceKMeansData implements KMeansData {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: DType;
  readonly shift: Float64Array;
  readonly sumSquares: number = NaN;
  private readonly x: FloatArray;
  private readonly labelArr: Int32Array;
  private readonly dist: Float64Array;
  private readonly out = new Float64Array(3);
  private closestArr: Float64Array | null = null;
  private xNorms: Float64Array | null = null;
  private lower: Float64Array | null = null;
  private xs32: Float32Array | null = null;

  constructor(X: Matrix, shift: Shift, readonly weights: Float64Array | null) {
    this.rows = X.rows;
    this.cols = X.cols;
    this.dtype = dtypeOf(X.data);
    this.x = this.make(X.rows * X.cols);
    if (shift === 'mean') {
      this.x.set(X.data.subarray(0, X.rows * X.cols));
      this.shift = new Float64Array(X.cols);
      this.sumSquares = ref.centreColumns(this.x, this.shift, X.rows, X.cols);
    } else {
      shiftedCopy(X, shift, this.x);
      this.shift = shift;
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

  assign(centres: Float64Array, K: number, into?: ClusterSums, exact = true): number {
    if (this.x instanceof Float64Array) return this.assignScreened(this.x, centres, K, into);
    const { c, ct, g } = this.pack(centres, K);
    this.out.fill(0);
    ref.kmeansLloydPass(this.x, exact ? null : this.norms(), c, ct, g, this.weights, this.labelArr, this.dist, into?.sums ?? null, into?.counts ?? null, this.out, 0, this.rows, K, this.cols);
    return this.out[0];
  }

  /** f64 data: the f32-screened pass (exact distances), as the wasm engine. */
  private assignScreened(x: Float64Array, centres: Float64Array, K: number, into?: ClusterSums, distances = true): number {
    const D = this.cols, Kp = ref.paddedK(K, true);
    this.xs32 ??= Float32Array.from(x);
    const cts = new Float32Array((D + 1) * Kp), norms = new Float64Array(K);
    ref.packCentresScreened(centres, cts, norms, K, D);
    this.out.fill(0);
    ref.kmeansScreenedPass(x, this.xs32, this.norms(), centres, cts, norms, new Float32Array(Kp), this.weights, this.labelArr, distances ? this.dist : null, into?.sums ?? null, into?.counts ?? null, this.out, 0, this.rows, K, D);
    return this.out[0];
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
    this.out.fill(0);
    ref.kmeansHamerlyPass(
      this.x, this.norms(), c, ct, g, this.weights, this.labelArr, this.dist, this.lower, b.shifts, b.half, b.maxNorm,
      into?.sums ?? null, into?.counts ?? null, this.out, 0, this.rows, K, this.cols,
    );
    return this.out[0];
  }

  resetLabels(): void { this.labelArr.fill(-1); }

  changed(): number { return this.out[1]; }

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
    const pots = new Float64Array(T);
    ref.kmeansppPotentials(this.x, this.norms(), ct, g, this.closestArr!, this.weights, pots, 0, this.rows, T, D);
    return pots;
  }

  addSeed(row: number): number {
    const D = this.cols, seed = this.x.subarray(row * D, row * D + D);
    return ref.updateClosest(this.x, seed, this.closestArr!, this.weights, 0, this.rows, D);
  }

  release(): void {}
}
