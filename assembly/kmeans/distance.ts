// The distance arithmetic every k-means kernel shares: the packed centres, the distance GEMM
// of a block of rows against them, the argmin, and the direct squared distance.
//
// Lloyd's assignment is one GEMM of a block of rows against all K centres (G = X·Cᵀ),
// ‖x − c_k‖² = ‖x‖² − 2 x·c_k + ‖c_k‖², with ‖x‖² dropped for the argmin (it is the same for
// every k), as scikit-learn's lloyd_iter_chunked_dense does.
import { dot } from '../linalg/vector';
import { minTile as minTileScratch } from '../scratch';
import { hsum } from '../simd';

/**
 * Rows per block: the rows × Kp distance scratch stays in cache (scikit-learn's chunk size).
 * Callers size the scratch of the block kernels (g: BLOCK_ROWS × Kp) from the same number
 * (src/kmeans/data.ts BLOCK_ROWS).
 */
export const BLOCK_ROWS = 256;

/** A broadcast of the T value at p into every lane (one load-and-splat instruction). */
@inline
export function splatAt<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load64_splat(p);
  return v128.load32_splat(p);
}

/** ‖a − b‖² over D elements, T lanes, returned in f64: exact up to rounding, no cancellation. */
@inline
export function sqDist<T>(a: usize, b: usize, D: i32): f64 {
  const lanes = 16 / sizeof<T>();
  const sz = <usize>sizeof<T>();
  let acc0 = v128.splat<T>(0);
  let acc1 = v128.splat<T>(0);
  let j = 0;
  for (; j + 2 * lanes <= D; j += 2 * lanes) {
    const o = <usize>j * sz;
    const d0 = v128.sub<T>(v128.load(a + o), v128.load(b + o));
    const d1 = v128.sub<T>(v128.load(a + o, 16), v128.load(b + o, 16));
    acc0 = v128.add<T>(acc0, v128.mul<T>(d0, d0));
    acc1 = v128.add<T>(acc1, v128.mul<T>(d1, d1));
  }
  for (; j + lanes <= D; j += lanes) {
    const o = <usize>j * sz;
    const d0 = v128.sub<T>(v128.load(a + o), v128.load(b + o));
    acc0 = v128.add<T>(acc0, v128.mul<T>(d0, d0));
  }
  let s = hsum<T>(v128.add<T>(acc0, acc1));
  for (; j < D; j++) {
    const o = <usize>j * sz;
    const d = <f64>load<T>(a + o) - <f64>load<T>(b + o);
    s += d * d;
  }
  return s;
}

/** The weight of row i: 1 when there are no weights (w = 0, a null pointer). */
@inline
export function weightAt(w: usize, i: i32): f64 {
  return w == 0 ? 1.0 : load<f64>(w + (<usize>i << 3));
}

/** Columns of the packed centres: K rounded up to a whole micro-tile (4 f64 or 8 f32). */
@inline
export function paddedK<T>(K: i32): i32 {
  const nr = 2 * (16 / sizeof<T>());
  return (K + nr - 1) / nr * nr;
}

/**
 * Packs the K centres (K × D) for the distance GEMM: ct is (D + 1) × Kp (Kp = K rounded up to 4
 * f64 / 8 f32 columns): rows 0…D−1 hold Cᵀ (padding 0) and row D holds ‖c_k‖² in T (padding
 * +∞, so a padding column never wins an argmin).
 */
@inline
export function packCentres<T>(c: usize, ct: usize, K: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  const Kp = paddedK<T>(K);
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < Kp; k++) {
      store<T>(ct + (<usize>d * <usize>Kp + <usize>k) * sz, k < K ? load<T>(c + (<usize>k * <usize>D + <usize>d) * sz) : <T>0);
    }
  }
  const norms = ct + <usize>D * <usize>Kp * sz;
  for (let k = 0; k < Kp; k++) {
    const ck = c + <usize>k * <usize>D * sz;
    store<T>(norms + <usize>k * sz, k < K ? <T>dot<T>(ck, ck, D) : <T>Infinity);
  }
}

/** Lane indices 0, 1 (f64) or 0…3 (f32) plus j, as integers of the lane width of T. */
@inline
function columnIndices<T>(j: i32): v128 {
  if (sizeof<T>() == 8) return v128.add<i64>(i64x2(0, 1), i64x2.splat(<i64>j));
  return v128.add<i32>(i32x4(0, 1, 2, 3), i32x4.splat(j));
}

