// Special functions over arrays and over the rows of row-major matrices: exp, log, sigmoid,
// softplus, log-sigmoid, Bernoulli entropy, log-sum-exp and softmax (the E-step's
// responsibilities). Element-wise kernels may run in place (y == x). The vector arithmetic
// lives in vmath.ts; this file only walks the arrays.
import {
  entropyBernoulliV, expV, lane0, logSigmoidV, logV, maxOf, sigmoidV, softplusV,
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

/**
 * Σ_j e^(x_j − m) over one row, accumulated in T lanes (every term is in [0, 1]); with
 * `keep`, each term is also stored to y (which may be x).
 */
@inline
function sumExpShifted<T>(x: usize, y: usize, cols: i32, m: T, keep: bool): f64 {
  const L = 16 / sizeof<T>();
  const mv = v128.splat<T>(m);
  let acc = v128.splat<T>(0);
  let j = 0;
  for (; j <= cols - L; j += L) {
    const o = <usize>j * sizeof<T>();
    const e = expV<T>(v128.sub<T>(v128.load(x + o), mv));
    if (keep) v128.store(y + o, e);
    acc = v128.add<T>(acc, e);
  }
  let s = hsum<T>(acc);
  for (; j < cols; j++) {
    const o = <usize>j * sizeof<T>();
    const e = lane0<T>(expV<T>(v128.splat<T>(load<T>(x + o) - m)));
    if (keep) store<T>(y + o, e);
    s += <f64>e;
  }
  return s;
}

/** m + log s, evaluated in f64 and rounded once to T. */
@inline
function addLog<T>(m: T, s: f64): T {
  return <T>(<f64>m + lane0<f64>(logV<f64>(f64x2.splat(s))));
}

/** y_j = c for the whole row. */
@inline
function fillRow<T>(y: usize, cols: i32, c: T): void {
  for (let j = 0; j < cols; j++) store<T>(y + <usize>j * sizeof<T>(), c);
}

/**
 * out_r = log Σ_j exp(x_rj), with the row maximum m subtracted first so that nothing
 * overflows. −Inf entries contribute 0; a row whose maximum is not finite returns it: all −Inf
 * (or cols = 0) → −Inf, any +Inf → +Inf, any NaN → NaN.
 */
@inline
function logSumExpRows<T>(x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols * sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const m = maxOf<T>(xr, cols);
    const lse = isFinite<T>(m) ? addLog<T>(m, sumExpShifted<T>(xr, 0, cols, m, false)) : m;
    store<T>(out + <usize>r * sizeof<T>(), lse);
  }
}

export function logSumExpRowsF64(x: usize, out: usize, rows: i32, cols: i32): void { logSumExpRows<f64>(x, out, rows, cols); }
export function logSumExpRowsF32(x: usize, out: usize, rows: i32, cols: i32): void { logSumExpRows<f32>(x, out, rows, cols); }

/**
 * y_rj = exp(x_rj − lse_r), computed as e^(x_rj − m)/Σ_j e^(x_rj − m) (one exp per element);
 * lse_r is stored when lse ≠ 0. A row of all −Inf gets y = 0 and lse = −Inf; a row with +Inf
 * or NaN gets y = NaN and lse = +Inf / NaN.
 */
@inline
function softmaxRows<T>(x: usize, y: usize, lse: usize, rows: i32, cols: i32): void {
  const L = 16 / sizeof<T>();
  const rowBytes = <usize>cols * sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    const m = maxOf<T>(xr, cols);
    let l = m;
    if (isFinite<T>(m)) {
      const s = sumExpShifted<T>(xr, yr, cols, m, true);
      l = addLog<T>(m, s);
      const inv = <T>(1 / s);
      const iv = v128.splat<T>(inv);
      let j = 0;
      for (; j <= cols - L; j += L) {
        const o = <usize>j * sizeof<T>();
        v128.store(yr + o, v128.mul<T>(v128.load(yr + o), iv));
      }
      for (; j < cols; j++) {
        const o = <usize>j * sizeof<T>();
        store<T>(yr + o, load<T>(yr + o) * inv);
      }
    } else {
      fillRow<T>(yr, cols, m == <T>-Infinity ? <T>0 : <T>NaN);
    }
    if (lse != 0) store<T>(lse + <usize>r * sizeof<T>(), l);
  }
}

export function softmaxRowsF64(x: usize, y: usize, lse: usize, rows: i32, cols: i32): void { softmaxRows<f64>(x, y, lse, rows, cols); }
export function softmaxRowsF32(x: usize, y: usize, lse: usize, rows: i32, cols: i32): void { softmaxRows<f32>(x, y, lse, rows, cols); }
