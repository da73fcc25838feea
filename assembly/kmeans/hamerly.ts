// Lloyd's iteration with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"; a
// one-lower-bound form of Elkan 2003): the same labels as lloydPass, with the distance GEMM
// run only for the rows whose bounds cannot prove their label.
//
// Per row i with label a, lower_i bounds from below the distance to every other centre; after
// the centres move by δ_k it stays a bound as lower_i − max_{k≠a} δ_k (triangle inequality).
// Also every other centre is at least 2s_a − ‖x_i − c_a‖ away, s_a = ½ min_{k≠a} ‖c_a − c_k‖.
// The exact ‖x_i − c_a‖² is computed for every row anyway (inertia and empty-cluster
// relocation need it), so the upper bound is always tight and is not stored.
//
// Same labels as Lloyd's, not merely nearest centres: lloydPass picks the argmin of the
// expanded form ‖c_k‖² − 2x·c_k computed in T, which may differ from the exact distances by
// E_i = 2(D + 2)·ε_T·(‖x_i‖² + 2 max_k ‖c_k‖²) (ε_T: the unit roundoff of T). A row keeps its
// label only when d_a² + 4E_i < L², L the bound above: then Lloyd's computed values also put
// c_a strictly first, whatever their rounding. Other rows go through the GEMM exactly as in
// lloydPass (their values do not depend on which rows share the GEMM; see distanceGemm), and
// their new lower bound is √(second-smallest expanded distance − E_i). Ties therefore always
// take the scan, which gives them to the lowest index. Sums, counts and inertia are then
// accumulated in row order as lloydPass does, so equal labels give bit-identical centres.
import { addRow, argminRow, BLOCK_ROWS, distanceGemm, minRow, paddedK, sqDist, weightAt } from './distance';

/** Copies a row of `bytes` bytes (a multiple of 4) with vector moves: rows are short, and memory.copy is a call. */
@inline
function copyRow(dst: usize, src: usize, bytes: usize): void {
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
  for (; o < bytes; o += 4) store<u32>(dst + o, load<u32>(src + o));
}

/** Relative slack on the f64 bound arithmetic (sqrt, subtraction of shifts). */
const BOUND_SLACK = 1e-12;

/** max over k ≠ a of δ_k, from the largest (at index iMax) and second-largest shift. */
@inline
function maxOtherShift(a: i32, iMax: i32, max1: f64, max2: f64): f64 {
  return a == iMax ? max2 : max1;
}

/**
 * One bounded Lloyd pass over rows [start, end). Arguments as lloydPass, plus: xNorms (f64 per
 * row, ‖x_i‖²), lower (f64 per row, kept between passes), shifts (f64 per centre, δ_k since the
 * centres of the previous pass; ignored when labels are −1), half (f64 per centre, s_k),
 * maxNorm (max_k ‖c_k‖²), xs (BLOCK_ROWS × D of T) and idx (BLOCK_ROWS i32) scratch. A row
 * whose label is negative (the first pass) is always scanned. out is f64[3]: the third value
 * += the number of rows that went through the GEMM (the rest were settled by their bounds).
 * With `incremental` ≠ 0, sums and counts hold the rows' sums under the labels the pass starts
 * from, and a row that changes label moves from its old cluster's sums to its new one's (as
 * screenedLloydPass's incremental pass, in the same order: every such row is scanned, and the
 * scanned rows go in row order), so the same labels give the same sums.
 */
