/**
 * The rows k-means works on, shifted and held where the kernels run. Both engines implement one
 * interface — the wasm engine over a workspace, the reference engine over plain arrays with
 * the twins of src/reference/kmeans.ts — so Lloyd's loop and the seeding are written once.
 * Every pass runs over fixed blocks of rows with block-sized temporaries (KERNELS.md).
 */
import type { DType, FloatArray, Matrix } from '../runtime/matrix.js';

/** Rows per block: the rows × K distance scratch stays in cache (scikit-learn's chunk size; the kernels' block). */
export { KMEANS_BLOCK_ROWS as BLOCK_ROWS } from '../reference/kmeans.js';

/** Per-cluster weighted sums (K × D) and weights (K) that a pass accumulates into. */
export interface ClusterSums {
  sums: Float64Array;
  counts: Float64Array;
}

/**
 * How the rows are shifted: by the given values (prediction), or onto their column means (a
 * fit, as scikit-learn centres X before clustering), which are then measured.
 */
export type Shift = Float64Array | 'mean';

/** The data of one k-means computation, X − shift in the element type of X. */
export interface KMeansData {
  readonly rows: number;
  readonly cols: number;
  readonly dtype: DType;
  /** The shift subtracted from every row (the column means for 'mean'). */
  readonly shift: Float64Array;
  /** For 'mean': Σ (x − mean)² over all values (f64, unrounded mean); NaN for a given shift. */
  readonly sumSquares: number;
  /** Sample weights, or null for unit weights. */
  readonly weights: Float64Array | null;
  /** Row i of the shifted data, as f64. */
  row(i: number): Float64Array;
  /**
   * Assigns every row to its nearest centre (K × D, shifted coordinates), keeping the labels
   * and squared distances; adds the rows into `into` when given; returns the inertia. The
   * distances are exact unless `exact` is false and the data f32: then they come from the
   * expanded form ‖x‖² + ‖c‖² − 2x·c that chose the labels (as in scikit-learn's iterations),
   * exact up to its cancellation on the centred data. f64 data always gets exact distances
   * (its labels come from an f32 screen, so the expanded f64 form is never at hand).
   */
  assign(centres: Float64Array, K: number, into?: ClusterSums, exact?: boolean): number;
  /**
   * As `assign`, for Lloyd's iterations that report no inertia: the labels and `into`'s sums
   * only (the same values); the distances are not computed where that saves a pass over the
   * row (f64 data), so `minDistances` is then stale until the next `assign`.
   */
  assignLabels(centres: Float64Array, K: number, into: ClusterSums): void;
  /**
   * As `assign`, with Hamerly's bounds (the same labels and results): `previous` are the
   * centres of the pass before (null after `resetLabels`), from which the bounds carry over.
   */
  assignBounded(centres: Float64Array, previous: Float64Array | null, K: number, into?: ClusterSums): number;
  /** Forgets the labels (all −1): the next pass counts every row as changed and scans it. */
  resetLabels(): void;
  /** Rows whose label the last pass changed. */
  changed(): number;
  /** Labels of the last `assign`. */
  labels(): Int32Array;
  /** Squared distance of each row to its centre in the last `assign`. */
  minDistances(): Float64Array;
  /** All squared distances to the K centres, rows × K (clamped at 0). */
  sqDistances(centres: Float64Array, K: number): Float64Array;
  /** k-means++: sets closest_i = ‖x_i − x_row‖² and returns Σ w_i closest_i. */
  startClosest(row: number): number;
  /** k-means++: the squared distance of each row to its nearest seed so far (may be a view: read it before the next call). */
  closest(): Float64Array;
  /** k-means++: Σ_i w_i min(closest_i, ‖x_i − x_r‖²) for each candidate row r. */
  potentials(candidates: Int32Array): Float64Array;
  /** k-means++: closest_i = min(closest_i, ‖x_i − x_row‖²); returns Σ w_i closest_i. */
  addSeed(row: number): number;
  /** Frees what the data holds (wasm memory). */
  release(): void;
}

/**
 * out = X − shift with the shift rounded to the element type of out first, so that an f32
 * difference is one correctly rounded f32 subtraction (as numpy's X -= X_mean in float32).
 */
export function shiftedCopy(X: Matrix, shift: Float64Array, out: FloatArray): void {
  const { data, rows, cols: D } = X;
  const s = out instanceof Float32Array ? Float64Array.from(shift, Math.fround) : shift;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < D; j++) out[i * D + j] = data[i * D + j] - s[j];
  }
}

/** Centres rounded to the element type the kernels read them in. */
export function centresIn(dtype: DType, centres: Float64Array): FloatArray {
  return dtype === 'f32' ? Float32Array.from(centres) : centres;
}
