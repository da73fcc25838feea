/** Validation at the door for mixture options and initial parameters (scikit-learn's _check_*). */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { toMatrix, toVector, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { checkChoice } from '../runtime/validate.js';

export { checkChoice, checkFinite, checkInteger, checkNonNegative } from '../runtime/validate.js';
import { covarianceSize, precisionCholeskyFromPrecision } from './gaussian.js';
import { COVARIANCE_TYPES, INIT_PARAMS, type CovarianceType, type InitParams } from './types.js';

export function checkCovarianceType(v: unknown): CovarianceType {
  return checkChoice(v, 'covarianceType', COVARIANCE_TYPES);
}

export function checkInitParams(v: unknown): InitParams {
  return checkChoice(v, 'initParams', INIT_PARAMS);
}

/** Mixture weights: K values in [0, 1] summing to 1 (within 1e-8, as numpy's allclose). */
export function checkWeights(w: unknown, K: number): Float64Array {
  const v = toVector(w, 'weightsInit', K);
  let s = 0;
  for (let k = 0; k < K; k++) {
    if (v[k] < 0 || v[k] > 1) throw new ValueError(`weightsInit must lie in [0, 1]; weightsInit[${k}] is ${v[k]}`);
    s += v[k];
  }
  if (Math.abs(1 - s) > 1e-8) throw new ValueError(`weightsInit must sum to 1; got ${s}`);
  return Float64Array.from(v);
}

export function checkMeans(m: MatrixLike, K: number, D: number): Matrix<Float64Array> {
  const x = toMatrix(m, 'meansInit');
  if (x.rows !== K || x.cols !== D) {
    throw new ShapeError(`meansInit must be ${K} × ${D} (nComponents × features of X); got ${x.rows} × ${x.cols}`);
  }
  return { data: Float64Array.from(x.data), rows: K, cols: D };
}

/**
 * Precision matrices given by the user: the right length for the type, finite, symmetric
 * (|a − aᵀ| ≤ 1e-8 + 1e-5|aᵀ|, numpy's allclose) and positive definite (positive for diag and
 * spherical). Returns a copy.
 */
export function checkPrecisions(p: unknown, type: CovarianceType, K: number, D: number): Float64Array {
  const size = covarianceSize(type, K, D);
  const shape = { full: `${K}·${D}·${D}`, tied: `${D}·${D}`, diag: `${K}·${D}`, spherical: `${K}` }[type];
  const v = toVector(p, 'precisionsInit');
  if (v.length !== size) {
    throw new ShapeError(`precisionsInit for covarianceType '${type}' must hold ${shape} = ${size} values; got ${v.length}`);
  }
  if (type === 'diag' || type === 'spherical') {
    for (let i = 0; i < size; i++) {
      if (!(v[i] > 0)) throw new ValueError(`precisionsInit must be positive for covarianceType '${type}'; precisionsInit[${i}] is ${v[i]}`);
    }
    return Float64Array.from(v);
  }
  const count = type === 'full' ? K : 1;
  for (let c = 0; c < count; c++) {
    for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) {
      const a = v[c * D * D + i * D + j], b = v[c * D * D + j * D + i];
      if (Math.abs(a - b) > 1e-8 + 1e-5 * Math.abs(b)) {
        throw new ValueError(`precisionsInit must be symmetric; matrix ${c} has [${i}][${j}] = ${a} but [${j}][${i}] = ${b}`);
      }
    }
  }
  precisionCholeskyFromPrecision(v, type, K, D); // throws naming precisionsInit when not positive definite
  return Float64Array.from(v);
}
