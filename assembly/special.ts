// Special functions over arrays and over the rows of row-major matrices: exp, log, sigmoid,
// softplus, log-sigmoid, Bernoulli entropy, log-sum-exp and softmax (the E-step's
// responsibilities). Element-wise kernels may run in place (y == x). The vector arithmetic
// lives in vmath.ts; this file only walks the arrays.
import {
  entropyBernoulliV, expV, lane0, loadPartial, logSigmoidV, logV, maxOf, sigmoidV, softplusV,
  storePartial,
} from './vmath';
import { hsum } from './simd';

// Which element-wise function map<T> applies; a constant at every call site, so the
// optimiser keeps one branch per kernel.
const EXP = 0;
const LOG = 1;
const SIGMOID = 2;
const SOFTPLUS = 3;
const LOG_SIGMOID = 4;
const ENTROPY_BERNOULLI = 5;

@inline
function apply<T>(v: v128, op: i32): v128 {
  if (op == EXP) return expV<T>(v);
  if (op == LOG) return logV<T>(v);
  if (op == SIGMOID) return sigmoidV<T>(v);
  if (op == SOFTPLUS) return softplusV<T>(v);
  if (op == LOG_SIGMOID) return logSigmoidV<T>(v);
  return entropyBernoulliV<T>(v);
}

/** y_i = f(x_i) for i < n; the remainder goes through the same vector code one lane at a time. */
@inline
function map<T>(x: usize, y: usize, n: i32, op: i32): void {
  const L = 16 / sizeof<T>();
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    v128.store(y + o, apply<T>(v128.load(x + o), op));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(y + o, lane0<T>(apply<T>(v128.splat<T>(load<T>(x + o)), op)));
  }
}

export function expF64(x: usize, y: usize, n: i32): void { map<f64>(x, y, n, EXP); }
export function expF32(x: usize, y: usize, n: i32): void { map<f32>(x, y, n, EXP); }
export function logF64(x: usize, y: usize, n: i32): void { map<f64>(x, y, n, LOG); }
export function logF32(x: usize, y: usize, n: i32): void { map<f32>(x, y, n, LOG); }
export function sigmoidF64(x: usize, y: usize, n: i32): void { map<f64>(x, y, n, SIGMOID); }
export function sigmoidF32(x: usize, y: usize, n: i32): void { map<f32>(x, y, n, SIGMOID); }
export function softplusF64(x: usize, y: usize, n: i32): void { map<f64>(x, y, n, SOFTPLUS); }
export function softplusF32(x: usize, y: usize, n: i32): void { map<f32>(x, y, n, SOFTPLUS); }
export function logSigmoidF64(x: usize, y: usize, n: i32): void { map<f64>(x, y, n, LOG_SIGMOID); }
export function logSigmoidF32(x: usize, y: usize, n: i32): void { map<f32>(x, y, n, LOG_SIGMOID); }
export function entropyBernoulliF64(p: usize, y: usize, n: i32): void { map<f64>(p, y, n, ENTROPY_BERNOULLI); }
export function entropyBernoulliF32(p: usize, y: usize, n: i32): void { map<f32>(p, y, n, ENTROPY_BERNOULLI); }

/** Σ_i H(p_i), each entropy computed in T and accumulated in f64 lanes. */
@inline
function entropyBernoulliSum<T>(p: usize, n: i32): f64 {
  const L = 16 / sizeof<T>();
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i <= n - L; i += L) {
    const h = entropyBernoulliV<T>(v128.load(p + <usize>i * sizeof<T>()));
    if (sizeof<T>() == 8) {
      acc = f64x2.add(acc, h);
    } else {
      acc = f64x2.add(acc, f64x2.promote_low_f32x4(h));
      acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(h, h, 2, 3, 0, 1)));
    }
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    s += <f64>lane0<T>(entropyBernoulliV<T>(v128.splat<T>(load<T>(p + <usize>i * sizeof<T>()))));
  }
  return s;
}

export function entropyBernoulliSumF64(p: usize, n: i32): f64 { return entropyBernoulliSum<f64>(p, n); }
export function entropyBernoulliSumF32(p: usize, n: i32): f64 { return entropyBernoulliSum<f32>(p, n); }

// ---- rows: log-sum-exp and softmax ---------------------------------------------------------
// Two layouts of the same arithmetic. Narrow rows (a mixture's K components) go L rows at a
// time with one row per lane, walking the columns: every exp fills all lanes, and the per-row
// chain max → exp → sum → log, which is long and serial, runs once per L rows. Wide rows go
// one at a time with SIMD along the row.

/**
 * Rows up to this many columns take the across-rows layout. Measured (100,000 rows, Node 20):
 * across-rows is 5× (f32) / 1.9× (f64) faster at 3 columns, 1.8× / 1.2× at 16, level with
 * along-row for f64 from 32 columns on; for f32 softmax it starts losing at about 64.
 */
const NARROW_COLS = 32;

