/** Plain-JSON form of a fitted GaussianMixture: exact round trip (JSON numbers are exact doubles). */
import { readModelFile, type FieldReader } from '../runtime/model-file.js';
import type { MixtureOptions } from './base.js';
import { readCovariances, readFitInfo, readMixtureOptions, readWeights } from './serialize-check.js';
import type { CovarianceType, GaussianParams, InitParams } from './types.js';

/** The options a saved mixture keeps (callbacks and the engine are not saved). */
export type SavedMixtureOptions = Required<Pick<MixtureOptions,
  'nComponents' | 'covarianceType' | 'tol' | 'regCovar' | 'maxIter' | 'nInit' | 'initParams' | 'warmStart' | 'seed'>>;

/** What `GaussianMixture.toJSON()` returns and `GaussianMixture.fromJSON()` takes. */
export interface GaussianMixtureJSON {
  /** Identifies the model in a file. */
  kind: 'GaussianMixture';
  /** Format version: 1 (a file without one is read as version 1). */
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

/**
 * Reads a saved GaussianMixture (any format version), checking every field and the consistency
 * between them.
 * @throws ModelFileError naming the field that is wrong
 */
export function fromJSONParams(json: unknown): { options: OptionsLike; fitted: FittedLike } {
  return readModelFile(json, 'GaussianMixture', [readVersion1]);
}

/** Version 1: the format of elbo 0.1 (also files without a version). */
function readVersion1(r: FieldReader): { options: OptionsLike; fitted: FittedLike } {
  const o = r.object('options');
  const options = readMixtureOptions(o);
  o.done();
  const K = options.nComponents, type = options.covarianceType;
  const D = r.integer('nFeatures', 1);
  const weights = readWeights(r, K);
  const means = r.numbers('means', K * D, {}, `nComponents · nFeatures = ${K} · ${D}`);
  const { covariances, precisionsCholesky } = readCovariances(r, type, K, D);
  return {
    options,
    fitted: { params: { weights, means: { data: means, rows: K, cols: D }, covariances, precisionsCholesky }, nFeatures: D, ...readFitInfo(r) },
  };
}
