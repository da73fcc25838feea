/**
 * The frame the mixture engines compute in. A Gaussian mixture is translation-equivariant:
 * fitting X + c gives means shifted by c and the same weights, covariances and bound. Arithmetic
 * in the user's coordinates does not share that property: a product or a square of values near
 * 10⁶ with a spread of 10⁻² keeps none of the spread's digits. So every engine subtracts an
 * origin o (the column means of its data, in f64) once, computes on x − o and on μ − o, and
 * reports means and first moments back in the user's coordinates.
 */
import { ValueError } from '../runtime/errors.js';
import type { Matrix } from '../runtime/matrix.js';

/**
 * The column means of X (D values, summed in f64), weighted by `weights` when given: the origin
 * of the engines' frame.
 */
export function columnMeans(X: Matrix, weights?: Float64Array): Float64Array {
  const { rows: N, cols: D, data } = X;
  const mean = new Float64Array(D);
  let total = 0;
  for (let i = 0; i < N; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    total += w;
    for (let d = 0; d < D; d++) mean[d] += w * data[i * D + d];
  }
  return mean.map((s) => s / total);
}

/**
 * out[i·D + d] = X[i, d] − origin[d], in f64. The difference of an f32 or f64 value and a nearby
 * f64 origin is exact or within one rounding of the (small) result, so the centred values carry
 * every digit of the data's spread.
 */
export function centreInto(X: Matrix, origin: Float64Array, out: Float64Array): Float64Array {
  const { rows: N, cols: D, data } = X;
  for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) out[i * D + d] = data[i * D + d] - origin[d];
  return out;
}

/**
 * The origin of the engines' frame, X's (weighted) column means, with X centred on it as an f64
 * matrix made when first asked for (only initialisations that read the data need it; a fit with
 * every initial parameter given never copies X here).
 * @throws ValueError naming X when its spread is out of f64's range for second moments: the
 * scatters sum N squared deviations, so N·max|x − o|² must be finite (max|x − o| below
 * √(1.8e308 / N), about 1.3e151 for a million rows). Rescaling X is then the user's choice, since
 * regCovar and the priors are absolute.
 */
export function centred(X: Matrix, weights?: Float64Array): { X: () => Matrix<Float64Array>; origin: Float64Array } {
  const { rows: N, cols: D, data } = X;
  // One pass: the column sums as columnMeans adds them, and each column's least and greatest value.
  const sums = new Float64Array(D), lo = new Float64Array(D).fill(Infinity), hi = new Float64Array(D).fill(-Infinity);
  let total = 0;
  for (let i = 0; i < N; i++) {
    const w = weights ? weights[i] : 1;
    for (let d = 0; d < D; d++) {
      const v = data[i * D + d];
      if (v < lo[d]) lo[d] = v;
      if (v > hi[d]) hi[d] = v;
    }
    if (w === 0) continue;
    total += w;
    for (let d = 0; d < D; d++) sums[d] += w * data[i * D + d];
  }
  const origin = sums.map((s) => s / total);
  // The largest |x − o| centreInto will write, without writing it: x − o rounds monotonically
  // in x, so its largest magnitude in a column is at the column's least or greatest value.
  let spread = 0;
  for (let d = 0; d < D; d++) spread = Math.max(spread, Math.abs(hi[d] - origin[d]), Math.abs(lo[d] - origin[d]));
  checkSpread(origin, spread, N);
  return { origin, X: centredCopy(X, origin) };
}

/** A getter of X − origin as an f64 matrix, copied on its first call. */
export function centredCopy(X: Matrix, origin: Float64Array): () => Matrix<Float64Array> {
  let copy: Matrix<Float64Array> | null = null;
  return () => (copy ??= { data: centreInto(X, origin, new Float64Array(X.rows * X.cols)), rows: X.rows, cols: X.cols });
}

/**
 * Refuses an origin or a spread (max |x − o| over X's N rows) that f64's second moments cannot
 * hold: N·spread² must be finite.
 * @throws ValueError naming X
 */
export function checkSpread(origin: Float64Array, spread: number, N: number): void {
  if (!Number.isFinite(N * spread * spread) || !origin.every(Number.isFinite)) {
    const limit = Math.sqrt(Number.MAX_VALUE / N);
    throw new ValueError(
      `X spreads ${Number.isFinite(spread) ? spread.toPrecision(3) : 'beyond f64'} around its column means: its squared deviations over ${N} rows overflow f64 (the limit is ${limit.toPrecision(3)}); scale X down`,
    );
  }
}

/** μ_k − origin for every row of the means (K × D): the means in the engines' frame. */
export function centreMeans(means: Matrix<Float64Array>, origin: Float64Array): Float64Array {
  return centreInto(means, origin, new Float64Array(means.rows * means.cols));
}