@inline
export function hamerlyPass<T>(
  x: usize, xNorms: usize, c: usize, ct: usize, g: usize, xs: usize, idx: usize, w: usize,
  labels: usize, minDist: usize, lower: usize, shifts: usize, half: usize, maxNorm: f64,
  sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32, incremental: i32,
): void {
  const sz = <usize>sizeof<T>();
  const Kp = paddedK<T>(K);
  const ldx = <usize>D * sz;
  const epsT: f64 = sizeof<T>() == 8 ? 1.1102230246251565e-16 : 5.960464477539063e-8;
  const eScale = 2.0 * <f64>(D + 2) * epsT;
  // The two largest shifts: max_{k≠a} δ_k is the largest unless a moved the most.
  let iMax = -1, max1 = 0.0, max2 = 0.0;
  for (let k = 0; k < K; k++) {
    const s = load<f64>(shifts + (<usize>k << 3));
    if (s > max1) { max2 = max1; max1 = s; iMax = k; } else if (s > max2) max2 = s;
  }
  let inertia = 0.0, changed = 0, scanned = 0;
  for (let r0 = start; r0 < end; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, end - r0);
    const xb = x + <usize>r0 * ldx;
    // 1. Rows whose bounds prove their label keep it; the others are gathered for the GEMM.
    let m = 0;
    for (let i = 0; i < n; i++) {
      const row = r0 + i;
      const a = load<i32>(labels + (<usize>row << 2));
      const xi = xb + <usize>i * ldx;
      if (a >= 0) {
        const d = sqDist<T>(xi, c + <usize>a * ldx, D);
        store<f64>(minDist + (<usize>row << 3), d);
        const lp = lower + (<usize>row << 3);
        let l = load<f64>(lp);
        l = (l - maxOtherShift(a, iMax, max1, max2) * (1 + BOUND_SLACK)) * (1 - BOUND_SLACK);
        store<f64>(lp, l);
        const L = max(l, 2.0 * load<f64>(half + (<usize>a << 3)) - Math.sqrt(d) * (1 + BOUND_SLACK));
        const E = eScale * (load<f64>(xNorms + (<usize>row << 3)) + 2.0 * maxNorm);
        if (L > 0 && d + 4.0 * E < L * L * (1 - BOUND_SLACK)) continue;
      }
      store<i32>(idx + (<usize>m << 2), i);
      copyRow(xs + <usize>m * ldx, xi, ldx);
      m++;
    }
    // 2. The gathered rows: Lloyd's GEMM and argmin, and their new lower bounds.
    distanceGemm<T>(xs, ldx, ct, g, m, K, D);
    scanned += m;
    for (let j = 0; j < m; j++) {
      const i = load<i32>(idx + (<usize>j << 2));
      const row = r0 + i;
      const gj = g + <usize>j * <usize>Kp * sz;
      // Lloyd's argmin, then the second-smallest value: the winner's column set to +∞ for a
      // second SIMD minimum (branch-free: which column wins is unpredictable).
      const arg = argminRow<T>(gj, Kp);
      const ga = gj + <usize>arg * sz;
      const best = load<T>(ga);
      store<T>(ga, <T>Infinity);
      const second = <f64>minRow<T>(gj, Kp);
      store<T>(ga, best);
      const lp = labels + (<usize>row << 2);
      const prev = load<i32>(lp);
      if (prev != arg) {
        changed++;
        if (incremental != 0 && sums != 0) {
          const wi = weightAt(w, row), xi = xb + <usize>i * ldx;
          addRow<T>(sums + <usize>arg * <usize>D * 8, xi, wi, D);
          const ck = counts + (<usize>arg << 3);
          store<f64>(ck, load<f64>(ck) + wi);
          if (prev >= 0 && prev < K) {
            addRow<T>(sums + <usize>prev * <usize>D * 8, xi, -wi, D);
            const cp = counts + (<usize>prev << 3);
            store<f64>(cp, load<f64>(cp) - wi);
          }
        }
      }
      store<i32>(lp, arg);
      const xn = load<f64>(xNorms + (<usize>row << 3));
      store<f64>(minDist + (<usize>row << 3), sqDist<T>(xb + <usize>i * ldx, c + <usize>arg * ldx, D));
      const E = eScale * (xn + 2.0 * maxNorm);
      const l2 = second + xn - E;
      store<f64>(lower + (<usize>row << 3), l2 > 0 ? Math.sqrt(l2) * (1 - BOUND_SLACK) : 0);
    }
    // 3. Inertia and, unless incremental, the M-step's sums, in row order (as lloydPass).
    let blockInertia = 0.0;
    for (let i = 0; i < n; i++) {
      const row = r0 + i;
      const a = load<i32>(labels + (<usize>row << 2));
      const wi = weightAt(w, row);
      blockInertia += wi * load<f64>(minDist + (<usize>row << 3));
      if (sums != 0 && incremental == 0) {
        addRow<T>(sums + <usize>a * <usize>D * 8, xb + <usize>i * ldx, wi, D);
        const ck = counts + (<usize>a << 3);
        store<f64>(ck, load<f64>(ck) + wi);
      }
    }
    inertia += blockInertia;
  }
  store<f64>(out, load<f64>(out) + inertia);
  store<f64>(out, load<f64>(out, 8) + <f64>changed, 8);
  store<f64>(out, load<f64>(out, 16) + <f64>scanned, 16);
}
