/**
 * BayesianGaussianMixture: mean-field variational inference for Gaussian mixtures, with
 * scikit-learn's options, defaults and numbers. The same EM loop (em.ts) and the same E-step and
 * statistics engines as GaussianMixture; only the family math differs (bayesian.ts).
 */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type MatrixLike } from '../runtime/matrix.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import {
  checkFitOptions, MIXTURE_OPTION_KEYS, MIXTURE_RUNTIME_OPTION_KEYS, MixtureBase, type FitOptions, type MixtureFit, type MixtureOptions,
  type MixtureRuntimeOptions,
} from './base.js';
import { appended, checkStepOptions, RunningStats, scaleStats, type StepOptions } from './online.js';
import { mergeStats } from './gaussian.js';
import { Random } from '../runtime/random.js';
import type { SufficientStats } from './types.js';
import {
  variationalLogWeights, variationalLowerBound, variationalUpdate, WEIGHT_CONCENTRATION_PRIOR_TYPES,
  type BayesianParams, type BayesianPriors, type WeightConcentrationPriorType,
} from './bayesian.js';
import { setInitialResponsibilities } from './init.js';
import { checkPriorOptions, resolvePriors, type PriorValue } from './priors.js';
import { buildFromFile } from '../runtime/model-file.js';
import { bayesianFromJSON, bayesianToJSON, type BayesianGaussianMixtureJSON } from './serialize-bayesian.js';
import { checkChoice } from './validate.js';

/** Options of {@link BayesianGaussianMixture}; names and defaults are scikit-learn's, camel-cased (stepDecay, stepOffset and streamSize are `partialFit`'s). */
export interface BayesianGaussianMixtureOptions extends MixtureOptions, StepOptions {
  /**
   * N, the total weight of the stream `partialFit` sees (stochastic variational inference scales
   * each batch's statistics to N rows, so the posterior weighs the priors against the whole
   * stream); default the first batch's Σw.
   */
  streamSize?: number;
  /** The prior on the weights (default 'dirichlet_process', stick-breaking). */
  weightConcentrationPriorType?: WeightConcentrationPriorType;
  /** α₀ > 0: small values favour few active components (default 1/nComponents). */
  weightConcentrationPrior?: number;
  /** β₀ > 0: the precision of the prior on the means, in units of Λ_k (default 1). */
  meanPrecisionPrior?: number;
  /** m₀ (D values): the prior mean of the means (default the mean of X). */
  meanPrior?: Float64Array | number[];
  /** ν₀ > D − 1: the Wishart prior's degrees of freedom (default D). */
  degreesOfFreedomPrior?: number;
  /**
   * Ψ₀, the Wishart prior's scale as a covariance: full/tied a D × D SPD matrix (number[][], a
   * Matrix or D·D values), diag D positive values, spherical one positive number (default the
   * sample covariance of X, ddof 1, reduced to the type).
   */
  covariancePrior?: PriorValue;
  /** Start every initialisation from these responsibilities (N × K, rows summing to 1) instead of `initParams`. */
  initResponsibilities?: MatrixLike;
}

const OPTION_KEYS = optionKeys<BayesianGaussianMixtureOptions>()([
  ...MIXTURE_OPTION_KEYS, 'weightConcentrationPriorType', 'weightConcentrationPrior', 'meanPrecisionPrior', 'meanPrior',
  'degreesOfFreedomPrior', 'covariancePrior', 'initResponsibilities', 'stepDecay', 'stepOffset', 'streamSize',
]);

/** Statistics of one variational E-step over (a shard of) the data: {@link SufficientStats} of q(z) and Σ_n Σ_k r_nk log r_nk. */
export interface BayesianStats extends SufficientStats {
  /** Σ_n Σ_k r_nk log r_nk (≤ 0), the entropy of q(z) with its sign flipped. */
  sumRespLogResp: number;
}

interface Fitted extends MixtureFit<BayesianParams> {
  priors: BayesianPriors;
}

/** Rows of initResponsibilities must sum to 1 within this. */
const RESP_SUM_TOL = 1e-6;

