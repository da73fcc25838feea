// Lloyd's assignment of f64 data screened in f32: the distance GEMM of a block of rows runs on
// an f32 copy of the (centred) rows and centres, at about twice the f64 GEMM's speed, and a
// rigorous bound on its rounding error decides which rows it settles. The labels are those of
// lloydPass<f64> — the argmin of ‖c_k‖² − 2x·c_k as the f64 GEMM computes it, lowest index on
// ties — bit for bit, not merely nearest centres:
//
// Let v_k = ‖c_k‖² − 2x·c_k in exact arithmetic (x, c_k the f64 values), v̂_k the f64 GEMM's
// value and ṽ_k the f32 one, S = ‖x‖² + max_k ‖c_k‖², u = 2⁻²⁴ (f32's unit roundoff).
//   ṽ_k: x and c_k are rounded to f32 (relative error u each, so Σ|x̃_j c̃_j − x_j c_j| ≤
//   (2u + u²)‖x‖‖c‖); the f32 dot of D terms adds at most γ_D·Σ|x̃_j c̃_j| ≤ γ_D(1 + u)²‖x‖‖c‖
//   (γ_D = Du/(1 − Du), sequential sums, no fused multiply-add in wasm); ‖c‖² is the f64 norm
//   rounded to f32 (≤ 1.01u‖c‖²); the final ‖c‖² − 2g rounds once more (≤ u(‖c‖² + 2‖x‖‖c‖)
//   (1 + ε)). With 2‖x‖‖c‖ ≤ ‖x‖² + ‖c‖²: |ṽ_k − v_k| ≤ (γ_D + 5.01u)(1 + ε)·S ≤ 1.02(D + 6)u·S
//   for D ≤ SCREEN_MAX_D (Du ≤ 0.01).
//   v̂_k: the same analysis in f64 gives |v̂_k − v_k| ≤ 2(D + 2)·2⁻⁵³·S, below 2⁻²⁸ of the above.
// So E = 2(D + 6)u·S bounds |ṽ_k − v̂_k| with room for the f64 arithmetic that computes E.
// Values in f32's subnormal range break the relative model by at most 2⁻¹⁵⁰ per rounding: the
// absolute term D·2⁻¹³⁰ covers those (at most ~6D roundings of ≤ (1 + ‖x‖ + ‖c‖)·2⁻¹⁴⁹ each
// while S ≤ 2¹⁰⁰), and S ≤ SCREEN_MAX_SCALE keeps every f32 value finite (|ṽ_k| ≤ 2S).
//
// A column k with ṽ_k > min_j ṽ_j + 2E then has v̂_k > v̂ of the f32 winner, so it cannot be
// the f64 argmin. When only the f32 winner is within 2E (the usual case), it is the label;
// otherwise the candidates within 2E are compared by their exact v̂_k — computed with the f64
// GEMM's own operations in its order, so equal bit for bit — and the first smallest wins, as
// in lloydPass. Rows beyond the scale limit, or with a NaN, compare all K columns that way.
import { dot } from '../linalg/vector';
import { addRow, BLOCK_ROWS, distanceGemm, paddedK, sqDist, weightAt } from './distance';

/** f32's unit roundoff, 2⁻²⁴. */
const U32: f64 = 5.960464477539063e-8;
/** The absolute slack for subnormal f32 roundings, per column of D: 2⁻¹³⁰. */
const SUBNORMAL_SLACK: f64 = 7.346839692639297e-40;
/** Largest S = ‖x‖² + max‖c‖² the f32 values handle without overflow (2¹⁰⁰; f32 reaches 2¹²⁸). */
const SCREEN_MAX_SCALE: f64 = 1.2676506002282294e30;
/** Largest D for which the bound's constant holds (D·u ≤ 0.01). */
const SCREEN_MAX_D: i32 = 160000;
/** Columns per bit mask word. */
const MASK_COLUMNS = 32;

/**
 * Packs f64 centres (K × D) for the screen: cts ((D + 1) × Kp f32, Kp = K rounded up to 8)
 * holds Cᵀ rounded to f32 (padding 0) and, in row D, ‖c_k‖² computed in f64 then rounded
 * (padding +∞); norms (K f64) receives those f64 norms, computed exactly as packCentres<f64>
 * computes its row D, so the exact candidate values equal the f64 GEMM's.
 */
@inline
export function packCentresScreened(c: usize, cts: usize, norms: usize, K: i32, D: i32): void {
  const Kp = paddedK<f32>(K);
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < Kp; k++) {
      store<f32>(cts + ((<usize>d * <usize>Kp + <usize>k) << 2), k < K ? <f32>load<f64>(c + ((<usize>k * <usize>D + <usize>d) << 3)) : 0);
    }
  }
  const row = cts + ((<usize>D * <usize>Kp) << 2);
  for (let k = 0; k < Kp; k++) {
    if (k < K) {
      const ck = c + ((<usize>k * <usize>D) << 3);
      const n = dot<f64>(ck, ck, D);
      store<f64>(norms + (<usize>k << 3), n);
      store<f32>(row + (<usize>k << 2), <f32>n);
    } else {
      store<f32>(row + (<usize>k << 2), Infinity);
    }
  }
}

