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
import { BLOCK_ROWS, distanceGemm, minRow, paddedK, sqDist, weightAt } from './distance';

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

/** The smallest f32 not below t (t finite): t rounded to nearest, moved up one ulp if that fell below. */
@inline
function f32AtLeast(t: f64): f32 {
  const f = <f32>t;
  if (<f64>f >= t) return f;
  const bits = reinterpret<u32>(f);
  return reinterpret<f32>(f >= 0 ? bits + 1 : bits - 1);
}

/**
 * The f32 values of a row (Kp at g) at most thr: their number in the high 32 bits, the first
 * one's column in the low 32 bits (−1 when none) — equality masks of 32 columns per word.
 */
@inline
function candidates(g: usize, Kp: i32, thr: f32): i64 {
  const tv = f32x4.splat(thr);
  let count = 0, first = -1;
  for (let j0 = 0; j0 < Kp; j0 += MASK_COLUMNS) {
    const stop = min(Kp, j0 + MASK_COLUMNS);
    let mask: u32 = 0;
    for (let j = j0; j < stop; j += 4) {
      mask |= <u32>i32x4.bitmask(f32x4.le(v128.load(g + (<usize>j << 2)), tv)) << <u32>(j - j0);
    }
    count += <i32>popcnt(mask);
    if (first < 0 && mask != 0) first = j0 + <i32>ctz(mask);
  }
  return (<i64>count << 32) | <i64><u32>first;
}

/**
 * The first k of the smallest ‖c_k‖² − 2x·c_k over the candidates (g_k ≤ thr, or every k
 * when `all`), each computed as the f64 GEMM does: one multiply then one add per p = 0…D − 1
 * from 0, doubled, subtracted from the f64 norm. Strict `<`: a NaN never wins, none gives 0.
 */
@inline
function exactArgmin(xi: usize, c: usize, norms: usize, g: usize, thr: f32, all: bool, K: i32, D: i32): i32 {
  let best = Infinity, arg = 0;
  for (let k = 0; k < K; k++) {
    if (!all && !(load<f32>(g + (<usize>k << 2)) <= thr)) continue;
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
 * exact values of more than one candidate.
 */
@inline
export function screenedLloydPass(
  x: usize, xs: usize, xNorms: usize, c: usize, cts: usize, norms: usize, gs: usize, w: usize,
  labels: usize, minDist: usize, sums: usize, counts: usize, out: usize, start: i32, end: i32, K: i32, D: i32,
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
      let arg = 0;
      let thr: f32 = Infinity;
      let count = 0;
      if (screenable && S <= SCREEN_MAX_SCALE) {
        thr = f32AtLeast(<f64>minRow<f32>(gi, Kp) + 2.0 * (rel * S + abs));
        const found = candidates(gi, Kp, thr);
        count = <i32>(found >> 32);
        arg = <i32>found;
      }
      if (count != 1) {
        arg = exactArgmin(xi, c, norms, gi, thr, count == 0, K, D);
        resolved++;
      }
      const lp = labels + (<usize>row << 2);
      if (load<i32>(lp) != arg) changed++;
      store<i32>(lp, arg);
      const wi = weightAt(w, row);
      const ca = c + <usize>arg * ldx;
      let d: f64;
      if (sums != 0) {
        d = sqDistAddRow(xi, ca, sums + <usize>arg * ldx, wi, D);
        const ck = counts + (<usize>arg << 3);
        store<f64>(ck, load<f64>(ck) + wi);
      } else {
        d = sqDist<f64>(xi, ca, D);
      }
      store<f64>(minDist + (<usize>row << 3), d);
      blockInertia += wi * d;
    }
    inertia += blockInertia;
  }
  store<f64>(out, load<f64>(out) + inertia);
  store<f64>(out, load<f64>(out, 8) + <f64>changed, 8);
  store<f64>(out, load<f64>(out, 16) + <f64>resolved, 16);
}
