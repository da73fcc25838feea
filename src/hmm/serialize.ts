/**
 * Plain-JSON form of fitted HMMs (format version 1): exact round trip (JSON numbers are exact
 * doubles). fromJSON checks every field — kind, version, option values (through the
 * constructor), shapes, probabilities that sum to 1, positive-definite covariances — and
 * answers a bad file with a typed error naming the field.
 */
import { buildFromFile, readModelFile, type FieldReader } from '../runtime/model-file.js';
import { covarianceSize } from '../mixture/gaussian.js';
import type { CovarianceType } from '../mixture/types.js';
import type { HMMFit } from './base.js';
import type { GaussianEmission } from './emission-gaussian.js';
import { checkCovars, precisionsOf } from './gaussian-emission.js';
import { checkProbabilities, checkStochasticMatrix, letterSubsets } from './validate.js';

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

const KINDS = ['full', 'tied', 'diag', 'spherical'] as const;

/** The options every saved HMM has; the letters are read in their canonical spelling. */
function readBaseOptions(o: FieldReader, letters: string): SavedHMMOptions {
  return {
    nComponents: o.integer('nComponents', 1), nIter: o.integer('nIter', 0), tol: o.number('tol', { min: 0 }),
    seed: o.integer('seed', -Number.MAX_SAFE_INTEGER), params: o.choice('params', letterSubsets(letters)),
    initParams: o.choice('initParams', letterSubsets(letters)),
  };
}

/** π, A and the fit's record, checked: probabilities that sum to 1 (rows of A too). */
function readFit<E>(r: FieldReader, kind: string, K: number, emission: E): HMMFit<E> {
  const startProb = r.numbers('startProb', K, { min: 0, max: 1 }, 'nComponents');
  const transMat = r.numbers('transMat', K * K, { min: 0, max: 1 }, `nComponents² = ${K}²`);
  buildFromFile(kind, 'startProb', () => checkProbabilities(startProb, 'startProb', K));
  buildFromFile(kind, 'transMat', () => checkStochasticMatrix(transMat, 'transMat', K, K));
  const converged = r.boolean('converged');
  const nIter = r.integer('nIter', 0);
  const lowerBoundHistory = Array.from(r.numbers('lowerBoundHistory'));
  return { params: { startProb, transMat, emission }, converged, nIter, lowerBoundHistory };
}

/** Reads a saved GaussianHMM (any format version), every field checked. @throws ModelFileError naming the field */
export function gaussianFromJSON(json: unknown) {
  return readModelFile(json, 'GaussianHMM', [(r) => {
    const o = r.object('options');
    const options = { ...readBaseOptions(o, 'stmc'), covarianceType: o.choice('covarianceType', KINDS), minCovar: o.number('minCovar', { min: 0 }) };
    o.done();
    const K = options.nComponents, type = options.covarianceType;
    const D = r.integer('nFeatures', 1);
    const means = r.numbers('means', K * D, {}, `nComponents · nFeatures = ${K} · ${D}`);
    const covars = r.numbers('covars', covarianceSize(type, K, D), {}, `the ${type} layout for K = ${K}, D = ${D}`);
    const covariances = buildFromFile('GaussianHMM', 'covars', () => checkCovars(covars, type, K, D, 'covars'));
    const emission: GaussianEmission = { means: { data: means, rows: K, cols: D }, covariances, precisionsCholesky: precisionsOf(covariances, type, K, D, 'covars') };
    return { options, nFeatures: D, fit: readFit(r, 'GaussianHMM', K, emission) };
  }]);
}

/** Reads a saved CategoricalHMM (any format version), every field checked. @throws ModelFileError naming the field */
export function categoricalFromJSON(json: unknown) {
  return readModelFile(json, 'CategoricalHMM', [(r) => {
    const o = r.object('options');
    const options = { ...readBaseOptions(o, 'ste'), nFeatures: o.integer('nFeatures', 1) };
    o.done();
    const K = options.nComponents, F = options.nFeatures;
    const e = r.numbers('emissionProb', K * F, { min: 0, max: 1 }, `nComponents · nFeatures = ${K} · ${F}`);
    const emission = buildFromFile('CategoricalHMM', 'emissionProb', () => checkStochasticMatrix(e, 'emissionProb', K, F));
    return { options, fit: readFit(r, 'CategoricalHMM', K, emission) };
  }]);
}