/** Shifted entries below these give 0 (expShifted); src/reference/special.ts holds the same values. */
const SOFTMAX_FLUSH_F64: f64 = -690;
const SOFTMAX_FLUSH_F32: f64 = -80;

/**
 * e^d for the shifted entries d = x − max ≤ 0 of a row, 0 below e^−690 (f64) / e^−80 (f32):
 * such a term is below 2^−990 (2^−115) of the row's largest, which is 1, so neither the sum nor
 * any other entry of the softmax changes, while a result in the subnormal range would cost
 * every product it enters (exp's own scaling, the normalisation, a mixture's statistics) a
 * microcoded slow path on x86. The argument is clamped before exp, whose arithmetic then
 * stays normal too. NaN gives 0 (rows with NaN or ±Inf take their result from the maximum).
 */
@inline
function expShifted<T>(d: v128): v128 {
  const floor = v128.splat<T>(<T>(sizeof<T>() == 8 ? SOFTMAX_FLUSH_F64 : SOFTMAX_FLUSH_F32));
  return v128.and(expV<T>(v128.pmax<T>(d, floor)), v128.ge<T>(d, floor));
}

/** Lane l = the T at p + l·stride: one column of L consecutive rows. */
@inline
function gatherColumn<T>(p: usize, stride: usize): v128 {
  if (sizeof<T>() == 8) return v128.load64_lane(p + stride, v128.load64_zero(p), 1);
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + stride, v, 1);
  v = v128.load32_lane(p + 2 * stride, v, 2);
  return v128.load32_lane(p + 3 * stride, v, 3);
}

/** The inverse of gatherColumn. */
@inline
function scatterColumn<T>(p: usize, stride: usize, v: v128): void {
  if (sizeof<T>() == 8) {
    v128.store64_lane(p, v, 0);
    v128.store64_lane(p + stride, v, 1);
    return;
  }
  v128.store32_lane(p, v, 0);
  v128.store32_lane(p + stride, v, 1);
  v128.store32_lane(p + 2 * stride, v, 2);
  v128.store32_lane(p + 3 * stride, v, 3);
}

/**
 * The log-sum-exp of L consecutive rows, one per lane (lane l: row at x + l·stride); with
 * `softmax`, also writes the softmax of each row to y (same layout). A lane whose maximum is
 * not finite gets the maximum itself (−Inf, +Inf or NaN).
 */
@inline
function lseAcrossRows<T>(x: usize, y: usize, cols: i32, softmax: bool): v128 {
  const stride = <usize>cols * sizeof<T>();
  let m = v128.splat<T>(<T>-Infinity);
  let nan = v128.splat<i32>(0);
  for (let j = 0; j < cols; j++) {
    const v = gatherColumn<T>(x + <usize>j * sizeof<T>(), stride);
    m = v128.pmax<T>(m, v); // pmax drops a NaN in v: the mask keeps it
    nan = v128.or(nan, v128.ne<T>(v, v));
  }
  m = v128.bitselect(v128.splat<T>(<T>NaN), m, nan);
  const finite = v128.eq<T>(v128.sub<T>(m, m), v128.splat<T>(0));
  const shift = v128.and(m, finite); // 0 in rows whose result is m itself
  let s = v128.splat<T>(0);
  for (let j = 0; j < cols; j++) {
    const o = <usize>j * sizeof<T>();
    const e = expShifted<T>(v128.sub<T>(gatherColumn<T>(x + o, stride), shift));
    if (softmax) scatterColumn<T>(y + o, stride, e);
    s = v128.add<T>(s, e);
  }
  if (softmax) {
    const inv = v128.div<T>(v128.splat<T>(1), s);
    scaleRow<T>(y, cols, v128.extract_lane<T>(inv, 0), v128.extract_lane<T>(m, 0));
    scaleRow<T>(y + stride, cols, v128.extract_lane<T>(inv, 1), v128.extract_lane<T>(m, 1));
    if (sizeof<T>() == 4) {
      scaleRow<T>(y + 2 * stride, cols, v128.extract_lane<T>(inv, 2), v128.extract_lane<T>(m, 2));
      scaleRow<T>(y + 3 * stride, cols, v128.extract_lane<T>(inv, 3), v128.extract_lane<T>(m, 3));
    }
  }
  return v128.bitselect(v128.add<T>(m, logV<T>(s)), m, finite);
}

/**
 * y_j *= inv for a row of exponentials whose maximum was m; a row whose maximum is not finite
 * gets y = 0 (all −Inf) or NaN (+Inf or NaN in the row) instead.
 */
@inline
function scaleRow<T>(y: usize, cols: i32, inv: T, m: T): void {
  const L = 16 / sizeof<T>();
  if (!isFinite<T>(m)) {
    const c = m == <T>-Infinity ? <T>0 : <T>NaN;
    for (let j = 0; j < cols; j++) store<T>(y + <usize>j * sizeof<T>(), c);
    return;
  }
  const iv = v128.splat<T>(inv);
  let j = 0;
  for (; j <= cols - L; j += L) {
    const o = <usize>j * sizeof<T>();
    v128.store(y + o, v128.mul<T>(v128.load(y + o), iv));
  }
  for (; j < cols; j++) {
    const o = <usize>j * sizeof<T>();
    store<T>(y + o, load<T>(y + o) * inv);
  }
}

