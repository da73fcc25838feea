/**
 * BayesianGaussianMixture: mean-field variational inference for Gaussian mixtures, with
 * scikit-learn's options, defaults and numbers. The same EM loop (em.ts) and the same E-step and
 * statistics engines as GaussianMixture; only the family math differs (bayesian.ts).
 */
import { NotFittedError, ShapeError, ValueError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import {
  variationalLogWeights, variationalLowerBound, variationalUpdate, WEIGHT_CONCENTRATION_PRIOR_TYPES,
  type BayesianParams, type BayesianPriors, type WeightConcentrationPriorType,
} from './bayesian.js';
import type { MixtureEngine } from './engine.js';
import { ReferenceEngine } from './engine-reference.js';
import { WasmEngine } from './engine-wasm.js';
import { runEM } from './em.js';
import { precisionsFromCholesky } from './gaussian.js';
import { initialResponsibilities } from './init.js';
import { checkPriorOptions, resolvePriors, type PriorValue } from './priors.js';
import { sampleGaussianMixture } from './sample.js';
import { bayesianFromJSON, bayesianToJSON, type BayesianGaussianMixtureJSON } from './serialize-bayesian.js';
import type { CovarianceType, InitParams, IterationInfo } from './types.js';
import { checkChoice, checkCovarianceType, checkInitParams, checkInteger, checkNonNegative } from './validate.js';

/** Options of {@link BayesianGaussianMixture}; names and defaults are scikit-learn's, camel-cased. */
export interface BayesianGaussianMixtureOptions {
  /** Upper bound on the number of components K; the posterior may leave some nearly empty (default 1). */
  nComponents?: number;
  /** Covariance parametrisation (default 'full'). */
  covarianceType?: CovarianceType;
  /** Stop when the lower bound changes by less than this (default 1e-3). */
  tol?: number;
  /** Added to the diagonal of each component's empirical covariance S_k (default 1e-6). */
  regCovar?: number;
  /** Iterations at most per initialisation (default 100). */
  maxIter?: number;
  /** Initialisations to run; the best lower bound wins (default 1). */
  nInit?: number;
  /** How to initialise the responsibilities (default 'kmeans'); see `initResponsibilities`. */
  initParams?: InitParams;
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
  /** Continue from the fitted posterior on the next fit (default false). */
  warmStart?: boolean;
  /** Seed of every random choice: initialisation and sampling (default 0). */
  seed?: number;
  /** Called after each iteration with the lower bound; return false to stop the fit. */
  onIteration?: (info: IterationInfo) => boolean | void;
  /** Receives warnings (a fit that did not converge); default console.warn. */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript engine running the same algorithm. */
  engine?: 'wasm' | 'reference';
}

interface Fitted {
  params: BayesianParams;
  priors: BayesianPriors;
  nFeatures: number;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  lowerBoundHistory: number[];
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
 * import { init, BayesianGaussianMixture } from 'elbo';
 * await init();
 * const bgm = new BayesianGaussianMixture({ nComponents: 10, weightConcentrationPrior: 0.01, seed: 1 }).fit(X);
 * bgm.weights;             // most of the 10 near 0 when the data have fewer clusters
 * bgm.predict(X);          // Int32Array of component labels
 * bgm.lowerBoundHistory;   // the (non-decreasing) lower bound after each iteration
 * ```
 */
export class BayesianGaussianMixture {
  readonly nComponents: number;
  readonly covarianceType: CovarianceType;
  readonly tol: number;
  readonly regCovar: number;
  readonly maxIter: number;
  readonly nInit: number;
  readonly initParams: InitParams;
  readonly weightConcentrationPriorType: WeightConcentrationPriorType;
  readonly warmStart: boolean;
  readonly seed: number;
  private readonly options: BayesianGaussianMixtureOptions;
  private fitted: Fitted | null = null;

  constructor(options: BayesianGaussianMixtureOptions = {}) {
    this.options = options;
    this.nComponents = checkInteger(options.nComponents ?? 1, 'nComponents', 1);
    this.covarianceType = checkCovarianceType(options.covarianceType ?? 'full');
    this.tol = checkNonNegative(options.tol ?? 1e-3, 'tol');
    this.regCovar = checkNonNegative(options.regCovar ?? 1e-6, 'regCovar');
    this.maxIter = checkInteger(options.maxIter ?? 100, 'maxIter', 0);
    this.nInit = checkInteger(options.nInit ?? 1, 'nInit', 1);
    this.initParams = checkInitParams(options.initParams ?? 'kmeans');
    this.weightConcentrationPriorType = checkChoice(
      options.weightConcentrationPriorType ?? 'dirichlet_process', 'weightConcentrationPriorType', WEIGHT_CONCENTRATION_PRIOR_TYPES,
    );
    this.warmStart = options.warmStart ?? false;
    this.seed = checkInteger(options.seed ?? 0, 'seed', -(2 ** 31)) | 0;
    checkPriorOptions(options);
  }

  /** Fits the posterior to X (N × D, N ≥ max(2, nComponents)) and returns this. */
  fit(X: MatrixLike): this {
    const x = toMatrix(X, 'X', { minRows: 2 });
    const { nComponents: K, covarianceType: type, weightConcentrationPriorType: priorType } = this;
    if (x.rows < K) throw new ShapeError(`X must have at least nComponents = ${K} rows; got ${x.rows}`);
    const D = x.cols;
    const priors = resolvePriors(x, K, type, priorType, this.options);
    const startResp = this.options.initResponsibilities !== undefined ? checkResponsibilities(this.options.initResponsibilities, x.rows, K) : null;
    const warm = this.warmStart && this.fitted && this.fitted.nFeatures === D
      ? { params: this.fitted.params, lowerBound: this.fitted.lowerBound } : undefined;
    const engine = this.engine(x);
    try {
      const rng = new Random(this.seed);
      const result = runEM<BayesianParams>({
        initialize: () => {
          engine.setResponsibilities(startResp ?? initialResponsibilities(x, K, this.initParams, rng));
          return variationalUpdate(engine.stats(0), priors, this.regCovar);
        },
        // q(z) from the current q(π, μ, Λ), then q(π, μ, Λ) from q(z); the bound pairs this
        // E-step's responsibilities with the updated posterior, as scikit-learn computes it.
        iterate: (params) => {
          const { stats, sumRespLogResp } = engine.eStepStats(params, true);
          const next = variationalUpdate(stats, priors, this.regCovar);
          return { params: next, lowerBound: variationalLowerBound(next, type, priorType, sumRespLogResp) };
        },
      }, { nInit: this.nInit, maxIter: this.maxIter, tol: this.tol, warm, onIteration: this.options.onIteration });
      this.fitted = {
        params: result.params, priors, nFeatures: D, converged: result.converged, nIter: result.nIter,
        lowerBound: result.lowerBound, lowerBoundHistory: result.lowerBoundHistory,
      };
      if (!result.converged && this.maxIter > 0 && !result.stopped) {
        (this.options.onWarning ?? console.warn)(
          `BayesianGaussianMixture did not converge in ${this.maxIter} iterations (last change above tol = ${this.tol}); try a larger maxIter or tol, other initial parameters, or check for degenerate data`,
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

  /** Component labels: argmax_k of the responsibilities. */
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

  /** Responsibilities q(z_n = k), N × K. */
  predictProba(X: MatrixLike): Matrix<Float64Array> {
    const { x, engine } = this.open(X);
    try {
      engine.eStep(this.state.params);
      return { data: engine.responsibilities(), rows: x.rows, cols: this.nComponents };
    } finally {
      engine.release();
    }
  }

  /**
   * log Σ_k exp(E_q[log π_k] + E_q[log N(x_n | μ_k, Λ_k⁻¹)]) per row, as scikit-learn's
   * score_samples: the variational quantity, not a log-likelihood.
   */
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

  /** Mean of scoreSamples over the rows. */
  score(X: MatrixLike): number {
    const s = this.scoreSamples(X);
    let total = 0;
    for (let i = 0; i < s.length; i++) total += s[i];
    return total / s.length;
  }

  /** n draws from the mixture with the fitted weights, means and covariances, grouped by component; seeded by `seed` (default: the model's). */
  sample(n: number, seed = this.seed): { X: Matrix<Float64Array>; labels: Int32Array } {
    checkInteger(n, 'n', 1);
    return sampleGaussianMixture(this.state.params, this.covarianceType, n, new Random(seed));
  }

  /** E_q[π] (K). */
  get weights(): Float64Array { return this.state.params.weights.slice(); }
  /** The posterior means of μ_k (K × D). */
  get means(): Matrix<Float64Array> { const m = this.state.params.means; return { data: m.data.slice(), rows: m.rows, cols: m.cols }; }
  /** W_k⁻¹ / ν_k, flat row-major: full K·D·D, tied D·D, diag K·D, spherical K. */
  get covariances(): Float64Array { return this.state.params.covariances.slice(); }
  /** The inverses of `covariances` (E_q[Λ_k]), same layout. */
  get precisions(): Float64Array {
    return precisionsFromCholesky(this.state.params.precisionsCholesky, this.covarianceType, this.nComponents, this.state.nFeatures);
  }
  /** P_k with precisions = P_k P_kᵀ (upper triangular for full and tied), same layout. */
  get precisionsCholesky(): Float64Array { return this.state.params.precisionsCholesky.slice(); }
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
  get converged(): boolean { return this.state.converged; }
  get nIter(): number { return this.state.nIter; }
  /** The lower bound of the best initialisation's last iteration (−Infinity when maxIter is 0). */
  get lowerBound(): number { return this.state.lowerBound; }
  get lowerBoundHistory(): number[] { return this.state.lowerBoundHistory.slice(); }
  /** True once fit (or fromJSON) has run. */
  get isFitted(): boolean { return this.fitted !== null; }

  /** A plain-JSON form of the options, priors and posterior; `fromJSON` restores it exactly. */
  toJSON(): BayesianGaussianMixtureJSON {
    return bayesianToJSON(this, this.state);
  }

  /** Restores a model saved by `toJSON` (callbacks and initResponsibilities are not saved). */
  static fromJSON(json: BayesianGaussianMixtureJSON): BayesianGaussianMixture {
    const { options, fitted } = bayesianFromJSON(json);
    const bgm = new BayesianGaussianMixture(options);
    fitted.params.logWeights = variationalLogWeights(fitted.params, bgm.weightConcentrationPriorType);
    bgm.fitted = fitted;
    return bgm;
  }

  private get state(): Fitted {
    if (!this.fitted) throw new NotFittedError('this BayesianGaussianMixture is not fitted yet: call fit(X) first');
    return this.fitted;
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
