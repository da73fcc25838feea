/**
 * What every Gaussian mixture estimator shares (scikit-learn's BaseMixture): options common to
 * EM and its variational form, the fit loop around runEM with validation and warnings, and the
 * prediction methods that run one E-step of the fitted parameters on new data.
 */
import { NotFittedError, ShapeError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { releaseKept } from '../runtime/memory.js';
import { Random } from '../runtime/random.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { rememberOptions } from '../runtime/construction.js';
import { checkInteger, checkNonNegative, checkSeed } from '../runtime/validate.js';
import { centred, centredCopy, checkSpread } from './centre.js';
import type { InitData } from './init.js';
import type { EngineSpec, MixtureEngine } from './engine.js';
import { ReferenceEngine } from './engine-reference.js';
import { WasmEngine } from './engine-wasm.js';
import { runEM, type EMFamily } from '../em.js';
import { precisionsFromCholesky } from './gaussian.js';
import { sampleGaussianMixture } from './sample.js';
import type { CovarianceType, GaussianParams, InitParams, IterationInfo } from './types.js';
import { checkCovarianceType, checkInitParams } from './validate.js';
import { checkSampleWeight, totalWeight, type SampleWeightOptions } from './weights.js';
import { imputeMissing, MissingEngine } from './engine-missing.js';
import { centredIncomplete, checkMissingPolicy, hasMissing, meanImputed, observedColumnMeans, readIncomplete, type MissingPolicy } from './missing.js';

/** Options that GaussianMixture and BayesianGaussianMixture share (scikit-learn's names, camel-cased). */
export interface MixtureOptions {
  /** Number of components K (default 1). */
  nComponents?: number;
  /** Covariance parametrisation (default 'full'). */
  covarianceType?: CovarianceType;
  /** Stop when the bound changes by less than this (default 1e-3). */
  tol?: number;
  /** Added to the diagonal of every covariance, keeping it positive definite (default 1e-6). */
  regCovar?: number;
  /** Iterations at most per initialisation (default 100). */
  maxIter?: number;
  /** Initialisations to run; the best bound wins (default 1). */
  nInit?: number;
  /** How to initialise the responsibilities (default 'kmeans'). */
  initParams?: InitParams;
  /** Continue from the fitted parameters on the next fit (default false). */
  warmStart?: boolean;
  /** Seed of every random choice: initialisation and sampling (default 0); any safe integer, all of its bits used. */
  seed?: number;
  /** Called after each iteration; return false to stop the fit. */
  onIteration?: (info: IterationInfo) => boolean | void;
  /** Receives warnings (a fit that did not converge); default console.warn. */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript engine running the same algorithm. */
  engine?: 'wasm' | 'reference';
  /**
   * What a NaN in X means (default 'error': a ValueError naming the first one). With
   * 'marginalize', NaN marks a missing entry: each row is scored on its observed features, the
   * fit is EM for incomplete data (Ghahramani & Jordan 1994), and `fit`, `partialFit`, `predict`,
   * `predictProba`, `scoreSamples`, `score` and `partialStats` take rows with NaN (±Infinity stays
   * an error). In a fit, a row or a column without any observed value is a ValueError; in
   * prediction such a row gets the prior weights as its probabilities and a score of 0 (log 1).
   */
  missing?: MissingPolicy;
}

/** The names of {@link MixtureOptions}, which each mixture's own list extends. */
export const MIXTURE_OPTION_KEYS = optionKeys<MixtureOptions>()([
  'nComponents', 'covarianceType', 'tol', 'regCovar', 'maxIter', 'nInit', 'initParams', 'warmStart', 'seed',
  'onIteration', 'onWarning', 'engine', 'missing',
]);

/** The options a saved mixture does not hold, which `fromJSON` takes beside the file. */
export type MixtureRuntimeOptions = Pick<MixtureOptions, 'onIteration' | 'onWarning' | 'engine'>;

/** The names of {@link MixtureRuntimeOptions}. */
export const MIXTURE_RUNTIME_OPTION_KEYS = optionKeys<MixtureRuntimeOptions>()(['onIteration', 'onWarning', 'engine']);

/** The fitted state every mixture keeps. */
export interface MixtureFit<P extends GaussianParams> {
  params: P;
  nFeatures: number;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  lowerBoundHistory: number[];
}

export abstract class MixtureBase<P extends GaussianParams, F extends MixtureFit<P>> {
  /** Number of components K. */
  readonly nComponents: number;
  /** Covariance parametrisation. */
  readonly covarianceType: CovarianceType;
  /** Convergence tolerance on the change of the bound. */
  readonly tol: number;
  /** Ridge added to every covariance diagonal. */
  readonly regCovar: number;
  /** Iterations at most per initialisation. */
  readonly maxIter: number;
  /** Number of initialisations. */
  readonly nInit: number;
  /** How responsibilities are initialised. */
  readonly initParams: InitParams;
  /** Whether the next fit continues from the fitted parameters. */
  readonly warmStart: boolean;
  /** Seed of initialisation and sampling. */
  readonly seed: number;
  /** What a NaN in X means: 'error' or 'marginalize' (a missing entry). */
  readonly missing: MissingPolicy;
  protected fitted: F | null = null;
  /** The wasm engine partialFit keeps between batches of one shape (memory.ts `keep`), or null. */
  private stream: WasmEngine | null = null;
  /** The class name, for messages. */
  protected abstract readonly kind: string;

  constructor(protected readonly baseOptions: MixtureOptions) {
    this.nComponents = checkInteger(baseOptions.nComponents ?? 1, 'nComponents', 1);
    this.covarianceType = checkCovarianceType(baseOptions.covarianceType ?? 'full');
    this.tol = checkNonNegative(baseOptions.tol ?? 1e-3, 'tol');
    this.regCovar = checkNonNegative(baseOptions.regCovar ?? 1e-6, 'regCovar');
    this.maxIter = checkInteger(baseOptions.maxIter ?? 100, 'maxIter', 0);
    this.nInit = checkInteger(baseOptions.nInit ?? 1, 'nInit', 1);
    this.initParams = checkInitParams(baseOptions.initParams ?? 'kmeans');
    this.warmStart = baseOptions.warmStart ?? false;
    this.seed = checkSeed(baseOptions.seed ?? 0);
    this.missing = checkMissingPolicy(baseOptions.missing ?? 'error');
    rememberOptions(this, baseOptions);
  }

  /**
   * The fit loop: checks X (N ≥ max(2, K) rows, finite), centres it once on its column means
   * (centre.ts), opens an engine in that frame, runs EM with the family's `initialize` and
   * `iterate`, and keeps the result only when everything succeeded — a fit that throws leaves
   * the previous fitted state and wasm memory as they were. The family's initialisation gets a
   * data in the centred frame (init.ts InitData: the centred matrix copied on first call, or X and the origin), so it is as translation-equivariant as the fit; parameters and
   * statistics stay in the user's coordinates. With `options.sampleWeight` the frame is centred
   * on the weighted means and the engine weighs every statistic (weights.ts).
   */
  protected runFit(
    X: MatrixLike,
    options: FitOptions,
    family: (x: Matrix, engine: MixtureEngine, rng: Random, initData: InitData, sampleWeight?: Float64Array) => EMFamily<P>,
    extra: (x: Matrix, sampleWeight?: Float64Array) => Omit<F, keyof MixtureFit<P>>,
  ): this {
    checkFitOptions(options, `${this.kind}.fit`);
    const x = this.trainingData(X);
    const K = this.nComponents;
    if (x.rows < K) throw new ShapeError(`X must have at least nComponents = ${K} rows; got ${x.rows}`);
    const w = checkSampleWeight(options.sampleWeight, x.rows);
    const more = extra(x, w);
    const warm = this.warmStart && this.fitted && this.fitted.nFeatures === x.cols
      ? { params: this.fitted.params, lowerBound: this.fitted.lowerBound } : undefined;
    this.dropStream();
    const { engine, data } = this.framedEngine(x, w);
    try {
      const result = runEM<P>(family(x, engine, new Random(this.seed), data, w), {
        nInit: this.nInit, maxIter: this.maxIter, tol: this.tol, warm, onIteration: this.baseOptions.onIteration,
      });
      const fitted = {
        ...more, params: result.params, nFeatures: x.cols, converged: result.converged, nIter: result.nIter,
        lowerBound: result.lowerBound, lowerBoundHistory: result.lowerBoundHistory,
      } as F;
      // Warn before committing: an onWarning that throws leaves the model as it was.
      if (!result.converged && this.maxIter > 0 && !result.stopped) {
        (this.baseOptions.onWarning ?? console.warn)(
          `${this.kind} did not converge in ${this.maxIter} iterations (last change above tol = ${this.tol}); try a larger maxIter or tol, other initial parameters, or check for degenerate data`,
        );
      }
      this.fitted = fitted;
    } finally {
      engine.release();
    }
    return this;
  }

  /** Fits (with the same options as `fit`), then returns the most probable component of each row of X (after a final E-step). */
  fitPredict(X: MatrixLike, options: FitOptions = {}): Int32Array {
    return this.fit(X, options).predict(X);
  }

  abstract fit(X: MatrixLike, options?: FitOptions): this;

  /** Component labels: argmax_k of the responsibilities (the first on ties). */
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

  /** Responsibilities p(k | x_n) (for the Bayesian mixture q(z_n = k)), N × K. */
  predictProba(X: MatrixLike): Matrix<Float64Array> {
    const { x, engine } = this.open(X);
    try {
      engine.eStep(this.state.params);
      return { data: engine.responsibilities(), rows: x.rows, cols: this.nComponents };
    } finally {
      engine.release();
    }
  }

  /** log Σ_k exp(log weight_k + log N(x_n | μ_k, Σ_k)) per row (for EM: log p(x_n)). */
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

  /** Mean of scoreSamples over the rows (with `sampleWeight`, the weighted mean Σ w s / Σ w). */
  score(X: MatrixLike, options: SampleWeightOptions = {}): number {
    const { total, n } = this.totalScore(X, options, 'score');
    return total / n;
  }

  /** Σ scoreSamples and the number of rows (weighted: Σ w s and Σ w; zero-weight rows are skipped). */
  protected totalScore(X: MatrixLike, options: SampleWeightOptions, method: string): { total: number; n: number } {
    checkFitOptions(options, `${this.kind}.${method}`);
    const s = this.scoreSamples(X);
    const w = checkSampleWeight(options.sampleWeight, s.length);
    let total = 0;
    for (let i = 0; i < s.length; i++) {
      if (!w) total += s[i];
      else if (w[i] > 0) total += w[i] * s[i];
    }
    return { total, n: totalWeight(w, s.length) };
  }

  /** n draws from the fitted mixture, grouped by component as scikit-learn does; seeded by `seed` (default: the model's). */
  sample(n: number, seed = this.seed): {
    /** The draws, n × D. */
    X: Matrix<Float64Array>;
    /** The component each draw came from. */
    labels: Int32Array;
  } {
    checkInteger(n, 'n', 1);
    return sampleGaussianMixture(this.state.params, this.covarianceType, n, new Random(checkSeed(seed)));
  }

  /** Mixture weights (K). */
  get weights(): Float64Array { return this.state.params.weights.slice(); }
  /** Component means (K × D). */
  get means(): Matrix<Float64Array> { const m = this.state.params.means; return { data: m.data.slice(), rows: m.rows, cols: m.cols }; }
  /** Covariances, flat row-major: full K·D·D, tied D·D, diag K·D, spherical K. */
  get covariances(): Float64Array { return this.state.params.covariances.slice(); }
  /** P_k with precision_k = P_k P_kᵀ, same layout as covariances. */
  get precisionsCholesky(): Float64Array { return this.state.params.precisionsCholesky.slice(); }
  /** The inverses of the covariances, same layout. */
  get precisions(): Float64Array {
    return precisionsFromCholesky(this.state.params.precisionsCholesky, this.covarianceType, this.nComponents, this.state.nFeatures);
  }
  /** Whether the best initialisation's fit converged. */
  get converged(): boolean { return this.state.converged; }
  /** Iterations run by the best initialisation. */
  get nIter(): number { return this.state.nIter; }
  /** The bound after the last iteration of the best initialisation (−Infinity when maxIter is 0). */
  get lowerBound(): number { return this.state.lowerBound; }
  /** The bound after each iteration of the best initialisation. */
  get lowerBoundHistory(): number[] { return this.state.lowerBoundHistory.slice(); }
  /** True once fit (or fromJSON) has run. */
  get isFitted(): boolean { return this.fitted !== null; }

  protected get state(): F {
    if (!this.fitted) throw new NotFittedError(`this ${this.kind} is not fitted yet: call fit(X) first`);
    return this.fitted;
  }

  /** An engine on x, in the frame centred on `origin` (default: the (weighted) column means of x), weighing rows by `sampleWeight`. */
  protected engine(x: Matrix, origin?: Float64Array, sampleWeight?: Float64Array, unchecked?: string): MixtureEngine {
    const spec = { X: x, covarianceType: this.covarianceType, nComponents: this.nComponents, origin, sampleWeight, unchecked };
    const reference = this.baseOptions.engine === 'reference';
    const open = (s: EngineSpec) => (reference ? new ReferenceEngine(s) : new WasmEngine(s));
    // Only data with NaN takes the incomplete-data path: complete data runs exactly as without the
    // option. The reference engine completes every incomplete row in its direct form (the oracle).
    if (this.missing === 'marginalize' && hasMissing(x)) {
      return new MissingEngine({ ...spec, origin: origin ?? observedColumnMeans(x, sampleWeight) }, open, reference ? Infinity : undefined, reference ? 'reference' : 'wasm');
    }
    return open(spec);
  }

  /** X for a fit: N ≥ 2 rows, finite, or with missing: 'marginalize' NaN allowed (no all-NaN row or column). */
  protected trainingData(X: MatrixLike): Matrix {
    if (this.missing === 'error') return toMatrix(X, 'X', { minRows: 2 });
    return readIncomplete(X, 'X', { minRows: 2, noEmptyRows: true, noEmptyColumns: true });
  }

  /** X with its missing entries replaced by the observed column means (X itself when complete): what default priors see. */
  protected filledData(x: Matrix, sampleWeight?: Float64Array): Matrix {
    return hasMissing(x) ? meanImputed(x, sampleWeight) : x;
  }

  /**
   * E[x | x_o] under the fitted model: a copy of X (N × D) whose NaN entries are replaced by
   * Σ_k p(k | x_o) E[x_m | x_o, k], the conditional means of the components (Gaussian
   * conditioning on the observed features) weighted by the posterior of each component given
   * the observed features. Observed entries are returned unchanged; a row without any observed
   * value gets the mixture's mean Σ_k w_k μ_k. Works whatever the `missing` option (it governs
   * fits and scores). For the Bayesian mixture, the posterior means and covariances are used.
   *
   * @example
   * ```ts
   * const gm = new GaussianMixture({ nComponents: 3, missing: 'marginalize' }).fit(X); // X may hold NaN
   * const completed = gm.impute([[1.2, NaN, 0.4]]);                                     // the NaN filled in
   * ```
   * @throws ShapeError when X has not the model's number of columns; ValueError on ±Infinity
   */
  impute(X: MatrixLike): Matrix<Float64Array> {
    const D = this.state.nFeatures;
    const x = readIncomplete(X, 'X', { cols: D, colsReason: `the model was fitted on ${D}` });
    const out = Float64Array.from(x.data);
    if (!hasMissing(x)) return { data: out, rows: x.rows, cols: D };
    const spec = { covarianceType: this.covarianceType, nComponents: this.nComponents, origin: observedColumnMeans(x) };
    imputeMissing(x, this.state.params, spec, out, this.baseOptions.engine === 'reference' ? 'reference' : 'wasm');
    return { data: out, rows: x.rows, cols: D };
  }

  /**
   * partialFit's first batch: X checked as by fit (N ≥ max(2, K) rows, finite), the weights, and
   * an engine in the batch's (weighted) centred frame, with the centred data for the
   * initialisation. The caller releases the engine.
   */
  protected openFirstBatch(X: MatrixLike, options: FitOptions): { x: Matrix; w?: Float64Array; engine: MixtureEngine; initData: InitData } {
    const x = this.trainingData(X);
    const K = this.nComponents;
    if (x.rows < K) throw new ShapeError(`the first batch of partialFit must have at least nComponents = ${K} rows; got ${x.rows}`);
    const w = checkSampleWeight(options.sampleWeight, x.rows);
    this.dropStream();
    const { engine, data } = this.framedEngine(x, w);
    return { x, w, engine, initData: data };
  }

  /**
   * An engine on a fit's data in the frame of the engines (centre.ts), and the data the
   * initialisation reads in that frame. Complete data on the wasm engine are copied in, their
   * origin found and their spread checked there, with no pass of JavaScript over them (these run
   * on the calling thread alone); other data as frameOf, before the engine.
   * @throws ValueError from checkSpread (the engine released)
   */
  private framedEngine(x: Matrix, w: Float64Array | undefined): { engine: MixtureEngine; data: InitData } {
    if (this.baseOptions.engine !== 'reference' && (this.missing === 'error' || !hasMissing(x))) {
      const engine = new WasmEngine({ X: x, covarianceType: this.covarianceType, nComponents: this.nComponents, sampleWeight: w });
      try {
        const origin = engine.frameOrigin;
        checkSpread(origin, engine.spread(), x.rows);
        return { engine, data: { centred: centredCopy(x, origin), source: { X: x, origin } } };
      } catch (err) {
        engine.release();
        throw err;
      }
    }
    const frame = frameOf(x, w, this.missing);
    return { engine: this.engine(x, frame.origin, w), data: frame.data };
  }

  /**
   * partialFit's engine for a later batch: the kept engine, reloaded with X, when X has the shape
   * of the batch before (so a stream of equal batches builds one engine); otherwise a new one,
   * built after the kept engine (this model's or another's) is released, so that it starts at
   * the bottom of wasm memory. Checks X and the weights as `open` does. Pair with closeStreamBatch.
   */
  protected openStreamBatch(X: MatrixLike, options: FitOptions): { x: Matrix; engine: MixtureEngine } {
    const { x, w, unchecked } = this.readBatch(X, options);
    const complete = !(this.missing === 'marginalize' && hasMissing(x));
    if (complete && this.stream?.reload({ X: x, sampleWeight: w, unchecked })) return { x, engine: this.stream };
    this.dropStream();
    releaseKept();
    return { x, engine: this.engine(x, undefined, w, unchecked) };
  }

  /**
   * Ends partialFit's use of an engine from openStreamBatch: after a successful step a new wasm
   * engine is kept for the next batch when memory.ts allows it (no other computation running);
   * any other engine is released. The kept engine stays kept after a failed step: every buffer a
   * step reads is written again by the next reload.
   */
  protected closeStreamBatch(engine: MixtureEngine, succeeded: boolean): void {
    if (engine === this.stream) return;
    if (succeeded && engine instanceof WasmEngine && engine.keep()) this.stream = engine;
    else engine.release();
  }

  /** Releases the kept engine's memory (fit, a new stream, a batch of another shape). */
  private dropStream(): void {
    this.stream?.release();
    this.stream = null;
  }

  /**
   * Checks X (and the weights, when given) against the fitted model and opens an engine on it.
   * Complete, unweighted data leave the finiteness check to the engine, which makes it on the
   * column sums of the pass that copies X in (the same ValueError, without a pass of its own).
   */
  protected open(X: MatrixLike, options: SampleWeightOptions = {}): { x: Matrix; engine: MixtureEngine } {
    const { x, w, unchecked } = this.readBatch(X, options);
    return { x, engine: this.engine(x, undefined, w, unchecked) };
  }

  /** X and its weights checked against the fitted model; `unchecked` names X when its finiteness is left to the engine. */
  private readBatch(X: MatrixLike, options: SampleWeightOptions): { x: Matrix; w?: Float64Array; unchecked?: string } {
    const D = this.state.nFeatures;
    const colsReason = `the model was fitted on ${D}`;
    // Options written out, not spread: a spread object's keys are several times slower for
    // checkOptions to walk, and partialFit reads every batch through here.
    if (this.missing === 'error' && options.sampleWeight === undefined) return { x: toMatrix(X, 'X', { cols: D, colsReason, finite: false }), unchecked: 'X' };
    const shape = { cols: D, colsReason };
    const x = this.missing === 'error' ? toMatrix(X, 'X', shape) : readIncomplete(X, 'X', shape);
    return { x, w: checkSampleWeight(options.sampleWeight, x.rows) };
  }
}

/**
 * The frame of the engines (centre.ts): centred on the (weighted) column means, observed entries
 * only when X has NaN (possible under missing: 'marginalize' alone); and the data the
 * initialisation reads in it (init.ts).
 */
function frameOf(x: Matrix, w: Float64Array | undefined, missing: MissingPolicy): { origin: Float64Array; data: InitData } {
  // Under missing: 'error' X was checked finite: no NaN to look for.
  if (missing === 'error' || !hasMissing(x)) {
    const frame = centred(x, w);
    return { origin: frame.origin, data: { centred: frame.X, source: { X: x, origin: frame.origin } } };
  }
  const frame = centredIncomplete(x, w);
  return { origin: frame.origin, data: { centred: () => frame.X } };
}

/** Options of `fit` (and of `score`, `bic`, `aic`, `partialStats`). */
export type FitOptions = SampleWeightOptions;

const FIT_OPTION_KEYS = optionKeys<FitOptions>()(['sampleWeight']);

/**
 * Checks the options of fit, score, bic, aic, partialStats or partialFit (`sampleWeights` would
 * otherwise be ignored and the fit silently unweighted).
 * @throws OptionError naming the method and the unknown option, with the closest known name
 */
export function checkFitOptions(options: FitOptions | undefined, owner: string): FitOptions {
  return checkOptions(options, FIT_OPTION_KEYS, owner);
}
