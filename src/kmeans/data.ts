/**
 * The rows k-means works on, shifted and held where the kernels run. Both engines implement one
 * interface — the wasm engine over a workspace, the reference engine over plain arrays with
 * the twins of src/reference/kmeans.ts — so Lloyd's loop and the seeding are written once.
 * Every pass runs over fixed blocks of rows with block-sized temporaries (KERNELS.md).
 */
import type { DType, FloatArray, Matrix } from '../runtime/matrix.js';
import { KMEANS_BLOCK_ROWS } from '../reference/kmeans.js';

/** Rows per block: the rows × K distance scratch stays in cache (scikit-learn's chunk size; the kernels' block). */
export const BLOCK_ROWS = KMEANS_BLOCK_ROWS;

/**
 * Multiply-adds of the distance GEMM in one block of a pass (rows × width × D): 2048 rows at
 * K = D = 16, about 0.1 ms, against a few µs to claim a block and call its kernels; and still
 * some fifty blocks in a pass over 100k such rows, so that threads finish together.
 */
const BLOCK_WORK = 2 ** 19;
/** Bytes that all blocks' partial sums of one pass may take together; past it, blocks grow. */
const PARTIALS_BUDGET_BYTES = 16 * 2 ** 20;

/**
 * Rows per block of a pass over `rows` rows of D features against `width` centres (or seeding
 * candidates), each block writing `partial` f64 partial sums: whole kernel blocks of BLOCK_ROWS
 * rows, as many as make BLOCK_WORK multiply-adds, more when the partial sums of all blocks
 * would pass PARTIALS_BUDGET_BYTES. It depends on the data's shape only, never on the thread
 * count, so the partial sums, added in block order, are the same bytes on any number of threads.
 */
export function passBlockRows(rows: number, width: number, D: number, partial: number): number {
  const kernelBlocks = Math.ceil(rows / BLOCK_ROWS);
  const byWork = Math.ceil(BLOCK_WORK / (BLOCK_ROWS * Math.max(1, width) * Math.max(1, D)));
  const byBudget = Math.ceil((kernelBlocks * partial * 8) / PARTIALS_BUDGET_BYTES);
  return BLOCK_ROWS * Math.max(1, byWork, byBudget);
}

/**
 * Where one block of a Lloyd or Hamerly pass writes its partial results, in f64 slots:
 * [inertia, changed labels, rows scanned, counts (K), sums (K × D)]. Without sums, the first
 * three only.
 */
export const PARTIAL_OUT = 0;
/** Slot of the counts in a pass's partial results (see PARTIAL_OUT). */
export const PARTIAL_COUNTS = 3;
/** f64 slots of one block's partial results of a pass over K centres of D features. */
export function passPartialSize(K: number, D: number, withSums: boolean): number {
  return withSums ? PARTIAL_COUNTS + K + K * D : PARTIAL_COUNTS;
}

/** Bytes the k-means++ candidates' distances to every row may take (trials × rows f64). */
const CANDIDATE_DISTANCE_BYTES = 64 * 2 ** 20;

/**
 * Whether the k-means++ potentials keep each candidate's distances to every row, so that the
 * chosen one becomes the next closest without a pass of its own: when they fit in
 * CANDIDATE_DISTANCE_BYTES (a choice made by the data's shape alone, the same in both engines).
 */
export function keepsCandidateDistances(rows: number, trials: number): boolean {
  return rows * trials * 8 <= CANDIDATE_DISTANCE_BYTES;
}

/**
 * Whether a summing pass may move only the rows whose label changes (the `incremental` of
 * kmeansScreenedPassF64 and kmeansHamerlyPassF64) instead of summing every row again: for f64
 * data (whose plain and bounded passes both take it, so that they keep giving the same
 * centres), when the blocks' sums and counts are those of the current labels (`summed`: the
 * pass that last wrote labels summed), and the rows are unweighted. Unweighted counts stay exact integers as rows come and go, so a cluster that
 * empties reaches a count of exactly 0, which the empty-cluster rule tests; weighted ones might
 * not. The sums then differ from a fresh sum in their last bits only (each move adds one
 * rounding of a value no larger than the rows').
 */
export function incrementalPass(data: { dtype: DType; weights: Float64Array | null }, into: ClusterSums | undefined, summed: boolean): boolean {
  return data.dtype === 'f64' && into !== undefined && summed && data.weights === null;
}

/**
 * Adds the totals of a pass (the blocks' partial results, added in block order from 0) into
 * `into` and returns [inertia, changed labels]: the one place both engines read them.
 */
export function takePassTotals(totals: ArrayLike<number>, K: number, D: number, into: ClusterSums | undefined): [number, number] {
  if (into) {
    for (let k = 0; k < K; k++) into.counts[k] += totals[PARTIAL_COUNTS + k];
    const s = PARTIAL_COUNTS + K;
    for (let i = 0; i < K * D; i++) into.sums[i] += totals[s + i];
  }
  return [totals[PARTIAL_OUT], totals[PARTIAL_OUT + 1]];
}

/** Per-cluster weighted sums (K × D) and weights (K) that a pass accumulates into. */
export interface ClusterSums {
  sums: Float64Array;
  counts: Float64Array;
}

/**
 * How the rows are shifted: by the given values (prediction), or onto their column means (a
 * fit, as scikit-learn centres X before clustering), which are then measured; or by an origin
 * first, in f64 whatever X's type, and then onto the column means of X − origin (the mixtures'
 * k-means start, which clusters their centred frame).
 */
export type Shift = Float64Array | 'mean' | { origin: Float64Array };

/** The origin of a Shift that has one, else null. */
export function shiftOrigin(shift: Shift): Float64Array | null {
  return shift instanceof Float64Array || shift === 'mean' ? null : shift.origin;
}

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
  /**
   * k-means++: makes candidate t of the last `potentials` (at row `row`) a seed and returns its
   * potential: closest_i becomes min(closest_i, ‖x_i − x_row‖²) as `potentials` computed it
   * (scikit-learn's best_dist_sq), kept from that pass when keepsCandidateDistances; otherwise
   * it is addSeed(row).
   */
  takeCandidate(t: number, row: number): number;
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
