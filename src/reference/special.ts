/**
 * Plain-TypeScript twins of assembly/special.ts: same names and argument order, typed arrays
 * in place of pointers. Computed in f64 (an f32 output array rounds on store).
 */
import type { FloatArray } from '../runtime/matrix.js';

/** y_i = e^(x_i). */
export function exp(x: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]);
}

/** y_i = log x_i. */
export function log(x: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.log(x[i]);
}

function sigmoid1(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

function softplus1(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function entropyBernoulli1(p: number): number {
  const a = p === 0 ? 0 : p * Math.log(p);
  const b = p === 1 ? 0 : (1 - p) * Math.log1p(-p);
  return 0 - a - b;
}

/** y_i = σ(x_i) = 1/(1 + e^(−x_i)), in the stable two-sided form. */
export function sigmoid(x: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = sigmoid1(x[i]);
}

/** y_i = max(x_i, 0) + log1p(e^(−|x_i|)). */
export function softplus(x: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = softplus1(x[i]);
}

/** y_i = log σ(x_i) = −softplus(−x_i). */
export function logSigmoid(x: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = -softplus1(-x[i]);
}

/** y_i = −p_i log p_i − (1 − p_i) log(1 − p_i), 0 log 0 = 0. */
export function entropyBernoulli(p: FloatArray, y: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = entropyBernoulli1(p[i]);
}

/** Σ_i of the Bernoulli entropies of p_i. */
export function entropyBernoulliSum(p: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += entropyBernoulli1(p[i]);
  return s;
}

/** log Σ_j exp(x[o + j]) for j < cols, max subtracted; a non-finite maximum is returned as is. */
function logSumExpRow(x: FloatArray, o: number, cols: number): number {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let j = 0; j < cols; j++) s += Math.exp(x[o + j] - m);
  return m + Math.log(s);
}

/** out_r = log Σ_j exp(x_rj); all −Inf → −Inf, any +Inf → +Inf, NaN → NaN. */
export function logSumExpRows(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) out[r] = logSumExpRow(x, r * cols, cols);
}

/**
 * A softmax entry is 0 where x − max(row) is below this (f64 data; SOFTMAX_FLUSH_F32 for f32):
 * e^−690 is below 2^−990 of the row's largest term, so the sum and the other entries do not
 * change, and results stay out of the subnormal range, whose arithmetic is slow on x86. The
 * kernels (assembly/special.ts) and the mixture engines flush at the same values.
 */
export const SOFTMAX_FLUSH_F64 = -690;
export const SOFTMAX_FLUSH_F32 = -80;

/**
 * y_rj = exp(x_rj − lse_r), 0 where x_rj − max_j x_rj < the flush threshold; lse stored when
 * given; all −Inf → y = 0; +Inf or NaN → y = NaN.
 */
export function softmaxRows(x: FloatArray, y: FloatArray, lse: FloatArray | null, rows: number, cols: number): void {
  const flush = x instanceof Float32Array ? SOFTMAX_FLUSH_F32 : SOFTMAX_FLUSH_F64;
  for (let r = 0; r < rows; r++) {
    const l = logSumExpRow(x, r * cols, cols);
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]);
    for (let j = 0; j < cols; j++) {
      const v = x[r * cols + j];
      y[r * cols + j] = l === -Infinity ? 0 : !Number.isFinite(l) ? NaN : v - m < flush ? 0 : Math.exp(v - l);
    }
    if (lse) lse[r] = l;
  }
}