/**
 * An f32 not below t (t finite, f64): t + 2⁻²³|t| + 2⁻¹⁴⁹ rounded to nearest, which rounding
 * (at most 2⁻²⁴ relative, or 2⁻¹⁵⁰ among subnormals) cannot bring below t. Branch-free: which
 * way t rounds is unpredictable, and a mispredicted branch per row costs more than the slack.
 */
@inline
function f32AtLeast(t: f64): f32 {
  return <f32>(t + Math.abs(t) * 1.1920928955078125e-7 + 1.401298464324817e-45);
}

/**
 * The smallest of the Kp f32 values at g (Kp a multiple of 8, no NaN): lane-wise minima, then
 * the lanes folded by shuffles — no scalar min, whose NaN and ±0 rules compile to branches
 * that mispredict on every other row.
 */
@inline
function rowMin(g: usize, Kp: i32): f32 {
  let m = v128.load(g);
  for (let j = 4; j < Kp; j += 4) m = f32x4.pmin(m, v128.load(g + (<usize>j << 2)));
  m = f32x4.pmin(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  m = f32x4.pmin(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(m, 0);
}

/**
 * The columns (from j0, at most 32) of the f32 values of a row (at g) that are at most thr,
 * as bits of a word: the comparison masks of 4 columns at a time, packed.
 */
@inline
function candidateMask(g: usize, j0: i32, stop: i32, thr: v128): u32 {
  let mask: u32 = 0;
  for (let j = j0; j < stop; j += 4) {
    mask |= <u32>i32x4.bitmask(f32x4.le(v128.load(g + (<usize>j << 2)), thr)) << <u32>(j - j0);
  }
  return mask;
}

/**
 * The column of the only f32 value of a row (Kp at g) at most thr, or −1 when there are
 * several or none.
 */
@inline
function soleCandidate(g: usize, Kp: i32, thr: f32): i32 {
  const tv = f32x4.splat(thr);
  if (Kp <= MASK_COLUMNS) {
    const mask = candidateMask(g, 0, Kp, tv);
    return mask != 0 && (mask & (mask - 1)) == 0 ? <i32>ctz(mask) : -1;
  }
  let found = -1;
  for (let j0 = 0; j0 < Kp; j0 += MASK_COLUMNS) {
    const mask = candidateMask(g, j0, min(Kp, j0 + MASK_COLUMNS), tv);
    if (mask == 0) continue;
    if (found >= 0 || (mask & (mask - 1)) != 0) return -1;
    found = j0 + <i32>ctz(mask);
  }
  return found;
}

/**
 * The first k of the smallest ‖c_k‖² − 2x·c_k over the candidates (g_k ≤ thr; every k when
 * thr = +∞), each computed as the f64 GEMM does: one multiply then one add per p = 0…D − 1
 * from 0, doubled, subtracted from the f64 norm. Strict `<`: a NaN never wins, none gives 0.
 * Not inlined: few rows come here, and the pass's loop stays small.
 */
function exactArgmin(xi: usize, c: usize, norms: usize, g: usize, thr: f32, K: i32, D: i32): i32 {
  let best = Infinity, arg = 0;
  for (let k = 0; k < K; k++) {
    // A NaN row (no value ≤ thr) and an unscreened one (thr = +∞) compare every column.
    if (!(load<f32>(g + (<usize>k << 2)) <= thr) && thr != Infinity) continue;
    const ck = c + ((<usize>k * <usize>D) << 3);
    let s = 0.0;
    for (let p = 0; p < D; p++) s += load<f64>(xi + (<usize>p << 3)) * load<f64>(ck + (<usize>p << 3));
    const v = load<f64>(norms + (<usize>k << 3)) - (s + s);
    if (v < best) { best = v; arg = k; }
  }
  return arg;
}

/**
 * ‖x − c‖² over D f64 values, summed exactly as sqDist<f64> sums it (the same lanes, the same
 * order, so the same value), while sums += wi·x (as addRow<f64>): one pass over the row.
 */
@inline
function sqDistAddRow(xi: usize, ck: usize, sk: usize, wi: f64, D: i32): f64 {
  const wv = f64x2.splat(wi);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= D; j += 4) {
    const o = <usize>j << 3;
    const x0 = v128.load(xi + o), x1 = v128.load(xi + o, 16);
    const d0 = f64x2.sub(x0, v128.load(ck + o));
    const d1 = f64x2.sub(x1, v128.load(ck + o, 16));
    acc0 = f64x2.add(acc0, f64x2.mul(d0, d0));
    acc1 = f64x2.add(acc1, f64x2.mul(d1, d1));
    v128.store(sk + o, f64x2.add(v128.load(sk + o), f64x2.mul(wv, x0)));
    v128.store(sk + o, f64x2.add(v128.load(sk + o, 16), f64x2.mul(wv, x1)), 16);
  }
  for (; j + 2 <= D; j += 2) {
    const o = <usize>j << 3;
    const x0 = v128.load(xi + o);
    const d0 = f64x2.sub(x0, v128.load(ck + o));
    acc0 = f64x2.add(acc0, f64x2.mul(d0, d0));
    v128.store(sk + o, f64x2.add(v128.load(sk + o), f64x2.mul(wv, x0)));
  }
  const a = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < D; j++) {
    const o = <usize>j << 3;
    const xv = load<f64>(xi + o);
    const d = xv - load<f64>(ck + o);
    s += d * d;
    store<f64>(sk + o, load<f64>(sk + o) + wi * xv);
  }
  return s;
}