/**
 * Folds a vector of values (columns idx) into a running minimum per lane (m) and its column
 * (mi): strict `<`, so within a lane the earlier column keeps a tie, and a NaN never wins.
 */
@inline
function foldMin<T>(v: v128, idx: v128, m: v128, mi: v128, out: usize): void {
  const lt = v128.lt<T>(v, m);
  v128.store(out, v128.bitselect(v, m, lt));
  v128.store(out, v128.bitselect(idx, mi, lt), 16);
}

/**
 * One step of the lane reduction: each lane of (m, mi) against the lane `bytes` away (a
 * rotation), keeping the smaller value, or on equal values the lower column, by masks rather
 * than branches (which lane wins is unpredictable). The result is left in the low lanes.
 */
@inline
function reduceStep<T>(m: v128, mi: v128, t: usize, bytes: i32): void {
  let sw: v128, swi: v128, lower: v128;
  if (bytes == 8) {
    sw = v128.shuffle<i64>(m, m, 1, 0); swi = v128.shuffle<i64>(mi, mi, 1, 0);
  } else {
    sw = v128.shuffle<i32>(m, m, 1, 0, 3, 2); swi = v128.shuffle<i32>(mi, mi, 1, 0, 3, 2);
  }
  if (sizeof<T>() == 8) lower = i64x2.lt_s(swi, mi);
  else lower = i32x4.lt_s(swi, mi);
  const take = v128.or(v128.lt<T>(sw, m), v128.and(v128.eq<T>(sw, m), lower));
  v128.store(t, v128.bitselect(sw, m, take));
  v128.store(t, v128.bitselect(swi, mi, take), 16);
}

/**
 * Byte offset, in argmin mode's output, of the smallest values (f64, one per row) after the
 * columns (i32): BLOCK_ROWS · 12 bytes in all, within the BLOCK_ROWS × Kp scratch of any T.
 */
export const MIN_VALUES: usize = <usize>BLOCK_ROWS << 2;

/**
 * v (rows × Kp) = ‖c_k‖² − 2 x_i·c_k for a block of rows (row i at x + i·ldx bytes), from the
 * packed centres ct: the squared distances less ‖x_i‖², which is all an argmin over k needs.
 * With `argmin` (a constant at each call site, so the unused branch compiles away), v receives
 * instead the i32 column of each row's smallest value (the lowest column on ties, as a strict
 * `<` scan gives; 0 when all are NaN) and, from byte MIN_VALUES on, that value (f64), folded
 * from the registers as each tile is computed, so the values are never stored and read back.
 *
 * k-means has few features and centres (D, K in the tens), so both operands fit in L1 and
 * GEMM's packing would cost more than it saves: this is its register-blocked micro-kernel
 * (4 rows × 2 vectors of columns) reading X in place, with the norms folded into the result,
 * and a 1-row loop for the last rows. Both loops add the products in the same order (p = 0, 1,
 * …, one multiply then one add per step: wasm has no fused multiply-add), so a row's values do
 * not depend on which loop computed them — the bounds of hamerly.ts rely on that.
 */