/**
 * A Gaussian mixture fitted by mean-field variational inference: q(z) q(π) q(μ, Λ), with a
 * Dirichlet-process (stick-breaking) or Dirichlet prior on the weights and Gaussian–Wishart priors
 * on the components. Each iteration updates q(z) (the E-step: responsibilities from expected log
 * densities), then q(π, μ, Λ), and reports the lower bound, which never decreases. With a large
 * `nComponents` and a small `weightConcentrationPrior`, surplus components are left with weights
 * near 0: the data choose the number of components.
 *
 * @example
 * ```ts
 * import { init, BayesianGaussianMixture } from 'elbo-wasm';
 * await init();
 * const bgm = new BayesianGaussianMixture({ nComponents: 10, weightConcentrationPrior: 0.01, seed: 1 }).fit(X);
 * bgm.weights;             // most of the 10 near 0 when the data have fewer clusters
 * bgm.predict(X);          // Int32Array of component labels
 * bgm.lowerBoundHistory;   // the (non-decreasing) lower bound after each iteration
 * ```
 */
export class BayesianGaussianMixture extends MixtureBase<BayesianParams, Fitted> {
  protected readonly kind = 'BayesianGaussianMixture';
  /** The prior on the weights. */
  readonly weightConcentrationPriorType: WeightConcentrationPriorType;
  private readonly options: BayesianGaussianMixtureOptions;
  /** κ of partialFit's step sizes γ_t = (t + stepOffset)^(−stepDecay). */
  readonly stepDecay: number;
  /** t0 of partialFit's step sizes. */
  readonly stepOffset: number;
  /** The total weight of the stream partialFit sees (undefined: the first batch's Σw). */
  readonly streamSize: number | undefined;
  private readonly schedule: { decay: number; offset: number };
  /** partialFit's running statistics (scaled to streamSize rows) and the number of updates after the first; null until partialFit runs. */
  private online: RunningStats | null = null;

  constructor(options: BayesianGaussianMixtureOptions = {}) {
    super(checkOptions(options, OPTION_KEYS, 'BayesianGaussianMixture'));
    this.options = options;
    this.schedule = checkStepOptions(options);
    if (options.streamSize !== undefined && !(typeof options.streamSize === 'number' && options.streamSize > 0 && Number.isFinite(options.streamSize))) {
      throw new ValueError(`streamSize must be a finite number > 0; got ${describe(options.streamSize)}`);
    }
    this.stepDecay = this.schedule.decay;
    this.stepOffset = this.schedule.offset;
    this.streamSize = options.streamSize;
    this.weightConcentrationPriorType = checkChoice(
      options.weightConcentrationPriorType ?? 'dirichlet_process', 'weightConcentrationPriorType', WEIGHT_CONCENTRATION_PRIOR_TYPES,
    );
    checkPriorOptions(options);
  }

  /**
   * Fits the posterior to X (N × D, N ≥ max(2, nComponents)) and returns this. With
   * `sampleWeight` (N values, finite, ≥ 0, not all zero) row n counts w_n times in every
   * statistic and in the default priors (m₀ the weighted mean, Ψ₀ the frequency-weighted
   * covariance, over Σw − 1): integer weights fit as duplicated rows, a zero weight as a removed row.
   *
   * @example
   * ```ts
   * const bgm = new BayesianGaussianMixture({ nComponents: 5 }).fit(X, { sampleWeight: counts });
   * ```
   */
  fit(X: MatrixLike, options: FitOptions = {}): this {
    const { nComponents: K, covarianceType: type, weightConcentrationPriorType: priorType } = this;
    let priors: BayesianPriors;
    this.runFit(X, options, (x, engine, rng, initData, w) => {
      const startResp = this.options.initResponsibilities !== undefined ? checkResponsibilities(this.options.initResponsibilities, x.rows, K) : null;
      return {
        initialize: () => {
          if (startResp) engine.setResponsibilities(startResp);
          else setInitialResponsibilities(engine, initData, K, this.initParams, rng, w);
          return variationalUpdate(engine.stats(0), priors, this.regCovar);
        },
        // q(z) from the current q(π, μ, Λ), then q(π, μ, Λ) from q(z); the bound pairs this
        // E-step's responsibilities with the updated posterior, as scikit-learn computes it.
        iterate: (params) => {
          const { stats, sumRespLogResp } = engine.eStepStats(params, true);
          const next = variationalUpdate(stats, priors, this.regCovar);
          return { params: next, lowerBound: variationalLowerBound(next, type, priorType, sumRespLogResp) };
        },
      };
    }, (x, sampleWeight) => {
      priors = resolvePriors(this.filledData(x, sampleWeight), K, type, priorType, this.options, sampleWeight);
      return { priors };
    });
    this.online = null;
    return this;
  }

