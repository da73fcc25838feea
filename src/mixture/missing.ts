/**
 * Missing values for the mixtures: the `missing` option, the checks of data that may hold NaN,
 * the grouping of rows by their missingness pattern, and the frame (centre.ts) of incomplete
 * data. NaN marks a missing entry; ±Infinity stays an error. With `missing: 'marginalize'` the
 * engines score each row on its observed features (engine-missing.ts); rows without NaN take
 * the complete-data path unchanged.
 */
import { ValueError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { checkChoice } from '../runtime/validate.js';
import { centreInto } from './centre.js';

/**
 * What a NaN in the data means to a mixture (its `missing` option): 'error' (the default) refuses
 * it with a ValueError naming the first one; 'marginalize' reads it as a missing entry, integrated
 * out of the E-step and filled by its conditional expectation in the statistics.
 */
export type MissingPolicy = 'error' | 'marginalize';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['error', 'marginalize'];

/** The `missing` option, checked. */
export function checkMissingPolicy(v: unknown): MissingPolicy {
  return checkChoice(v, 'missing', MISSING_POLICIES);
}

/** True when some entry of X is NaN. */
export function hasMissing(X: Matrix): boolean {
  const a = X.data;
  for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) return true;
  return false;
}

/** What {@link readIncomplete} requires of the rows. */
export interface IncompleteRules {
  /** Refuse a row whose entries are all NaN (fits: such a row carries no information). */
  noEmptyRows?: boolean;
  /** Refuse a column whose entries are all NaN (fits: its mean and spread are unknown). */
  noEmptyColumns?: boolean;
  minRows?: number;
  cols?: number;
  colsReason?: string;
}

/**
 * A matrix argument that may hold NaN (missing entries) but no ±Infinity.
 * @throws ValueError naming the first infinite entry, or (per `rules`) the first all-NaN row or column
 */
export function readIncomplete(X: MatrixLike, name: string, rules: IncompleteRules = {}): Matrix {
  const { noEmptyRows, noEmptyColumns, ...shape } = rules;
  const x = toMatrix(X, name, { ...shape, finite: false });
  const { rows: N, cols: D, data } = x;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === Infinity || data[i] === -Infinity) {
      throw new ValueError(`${name} may hold NaN (a missing entry) but no infinite value; ${name}[${Math.floor(i / D)}][${i % D}] is ${data[i]}`);
    }
  }
  if (noEmptyRows) {
    for (let i = 0; i < N; i++) {
      let seen = false;
      for (let d = 0; d < D && !seen; d++) seen = data[i * D + d] === data[i * D + d];
      if (!seen) throw new ValueError(`${name}[${i}] is missing (NaN) in every feature; a row without an observed value carries no information about the mixture: remove it`);
    }
  }
  if (noEmptyColumns) {
    for (let d = 0; d < D; d++) {
      let seen = false;
      for (let i = 0; i < N && !seen; i++) seen = data[i * D + d] === data[i * D + d];
      if (!seen) throw new ValueError(`column ${d} of ${name} is missing (NaN) in every row; a feature without an observed value cannot be fitted: remove it`);
    }
  }
  return x;
}

/** Rows grouped by the set of their missing features. */
export interface MissingPattern {
  /** Indices of the observed features (ascending). */
  obs: Int32Array;
  /** Indices of the missing features (ascending). */
  mis: Int32Array;
  /** The rows with this pattern (indices into the matrix the patterns were made from). */
  rows: Int32Array;
}

/**
 * Groups the rows of X by missingness pattern, in order of first appearance. A row's key is its
 * NaN mask, 16 features to a UTF-16 code unit (D/16 units rather than D characters built one
 * at a time).
 */
export function missingPatterns(X: Matrix): MissingPattern[] {
  const { rows: N, cols: D, data } = X;
  const groups = new Map<string, number[]>();
  const units = Math.ceil(D / 16);
  const mask: number[] = new Array(units).fill(0);
  for (let i = 0; i < N; i++) {
    const o = i * D;
    for (let u = 0; u < units; u++) {
      let bits = 0;
      const end = Math.min(D, (u + 1) * 16);
      for (let d = u * 16; d < end; d++) if (data[o + d] !== data[o + d]) bits |= 1 << (d - u * 16);
      mask[u] = bits;
    }
    const key = String.fromCharCode(...mask);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  // Most patterns are rare when D is large: each pattern's index arrays are filled directly.
  const missing = (key: string, d: number) => (key.charCodeAt(d >> 4) >> (d & 15)) & 1;
  return Array.from(groups, ([key, rows]) => {
    let nMis = 0;
    for (let d = 0; d < D; d++) nMis += missing(key, d);
    const mis = new Int32Array(nMis), obs = new Int32Array(D - nMis);
    for (let d = 0, a = 0, b = 0; d < D; d++) {
      if (missing(key, d)) mis[a++] = d;
      else obs[b++] = d;
    }
    return { obs, mis, rows: Int32Array.from(rows) };
  });
}

/**
 * The column means over the observed entries (weighted by `weights` when given): the origin of
 * the frame of incomplete data. A column without an observed (non-zero-weight) entry gets 0.
 */
export function observedColumnMeans(X: Matrix, weights?: Float64Array): Float64Array {
  const { rows: N, cols: D, data } = X;
  const sum = new Float64Array(D), count = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    for (let d = 0; d < D; d++) {
      const v = data[i * D + d];
      if (v === v) {
        sum[d] += w * v;
        count[d] += w;
      }
    }
  }
  return sum.map((s, d) => (count[d] > 0 ? s / count[d] : 0));
}

/** X with every NaN replaced by its column's observed mean (f64): what the initialisation and the default priors see. */
export function meanImputed(X: Matrix, weights?: Float64Array): Matrix<Float64Array> {
  const means = observedColumnMeans(X, weights);
  const data = Float64Array.from(X.data);
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) data[i] = means[i % X.cols];
  return { data, rows: X.rows, cols: X.cols };
}

/**
 * The frame of incomplete data (centre.ts's `centred` for data with NaN): the origin is the
 * observed column means and the centred copy has 0 (the column mean) for every missing entry.
 * @throws ValueError naming X when the spread overflows f64's second moments (as `centred`)
 */
export function centredIncomplete(X: Matrix, weights?: Float64Array): { X: Matrix<Float64Array>; origin: Float64Array } {
  const origin = observedColumnMeans(X, weights);
  const data = centreInto(X, origin, new Float64Array(X.rows * X.cols));
  let spread = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== data[i]) data[i] = 0;
    else spread = Math.max(spread, Math.abs(data[i]));
  }
  if (!Number.isFinite(X.rows * spread * spread) || !origin.every(Number.isFinite)) {
    throw new ValueError(`X spreads ${spread.toPrecision(3)} around its column means: its squared deviations over ${X.rows} rows overflow f64; scale X down`);
  }
  return { X: { data, rows: X.rows, cols: X.cols }, origin };
}