@inline
export function distanceGemm<T>(x: usize, ldx: usize, ct: usize, v: usize, rows: i32, K: i32, D: i32, argmin: bool = false): void {
  const sz = <usize>sizeof<T>();
  const lanes = 16 / sizeof<T>();
  const Kp = paddedK<T>(K);
  const nr = 2 * lanes;
  const ldc = <usize>Kp * sz;
  const norms = ct + <usize>D * ldc;
  const ldx2 = ldx * 2, ldx3 = ldx * 3;
  const inf = v128.splat<T>(<T>Infinity);
  const none = v128.splat<i32>(0);
  // The running minima of 4 rows (value and column vectors): per-thread scratch, 128 bytes.
  const minTile = minTileScratch();
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const x0 = x + <usize>i * ldx;
    const v0 = v + <usize>i * ldc;
    if (argmin) {
      for (let r = 0; r < 4; r++) { v128.store(minTile + <usize>r * 32, inf); v128.store(minTile + <usize>r * 32, none, 16); }
    }
    for (let j = 0; j < Kp; j += nr) {
      const z = v128.splat<T>(0);
      let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
      let bp = ct + <usize>j * sz;
      let ap = x0;
      for (let p = 0; p < D; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let a = splatAt<T>(ap);
        c00 = v128.add<T>(c00, v128.mul<T>(a, b0));
        c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
        a = splatAt<T>(ap + ldx);
        c10 = v128.add<T>(c10, v128.mul<T>(a, b0));
        c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
        a = splatAt<T>(ap + ldx2);
        c20 = v128.add<T>(c20, v128.mul<T>(a, b0));
        c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
        a = splatAt<T>(ap + ldx3);
        c30 = v128.add<T>(c30, v128.mul<T>(a, b0));
        c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
        ap += sz;
        bp += ldc;
      }
      const n0 = v128.load(norms + <usize>j * sz), n1 = v128.load(norms + <usize>j * sz, 16);
      c00 = v128.sub<T>(n0, v128.add<T>(c00, c00)); c01 = v128.sub<T>(n1, v128.add<T>(c01, c01));
      c10 = v128.sub<T>(n0, v128.add<T>(c10, c10)); c11 = v128.sub<T>(n1, v128.add<T>(c11, c11));
      c20 = v128.sub<T>(n0, v128.add<T>(c20, c20)); c21 = v128.sub<T>(n1, v128.add<T>(c21, c21));
      c30 = v128.sub<T>(n0, v128.add<T>(c30, c30)); c31 = v128.sub<T>(n1, v128.add<T>(c31, c31));
      if (argmin) {
        const j0 = columnIndices<T>(j), j1 = columnIndices<T>(j + lanes);
        foldRow<T>(c00, c01, j0, j1, minTile);
        foldRow<T>(c10, c11, j0, j1, minTile + 32);
        foldRow<T>(c20, c21, j0, j1, minTile + 64);
        foldRow<T>(c30, c31, j0, j1, minTile + 96);
      } else {
        const o = v0 + <usize>j * sz;
        v128.store(o, c00); v128.store(o, c01, 16);
        v128.store(o + ldc, c10); v128.store(o + ldc, c11, 16);
        v128.store(o + 2 * ldc, c20); v128.store(o + 2 * ldc, c21, 16);
        v128.store(o + 3 * ldc, c30); v128.store(o + 3 * ldc, c31, 16);
      }
    }
    if (argmin) {
      for (let r = 0; r < 4; r++) storeArgmin<T>(v, i + r, minTile + <usize>r * 32);
    }
  }
  for (; i < rows; i++) {
    const xi = x + <usize>i * ldx;
    const vi = v + <usize>i * ldc;
    if (argmin) { v128.store(minTile, inf); v128.store(minTile, none, 16); }
    for (let j = 0; j < Kp; j += nr) {
      let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0);
      let bp = ct + <usize>j * sz;
      for (let p = 0; p < D; p++) {
        const a = splatAt<T>(xi + <usize>p * sz);
        c0 = v128.add<T>(c0, v128.mul<T>(a, v128.load(bp)));
        c1 = v128.add<T>(c1, v128.mul<T>(a, v128.load(bp, 16)));
        bp += ldc;
      }
      const nj = norms + <usize>j * sz;
      c0 = v128.sub<T>(v128.load(nj), v128.add<T>(c0, c0));
      c1 = v128.sub<T>(v128.load(nj, 16), v128.add<T>(c1, c1));
      if (argmin) {
        foldRow<T>(c0, c1, columnIndices<T>(j), columnIndices<T>(j + lanes), minTile);
      } else {
        v128.store(vi + <usize>j * sz, c0);
        v128.store(vi + <usize>j * sz, c1, 16);
      }
    }
    if (argmin) storeArgmin<T>(v, i, minTile);
  }
}

/** Folds a row's two vectors of a tile into its running minimum kept at t (value, column). */
@inline
function foldRow<T>(d0: v128, d1: v128, j0: v128, j1: v128, t: usize): void {
  foldMin<T>(d0, j0, v128.load(t), v128.load(t, 16), t);
  foldMin<T>(d1, j1, v128.load(t), v128.load(t, 16), t);
}

/**
 * Row r's result in argmin mode, from its running minimum at t (value and column vectors):
 * its column (i32) at v + 4r, its smallest value (f64) at v + MIN_VALUES + 8r. The lanes are
 * reduced with masks (reduceStep): the smallest value, the lowest column on ties.
 */
@inline
function storeArgmin<T>(v: usize, r: i32, t: usize): void {
  if (sizeof<T>() == 4) reduceStep<T>(v128.load(t), v128.load(t, 16), t, 4);
  reduceStep<T>(v128.load(t), v128.load(t, 16), t, 8);
  store<i32>(v + (<usize>r << 2), load<i32>(t, 16));
  store<f64>(v + MIN_VALUES + (<usize>r << 3), <f64>load<T>(t));
}

