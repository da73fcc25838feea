/** Plain-JSON form of a fitted GaussianMixture: exact round trip (JSON numbers are exact doubles). */
import { ValueError } from '../runtime/errors.js';
import type { MixtureOptions } from './base.js';
import type { CovarianceType, GaussianParams, InitParams } from './types.js';

/** The options a saved mixture keeps (callbacks and the engine are not saved). */
export type SavedMixtureOptions = Required<Pick<MixtureOptions,
  'nComponents' | 'covarianceType' | 'tol' | 'regCovar' | 'maxIter' | 'nInit' | 'initParams' | 'warmStart' | 'seed'>>;

/** What `GaussianMixture.toJSON()` returns and `GaussianMixture.fromJSON()` takes. */
export interface GaussianMixtureJSON {
  /** Identifies the model in a file. */
  kind: 'GaussianMixture';
  /** Format version. */
  version: 1;
  /** The model's options. */
  options: SavedMixtureOptions;
  /** Number of features D it was fitted on. */
  nFeatures: number;
  /** Mixing weights, K values. */
  weights: number[];
  /** Means, K·D values, row-major. */
  means: number[];
  /** Covariances, flat: full K·D·D, tied D·D, diag K·D, spherical K. */
  covariances: number[];
  /** Cholesky factors of the precisions, laid out as `covariances`. */
  precisionsCholesky: number[];
  /** Whether the fit converged. */
  converged: boolean;
  /** Iterations of the best initialisation. */
  nIter: number;
  /** null stands for −Infinity (no iteration ran), which JSON cannot hold. */
  lowerBound: number | null;
  /** The bound after each iteration. */
  lowerBoundHistory: number[];
}

interface FittedLike {
  params: GaussianParams;
  nFeatures: number;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  lowerBoundHistory: number[];
}

interface OptionsLike {
  nComponents: number; covarianceType: CovarianceType; tol: number; regCovar: number; maxIter: number;
  nInit: number; initParams: InitParams; warmStart: boolean; seed: number;
}

export function toJSONParams(o: OptionsLike, f: FittedLike): GaussianMixtureJSON {
  const { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, warmStart, seed } = o;
  return {
    kind: 'GaussianMixture',
    version: 1,
    options: { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, warmStart, seed },
    nFeatures: f.nFeatures,
    weights: Array.from(f.params.weights),
    means: Array.from(f.params.means.data),
    covariances: Array.from(f.params.covariances),
    precisionsCholesky: Array.from(f.params.precisionsCholesky),
    converged: f.converged,
    nIter: f.nIter,
    lowerBound: Number.isFinite(f.lowerBound) ? f.lowerBound : null,
    lowerBoundHistory: f.lowerBoundHistory.slice(),
  };
}

export function fromJSONParams(json: GaussianMixtureJSON): { options: OptionsLike; fitted: FittedLike } {
  if (!json || json.kind !== 'GaussianMixture' || json.version !== 1) {
    throw new ValueError(`json must be the output of GaussianMixture.toJSON() (kind 'GaussianMixture', version 1); got kind ${String(json?.kind)}, version ${String(json?.version)}`);
  }
  const K = json.options.nComponents;
  const D = json.nFeatures;
  if (json.weights.length !== K || json.means.length !== K * D) {
    throw new ValueError(`json holds ${json.weights.length} weights and ${json.means.length} mean values; expected ${K} and ${K * D}`);
  }
  return {
    options: json.options,
    fitted: {
      params: {
        weights: Float64Array.from(json.weights),
        means: { data: Float64Array.from(json.means), rows: K, cols: D },
        covariances: Float64Array.from(json.covariances),
        precisionsCholesky: Float64Array.from(json.precisionsCholesky),
      },
      nFeatures: D,
      converged: json.converged,
      nIter: json.nIter,
      lowerBound: json.lowerBound ?? -Infinity,
      lowerBoundHistory: json.lowerBoundHistory.slice(),
    },
  };
}
