/**
 * GaussianMixture: maximum-likelihood Gaussian mixtures by EM, with scikit-learn's options,
 * defaults and numbers, and wasm SIMD kernels for the E-step and the statistics.
 */
import { NotFittedError, ShapeError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import type { MixtureEngine } from './engine.js';
import { ReferenceEngine } from './engine-reference.js';
import { WasmEngine } from './engine-wasm.js';
import { runEM } from './em.js';
import {
  covariancesFromPrecisionCholesky, mergeStats, nParameters, parametersFromStats,
  precisionCholeskyFromCovariance, precisionCholeskyFromPrecision, precisionsFromCholesky,
} from './gaussian.js';
import { initialResponsibilities } from './init.js';
import { sampleGaussianMixture } from './sample.js';
import { fromJSONParams, toJSONParams, type GaussianMixtureJSON } from './serialize.js';
import type { CovarianceType, GaussianParams, InitParams, IterationInfo, SufficientStats } from './types.js';
import {
  checkCovarianceType, checkInitParams, checkInteger, checkMeans, checkNonNegative, checkPrecisions, checkWeights,
} from './validate.js';

/** Options of {@link GaussianMixture}; names and defaults are scikit-learn's, camel-cased. */
export interface GaussianMixtureOptions {
  /** Number of components K (default 1). */
  nComponents?: number;
  /** Covariance parametrisation (default 'full'). */
  covarianceType?: CovarianceType;
  /** Stop when the bound (mean log-likelihood) changes by less than this (default 1e-3). */
  tol?: number;
  /** Added to the diagonal of every covariance, keeping it positive definite (default 1e-6). */
  regCovar?: number;
  /** EM iterations at most per initialisation (default 100). */
  maxIter?: number;
  /** Initialisations to run; the best bound wins (default 1). */
  nInit?: number;
  /** How to initialise the responsibilities (default 'kmeans'). */
  initParams?: InitParams;
  /** Initial weights (K, summing to 1). */
  weightsInit?: Float64Array | number[];
  /** Initial means (K × D). */
  meansInit?: MatrixLike;
  /** Initial precisions: full K·D·D, tied D·D, diag K·D, spherical K values, row-major. */
  precisionsInit?: Float64Array | number[];
  /** Continue from the fitted parameters on the next fit (default false). */
  warmStart?: boolean;
  /** Seed of every random choice: initialisation and sampling (default 0). */
  seed?: number;
  /** Called after each iteration; return false to stop the fit. */
  onIteration?: (info: IterationInfo) => boolean | void;
  /** Receives warnings (a fit that did not converge); default console.warn. */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript implementation of the same EM. */
  engine?: 'wasm' | 'reference';
}

interface Fitted {
  params: GaussianParams;
  nFeatures: number;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  lowerBoundHistory: number[];
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
export class GaussianMixture {
  readonly nComponents: number;
  readonly covarianceType: CovarianceType;
  readonly tol: number;
  readonly regCovar: number;
  readonly maxIter: number;
  readonly nInit: number;
  readonly initParams: InitParams;
  readonly warmStart: boolean;
  readonly seed: number;
  private readonly options: GaussianMixtureOptions;
  private fitted: Fitted | null = null;

  constructor(options: GaussianMixtureOptions = {}) {
    this.options = options;
    this.nComponents = checkInteger(options.nComponents ?? 1, 'nComponents', 1);
    this.covarianceType = checkCovarianceType(options.covarianceType ?? 'full');
    this.tol = checkNonNegative(options.tol ?? 1e-3, 'tol');
    this.regCovar = checkNonNegative(options.regCovar ?? 1e-6, 'regCovar');
    this.maxIter = checkInteger(options.maxIter ?? 100, 'maxIter', 0);
    this.nInit = checkInteger(options.nInit ?? 1, 'nInit', 1);
    this.initParams = checkInitParams(options.initParams ?? 'kmeans');
    this.warmStart = options.warmStart ?? false;
    this.seed = checkInteger(options.seed ?? 0, 'seed', -(2 ** 31)) | 0;
    if (options.weightsInit !== undefined) checkWeights(options.weightsInit, this.nComponents);
  }

  /** Fits the mixture to X (N × D, N ≥ max(2, nComponents)) and returns this. */
  fit(X: MatrixLike): this {
    const x = toMatrix(X, 'X', { minRows: 2 });
    const { nComponents: K, covarianceType: type } = this;
    if (x.rows < K) throw new ShapeError(`X must have at least nComponents = ${K} rows; got ${x.rows}`);
    const D = x.cols;
    const init = this.initialParams(x);
    const warm = this.warmStart && this.fitted && this.fitted.nFeatures === D
      ? { params: this.fitted.params, lowerBound: this.fitted.lowerBound } : undefined;
    const engine = this.engine(x);
    try {
      const rng = new Random(this.seed);
      const result = runEM<GaussianParams>({
        initialize: () => {
          engine.setResponsibilities(initialResponsibilities(x, K, this.initParams, rng));
          const p = this.mStepParams(engine.stats(0));
          const w = init.weights ?? p.weights;
          const means = init.means ?? p.means;
          if (!init.precisions) return { ...p, weights: w, means };
          const pc = precisionCholeskyFromPrecision(init.precisions, type, K, D);
          return { weights: w, means, precisionsCholesky: pc, covariances: covariancesFromPrecisionCholesky(pc, type, K, D) };
        },
        iterate: (params) => {
          const { stats } = engine.eStepStats(params);
          return { params: this.mStepParams(stats), lowerBound: stats.logLik / x.rows };
        },
      }, { nInit: this.nInit, maxIter: this.maxIter, tol: this.tol, warm, onIteration: this.options.onIteration });
      this.fitted = {
        params: result.params, nFeatures: D, converged: result.converged, nIter: result.nIter,
        lowerBound: result.lowerBound, lowerBoundHistory: result.lowerBoundHistory,
      };
      if (!result.converged && this.maxIter > 0 && !result.stopped) {
        (this.options.onWarning ?? console.warn)(
          `GaussianMixture did not converge in ${this.maxIter} iterations (last change above tol = ${this.tol}); try a larger maxIter or tol, other initial parameters, or check for degenerate data`,
        );
      }
    } finally {
      engine.release();
    }
    return this;
  }

  /** Fits, then returns the most probable component of each row of X (after a final E-step). */
  fitPredict(X: MatrixLike): Int32Array {
    return this.fit(X).predict(X);
  }

  /** Component labels: argmax_k p(k | x_n). */
  predict(X: MatrixLike): Int32Array {
    const p = this.predictProba(X);
    const K = this.nComponents;
    const out = new Int32Array(p.rows);
    for (let i = 0; i < p.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (p.data[i * K + k] > p.data[i * K + best]) best = k;
      out[i] = best;
    }
    return out;
  }

  /** Responsibilities p(k | x_n), N × K. */
  predictProba(X: MatrixLike): Matrix<Float64Array> {
    const { x, engine } = this.open(X);
    try {
      engine.eStep(this.state.params);
      return { data: engine.responsibilities(), rows: x.rows, cols: this.nComponents };
    } finally {
      engine.release();
    }
  }

  /** log p(x_n) for each row. */
  scoreSamples(X: MatrixLike): Float64Array {
    const { x, engine } = this.open(X);
    try {
      const out = new Float64Array(x.rows);
      engine.eStep(this.state.params, out);
      return out;
    } finally {
      engine.release();
    }
  }

  /** Mean log-likelihood per row. */
  score(X: MatrixLike): number {
    const { total, n } = this.totalLogLik(X);
    return total / n;
  }

  private totalLogLik(X: MatrixLike): { total: number; n: number } {
    const s = this.scoreSamples(X);
    let total = 0;
    for (let i = 0; i < s.length; i++) total += s[i];
    return { total, n: s.length };
  }

  /** Bayesian information criterion: −2·log-likelihood + p·log N (lower is better). */
  bic(X: MatrixLike): number {
    const { total, n } = this.totalLogLik(X);
    return -2 * total + this.nParameters() * Math.log(n);
  }

  /** Akaike information criterion: −2·log-likelihood + 2p (lower is better). */
  aic(X: MatrixLike): number {
    return -2 * this.totalLogLik(X).total + 2 * this.nParameters();
  }

  /** Number of free parameters of the fitted model. */
  nParameters(): number {
    return nParameters(this.covarianceType, this.nComponents, this.state.nFeatures);
  }

  /** n draws from the fitted mixture, grouped by component as scikit-learn does; seeded by `seed` (default: the model's). */
  sample(n: number, seed = this.seed): { X: Matrix<Float64Array>; labels: Int32Array } {
    checkInteger(n, 'n', 1);
    return sampleGaussianMixture(this.state.params, this.covarianceType, n, new Random(seed));
  }

  /** Sufficient statistics of one E-step on a shard of data, under the current parameters. */
  partialStats(X: MatrixLike): SufficientStats {
    const { engine } = this.open(X);
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

  get weights(): Float64Array { return this.state.params.weights.slice(); }
  get means(): Matrix<Float64Array> { const m = this.state.params.means; return { data: m.data.slice(), rows: m.rows, cols: m.cols }; }
  get covariances(): Float64Array { return this.state.params.covariances.slice(); }
  get precisionsCholesky(): Float64Array { return this.state.params.precisionsCholesky.slice(); }
  get precisions(): Float64Array {
    return precisionsFromCholesky(this.state.params.precisionsCholesky, this.covarianceType, this.nComponents, this.state.nFeatures);
  }
  get converged(): boolean { return this.state.converged; }
  get nIter(): number { return this.state.nIter; }
  get lowerBound(): number { return this.state.lowerBound; }
  get lowerBoundHistory(): number[] { return this.state.lowerBoundHistory.slice(); }
  /** True once fit (or fromJSON) has run. */
  get isFitted(): boolean { return this.fitted !== null; }

  /** A plain-JSON form of the options and fitted parameters; `fromJSON` restores it exactly. */
  toJSON(): GaussianMixtureJSON {
    const f = this.state;
    return toJSONParams(this, f);
  }

  /** Restores a model saved by `toJSON` (callbacks are not saved). */
  static fromJSON(json: GaussianMixtureJSON): GaussianMixture {
    const { options, fitted } = fromJSONParams(json);
    const gm = new GaussianMixture(options);
    gm.fitted = fitted;
    return gm;
  }

  private get state(): Fitted {
    if (!this.fitted) throw new NotFittedError('this GaussianMixture is not fitted yet: call fit(X) first');
    return this.fitted;
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

  private engine(x: Matrix): MixtureEngine {
    const spec = { X: x, covarianceType: this.covarianceType, nComponents: this.nComponents };
    return this.options.engine === 'reference' ? new ReferenceEngine(spec) : new WasmEngine(spec);
  }

  private open(X: MatrixLike): { x: Matrix; engine: MixtureEngine } {
    const D = this.state.nFeatures;
    const x = toMatrix(X, 'X', { cols: D, colsReason: `the model was fitted on ${D}` });
    return { x, engine: this.engine(x) };
  }
}