/**
 * The smallest of the Kp values at v (Kp a multiple of 2 vectors), by a SIMD minimum. pmin
 * (b < a ? b : a) is one instruction where min's NaN and ±0 rules take several; a NaN (only
 * from overflowed distances) is then ignored unless it comes first, which argminRow tolerates.
 */
@inline
export function minRow<T>(v: usize, Kp: i32): T {
  const lanes = 16 / sizeof<T>();
  let m = v128.load(v);
  for (let j = lanes; j < Kp; j += lanes) m = v128.pmin<T>(m, v128.load(v + <usize>j * sizeof<T>()));
  if (sizeof<T>() == 8) return min<T>(v128.extract_lane<T>(m, 0), v128.extract_lane<T>(m, 1));
  return min<T>(min<T>(v128.extract_lane<T>(m, 0), v128.extract_lane<T>(m, 1)), min<T>(v128.extract_lane<T>(m, 2), v128.extract_lane<T>(m, 3)));
}

/** Columns per bit mask word in argminRow. */
const MASK_COLUMNS = 32;

/**
 * The first index of the smallest of the Kp values at v: a SIMD minimum, then the first
 * column equal to it — the lowest index on ties, as a strict `<` scan would give — found
 * without a branch per column: the equality masks of 32 columns packed into one word, and its
 * trailing zeros counted (the scan's unpredictable exit cost more than the distances' GEMM).
 */
@inline
export function argminRow<T>(v: usize, Kp: i32): i32 {
  const lanes = 16 / sizeof<T>();
  const bv = v128.splat<T>(minRow<T>(v, Kp));
  for (let j0 = 0; j0 < Kp; j0 += MASK_COLUMNS) {
    const stop = min(Kp, j0 + MASK_COLUMNS);
    let mask: u32 = 0;
    for (let j = j0; j < stop; j += lanes) {
      const eq = v128.eq<T>(v128.load(v + <usize>j * sizeof<T>()), bv);
      const bits: u32 = sizeof<T>() == 8 ? <u32>i64x2.bitmask(eq) : <u32>i32x4.bitmask(eq);
      mask |= bits << <u32>(j - j0);
    }
    if (mask != 0) return j0 + <i32>ctz(mask);
  }
  // A NaN minimum (overflowed distances) matches nothing: label 0.
  return 0;
}

/** sums_k (D, f64) += wi·x_i (D, T): the M-step's scatter of one row, accumulated in f64. */
@inline
export function addRow<T>(sk: usize, xi: usize, wi: f64, D: i32): void {
  const sz = <usize>sizeof<T>();
  const wv = f64x2.splat(wi);
  let j = 0;
  if (sizeof<T>() == 8) {
    for (; j + 2 <= D; j += 2) {
      const o = <usize>j << 3;
      v128.store(sk + o, f64x2.add(v128.load(sk + o), f64x2.mul(wv, v128.load(xi + o))));
    }
  } else {
    for (; j + 4 <= D; j += 4) {
      const o = <usize>j << 3;
      const v = v128.load(xi + <usize>j * sz);
      v128.store(sk + o, f64x2.add(v128.load(sk + o), f64x2.mul(wv, f64x2.promote_low_f32x4(v))));
      v128.store(sk + o, f64x2.add(v128.load(sk + o, 16), f64x2.mul(wv, f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)))), 16);
    }
  }
  for (; j < D; j++) {
    const o = <usize>j << 3;
    store<f64>(sk + o, load<f64>(sk + o) + wi * <f64>load<T>(xi + <usize>j * sz));
  }
}

/**
 * out[i,k] (T, rows × K) = max(0, ‖x_i‖² + ‖c_k‖² − 2 x_i·c_k): all squared distances of a
 * block of rows to K centres (one GEMM into the rows × Kp scratch g, then ‖x_i‖² added). The
 * clamp at 0 keeps a cancelled distance from going negative, as scikit-learn's
 * euclidean_distances does; `transform` takes square roots of these.
 */
@inline
export function sqDistances<T>(x: usize, ct: usize, g: usize, out: usize, rows: i32, K: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  const Kp = paddedK<T>(K);
  distanceGemm<T>(x, <usize>D * sz, ct, g, rows, K, D);
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * <usize>D * sz;
    const xn = dot<T>(xi, xi, D);
    const gi = g + <usize>i * <usize>Kp * sz;
    const oi = out + <usize>i * <usize>K * sz;
    for (let k = 0; k < K; k++) {
      const v = xn + <f64>load<T>(gi + <usize>k * sz);
      store<T>(oi + <usize>k * sz, <T>(v > 0 ? v : 0));
    }
  }
}