/**
 * lloydPass<f64> with exact distances (xNorms = 0 there), the labels screened in f32: assigns
 * rows [start, end) of x (f64, n × D) to their nearest centres c (K × D f64), with xs the same
 * rows rounded to f32, xNorms their ‖x_i‖² (f64), cts and norms from packCentresScreened, and
 * gs BLOCK_ROWS × Kp f32 scratch. labels, minDist (the exact ‖x_i − c_label‖²), sums, counts
 * and out[0…1] as lloydPass (the same values); out[2] += the rows whose label needed the
 * exact values of more than one candidate. minDist = 0 (a null pointer) skips the distances
 * and the inertia (out[0] unchanged): Lloyd's iterations that report no inertia need neither.
 *
 * With `incremental` ≠ 0, sums and counts already hold the sums of these rows under the labels
 * the pass starts from (the last pass's, when it summed): only a row whose label changes moves,
 * −w·x from its old cluster and +w·x to its new one, so a pass in which few labels change reads
 * the f64 rows of those alone (the f32 copy is read either way), not all of them.
 */
@inline
export function screenedLloydPass(
  x: usize, xs: usize, xNorms: usize, c: usize, cts: usize, norms: usize, gs: usize, w: usize,
  labels: usize, minDist: usize, sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32,
  incremental: i32,
): void {
  const Kp = paddedK<f32>(K);
  const ldx = <usize>D << 3, lds = <usize>D << 2, ldg = <usize>Kp << 2;
  let M = 0.0;
  for (let k = 0; k < K; k++) M = max(M, load<f64>(norms + (<usize>k << 3)));
  const rel = 2.0 * <f64>(D + 6) * U32;
  const abs = <f64>D * SUBNORMAL_SLACK;
  const screenable = D <= SCREEN_MAX_D;
  let inertia = 0.0, changed = 0, resolved = 0;
  for (let r0 = start; r0 < end; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, end - r0);
    distanceGemm<f32>(xs + <usize>r0 * lds, lds, cts, gs, n, K, D);
    let blockInertia = 0.0;
    for (let i = 0; i < n; i++) {
      const row = r0 + i;
      const xi = x + <usize>row * ldx;
      const gi = gs + <usize>i * ldg;
      const S = load<f64>(xNorms + (<usize>row << 3)) + M;
      const lp = labels + (<usize>row << 2);
      const prev = load<i32>(lp);
      let arg = -1;
      let thr: f32 = Infinity;
      if (screenable && S <= SCREEN_MAX_SCALE) {
        const margin = 2.0 * (rel * S + abs);
        // Most rows keep their label: when no other value is within 2E of the previous
        // label's, that label is the argmin, and the row's minimum need not be found.
        if (prev >= 0 && prev < K) {
          thr = f32AtLeast(<f64>load<f32>(gi + (<usize>prev << 2)) + margin);
          arg = soleCandidate(gi, Kp, thr);
        }
        if (arg < 0) {
          thr = f32AtLeast(<f64>rowMin(gi, Kp) + margin);
          arg = soleCandidate(gi, Kp, thr);
        }
      }
      if (arg < 0) {
        arg = exactArgmin(xi, c, norms, gi, thr, K, D);
        resolved++;
      }
      if (prev != arg) changed++;
      store<i32>(lp, arg);
      const wi = weightAt(w, row);
      const ca = c + <usize>arg * ldx;
      // Whether this row adds to its cluster's sums: every row, or a row that changed cluster.
      const moves = sums != 0 && (incremental == 0 || prev != arg);
      if (minDist == 0) {
        if (moves) addRow<f64>(sums + <usize>arg * ldx, xi, wi, D);
      } else {
        let d: f64;
        if (moves) d = sqDistAddRow(xi, ca, sums + <usize>arg * ldx, wi, D);
        else d = sqDist<f64>(xi, ca, D);
        store<f64>(minDist + (<usize>row << 3), d);
        blockInertia += wi * d;
      }
      if (moves) {
        const ck = counts + (<usize>arg << 3);
        store<f64>(ck, load<f64>(ck) + wi);
        if (incremental != 0 && prev >= 0 && prev < K) {
          addRow<f64>(sums + <usize>prev * ldx, xi, -wi, D);
          const cp = counts + (<usize>prev << 3);
          store<f64>(cp, load<f64>(cp) - wi);
        }
      }
    }
    inertia += blockInertia;
  }
  store<f64>(out, load<f64>(out) + inertia);
  store<f64>(out, load<f64>(out, 8) + <f64>changed, 8);
  store<f64>(out, load<f64>(out, 16) + <f64>resolved, 16);
}
