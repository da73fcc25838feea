/**
 * Plain-JSON form of fitted HMMs (format version 1): exact round trip (JSON numbers are exact
 * doubles). fromJSON checks every field — kind, version, option values (through the
 * constructor), shapes, probabilities that sum to 1, positive-definite covariances — and
 * answers a bad file with a typed error naming the field.
 */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe } from '../runtime/matrix.js';
import type { CovarianceType } from '../mixture/types.js';
import type { HMMFit } from './base.js';
import type { GaussianEmission } from './emission-gaussian.js';
import { checkCovars, precisionsOf } from './gaussian-emission.js';
import { checkProbabilities, checkStochasticMatrix } from './validate.js';

/** The options a saved HMM keeps (callbacks, initial values and the engine are not saved). */
export interface SavedHMMOptions {
  /** Number of hidden states K. */
  nComponents: number;
  /** Baum-Welch iterations at most. */
  nIter: number;
  /** Convergence tolerance. */
  tol: number;
  /** Seed of initialisation and sampling. */
  seed: number;
  /** Parameters Baum-Welch updates. */
  params: string;
  /** Parameters fit initialises. */
  initParams: string;
}

/** Fields every saved HMM has. */
interface HMMJSONBase {
  /** Format version. */
  version: 1;
  /** Initial state distribution, K values. */
  startProb: number[];
  /** Transition matrix, K·K values, row-major. */
  transMat: number[];
  /** Whether the fit converged. */
  converged: boolean;
  /** Iterations the fit ran. */
  nIter: number;
  /** Total log-likelihood of each E-step. */
  lowerBoundHistory: number[];
}

/** What `GaussianHMM.toJSON()` returns and `GaussianHMM.fromJSON()` takes. */
export interface GaussianHMMJSON extends HMMJSONBase {
  /** Identifies the model in a file. */
  kind: 'GaussianHMM';
  /** The model's options. */
  options: SavedHMMOptions & {
    /** Covariance parametrisation. */
    covarianceType: CovarianceType;
    /** Floor added to the covariances' diagonal. */
    minCovar: number;
  };
  /** Number of features D. */
  nFeatures: number;
  /** Means, K·D values, row-major. */
  means: number[];
  /** Covariances in GaussianMixture's layout. */
  covars: number[];
}

/** What `CategoricalHMM.toJSON()` returns and `CategoricalHMM.fromJSON()` takes. */
export interface CategoricalHMMJSON extends HMMJSONBase {
  /** Identifies the model in a file. */
  kind: 'CategoricalHMM';
  /** The model's options, with the number of symbols. */
  options: SavedHMMOptions & {
    /** Number of symbols F. */
    nFeatures: number;
  };
  /** Emission probabilities, K·nFeatures values, row-major. */
  emissionProb: number[];
}

interface ModelLike {
  nComponents: number;
  maxIter: number;
  tol: number;
  seed: number;
  params: string;
  initParams: string;
}

function savedOptions(m: ModelLike): SavedHMMOptions {
  return { nComponents: m.nComponents, nIter: m.maxIter, tol: m.tol, seed: m.seed, params: m.params, initParams: m.initParams };
}

function base<E>(m: ModelLike, fit: HMMFit<E>): HMMJSONBase {
  return {
    version: 1, startProb: Array.from(fit.params.startProb), transMat: Array.from(fit.params.transMat),
    converged: fit.converged, nIter: fit.nIter, lowerBoundHistory: fit.lowerBoundHistory.slice(),
  };
}

export function gaussianToJSON(m: ModelLike & { covarianceType: CovarianceType; minCovar: number }, nFeatures: number, fit: HMMFit<GaussianEmission>): GaussianHMMJSON {
  const e = fit.params.emission;
  return {
    kind: 'GaussianHMM', ...base(m, fit), options: { ...savedOptions(m), covarianceType: m.covarianceType, minCovar: m.minCovar },
    nFeatures, means: Array.from(e.means.data), covars: Array.from(e.covariances),
  };
}

export function categoricalToJSON(m: ModelLike & { nFeatures: number }, fit: HMMFit<Float64Array>): CategoricalHMMJSON {
  return { kind: 'CategoricalHMM', ...base(m, fit), options: { ...savedOptions(m), nFeatures: m.nFeatures }, emissionProb: Array.from(fit.params.emission) };
}

function object(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValueError(`${name} must be an object; got ${describe(v)}`);
  return v as Record<string, unknown>;
}

