/**
 * GaussianMixture: maximum-likelihood Gaussian mixtures by EM, with scikit-learn's options,
 * defaults and numbers, and wasm SIMD kernels for the E-step and the statistics.
 */
import { ShapeError } from '../runtime/errors.js';
import type { Matrix, MatrixLike } from '../runtime/matrix.js';
import { checkFitOptions, MixtureBase, type FitOptions, type MixtureFit, type MixtureOptions } from './base.js';
import {
  covariancesFromPrecisionCholesky, mergeStats, nParameters, parametersFromStats,
  precisionCholeskyFromCovariance, precisionCholeskyFromPrecision,
} from './gaussian.js';
import { initialResponsibilities } from './init.js';
import { fromJSONParams, toJSONParams, type GaussianMixtureJSON } from './serialize.js';
import type { GaussianParams, SufficientStats } from './types.js';
import { checkMeans, checkPrecisions, checkWeights } from './validate.js';

/** Options of {@link GaussianMixture}; names and defaults are scikit-learn's, camel-cased. */
export interface GaussianMixtureOptions extends MixtureOptions {
  /** Initial weights (K, summing to 1). */
  weightsInit?: Float64Array | number[];
  /** Initial means (K × D). */
  meansInit?: MatrixLike;
  /** Initial precisions: full K·D·D, tied D·D, diag K·D, spherical K values, row-major. */
  precisionsInit?: Float64Array | number[];
}

/**
 * A Gaussian mixture fitted by EM: q(z) is the exact posterior (the responsibilities), so the
 * bound equals the log-likelihood and never decreases.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo';
 * await init();
 * const gm = new GaussianMixture({ nComponents: 3, seed: 1 }).fit(X); // X: number[][] or { data, rows, cols }
 * gm.predict(X);           // Int32Array of component labels
 * gm.lowerBoundHistory;    // mean log-likelihood after each iteration
 * ```
 */
export class GaussianMixture extends MixtureBase<GaussianParams, MixtureFit<GaussianParams>> {
  protected readonly kind = 'GaussianMixture';
  private readonly options: GaussianMixtureOptions;

  constructor(options: GaussianMixtureOptions = {}) {
    super(options);
    this.options = options;
    if (options.weightsInit !== undefined) checkWeights(options.weightsInit, this.nComponents);
  }

  /**
   * Fits the mixture to X (N × D, N ≥ max(2, nComponents)) and returns this. With
   * `sampleWeight` (N values, finite, ≥ 0, not all zero) row n counts w_n times in every
   * statistic: integer weights fit as duplicated rows, a zero weight as a removed row, and
   * `lowerBound` is the weighted mean log-likelihood Σ w log p(x) / Σ w.
   *
   * @example
   * ```ts
   * const gm = new GaussianMixture({ nComponents: 2 }).fit(X, { sampleWeight: counts });
   * ```
   */
  fit(X: MatrixLike, options: FitOptions = {}): this {
    const { nComponents: K, covarianceType: type } = this;
    return this.runFit(X, options, (x, engine, rng, centredX) => {
      const init = this.initialParams(x);
      const D = x.cols;
      return {
        initialize: () => {
          engine.setResponsibilities(initialResponsibilities(centredX, K, this.initParams, rng));
          const p = this.mStepParams(engine.stats(0));
          const weights = init.weights ?? p.weights;
          const means = init.means ?? p.means;
          if (!init.precisions) return { ...p, weights, means };
          const pc = precisionCholeskyFromPrecision(init.precisions, type, K, D);
          return { weights, means, precisionsCholesky: pc, covariances: covariancesFromPrecisionCholesky(pc, type, K, D) };
        },
        iterate: (params) => {
          const { stats } = engine.eStepStats(params);
          return { params: this.mStepParams(stats), lowerBound: stats.logLik / stats.n };
        },
      };
    }, () => ({}));
  }

  /** Bayesian information criterion: −2·log-likelihood + p·log N (lower is better); weighted: −2 Σ w log p(x) + p·log Σ w. */
  bic(X: MatrixLike, options: FitOptions = {}): number {
    const { total, n } = this.totalScore(X, options, 'bic');
    return -2 * total + this.nParameters() * Math.log(n);
  }

  /** Akaike information criterion: −2·log-likelihood + 2p (lower is better); weighted: −2 Σ w log p(x) + 2p. */
  aic(X: MatrixLike, options: FitOptions = {}): number {
    return -2 * this.totalScore(X, options, 'aic').total + 2 * this.nParameters();
  }

  /** Number of free parameters of the fitted model. */
  nParameters(): number {
    return nParameters(this.covarianceType, this.nComponents, this.state.nFeatures);
  }

  /** Sufficient statistics of one E-step on a shard of data, under the current parameters (weighted by `sampleWeight`: then `n` is Σ w). */
  partialStats(X: MatrixLike, options: FitOptions = {}): SufficientStats {
    checkFitOptions(options, 'partialStats');
    const { engine } = this.open(X, options);
    try {
      return engine.eStepStats(this.state.params).stats;
    } finally {
      engine.release();
    }
  }

  /** Combines the statistics of two shards (associative and commutative). */
  static mergeStats(a: SufficientStats, b: SufficientStats): SufficientStats {
    return mergeStats(a, b);
  }

  /** The M-step: sets the parameters from (merged) statistics and returns this. */
  mStep(stats: SufficientStats): this {
    const f = this.state;
    if (stats.nComponents !== this.nComponents || stats.nFeatures !== f.nFeatures || stats.covarianceType !== this.covarianceType) {
      throw new ShapeError(`stats must be for ${this.covarianceType} K=${this.nComponents} D=${f.nFeatures}; got ${stats.covarianceType} K=${stats.nComponents} D=${stats.nFeatures}`);
    }
    this.fitted = { ...f, params: this.mStepParams(stats) };
    return this;
  }

  /** A plain-JSON form of the options and fitted parameters; `fromJSON` restores it exactly. */
  toJSON(): GaussianMixtureJSON {
    return toJSONParams(this, this.state);
  }

  /** Restores a model saved by `toJSON` (callbacks are not saved). */
  static fromJSON(json: GaussianMixtureJSON): GaussianMixture {
    const { options, fitted } = fromJSONParams(json);
    const gm = new GaussianMixture(options);
    gm.fitted = fitted;
    return gm;
  }

  private mStepParams(stats: SufficientStats): GaussianParams {
    const p = parametersFromStats(stats, this.regCovar);
    const pc = precisionCholeskyFromCovariance(p.covariances, this.covarianceType, this.nComponents, stats.nFeatures);
    return { ...p, precisionsCholesky: pc };
  }

  private initialParams(x: Matrix): { weights?: Float64Array; means?: Matrix<Float64Array>; precisions?: Float64Array } {
    const { weightsInit, meansInit, precisionsInit } = this.options;
    const K = this.nComponents, D = x.cols;
    return {
      weights: weightsInit !== undefined ? checkWeights(weightsInit, K) : undefined,
      means: meansInit !== undefined ? checkMeans(meansInit, K, D) : undefined,
      precisions: precisionsInit !== undefined ? checkPrecisions(precisionsInit, this.covarianceType, K, D) : undefined,
    };
  }
}