  /**
   * Stochastic variational inference (Hoffman et al. 2013) with the stepwise schedule of
   * GaussianMixture.partialFit: q(z) of the batch under the current posterior, its statistics
   * scaled to `streamSize` rows, the running statistics s ← (1 − γ_t) s + γ_t s̄ with
   * γ_t = (t + stepOffset)^(−stepDecay), then q(π, μ, Λ) from s. The posterior's natural
   * parameters are affine in these statistics, so this is the SVI step on the natural parameters.
   * The first call (or the first after `fit`/`fromJSON`) resolves the default priors and
   * initialises on its batch as `fit` does, then takes γ = 1: with the default streamSize it
   * equals `fit` with maxIter 1 on that batch. `lowerBound` holds the bound of the updated
   * posterior with the batch standing for streamSize rows; `converged` stays false. A call that
   * throws leaves the model and the running statistics as they were.
   *
   * @example
   * ```ts
   * const bgm = new BayesianGaussianMixture({ nComponents: 8, streamSize: 1e6, seed: 1 });
   * for (const batch of batches) bgm.partialFit(batch);   // 1e6 rows in all, one batch at a time
   * ```
   */
  partialFit(X: MatrixLike, options: FitOptions = {}): this {
    checkFitOptions(options, `${this.kind}.partialFit`);
    const { covarianceType: type, weightConcentrationPriorType: priorType } = this;
    if (!this.online) {
      const { x, w, engine, initData } = this.openFirstBatch(X, options);
      try {
        const K = this.nComponents;
        const priors = resolvePriors(this.filledData(x, w), K, type, priorType, this.options, w);
        const startResp = this.options.initResponsibilities !== undefined ? checkResponsibilities(this.options.initResponsibilities, x.rows, K) : null;
        if (startResp) engine.setResponsibilities(startResp);
        else setInitialResponsibilities(engine, initData, K, this.initParams, new Random(this.seed), w);
        const start = variationalUpdate(engine.stats(0), priors, this.regCovar);
        const { stats, sumRespLogResp } = engine.eStepStats(start, true);
        const scale = (this.options.streamSize ?? stats.n) / stats.n;
        const running = scale === 1 ? stats : scaleStats(stats, scale);
        const params = variationalUpdate(running, priors, this.regCovar);
        const lowerBound = variationalLowerBound(params, type, priorType, sumRespLogResp * scale);
        this.fitted = { params, priors, nFeatures: x.cols, converged: false, nIter: 1, lowerBound, lowerBoundHistory: [lowerBound] };
        this.online = new RunningStats(running);
      } finally {
        engine.release();
      }
      return this;
    }
    const f = this.state;
    const { engine } = this.openStreamBatch(X, options);
    let done = false;
    try {
      const { stats, sumRespLogResp } = engine.eStepStats(f.params, true);
      const running = this.online.next(stats, this.schedule);
      const params = variationalUpdate(running, f.priors, this.regCovar);
      const lowerBound = variationalLowerBound(params, type, priorType, (sumRespLogResp * running.n) / stats.n);
      this.fitted = { ...f, params, nIter: f.nIter + 1, lowerBound, lowerBoundHistory: appended(f.lowerBoundHistory, lowerBound), converged: false };
      this.online.commit();
      done = true;
    } finally {
      this.closeStreamBatch(engine, done);
    }
    return this;
  }

  /**
   * Statistics of one variational E-step on a shard of data under the current posterior: the
   * mixtures' sufficient statistics of q(z) plus Σ r log r, the entropy term the bound needs.
   * With `mergeStats` and `mStep`, the statistics protocol through which {@link fitWithStatistics}
   * fits over shards on any engine.
   *
   * @example
   * ```ts
   * const merged = BayesianGaussianMixture.mergeStats(bgm.partialStats(shardA), bgm.partialStats(shardB));
   * bgm.mStep(merged);   // q(π, μ, Λ) from the statistics of both shards
   * ```
   */
  partialStats(X: MatrixLike, options: FitOptions = {}): BayesianStats {
    checkFitOptions(options, `${this.kind}.partialStats`);
    const { engine } = this.open(X, options);
    try {
      const { stats, sumRespLogResp } = engine.eStepStats(this.state.params, true);
      return { ...stats, sumRespLogResp };
    } finally {
      engine.release();
    }
  }

  /** Combines the statistics of two shards: GaussianMixture.mergeStats (Chan's rule), with Σ r log r added. */
  static mergeStats(a: BayesianStats, b: BayesianStats): BayesianStats {
    return { ...mergeStats(a, b), sumRespLogResp: a.sumRespLogResp + b.sumRespLogResp };
  }

