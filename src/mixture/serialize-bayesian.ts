/** Plain-JSON form of a fitted BayesianGaussianMixture: exact round trip (JSON numbers are exact doubles). */
import { readModelFile, type FieldReader } from '../runtime/model-file.js';
import { expectedWeights, WEIGHT_CONCENTRATION_PRIOR_TYPES, type BayesianParams, type BayesianPriors, type WeightConcentrationPriorType } from './bayesian.js';
import {
  readCovariances, readFitInfo, readMixtureOptions, readScaleMatrix, readVersion2Options, readWeights, refuseLaterOptions, VERSION2_OPTIONS,
} from './serialize-check.js';
import { DEFAULT_STEP_DECAY, DEFAULT_STEP_OFFSET } from './online.js';
import type { SavedMixtureOptions } from './serialize.js';
import type { CovarianceType, InitParams } from './types.js';

/** What `BayesianGaussianMixture.toJSON()` returns and `BayesianGaussianMixture.fromJSON()` takes. */
export interface BayesianGaussianMixtureJSON {
  /** Identifies the model in a file. */
  kind: 'BayesianGaussianMixture';
  /**
   * Format version: 2 since `missing`, `stepDecay`, `stepOffset` and `streamSize` joined the
   * options (version 1 files, and files without a version, still load, with those at their defaults).
   */
  version: 2;
  /** The model's options. */
  options: SavedMixtureOptions & {
    /** The prior on the weights. */
    weightConcentrationPriorType: WeightConcentrationPriorType;
    /** partialFit's stream size; null: the first batch's Σw (the default). */
    streamSize: number | null;
  };
  /** The resolved priors (the options they came from are implied by them). */
  priors: {
    /** α₀. */
    weightConcentrationPrior: number;
    /** β₀. */
    meanPrecisionPrior: number;
    /** m₀, D values. */
    meanPrior: number[];
    /** ν₀. */
    degreesOfFreedomPrior: number;
    /** Ψ₀: full and tied D·D, diag D, spherical 1 value. */
    covariancePrior: number[];
  };
  /** Number of features D it was fitted on. */
  nFeatures: number;
  /** E_q[π], K values. */
  weights: number[];
  /** Posterior means of the component means, K·D values. */
  means: number[];
  /** Covariances implied by q(Λ), flat as in GaussianMixtureJSON. */
  covariances: number[];
  /** Their precision Cholesky factors. */
  precisionsCholesky: number[];
  /** q(π): DP sticks (a_1…a_K, b_1…b_K) or Dirichlet (K). */
  weightConcentration: number[];
  /** β_k, K values. */
  meanPrecision: number[];
  /** ν_k, K values. */
  degreesOfFreedom: number[];
  /** Whether the fit converged. */
  converged: boolean;
  /** Iterations of the best initialisation. */
  nIter: number;
  /** null stands for −Infinity (no iteration ran), which JSON cannot hold. */
  lowerBound: number | null;
  /** The lower bound after each iteration. */
  lowerBoundHistory: number[];
}

interface FittedLike {
  params: BayesianParams;
  priors: BayesianPriors;
  nFeatures: number;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  lowerBoundHistory: number[];
}

type OptionsLike = Omit<BayesianGaussianMixtureJSON['options'], 'streamSize'> & { streamSize: number | undefined };

export function bayesianToJSON(o: OptionsLike, f: FittedLike): BayesianGaussianMixtureJSON {
  const {
    nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, weightConcentrationPriorType, warmStart, seed, missing, stepDecay, stepOffset,
  } = o;
  const p = f.params, pr = f.priors;
  return {
    kind: 'BayesianGaussianMixture',
    version: 2,
    options: {
      nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, weightConcentrationPriorType, warmStart, seed,
      missing, stepDecay, stepOffset, streamSize: o.streamSize ?? null,
    },
    priors: {
      weightConcentrationPrior: pr.weightConcentrationPrior, meanPrecisionPrior: pr.meanPrecisionPrior,
      meanPrior: Array.from(pr.meanPrior), degreesOfFreedomPrior: pr.degreesOfFreedomPrior, covariancePrior: Array.from(pr.covariancePrior),
    },
    nFeatures: f.nFeatures,
    weights: Array.from(p.weights),
    means: Array.from(p.means.data),
    covariances: Array.from(p.covariances),
    precisionsCholesky: Array.from(p.precisionsCholesky),
    weightConcentration: Array.from(p.weightConcentration),
    meanPrecision: Array.from(p.meanPrecision),
    degreesOfFreedom: Array.from(p.degreesOfFreedom),
    converged: f.converged,
    nIter: f.nIter,
    lowerBound: Number.isFinite(f.lowerBound) ? f.lowerBound : null,
    lowerBoundHistory: f.lowerBoundHistory.slice(),
  };
}

