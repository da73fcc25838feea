/** Plain-JSON form of a fitted GaussianMixture: exact round trip (JSON numbers are exact doubles). */
import { readModelFile, type FieldReader } from '../runtime/model-file.js';
import type { MixtureOptions } from './base.js';
import {
  readCovariances, readFitInfo, readMixtureOptions, readVersion2Options, readWeights, refuseLaterOptions, VERSION2_OPTIONS,
} from './serialize-check.js';
import { DEFAULT_STEP_DECAY, DEFAULT_STEP_OFFSET } from './online.js';
import type { MissingPolicy } from './missing.js';
import type { CovarianceType, GaussianParams, InitParams } from './types.js';

/** The options a saved mixture keeps (callbacks and the engine are not saved). */
export type SavedMixtureOptions = Required<Pick<MixtureOptions,
  'nComponents' | 'covarianceType' | 'tol' | 'regCovar' | 'maxIter' | 'nInit' | 'initParams' | 'warmStart' | 'seed' | 'missing'>> & {
  /** partialFit's κ. */
  stepDecay: number;
  /** partialFit's t0. */
  stepOffset: number;
};

/** What `GaussianMixture.toJSON()` returns and `GaussianMixture.fromJSON()` takes. */
export interface GaussianMixtureJSON {
  /** Identifies the model in a file. */
  kind: 'GaussianMixture';
  /**
   * Format version: 2 since `missing`, `stepDecay` and `stepOffset` joined the options (version
   * 1 files, and files without a version, still load, with those options at their defaults).
   */
  version: 2;
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
  nInit: number; initParams: InitParams; warmStart: boolean; seed: number; missing: MissingPolicy; stepDecay: number; stepOffset: number;
}

export function toJSONParams(o: OptionsLike, f: FittedLike): GaussianMixtureJSON {
  const { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, warmStart, seed, missing, stepDecay, stepOffset } = o;
  return {
    kind: 'GaussianMixture',
    version: 2,
    options: { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, warmStart, seed, missing, stepDecay, stepOffset },
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
  return readModelFile(json, 'GaussianMixture', [(r) => readFile(r, 1), (r) => readFile(r, 2)]);
}

/** Version 1: the format of elbo 0.1 (also files without a version); version 2 adds missing, stepDecay and stepOffset to the options. */
function readFile(r: FieldReader, version: 1 | 2): { options: OptionsLike; fitted: FittedLike } {
  const o = r.object('options');
  if (version === 1) refuseLaterOptions(r, o, VERSION2_OPTIONS);
  const options = {
    ...readMixtureOptions(o),
    ...(version === 2 ? readVersion2Options(o) : { missing: 'error' as const, stepDecay: DEFAULT_STEP_DECAY, stepOffset: DEFAULT_STEP_OFFSET }),
  };
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
