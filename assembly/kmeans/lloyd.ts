// Lloyd's iteration over a range of rows in one call: per block of BLOCK_ROWS rows, the
// distance GEMM, the argmin, the exact distance to the chosen centre, and the scatter of the
// row into its cluster's sums (scikit-learn's lloyd_iter_chunked_dense fuses the same steps).
import { addRow, BLOCK_ROWS, distanceGemm, MIN_VALUES, sqDist, weightAt } from './distance';

/**
 * Assigns rows [start, end) to their nearest centres and accumulates what Lloyd's M-step needs.
 *
 * The argmin compares ‖c_k‖² − 2 x_i·c_k in T (one GEMM per block, the BLOCK_ROWS × Kp scratch
 * g holding its results, as scikit-learn computes it in the data's precision), and ties go to
 * the lowest index (scikit-learn's rule). That expanded form cancels when ‖x‖ is large against
 * the distances (callers centre X, as scikit-learn does, to keep it small), so by default it
 * only chooses the label: minDist is then the direct sum of squared differences to the chosen
 * centre, which has no cancellation, so inertia and the distances that empty-cluster
 * relocation ranks are exact to rounding. With xNorms (‖x_i‖², f64 per row; 0 for the exact
 * distances) minDist is instead max(0, ‖x_i‖² + the expanded form) — what scikit-learn's Lloyd
 * iterations use, which need no inertia — saving the second pass over the row; callers take
 * the exact form for reported results and for relocation.
 *
 * labels (i32) holds the previous labels on entry (any value, e.g. −1, when there are none)
 * and the new ones on return. When sums ≠ 0: sums[label] += w_i·x_i (K × D, f64) and
 * counts[label] += w_i (K, f64), in row order. out (f64[2]) += [Σ w_i·minDist_i (summed per
 * block, then block by block), number of rows whose label changed]. Every pointer indexes the
 * whole data: a caller may split the rows into ranges on block boundaries, each with its own
 * sums, counts, out and g.
 */
@inline
export function lloydPass<T>(
  x: usize, xNorms: usize, c: usize, ct: usize, g: usize, w: usize, labels: usize, minDist: usize,
  sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32,
): void {
  const sz = <usize>sizeof<T>();
  const ldx = <usize>D * sz;
  let inertia = 0.0, changed = 0;
  for (let r0 = start; r0 < end; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, end - r0);
    const xb = x + <usize>r0 * ldx;
    // The block's nearest centres, as i32 in the scratch g (BLOCK_ROWS × Kp values hold them).
    distanceGemm<T>(xb, ldx, ct, g, n, K, D, true);
    let blockInertia = 0.0;
    for (let i = 0; i < n; i++) {
      const row = r0 + i;
      const xi = xb + <usize>i * ldx;
      const arg = load<i32>(g + (<usize>i << 2));
      let d: f64;
      if (xNorms != 0) {
        const e = load<f64>(xNorms + (<usize>row << 3)) + load<f64>(g + MIN_VALUES + (<usize>i << 3));
        d = e > 0 ? e : 0;
      } else {
        d = sqDist<T>(xi, c + <usize>arg * ldx, D);
      }
      const lp = labels + (<usize>row << 2);
      if (load<i32>(lp) != arg) changed++;
      store<i32>(lp, arg);
      store<f64>(minDist + (<usize>row << 3), d);
      const wi = weightAt(w, row);
      blockInertia += wi * d;
      if (sums != 0) {
        addRow<T>(sums + <usize>arg * <usize>D * 8, xi, wi, D);
        const ck = counts + (<usize>arg << 3);
        store<f64>(ck, load<f64>(ck) + wi);
      }
    }
    inertia += blockInertia;
  }
  store<f64>(out, load<f64>(out) + inertia);
  store<f64>(out, load<f64>(out, 8) + <f64>changed, 8);
}
