/**
 * The fields GaussianMixture and BayesianGaussianMixture files share, read and checked with the
 * runtime's FieldReader: options, the Gaussian parameters (weights on the simplex, covariances
 * symmetric positive definite in the layout of covarianceType, precision Cholesky factors that
 * are triangular with a positive diagonal and invert the covariances) and the fit's history.
 * Plain TypeScript, O(K·D³): loading needs no wasm.
 */
import type { FieldReader } from '../runtime/model-file.js';
import { covarianceSize } from './gaussian.js';
import { MISSING_POLICIES, type MissingPolicy } from './missing.js';
import { COVARIANCE_TYPES, INIT_PARAMS, type CovarianceType, type InitParams } from './types.js';

/** |Σ w − 1| allowed for mixing weights (numpy's allclose atol, as checkWeights). */
const WEIGHT_SUM_TOL = 1e-8;
/**
 * Largest |(LᵀP)(LᵀP)ᵀ − I| accepted between a covariance Σ = LLᵀ and its precision factor P.
 * Triangular inversion is backward stable, so this residual is about √cond(Σ)·eps: 1e-6 leaves
 * room for a condition number of 1e18 while any edited value of consequence breaks it.
 */
const FACTOR_TOL = 1e-6;
/** Relative asymmetry |Σ_ij − Σ_ji| / √(Σ_ii Σ_jj) accepted in a saved covariance. */
const SYMMETRY_TOL = 1e-10;

/** The options every saved mixture keeps. */
export interface ReadMixtureOptions {
  nComponents: number; covarianceType: CovarianceType; tol: number; regCovar: number; maxIter: number;
  nInit: number; initParams: InitParams; warmStart: boolean; seed: number;
}

/** Reads `options` (the caller reads any extra fields of it, then calls done()). */
export function readMixtureOptions(o: FieldReader): ReadMixtureOptions {
  return {
    nComponents: o.integer('nComponents', 1),
    covarianceType: o.choice('covarianceType', COVARIANCE_TYPES),
    tol: o.number('tol', { min: 0 }),
    regCovar: o.number('regCovar', { min: 0 }),
    maxIter: o.integer('maxIter', 0),
    nInit: o.integer('nInit', 1),
    initParams: o.choice('initParams', INIT_PARAMS),
    warmStart: o.boolean('warmStart'),
    seed: o.integer('seed', Number.MIN_SAFE_INTEGER),
  };
}

/** The options format version 2 added to every saved mixture. */
export interface ReadVersion2Options {
  missing: MissingPolicy; stepDecay: number; stepOffset: number;
}

/** The option names that format version 2 added (the Bayesian mixture adds streamSize too). */
export const VERSION2_OPTIONS = ['missing', 'stepDecay', 'stepOffset'] as const;

/** Reads the options of version 2: missing, and partialFit's stepDecay ∈ (0.5, 1] and stepOffset ≥ 0. */
export function readVersion2Options(o: FieldReader): ReadVersion2Options {
  return {
    missing: o.choice('missing', MISSING_POLICIES),
    stepDecay: o.number('stepDecay', { above: 0.5, max: 1 }),
    stepOffset: o.number('stepOffset', { min: 0 }),
  };
}

/**
 * A version-1 file has none of the later options: when it does, the `version` field was lost
 * (or edited), and saying so names the field to fix rather than the option that looks unknown.
 */
export function refuseLaterOptions(root: FieldReader, o: FieldReader, names: readonly string[]): void {
  const later = names.filter((n) => o.has(n));
  if (later.length > 0) {
    root.fail('version', `is 1 (or absent), but options.${later[0]} exists only from format version 2: the file says version 2 if toJSON wrote it`);
  }
}

/** The layout of covariance-shaped arrays, for messages. */
export function layoutText(type: CovarianceType): string {
  return { full: 'nComponents · nFeatures · nFeatures', tied: 'nFeatures · nFeatures', diag: 'nComponents · nFeatures', spherical: 'nComponents' }[type];
}

/** Mixing weights: K values ≥ 0 summing to 1. */
export function readWeights(r: FieldReader, K: number): Float64Array {
  const w = r.numbers('weights', K, { min: 0 }, 'nComponents');
  let s = 0;
  for (const v of w) s += v;
  if (!(Math.abs(s - 1) <= WEIGHT_SUM_TOL)) r.fail(r.at('weights'), `must sum to 1; they sum to ${s}`);
  return w;
}

/**
 * Covariances and their precision Cholesky factors in the layout of `type`: checked for length,
 * symmetry and positive definiteness (Σ), triangularity and a positive diagonal (P), and P Pᵀ = Σ⁻¹.
 */
