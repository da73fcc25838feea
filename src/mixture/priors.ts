/**
 * The priors of a variational Gaussian mixture: checked at the door and resolved against the data
 * (scikit-learn's _check_weights_parameters, _check_means_parameters, _check_precision_parameters
 * and _checkcovariance_prior_parameter).
 */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, toVector, type Matrix } from '../runtime/matrix.js';
import type { BayesianPriors, WeightConcentrationPriorType } from './bayesian.js';
import { columnMeans } from './centre.js';
import { precisionCholeskyFromPrecision } from './gaussian.js';
import type { CovarianceType } from './types.js';

/** A prior's value as the user may give it: a number, a vector, or (full, tied) a D × D matrix. */
export type PriorValue = number | Float64Array | number[] | number[][] | Matrix;

export interface PriorOptions {
  weightConcentrationPrior?: number;
  meanPrecisionPrior?: number;
  meanPrior?: Float64Array | number[];
  degreesOfFreedomPrior?: number;
  covariancePrior?: PriorValue;
}

/** A finite number > 0, or a ValueError naming the argument. */
export function checkPositive(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
    throw new ValueError(`${name} must be a finite number > 0; got ${describe(v)}`);
  }
  return v;
}

/** The option checks that need no data (run by the constructor). */
export function checkPriorOptions(o: PriorOptions): void {
  if (o.weightConcentrationPrior !== undefined) checkPositive(o.weightConcentrationPrior, 'weightConcentrationPrior');
  if (o.meanPrecisionPrior !== undefined) checkPositive(o.meanPrecisionPrior, 'meanPrecisionPrior');
  if (o.degreesOfFreedomPrior !== undefined) checkPositive(o.degreesOfFreedomPrior, 'degreesOfFreedomPrior');
  if (o.meanPrior !== undefined) toVector(o.meanPrior, 'meanPrior');
  if (typeof o.covariancePrior === 'number') checkPositive(o.covariancePrior, 'covariancePrior');
}

/**
 * The priors for data X (N × D), with scikit-learn's defaults: α₀ = 1/K, β₀ = 1, m₀ = mean of X,
 * ν₀ = D, Ψ₀ = the sample covariance of X (ddof 1; diag its diagonal, spherical the diagonal's mean).
 * @throws ValueError / ShapeError naming the prior: wrong length, not finite, not positive
 *   (definite), or degreesOfFreedomPrior ≤ D − 1
 */
export function resolvePriors(
  X: Matrix, K: number, type: CovarianceType, priorType: WeightConcentrationPriorType, o: PriorOptions, sampleWeight?: Float64Array,
): BayesianPriors {
  const D = X.cols;
  const nu0 = o.degreesOfFreedomPrior ?? D;
  if (!(nu0 > D - 1)) {
    throw new ValueError(`degreesOfFreedomPrior must be greater than D − 1 = ${D - 1} (D = ${D} features of X); got ${nu0}`);
  }
  const mean = columnMeans(X, sampleWeight);
  return {
    weightConcentrationPriorType: priorType,
    weightConcentrationPrior: o.weightConcentrationPrior ?? 1 / K,
    meanPrecisionPrior: o.meanPrecisionPrior ?? 1,
    meanPrior: o.meanPrior !== undefined ? Float64Array.from(toVector(o.meanPrior, 'meanPrior', D)) : mean,
    degreesOfFreedomPrior: nu0,
    covariancePrior: o.covariancePrior !== undefined ? checkCovariancePrior(o.covariancePrior, type, D) : sampleCovariance(X, mean, type, sampleWeight),
  };
}

/** Ψ₀ given by the user: full/tied a symmetric positive definite D × D matrix, diag D positive values, spherical one. */
function checkCovariancePrior(v: PriorValue, type: CovarianceType, D: number): Float64Array {
  if (type === 'spherical') {
    const s = typeof v === 'number' ? v : toVector(v, 'covariancePrior', 1)[0];
    return Float64Array.of(checkPositive(s, 'covariancePrior'));
  }
  if (type === 'diag') {
    const d = Float64Array.from(toVector(v, 'covariancePrior', D));
    d.forEach((x, i) => { if (!(x > 0)) throw new ValueError(`covariancePrior must be positive for covarianceType 'diag'; covariancePrior[${i}] is ${x}`); });
    return d;
  }
  const flat = Array.isArray(v) && Array.isArray(v[0]) || (typeof v === 'object' && 'rows' in v)
    ? squareMatrix(v as number[][] | Matrix, D) : toVector(v, 'covariancePrior');
  if (flat.length !== D * D) throw new ShapeError(`covariancePrior for covarianceType '${type}' must be ${D} × ${D}; got ${flat.length} values`);
  for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) {
    const a = flat[i * D + j], b = flat[j * D + i];
    if (Math.abs(a - b) > 1e-8 + 1e-5 * Math.abs(b)) {
      throw new ValueError(`covariancePrior must be symmetric; [${i}][${j}] = ${a} but [${j}][${i}] = ${b}`);
    }
  }
  try {
    precisionCholeskyFromPrecision(flat, 'tied', 1, D);
  } catch {
    throw new ValueError(`covariancePrior must be symmetric positive definite for covarianceType '${type}'; it is not positive definite`);
  }
  return Float64Array.from(flat);
}

function squareMatrix(v: number[][] | Matrix, D: number): Float64Array {
  const m = toMatrix(v, 'covariancePrior');
  if (m.rows !== D || m.cols !== D) throw new ShapeError(`covariancePrior must be ${D} × ${D} (features of X); got ${m.rows} × ${m.cols}`);
  return Float64Array.from(m.data);
}

/**
 * numpy's cov(X.T) (ddof 1, centred first) as the type needs it: D·D, its diagonal, or the
 * diagonal's mean. Weighted: numpy's cov(X.T, fweights=w), Σ w (x − m)(x − m)ᵀ / (Σ w − 1), so
 * integer weights give the covariance of the duplicated rows.
 * @throws ValueError naming sampleWeight when Σ w ≤ 1 (no ddof-1 covariance exists; give covariancePrior)
 */
function sampleCovariance(X: Matrix, mean: Float64Array, type: CovarianceType, sampleWeight?: Float64Array): Float64Array {
  const { rows: N, cols: D, data } = X;
  const full = type === 'full' || type === 'tied';
  const out = new Float64Array(full ? D * D : D);
  const c = new Float64Array(D);
  let count = 0;
  for (let i = 0; i < N; i++) {
    const w = sampleWeight ? sampleWeight[i] : 1;
    if (w === 0) continue;
    count += w;
    for (let d = 0; d < D; d++) c[d] = data[i * D + d] - mean[d];
    if (full) {
      for (let a = 0; a < D; a++) for (let b = 0; b <= a; b++) out[a * D + b] += w * c[a] * c[b];
    } else for (let d = 0; d < D; d++) out[d] += w * c[d] * c[d];
  }
  if (!(count > 1)) {
    throw new ValueError(`the default covariancePrior needs Σ sampleWeight > 1 (a ddof-1 covariance); got ${count}: give covariancePrior or larger weights`);
  }
  for (let i = 0; i < out.length; i++) out[i] /= count - 1;
  if (full) for (let a = 0; a < D; a++) for (let b = 0; b < a; b++) out[b * D + a] = out[a * D + b];
  if (type !== 'spherical') return out;
  let s = 0;
  for (let d = 0; d < D; d++) s += out[d];
  return Float64Array.of(s / D);
}