/**
 * Reads a saved BayesianGaussianMixture (any format version): options (priors included, so that
 * a refit with warmStart uses the same ones) and the fitted state, every field checked;
 * `logWeights` is left empty for the caller to recompute from the posterior.
 * @throws ModelFileError naming the field that is wrong
 */
export function bayesianFromJSON(json: unknown): { options: OptionsLike & BayesianGaussianMixtureJSON['priors']; fitted: FittedLike } {
  return readModelFile(json, 'BayesianGaussianMixture', [(r) => readFile(r, 1), (r) => readFile(r, 2)]);
}

/** |E_q[π] − weights| allowed: the saved weights are recomputed from the saved concentrations. */
const WEIGHTS_TOL = 1e-9;

/** Version 1: the format of elbo 0.1 (also files without a version); version 2 adds missing, stepDecay, stepOffset and streamSize to the options. */
function readFile(r: FieldReader, version: 1 | 2): { options: OptionsLike & BayesianGaussianMixtureJSON['priors']; fitted: FittedLike } {
  const o = r.object('options');
  if (version === 1) refuseLaterOptions(r, o, [...VERSION2_OPTIONS, 'streamSize']);
  const later = version === 2
    ? { ...readVersion2Options(o), streamSize: o.nullableNumber('streamSize', { above: 0 }) ?? undefined }
    : { missing: 'error' as const, stepDecay: DEFAULT_STEP_DECAY, stepOffset: DEFAULT_STEP_OFFSET, streamSize: undefined };
  const options = { ...readMixtureOptions(o), weightConcentrationPriorType: o.choice('weightConcentrationPriorType', WEIGHT_CONCENTRATION_PRIOR_TYPES), ...later };
  o.done();
  const K = options.nComponents, type = options.covarianceType, priorType = options.weightConcentrationPriorType;
  const D = r.integer('nFeatures', 1);
  const p = r.object('priors');
  const priors = {
    weightConcentrationPrior: p.number('weightConcentrationPrior', { above: 0 }),
    meanPrecisionPrior: p.number('meanPrecisionPrior', { above: 0 }),
    meanPrior: p.numbers('meanPrior', D, {}, 'nFeatures'),
    degreesOfFreedomPrior: p.number('degreesOfFreedomPrior', { above: D - 1 }),
    covariancePrior: readScaleMatrix(p, 'covariancePrior', type, D),
  };
  p.done();
  const weights = readWeights(r, K);
  const means = r.numbers('means', K * D, {}, `nComponents · nFeatures = ${K} · ${D}`);
  const { covariances, precisionsCholesky } = readCovariances(r, type, K, D);
  const dp = priorType === 'dirichlet_process';
  const weightConcentration = r.numbers('weightConcentration', dp ? 2 * K : K, { above: 0 }, dp ? `2 · nComponents for 'dirichlet_process'` : 'nComponents');
  const expected = expectedWeights(weightConcentration, priorType);
  for (let k = 0; k < K; k++) {
    if (!(Math.abs(expected[k] - weights[k]) <= WEIGHTS_TOL)) {
      r.fail(r.at('weights', k), `must be E_q[π_${k}] = ${expected[k]}, the expected weight under weightConcentration; got ${weights[k]}`);
    }
  }
  const meanPrecision = r.numbers('meanPrecision', K, { above: 0 }, 'nComponents');
  const degreesOfFreedom = r.numbers('degreesOfFreedom', type === 'tied' ? 1 : K, { above: D - 1 }, type === 'tied' ? "one value for 'tied'" : 'nComponents');
  return {
    options: { ...options, ...priors, meanPrior: Array.from(priors.meanPrior), covariancePrior: Array.from(priors.covariancePrior) },
    fitted: {
      params: {
        weights, means: { data: means, rows: K, cols: D }, covariances, precisionsCholesky,
        weightConcentration, meanPrecision, degreesOfFreedom, logWeights: new Float64Array(K),
      },
      priors: { weightConcentrationPriorType: priorType, ...priors },
      nFeatures: D,
      ...readFitInfo(r),
    },
  };
}
