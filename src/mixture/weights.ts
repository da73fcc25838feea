/**
 * Sample weights for the mixtures: one non-negative finite weight per row, not all zero. A row of
 * weight w counts as w copies of itself in every statistic (Σ w r, Σ w r x, the scatters, the
 * log-likelihood), so integer weights fit as duplicated rows and a zero weight as a removed row.
 */
import { ValueError } from '../runtime/errors.js';
import { toVector } from '../runtime/matrix.js';

export type { SampleWeightOptions } from '../kmeans/types.js';

/**
 * The weights as a Float64Array copy, or undefined when none were given.
 * @throws ShapeError when there is not one weight per row; ValueError naming the first negative
 *   or non-finite weight, or when every weight is zero
 */
export function checkSampleWeight(w: unknown, rows: number): Float64Array | undefined {
  if (w === undefined) return undefined;
  const v = Float64Array.from(toVector(w, 'sampleWeight', rows));
  let total = 0;
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] >= 0)) throw new ValueError(`sampleWeight must be ≥ 0; sampleWeight[${i}] is ${v[i]}`);
    total += v[i];
  }
  if (!(total > 0)) throw new ValueError(`sampleWeight must not be all zero; got ${v.length} zero weights`);
  if (!Number.isFinite(total)) throw new ValueError(`sampleWeight must have a finite sum; got ${total}`);
  return v;
}

/** Σ w (rows when unweighted). */
export function totalWeight(w: Float64Array | undefined, rows: number): number {
  if (!w) return rows;
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i];
  return s;
}

/** Σ_n w_n log w_n (0 log 0 = 0): what Σ (w r) log(w r) exceeds Σ w r log r by when each row's r sums to 1. */
export function sumWLogW(w: Float64Array, start = 0, end = w.length): number {
  let s = 0;
  for (let i = start; i < end; i++) if (w[i] > 0) s += w[i] * Math.log(w[i]);
  return s;
}

/**
 * Stores w_n r_nk in place of r_nk for rows [start, start + rows) of an N × K block (zero-weight
 * rows become exact zeros, even if their responsibilities were not finite).
 */
export function weighRows(resp: Float64Array, w: Float64Array, start: number, rows: number, K: number, offset = start * K): void {
  for (let i = 0; i < rows; i++) {
    const wi = w[start + i], o = offset + i * K;
    if (wi === 0) for (let k = 0; k < K; k++) resp[o + k] = 0;
    else if (wi !== 1) for (let k = 0; k < K; k++) resp[o + k] *= wi;
  }
}

/** Σ w_n lse_n over rows with w_n > 0 (a removed row cannot make the sum non-finite). */
export function weightedSum(values: Float64Array, w: Float64Array, start: number, rows: number): number {
  let s = 0;
  for (let i = 0; i < rows; i++) if (w[start + i] > 0) s += w[start + i] * values[i];
  return s;
}

/**
 * Σ_n w_n Σ_k r_nk log r_nk from responsibilities stored weighted (w_n r_nk, n × K; plain r_nk
 * when w is undefined), skipping rows of weight 0: the entropy term of the Bayesian bound.
 */
export function weightedRespEntropy(resp: Float64Array, w: Float64Array | undefined, n: number, K: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    for (let k = 0; k < K; k++) {
      const v = resp[i * K + k];
      if (v > 0) s += v * Math.log(v / wi);
    }
  }
  return s;
}