  /** The variational M-step: q(π, μ, Λ) from (merged) statistics under the model's priors; returns this. */
  mStep(stats: BayesianStats): this {
    const f = this.state;
    if (stats.nComponents !== this.nComponents || stats.nFeatures !== f.nFeatures || stats.covarianceType !== this.covarianceType) {
      throw new ShapeError(`stats must be for ${this.covarianceType} K=${this.nComponents} D=${f.nFeatures}; got ${stats.covarianceType} K=${stats.nComponents} D=${stats.nFeatures}`);
    }
    this.fitted = { ...f, params: variationalUpdate(stats, f.priors, this.regCovar) };
    return this;
  }

  /**
   * log Σ_k exp(E_q[log π_k] + E_q[log N(x_n | μ_k, Λ_k⁻¹)]) per row, as scikit-learn's
   * score_samples: the variational quantity, not a log-likelihood.
   */
  override scoreSamples(X: MatrixLike): Float64Array {
    return super.scoreSamples(X);
  }

  /** Dirichlet process: 2·K values, the Beta sticks' (a_1…a_K, b_1…b_K) (scikit-learn's tuple, row-major); Dirichlet: K values. */
  get weightConcentration(): Float64Array { return this.state.params.weightConcentration.slice(); }
  /** β_k (K). */
  get meanPrecision(): Float64Array { return this.state.params.meanPrecision.slice(); }
  /** ν_k (K values; tied: 1 value). */
  get degreesOfFreedom(): Float64Array { return this.state.params.degreesOfFreedom.slice(); }
  /** The priors the fit used, with defaults resolved against the data. */
  get priors(): BayesianPriors {
    const p = this.state.priors;
    return { ...p, meanPrior: p.meanPrior.slice(), covariancePrior: p.covariancePrior.slice() };
  }

  /**
   * A plain-JSON form of the options (missing, stepDecay, stepOffset and streamSize included),
   * priors and posterior; `fromJSON` restores it exactly. partialFit's running statistics are not
   * saved: the first partialFit after fromJSON starts a new stream.
   */
  toJSON(): BayesianGaussianMixtureJSON {
    return bayesianToJSON(this, this.state);
  }

  /**
   * Restores a model saved by `toJSON` (callbacks and initResponsibilities are not saved), after
   * checking every field as GaussianMixture.fromJSON does, plus the priors, positive posterior
   * parameters and weights equal to E_q[π] under weightConcentration. Files without a `version`
   * are read as version 1 (elbo 0.1's format, whose options take their defaults for `missing`,
   * `stepDecay`, `stepOffset` and `streamSize`).
   * @param runtime what a file does not hold: the callbacks and the engine (default: none, and 'wasm')
   * @throws ModelFileError (a ValueError) naming the field that is wrong
   */
  static fromJSON(json: BayesianGaussianMixtureJSON, runtime: MixtureRuntimeOptions = {}): BayesianGaussianMixture {
    runtime = checkOptions(runtime, MIXTURE_RUNTIME_OPTION_KEYS, 'BayesianGaussianMixture.fromJSON');
    const { options, fitted } = bayesianFromJSON(json);
    const bgm = buildFromFile('BayesianGaussianMixture', 'options', () => new BayesianGaussianMixture({ ...runtime, ...options }));
    fitted.params.logWeights = variationalLogWeights(fitted.params, bgm.weightConcentrationPriorType);
    bgm.fitted = fitted;
    return bgm;
  }
}

/** Responsibilities given by the user: N × K, each entry in [0, 1], rows summing to 1. Returns a Float64Array copy. */
function checkResponsibilities(r: MatrixLike, N: number, K: number): Float64Array {
  const m = toMatrix(r, 'initResponsibilities');
  if (m.rows !== N || m.cols !== K) {
    throw new ShapeError(`initResponsibilities must be ${N} × ${K} (rows of X × nComponents); got ${m.rows} × ${m.cols}`);
  }
  const out = Float64Array.from(m.data);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const v = out[i * K + k];
      if (!(v >= 0 && v <= 1)) throw new ValueError(`initResponsibilities must lie in [0, 1]; initResponsibilities[${i}][${k}] is ${v}`);
      s += v;
    }
    if (Math.abs(s - 1) > RESP_SUM_TOL) throw new ValueError(`initResponsibilities rows must sum to 1; row ${i} sums to ${s}`);
  }
  return out;
}
