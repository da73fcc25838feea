/** Plain-JSON form of a fitted BayesianGaussianMixture: exact round trip (JSON numbers are exact doubles). */
import { ValueError } from '../runtime/errors.js';
import type { BayesianParams, BayesianPriors, WeightConcentrationPriorType } from './bayesian.js';
import type { SavedMixtureOptions } from './serialize.js';
import type { CovarianceType, InitParams } from './types.js';

/** What `BayesianGaussianMixture.toJSON()` returns and `BayesianGaussianMixture.fromJSON()` takes. */
export interface BayesianGaussianMixtureJSON {
  /** Identifies the model in a file. */
  kind: 'BayesianGaussianMixture';
  /** Format version. */
  version: 1;
  /** The model's options. */
  options: SavedMixtureOptions & {
    /** The prior on the weights. */
    weightConcentrationPriorType: WeightConcentrationPriorType;
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

type OptionsLike = BayesianGaussianMixtureJSON['options'];

export function bayesianToJSON(o: OptionsLike, f: FittedLike): BayesianGaussianMixtureJSON {
  const { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, weightConcentrationPriorType, warmStart, seed } = o;
  const p = f.params, pr = f.priors;
  return {
    kind: 'BayesianGaussianMixture',
    version: 1,
    options: { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, weightConcentrationPriorType, warmStart, seed },
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
 * Options (priors included, so that a refit with warmStart uses the same ones) and the fitted
 * state; `logWeights` is left empty for the caller to recompute from the posterior.
 */
export function bayesianFromJSON(json: BayesianGaussianMixtureJSON): { options: OptionsLike & BayesianGaussianMixtureJSON['priors']; fitted: FittedLike } {
  if (!json || json.kind !== 'BayesianGaussianMixture' || json.version !== 1) {
    throw new ValueError(`json must be the output of BayesianGaussianMixture.toJSON() (kind 'BayesianGaussianMixture', version 1); got kind ${String(json?.kind)}, version ${String(json?.version)}`);
  }
  const K = json.options.nComponents;
  const D = json.nFeatures;
  const concentration = json.options.weightConcentrationPriorType === 'dirichlet_process' ? 2 * K : K;
  if (json.weights.length !== K || json.means.length !== K * D || json.weightConcentration.length !== concentration) {
    throw new ValueError(`json holds ${json.weights.length} weights, ${json.means.length} mean values and ${json.weightConcentration.length} concentrations; expected ${K}, ${K * D} and ${concentration}`);
  }
  const pr = json.priors;
  return {
    options: { ...json.options, ...pr },
    fitted: {
      params: {
        weights: Float64Array.from(json.weights),
        means: { data: Float64Array.from(json.means), rows: K, cols: D },
        covariances: Float64Array.from(json.covariances),
        precisionsCholesky: Float64Array.from(json.precisionsCholesky),
        weightConcentration: Float64Array.from(json.weightConcentration),
        meanPrecision: Float64Array.from(json.meanPrecision),
        degreesOfFreedom: Float64Array.from(json.degreesOfFreedom),
        logWeights: new Float64Array(K),
      },
      priors: {
        weightConcentrationPriorType: json.options.weightConcentrationPriorType,
        weightConcentrationPrior: pr.weightConcentrationPrior, meanPrecisionPrior: pr.meanPrecisionPrior,
        meanPrior: Float64Array.from(pr.meanPrior), degreesOfFreedomPrior: pr.degreesOfFreedomPrior,
        covariancePrior: Float64Array.from(pr.covariancePrior),
      },
      nFeatures: D,
      converged: json.converged,
      nIter: json.nIter,
      lowerBound: json.lowerBound ?? -Infinity,
      lowerBoundHistory: json.lowerBoundHistory.slice(),
    },
  };
}