function header(json: unknown, kind: string): Record<string, unknown> {
  const j = object(json, 'json');
  if (j.kind !== kind) throw new ValueError(`json.kind must be '${kind}'; got ${describe(j.kind)}`);
  if (j.version !== 1) throw new ValueError(`json.version must be 1 (the only format this version reads); got ${describe(j.version)}`);
  object(j.options, 'json.options');
  return j;
}

function numbers(v: unknown, name: string, length: number): Float64Array {
  if (!Array.isArray(v)) throw new ShapeError(`${name} must be an array of numbers; got ${describe(v)}`);
  if (v.length !== length) throw new ShapeError(`${name} must hold ${length} values; got ${v.length}`);
  const out = new Float64Array(length);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValueError(`${name}[${i}] must be a finite number; got ${describe(x)}`);
    out[i] = x;
  });
  return out;
}

/** The fit fields shared by both kinds; the options were already checked by the model's constructor. */
function fitFields<E>(j: Record<string, unknown>, K: number, emission: E): HMMFit<E> {
  if (typeof j.converged !== 'boolean') throw new ValueError(`json.converged must be a boolean; got ${describe(j.converged)}`);
  if (typeof j.nIter !== 'number' || !Number.isInteger(j.nIter) || j.nIter < 0) throw new ValueError(`json.nIter must be an integer ≥ 0; got ${describe(j.nIter)}`);
  const history = Array.isArray(j.lowerBoundHistory) ? numbers(j.lowerBoundHistory, 'json.lowerBoundHistory', j.lowerBoundHistory.length) : numbers(j.lowerBoundHistory, 'json.lowerBoundHistory', 0);
  return {
    params: {
      startProb: checkProbabilities(numbers(j.startProb, 'json.startProb', K), 'json.startProb', K),
      transMat: checkStochasticMatrix(numbers(j.transMat, 'json.transMat', K * K), 'json.transMat', K, K),
      emission,
    },
    converged: j.converged, nIter: j.nIter, lowerBoundHistory: Array.from(history),
  };
}

/** Options for the constructor (which validates them) from a saved file. */
function options(j: Record<string, unknown>): Record<string, unknown> {
  const o = j.options as Record<string, unknown>;
  return { nComponents: o.nComponents, nIter: o.nIter, tol: o.tol, seed: o.seed, params: o.params, initParams: o.initParams };
}

export function gaussianFromJSON(json: unknown) {
  const j = header(json, 'GaussianHMM');
  const o = j.options as Record<string, unknown>;
  const opts = { ...options(j), covarianceType: o.covarianceType as CovarianceType, minCovar: o.minCovar as number } as {
    nComponents: number; covarianceType: CovarianceType; minCovar: number;
  };
  const K = opts.nComponents, type = opts.covarianceType;
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 1) throw new ValueError(`json.options.nComponents must be an integer ≥ 1; got ${describe(K)}`);
  const D = j.nFeatures;
  if (typeof D !== 'number' || !Number.isInteger(D) || D < 1) throw new ValueError(`json.nFeatures must be an integer ≥ 1; got ${describe(D)}`);
  if (!['full', 'tied', 'diag', 'spherical'].includes(type)) throw new ValueError(`json.options.covarianceType must be one of 'full', 'tied', 'diag', 'spherical'; got ${describe(type)}`);
  const means = numbers(j.means, 'json.means', K * D);
  const covariances = checkCovars(Array.from(numbers(j.covars, 'json.covars', j.covars && Array.isArray(j.covars) ? j.covars.length : 0)), type, K, D, 'json.covars');
  const emission: GaussianEmission = { means: { data: means, rows: K, cols: D }, covariances, precisionsCholesky: precisionsOf(covariances, type, K, D, 'json.covars') };
  return { options: opts, nFeatures: D, fit: fitFields(j, K, emission) };
}

export function categoricalFromJSON(json: unknown) {
  const j = header(json, 'CategoricalHMM');
  const o = j.options as Record<string, unknown>;
  const opts = { ...options(j), nFeatures: o.nFeatures } as { nComponents: number; nFeatures: number };
  const K = opts.nComponents, F = opts.nFeatures;
  if (typeof K !== 'number' || !Number.isInteger(K) || K < 1) throw new ValueError(`json.options.nComponents must be an integer ≥ 1; got ${describe(K)}`);
  if (typeof F !== 'number' || !Number.isInteger(F) || F < 1) throw new ValueError(`json.options.nFeatures must be an integer ≥ 1; got ${describe(F)}`);
  const emission = checkStochasticMatrix(numbers(j.emissionProb, 'json.emissionProb', K * F), 'json.emissionProb', K, F);
  return { options: opts, fit: fitFields(j, K, emission) };
}