/**
 * Σ_j e^(x_j − m) over one row, accumulated in T lanes (every term is in [0, 1]); with
 * `keep`, each term is also stored to y (which may be x). The last cols mod L columns are one
 * vector padded with −Inf, whose exponentials are 0.
 */
@inline
function sumExpShifted<T>(x: usize, y: usize, cols: i32, m: T, keep: bool): f64 {
  const L = 16 / sizeof<T>();
  const mv = v128.splat<T>(m);
  let acc = v128.splat<T>(0);
  let j = 0;
  for (; j <= cols - L; j += L) {
    const o = <usize>j * sizeof<T>();
    const e = expShifted<T>(v128.sub<T>(v128.load(x + o), mv));
    if (keep) v128.store(y + o, e);
    acc = v128.add<T>(acc, e);
  }
  const rest = cols - j;
  if (rest > 0) {
    const o = <usize>j * sizeof<T>();
    const e = expShifted<T>(v128.sub<T>(loadPartial<T>(x + o, rest, <T>-Infinity), mv));
    if (keep) storePartial<T>(y + o, e, rest);
    acc = v128.add<T>(acc, e);
  }
  return hsum<T>(acc);
}

/** The log-sum-exp of one row with SIMD along it (and its softmax into y when `softmax`). */
@inline
function lseAlongRow<T>(x: usize, y: usize, cols: i32, softmax: bool): T {
  const m = maxOf<T>(x, cols);
  if (!isFinite<T>(m)) {
    if (softmax) scaleRow<T>(y, cols, 0, m);
    return m;
  }
  const s = sumExpShifted<T>(x, y, cols, m, softmax);
  if (softmax) scaleRow<T>(y, cols, <T>(1 / s), m);
  // m + log s in f64, rounded once to T.
  return <T>(<f64>m + lane0<f64>(logV<f64>(f64x2.splat(s))));
}

/**
 * lse_r = log Σ_j exp(x_rj) (stored when lse ≠ 0) and, with `softmax`, y_rj = exp(x_rj −
 * lse_r) (y may be x). The row maximum m is subtracted first so that nothing overflows; −Inf
 * entries contribute 0; a row whose maximum is not finite has lse = m (all −Inf or cols = 0:
 * −Inf; any +Inf: +Inf; any NaN: NaN) and y = 0 (−Inf) or NaN (the others).
 */
@inline
function logSumExpRowsImpl<T>(x: usize, y: usize, lse: usize, rows: i32, cols: i32, softmax: bool): void {
  const L = 16 / sizeof<T>();
  const rowBytes = <usize>cols * sizeof<T>();
  let r = 0;
  if (cols <= NARROW_COLS) {
    for (; r <= rows - L; r += L) {
      const o = <usize>r * rowBytes;
      const l = lseAcrossRows<T>(x + o, y + o, cols, softmax);
      if (lse != 0) v128.store(lse + <usize>r * sizeof<T>(), l);
    }
  }
  for (; r < rows; r++) {
    const o = <usize>r * rowBytes;
    const l = lseAlongRow<T>(x + o, y + o, cols, softmax);
    if (lse != 0) store<T>(lse + <usize>r * sizeof<T>(), l);
  }
}

/** out_r = log Σ_j exp(x_rj); see logSumExpRowsImpl for the non-finite cases. */
@inline
function logSumExpRows<T>(x: usize, out: usize, rows: i32, cols: i32): void {
  logSumExpRowsImpl<T>(x, 0, out, rows, cols, false);
}

export function logSumExpRowsF64(x: usize, out: usize, rows: i32, cols: i32): void { logSumExpRows<f64>(x, out, rows, cols); }
export function logSumExpRowsF32(x: usize, out: usize, rows: i32, cols: i32): void { logSumExpRows<f32>(x, out, rows, cols); }

/**
 * y_rj = exp(x_rj − lse_r), computed as e^(x_rj − m)/Σ_j e^(x_rj − m) (one exp per element),
 * 0 where x_rj − m is below the flush threshold (expShifted); lse_r is stored when lse ≠ 0. A row of all −Inf gets y = 0 and lse = −Inf; a row with +Inf
 * or NaN gets y = NaN and lse = +Inf / NaN.
 */
@inline
function softmaxRows<T>(x: usize, y: usize, lse: usize, rows: i32, cols: i32): void {
  logSumExpRowsImpl<T>(x, y, lse, rows, cols, true);
}

export function softmaxRowsF64(x: usize, y: usize, lse: usize, rows: i32, cols: i32): void { softmaxRows<f64>(x, y, lse, rows, cols); }
export function softmaxRowsF32(x: usize, y: usize, lse: usize, rows: i32, cols: i32): void { softmaxRows<f32>(x, y, lse, rows, cols); }
