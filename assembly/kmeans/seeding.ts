// k-means++ seeding (scikit-learn's greedy _kmeans_plusplus): the squared norms of the rows,
// the potential of each candidate seed, and the update of each row's distance to its nearest
// seed. Every kernel runs over a range of rows [start, end) and indexes the whole data.
import { dot } from '../linalg/vector';
import { BLOCK_ROWS, distanceGemm, paddedK, sqDist, weightAt } from './distance';

/** xNorms[i] = ‖x_i‖² (f64) for rows [start, end). */
@inline
export function rowSqNorms<T>(x: usize, xNorms: usize, start: i32, end: i32, D: i32): void {
  const ldx = <usize>D * sizeof<T>();
  for (let i = start; i < end; i++) {
    const xi = x + <usize>i * ldx;
    store<f64>(xNorms + (<usize>i << 3), dot<T>(xi, xi, D));
  }
}

/**
 * pots[t] += Σ_i w_i·min(closest_i, ‖x_i − cand_t‖²) over rows [start, end): the potential the
 * seeding would have if candidate t were chosen. The candidates come packed as centres
 * (packCentres, `trials` columns), so the distances of a block of rows to all of them are one
 * small GEMM, ‖x_i‖² + ‖cand_t‖² − 2 x_i·cand_t clamped at 0 — scikit-learn scores its
 * candidates with the same expanded form (euclidean_distances with precomputed norms) on the
 * centred data. closest (f64) holds each row's squared distance to its nearest seed; g is
 * BLOCK_ROWS × paddedK(trials) scratch. Sums go per block, then block by block. When candMin is
 * not 0, candMin[t·rows + i] (f64, trials × rows) receives min(closest_i, ‖x_i − cand_t‖²) as
 * summed: the chosen candidate's becomes the next closest (scikit-learn's best_dist_sq), with
 * no pass of its own.
 */
@inline
export function kmeansppPotentials<T>(
  x: usize, xNorms: usize, cct: usize, g: usize, closest: usize, w: usize, pots: usize,
  start: i32, end: i32, trials: i32, D: i32, candMin: usize, rows: i32,
): void {
  const sz = <usize>sizeof<T>();
  const Tp = paddedK<T>(trials);
  const ldx = <usize>D * sz;
  for (let r0 = start; r0 < end; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, end - r0);
    distanceGemm<T>(x + <usize>r0 * ldx, ldx, cct, g, n, trials, D);
    for (let t = 0; t < trials; t++) {
      let pot = 0.0;
      for (let i = 0; i < n; i++) {
        const row = r0 + i;
        const v = load<f64>(xNorms + (<usize>row << 3)) + <f64>load<T>(g + (<usize>i * <usize>Tp + <usize>t) * sz);
        const d = v > 0 ? v : 0;
        const c = load<f64>(closest + (<usize>row << 3));
        const m = d < c ? d : c;
        if (candMin != 0) store<f64>(candMin + ((<usize>t * <usize>rows + <usize>row) << 3), m);
        pot += weightAt(w, row) * m;
      }
      const pt = pots + (<usize>t << 3);
      store<f64>(pt, load<f64>(pt) + pot);
    }
  }
}

/**
 * closest_i = min(closest_i, ‖x_i − c‖²) for a new seed c (D) over rows [start, end), the
 * distance summed directly (no cancellation); returns Σ_i w_i·closest_i (per block, then
 * block by block).
 */
@inline
export function updateClosest<T>(x: usize, c: usize, closest: usize, w: usize, start: i32, end: i32, D: i32): f64 {
  const ldx = <usize>D * sizeof<T>();
  let pot = 0.0;
  for (let r0 = start; r0 < end; r0 += BLOCK_ROWS) {
    const stop = min(r0 + BLOCK_ROWS, end);
    let blockPot = 0.0;
    for (let i = r0; i < stop; i++) {
      const d = sqDist<T>(x + <usize>i * ldx, c, D);
      const p = closest + (<usize>i << 3);
      const m = d < load<f64>(p) ? d : load<f64>(p);
      store<f64>(p, m);
      blockPot += weightAt(w, i) * m;
    }
    pot += blockPot;
  }
  return pot;
}

/**
 * Centres X (rows × D, T) in place on its column means, as scikit-learn's KMeans does before
 * clustering (‖c‖² − 2x·c then stays small against the distances it decides between): mean
 * (f64, D) receives the column means, summed in f64 row by row; each value becomes
 * x − mean rounded to T first (for f32, one correctly rounded f32 subtraction, as numpy's
 * X -= X_mean in float32). Returns Σ (x − mean)² over all values, in f64 with the unrounded
 * mean, in row-major order: scikit-learn's tolerance is tol × that / (rows·D).
 */
@inline
export function centreColumns<T>(x: usize, mean: usize, rows: i32, D: i32): f64 {
  const sz = <usize>sizeof<T>();
  for (let j = 0; j < D; j++) store<f64>(mean + (<usize>j << 3), 0);
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * <usize>D * sz;
    for (let j = 0; j < D; j++) {
      const mj = mean + (<usize>j << 3);
      store<f64>(mj, load<f64>(mj) + <f64>load<T>(xi + <usize>j * sz));
    }
  }
  for (let j = 0; j < D; j++) {
    const mj = mean + (<usize>j << 3);
    store<f64>(mj, load<f64>(mj) / <f64>rows);
  }
  let ss = 0.0;
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * <usize>D * sz;
    for (let j = 0; j < D; j++) {
      const m = load<f64>(mean + (<usize>j << 3));
      const p = xi + <usize>j * sz;
      const v = <f64>load<T>(p);
      const d = v - m;
      ss += d * d;
      store<T>(p, <T>(v - <f64><T>m));
    }
  }
  return ss;
}