export function readCovariances(r: FieldReader, type: CovarianceType, K: number, D: number): { covariances: Float64Array; precisionsCholesky: Float64Array } {
  const size = covarianceSize(type, K, D);
  const why = `${layoutText(type)} for covarianceType '${type}'`;
  const covariances = r.numbers('covariances', size, {}, why);
  const precisionsCholesky = r.numbers('precisionsCholesky', size, {}, why);
  if (type === 'diag' || type === 'spherical') {
    for (let i = 0; i < size; i++) {
      if (!(covariances[i] > 0)) r.fail(r.at('covariances', i), `must be > 0 (a variance); got ${covariances[i]}`);
      const p = precisionsCholesky[i];
      if (!(p > 0)) r.fail(r.at('precisionsCholesky', i), `must be > 0 (1/√variance); got ${p}`);
      if (!(Math.abs(p * p * covariances[i] - 1) <= FACTOR_TOL)) {
        r.fail(r.at('precisionsCholesky', i), `must be 1/√covariances[${i}] = ${1 / Math.sqrt(covariances[i])}; got ${p}`);
      }
    }
  } else {
    const count = type === 'full' ? K : 1;
    for (let c = 0; c < count; c++) checkFactorPair(r, covariances, precisionsCholesky, c, D, count > 1);
  }
  return { covariances, precisionsCholesky };
}

/** Matrix c of the covariances (D × D) against matrix c of the precision factors. */
function checkFactorPair(r: FieldReader, cov: Float64Array, pc: Float64Array, c: number, D: number, many: boolean): void {
  const o = c * D * D;
  const which = many ? ` (matrix ${c})` : '';
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < i; j++) {
      const a = cov[o + i * D + j], b = cov[o + j * D + i];
      const scale = Math.sqrt(Math.abs(cov[o + i * D + i] * cov[o + j * D + j]));
      if (!(Math.abs(a - b) <= SYMMETRY_TOL * scale)) {
        r.fail(r.at('covariances', o + i * D + j), `must equal covariances[${o + j * D + i}]${which}: a covariance is symmetric; got ${a} and ${b}`);
      }
    }
  }
  const L = cholesky(cov.subarray(o, o + D * D), D);
  if (L === null) r.fail(r.at('covariances'), `must hold positive definite matrices; matrix ${c} is not`);
  const P = pc.subarray(o, o + D * D);
  let upper = true, lower = true;
  for (let i = 0; i < D; i++) {
    if (!(P[i * D + i] > 0)) r.fail(r.at('precisionsCholesky', o + i * D + i), `must be > 0 (a diagonal of a Cholesky factor)${which}; got ${P[i * D + i]}`);
    for (let j = 0; j < i; j++) {
      if (P[i * D + j] !== 0) upper = false;
      if (P[j * D + i] !== 0) lower = false;
    }
  }
  if (!upper && !lower) r.fail(r.at('precisionsCholesky'), `must hold triangular matrices (Cholesky factors); matrix ${c} is not`);
  // Σ = LLᵀ and precision = PPᵀ are inverse exactly when Q = LᵀP is orthogonal.
  const Q = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let t = i; t < D; t++) s += L![t * D + i] * P[t * D + j];
      Q[i * D + j] = s;
    }
  }
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < D; t++) s += Q[i * D + t] * Q[j * D + t];
      if (!(Math.abs(s - (i === j ? 1 : 0)) <= FACTOR_TOL)) {
        r.fail(r.at('precisionsCholesky'), `must be the Cholesky factors of the inverses of covariances; matrix ${c} is not (P Pᵀ Σ differs from the identity by ${Math.abs(s - (i === j ? 1 : 0)).toExponential(2)})`);
      }
    }
  }
}

/** Lower Cholesky factor of a symmetric matrix (reading its lower triangle), or null when not positive definite. */
function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Checks a symmetric positive definite D × D matrix field (a prior), or positive values for diag / spherical. */
export function readScaleMatrix(r: FieldReader, name: string, type: CovarianceType, D: number): Float64Array {
  const full = type === 'full' || type === 'tied';
  const size = full ? D * D : type === 'diag' ? D : 1;
  const v = r.numbers(name, size, full ? {} : { above: 0 }, full ? 'nFeatures · nFeatures' : type === 'diag' ? 'nFeatures' : 'one value for spherical');
  if (full) {
    for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) {
      const scale = Math.sqrt(Math.abs(v[i * D + i] * v[j * D + j]));
      if (!(Math.abs(v[i * D + j] - v[j * D + i]) <= SYMMETRY_TOL * scale)) r.fail(r.at(name, i * D + j), `must equal ${name}[${j * D + i}]: the matrix is symmetric; got ${v[i * D + j]} and ${v[j * D + i]}`);
    }
    if (cholesky(v, D) === null) r.fail(r.at(name), 'must be a positive definite matrix');
  }
  return v;
}

/** What a fit leaves besides the parameters. */
export interface ReadFitInfo {
  converged: boolean; nIter: number; lowerBound: number; lowerBoundHistory: number[];
}

/** converged, nIter, lowerBound (null: −Infinity, no iteration ran) and lowerBoundHistory. */
export function readFitInfo(r: FieldReader): ReadFitInfo {
  const converged = r.boolean('converged');
  const nIter = r.integer('nIter', 0);
  const lowerBound = r.nullableNumber('lowerBound');
  const lowerBoundHistory = Array.from(r.numbers('lowerBoundHistory', nIter, {}, 'nIter (one bound per iteration)'));
  // After a warm start with maxIter 0 the bound is the previous fit's, with no history.
  if (nIter > 0 && lowerBound !== lowerBoundHistory[nIter - 1]) {
    r.fail(r.at('lowerBound'), `must be the last value of lowerBoundHistory (${lowerBoundHistory[nIter - 1]}); got ${lowerBound}`);
  }
  return { converged, nIter, lowerBound: lowerBound ?? -Infinity, lowerBoundHistory };
}
