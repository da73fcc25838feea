/**
 * GaussianMixture: maximum-likelihood Gaussian mixtures by EM, with scikit-learn's options,
 * defaults and numbers, and wasm SIMD kernels for the E-step and the statistics.
 */
import { ShapeError } from '../runtime/errors.js';
import type { Matrix, MatrixLike } from '../runtime/matrix.js';
import type { MixtureEngine } from './engine.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import {
  checkFitOptions, MIXTURE_OPTION_KEYS, MIXTURE_RUNTIME_OPTION_KEYS, MixtureBase, type FitOptions, type MixtureFit, type MixtureOptions,
  type MixtureRuntimeOptions,
} from './base.js';
import {
  covariancesFromPrecisionCholesky, mergeStats, nParameters, parametersFromStats,
  precisionCholeskyFromCovariance, precisionCholeskyFromPrecision,
} from './gaussian.js';
import { setInitialResponsibilities, type InitData } from './init.js';
import { appended, checkStepOptions, RunningStats, type StepOptions } from './online.js';
import { Random } from '../runtime/random.js';
import { buildFromFile } from '../runtime/model-file.js';
import { fromJSONParams, toJSONParams, type GaussianMixtureJSON } from './serialize.js';
import type { GaussianParams, SufficientStats } from './types.js';
import { checkMeans, checkPrecisions, checkWeights } from './validate.js';

/** Options of {@link GaussianMixture}; names and defaults are scikit-learn's, camel-cased (stepDecay and stepOffset are `partialFit`'s). */
export interface GaussianMixtureOptions extends MixtureOptions, StepOptions {
  /** Initial weights (K, summing to 1). */
  weightsInit?: Float64Array | number[];
  /** Initial means (K × D). */
  meansInit?: MatrixLike;
  /** Initial precisions: full K·D·D, tied D·D, diag K·D, spherical K values, row-major. */
  precisionsInit?: Float64Array | number[];
}

const OPTION_KEYS = optionKeys<GaussianMixtureOptions>()([...MIXTURE_OPTION_KEYS, 'weightsInit', 'meansInit', 'precisionsInit', 'stepDecay', 'stepOffset']);

/**
 * A Gaussian mixture fitted by EM: q(z) is the exact posterior (the responsibilities), so the
 * bound equals the log-likelihood and never decreases.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture } from 'elbo-wasm';
 * await init();
 * const gm = new GaussianMixture({ nComponents: 3, seed: 1 }).fit(X); // X: number[][] or { data, rows, cols }
 * gm.predict(X);           // Int32Array of component labels
 * gm.lowerBoundHistory;    // mean log-likelihood after each iteration
 * ```
 */
export class GaussianMixture extends MixtureBase<GaussianParams, MixtureFit<GaussianParams>> {
  protected readonly kind = 'GaussianMixture';
  private readonly options: GaussianMixtureOptions;
  /** κ of partialFit's step sizes γ_t = (t + stepOffset)^(−stepDecay). */
  readonly stepDecay: number;
  /** t0 of partialFit's step sizes. */
  readonly stepOffset: number;
  private readonly schedule: { decay: number; offset: number };
  /** partialFit's running statistics and the number of updates after the first; null until partialFit runs. */
  private online: RunningStats | null = null;

  constructor(options: GaussianMixtureOptions = {}) {
    super(checkOptions(options, OPTION_KEYS, 'GaussianMixture'));
    this.options = options;
    this.schedule = checkStepOptions(options);
    this.stepDecay = this.schedule.decay;
    this.stepOffset = this.schedule.offset;
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
    this.runFit(X, options, (x, engine, rng, initData, w) => ({
      initialize: () => this.initialize(x, engine, rng, initData, w),
      iterate: (params) => {
        const { stats } = engine.eStepStats(params);
        return { params: this.mStepParams(stats), lowerBound: stats.logLik / stats.n };
      },
    }), () => ({}));
    this.online = null;
    return this;
  }

  /**
   * Online EM (stepwise EM, Cappé & Moulines 2009): one E-step on the batch under the current
   * parameters, its statistics s̄ per unit of weight, the running statistics
   * s ← (1 − γ_t) s + γ_t s̄ with γ_t = (t + stepOffset)^(−stepDecay) for the t-th call after the
   * first, then the M-step on s. The first call (or the first after `fit`/`fromJSON`) initialises
   * from its batch as `fit` does (initParams or weightsInit/meansInit/precisionsInit, seeded by
   * `seed`) and takes γ = 1: it equals `fit` with maxIter 1 on that batch. `lowerBound` and
   * `lowerBoundHistory` hold each batch's mean log-likelihood under the parameters before its
   * step; `nIter` counts the calls; `converged` stays false (a stream has no end to detect).
   * A call that throws leaves the model and the running statistics as they were.
   *
   * @example
   * ```ts
   * const gm = new GaussianMixture({ nComponents: 3, seed: 1 });
   * for (const batch of batches) gm.partialFit(batch);            // each batch: N_b × D
   * gm.partialFit(lastBatch, { sampleWeight: lastBatchWeights });  // weighted batches too
   * ```
   */
  partialFit(X: MatrixLike, options: FitOptions = {}): this {
    checkFitOptions(options, `${this.kind}.partialFit`);
    if (!this.online) return this.firstPartialFit(X, options);
    const f = this.state;
    const { engine } = this.openStreamBatch(X, options);
    let done = false;
    try {
      const { stats } = engine.eStepStats(f.params);
      const params = this.mStepParams(this.online.next(stats, this.schedule));
      const lowerBound = stats.logLik / stats.n;
      // Written out rather than spread from f: a spread costs microseconds per batch here.
      this.fitted = { params, nFeatures: f.nFeatures, nIter: f.nIter + 1, lowerBound, lowerBoundHistory: appended(f.lowerBoundHistory, lowerBound), converged: false };
      this.online.commit();
      done = true;
    } finally {
      this.closeStreamBatch(engine, done);
    }
    return this;
  }

  /** partialFit's first call: initialise from the batch, then one EM iteration on it (γ = 1). */
  private firstPartialFit(X: MatrixLike, options: FitOptions): this {
    const { x, w, engine, initData } = this.openFirstBatch(X, options);
    try {
      const start = this.initialize(x, engine, new Random(this.seed), initData, w);
      const { stats } = engine.eStepStats(start);
      const lowerBound = stats.logLik / stats.n;
      const params = this.mStepParams(stats);
      this.fitted = { params, nFeatures: x.cols, converged: false, nIter: 1, lowerBound, lowerBoundHistory: [lowerBound] };
      this.online = new RunningStats(stats);
    } finally {
      engine.release();
    }
    return this;
  }

  /** The initial parameters of a fit: from initParams' responsibilities, overridden by weightsInit/meansInit/precisionsInit. */
  private initialize(x: Matrix, engine: MixtureEngine, rng: Random, initData: InitData, w?: Float64Array): GaussianParams {
    const { nComponents: K, covarianceType: type } = this;
    const init = this.initialParams(x);
    const D = x.cols;
    // With weights, means and precisions all given, the initial responsibilities (k-means)
    // would be overridden entirely: skip them.
    const p = init.weights && init.means && init.precisions ? null : this.initialStepParams(initData, engine, rng, w);
    const weights = init.weights ?? p!.weights;
    const means = init.means ?? p!.means;
    if (!init.precisions) return { ...p!, weights, means };
    const pc = precisionCholeskyFromPrecision(init.precisions, type, K, D);
    return { weights, means, precisionsCholesky: pc, covariances: covariancesFromPrecisionCholesky(pc, type, K, D) };
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
    checkFitOptions(options, `${this.kind}.partialStats`);
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

  /**
   * A plain-JSON form of the options (missing and partialFit's stepDecay and stepOffset included)
   * and the fitted parameters; `fromJSON` restores it exactly. partialFit's running statistics are
   * not saved: the first partialFit after fromJSON starts a new stream.
   */
  toJSON(): GaussianMixtureJSON {
    return toJSONParams(this, this.state);
  }

  /**
   * Restores a model saved by `toJSON` (callbacks are not saved), after checking every field:
   * types, finiteness, lengths for nComponents, nFeatures and covarianceType, weights on the
   * simplex, covariances positive definite and precision factors that invert them. Files without
   * a `version` are read as version 1 (elbo 0.1's format, without `missing`, `stepDecay` and
   * `stepOffset`: they take their defaults).
   * @param runtime what a file does not hold: the callbacks and the engine (default: none, and 'wasm')
   * @throws ModelFileError (a ValueError) naming the field that is wrong, e.g. `means[5]`
   */
  static fromJSON(json: GaussianMixtureJSON, runtime: MixtureRuntimeOptions = {}): GaussianMixture {
    runtime = checkOptions(runtime, MIXTURE_RUNTIME_OPTION_KEYS, 'GaussianMixture.fromJSON');
    const { options, fitted } = fromJSONParams(json);
    const gm = buildFromFile('GaussianMixture', 'options', () => new GaussianMixture({ ...runtime, ...options }));
    gm.fitted = fitted;
    return gm;
  }

  /** The M-step from the initial responsibilities (initParams). */
  private initialStepParams(initData: InitData, engine: MixtureEngine, rng: Random, w?: Float64Array): GaussianParams {
    setInitialResponsibilities(engine, initData, this.nComponents, this.initParams, rng, w);
    return this.mStepParams(engine.stats(0));
  }

  private mStepParams(stats: SufficientStats): GaussianParams {
    const p = parametersFromStats(stats, this.regCovar);
    const pc = precisionCholeskyFromCovariance(p.covariances, this.covarianceType, this.nComponents, stats.nFeatures);
    return { weights: p.weights, means: p.means, covariances: p.covariances, precisionsCholesky: pc };
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
