/**
 * What every hidden Markov model shares (hmmlearn's BaseHMM, camel-cased): options, the
 * Baum-Welch fit through the shared EM loop (src/em.ts: the family supplies `initialize` and
 * `iterate`), and inference on fitted parameters — score, posteriors, Viterbi / MAP decoding,
 * sampling, BIC / AIC. A subclass supplies its emission model only.
 */
import { runEM, type EMFamily, type IterationInfo } from '../em.js';
import { NotFittedError, ValueError } from '../runtime/errors.js';
import type { Matrix, MatrixLike } from '../runtime/matrix.js';
import { Workspace, type Buffer } from '../runtime/memory.js';
import { Random } from '../runtime/random.js';
import { checkInteger, checkNonNegative, checkSeed } from '../runtime/validate.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { rememberOptions } from '../runtime/construction.js';
import { forwardBackward, viterbiPath, type ChainEngine } from './chain.js';
import { checkLengths, checkLetters, checkProbabilities, checkStochasticMatrix } from './validate.js';

/** Options every HMM takes (hmmlearn's names, camel-cased). */
export interface HMMOptions {
  /** Number of hidden states K (default 1). */
  nComponents?: number;
  /** Baum-Welch iterations at most (default 10, as hmmlearn). */
  nIter?: number;
  /** Stop when the total log-likelihood changes by less than this (default 1e-2, as hmmlearn). */
  tol?: number;
  /** Seed of every random choice: initialisation and sampling (default 0). */
  seed?: number;
  /** Initial state distribution π (K), used as given. */
  startProbInit?: ArrayLike<number>;
  /** Transition matrix A (K × K, rows sum to 1; number[][] or flat), used as given. */
  transMatInit?: number[][] | ArrayLike<number>;
  /** Which parameters Baum-Welch updates: letters of 's' (startProb), 't' (transMat) and the emission's (default all). */
  params?: string;
  /** Which parameters fit initialises when no *Init option gives them (default all). */
  initParams?: string;
  /** Called after each iteration with the total log-likelihood of the E-step; return false to stop. */
  onIteration?: (info: IterationInfo) => boolean | void;
  /** Receives warnings (a fit that did not converge); default console.warn. */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript twins of the chain kernels. */
  engine?: ChainEngine;
}

/** The option names every HMM takes. */
export const HMM_OPTION_KEYS = optionKeys<HMMOptions>()([
  'nComponents', 'nIter', 'tol', 'seed', 'startProbInit', 'transMatInit', 'params', 'initParams', 'onIteration', 'onWarning', 'engine',
]);

/** The options a saved HMM does not hold, which `fromJSON` takes beside the file. */
export type HMMRuntimeOptions = Pick<HMMOptions, 'onIteration' | 'onWarning' | 'engine'>;

/** The names of {@link HMMRuntimeOptions}. */
export const HMM_RUNTIME_OPTION_KEYS = optionKeys<HMMRuntimeOptions>()(['onIteration', 'onWarning', 'engine']);

/** Fitted parameters: π, A and the emission model's parameters E. */
export interface HMMParams<E> {
  startProb: Float64Array;
  transMat: Float64Array;
  emission: E;
}

/** The fitted state every HMM keeps. */
export interface HMMFit<E> {
  params: HMMParams<E>;
  converged: boolean;
  nIter: number;
  lowerBoundHistory: number[];
}

/** What scoreSamples returns. */
export interface HMMScore {
  /** Σ over sequences of log p(x_seq). */
  logProb: number;
  /** p(z_t = k | x), N × K. */
  posteriors: Matrix<Float64Array>;
}

/** What sample returns. */
export interface HMMSample {
  /** The observations, n × D (one column of symbols for CategoricalHMM). */
  X: Matrix<Float64Array>;
  /** The hidden state of every step. */
  states: Int32Array;
}

/** What decode returns. */
export interface HMMDecode {
  /** Viterbi: log p(x, z*) of the best paths; MAP: Σ_t log max_k p(z_t = k | x). */
  logProb: number;
  /** The decoded state of every row. */
  states: Int32Array;
}

/**
 * A data set opened for a fit or a query: the emission log-densities on demand (N × K, an array
 * or an f64 buffer in wasm memory valid until the next call), released after.
 */
export interface EmissionData<E> {
  readonly x: Matrix;
  logDensities(e: E): Float64Array | Buffer;
  release(): void;
}

export abstract class BaseHMM<E, Data extends EmissionData<E> = EmissionData<E>> {
  /** Number of hidden states K. */
  readonly nComponents: number;
  /** Baum-Welch iterations at most (the nIter option; after a fit, `nIter` is the number run). */
  readonly maxIter: number;
  /** Convergence tolerance on the change of the total log-likelihood. */
  readonly tol: number;
  /** Seed of initialisation and sampling. */
  readonly seed: number;
  /** Parameters Baum-Welch updates. */
  readonly params: string;
  /** Parameters fit initialises. */
  readonly initParams: string;
  protected fitted: HMMFit<E> | null = null;
  protected abstract readonly kind: string;
  /** Letters the emission model adds to 'st'. */
  protected abstract readonly emissionLetters: string;

  constructor(protected readonly options: HMMOptions, letters: string) {
    this.nComponents = checkInteger(options.nComponents ?? 1, 'nComponents', 1);
    this.maxIter = checkInteger(options.nIter ?? 10, 'nIter', 0);
    this.tol = checkNonNegative(options.tol ?? 1e-2, 'tol');
    this.seed = checkSeed(options.seed ?? 0);
    this.params = checkLetters(options.params ?? 'st' + letters, 'params', 'st' + letters);
    this.initParams = checkLetters(options.initParams ?? 'st' + letters, 'initParams', 'st' + letters);
    rememberOptions(this, options);
    const K = this.nComponents;
    if (options.startProbInit !== undefined) checkProbabilities(options.startProbInit, 'startProbInit', K);
    if (options.transMatInit !== undefined) checkStochasticMatrix(options.transMatInit, 'transMatInit', K, K);
  }

  /** Checks X (and its features against the fitted model when `fitting` is false). */
  protected abstract checkX(X: MatrixLike, fitting: boolean): Matrix;
  /** Opens X for repeated evaluation of the emission log-densities. */
  protected abstract openData(x: Matrix): Data;
  /** Initial emission parameters: the *Init options as given, otherwise initialised (or kept from the last fit). */
  protected abstract initialEmission(x: Matrix, rng: Random): E;
  /**
   * The emission M-step from the posteriors (N × K), updating the letters in `this.params`. The
   * posteriors are a view of wasm memory: read (or copied) before anything allocates there.
   */
  protected abstract emissionMStep(data: Data, posteriors: Float64Array, e: E): E;
  /** Free emission parameters, for BIC and AIC. */
  protected abstract emissionParameterCount(): number;
  /** One draw from state k's emission distribution. */
  protected abstract sampleEmission(e: E, k: number, rng: Random, out: Float64Array): void;
  /** Columns of a sample row. */
  protected abstract sampleColumns(e: E): number;

  /**
   * Baum-Welch: from the initial parameters, E-step (scaled forward-backward), M-step, until the
   * total log-likelihood changes by less than tol or nIter iterations ran. All-or-nothing: a fit
   * that throws leaves the model as it was.
   * @param X the observations of all sequences, one after another (N rows)
   * @param options.lengths the sequences' lengths (default: one sequence of N rows)
   */
  fit(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): this {
    options = checkOptions(options, ['lengths'], `${this.kind}.fit`);
    const x = this.checkX(X, true);
    const lengths = checkLengths(options.lengths, x.rows);
    const data = this.openData(x);
    let scratch: Workspace | null = null;
    try {
      // Every iteration's posteriors in one buffer of wasm memory, whose pages earlier
      // computations have touched: a new array each fit would cost its page faults.
      scratch = new Workspace();
      const posteriors = scratch.f64(x.rows * this.nComponents);
      const family: EMFamily<HMMParams<E>> = {
        initialize: () => this.initialParams(x),
        iterate: (p) => this.baumWelchStep(data, lengths, p, posteriors),
      };
      const result = runEM(family, { nInit: 1, maxIter: this.maxIter, tol: this.tol, onIteration: this.options.onIteration });
      this.checkFinite(result.params);
      // The warning comes before the commit: a throwing onWarning leaves the model as it was.
      if (!result.converged && this.maxIter > 0 && !result.stopped) {
        (this.options.onWarning ?? console.warn)(
          `${this.kind} did not converge in nIter = ${this.maxIter} iterations (the last change of the log-likelihood is above tol = ${this.tol}); try a larger nIter, other initial parameters, or check the data`,
        );
      }
      this.fitted = { params: result.params, converged: result.converged, nIter: result.nIter, lowerBoundHistory: result.lowerBoundHistory };
    } finally {
      scratch?.release();
      data.release();
    }
    return this;
  }

  /** One Baum-Welch iteration: the E-step's log-likelihood and the parameters of its M-step; the posteriors (N × K) go into `posteriors`. */
  protected baumWelchStep(data: Data, lengths: Int32Array, p: HMMParams<E>, posteriors: Buffer): { params: HMMParams<E>; lowerBound: number } {
    const K = this.nComponents;
    const fb = forwardBackward(
      { logB: data.logDensities(p.emission), lengths, startProb: p.startProb, transMat: p.transMat, K },
      { posteriors, transitionCounts: this.params.includes('t') }, this.engineName,
    );
    // A view of wasm memory: read below and by the emission M-step before it allocates (the
    // Gaussian M-step copies it into its engine first).
    const post = fb.posteriors as Float64Array;
    let startProb = p.startProb, transMat = p.transMat;
    if (this.params.includes('s')) startProb = startFromPosteriors(post, lengths, K);
    if (this.params.includes('t')) transMat = transitionsFromCounts(fb.transitionCounts as Float64Array, p.transMat, K);
    const emission = this.emissionMStep(data, post, p.emission);
    return { params: { startProb, transMat, emission }, lowerBound: fb.logProb };
  }

  private initialParams(x: Matrix): HMMParams<E> {
    const K = this.nComponents;
    const rng = new Random(this.seed);
    const o = this.options;
    const startProb = o.startProbInit !== undefined ? checkProbabilities(o.startProbInit, 'startProbInit', K)
      : this.initParams.includes('s') || !this.fitted ? new Float64Array(K).fill(1 / K) : this.fitted.params.startProb;
    const transMat = o.transMatInit !== undefined ? checkStochasticMatrix(o.transMatInit, 'transMatInit', K, K)
      : this.initParams.includes('t') || !this.fitted ? new Float64Array(K * K).fill(1 / K) : this.fitted.params.transMat;
    return { startProb, transMat, emission: this.initialEmission(x, rng) };
  }

  /** Throws rather than keeping parameters that hold NaN (degenerate data). */
  protected checkFinite(p: HMMParams<E>): void {
    const bad = [...p.startProb, ...p.transMat].some((v) => !Number.isFinite(v));
    if (bad) throw new ValueError(`${this.kind}.fit produced non-finite probabilities: check the data for degenerate sequences`);
  }

  /** Total log p(X) over the sequences. */
  score(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): number {
    options = checkOptions(options, ['lengths'], `${this.kind}.score`);
    return this.infer(X, options.lengths, false).logProb;
  }

  /** Total log p(X) and the state posteriors p(z_t = k | x) (N × K). */
  scoreSamples(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): HMMScore {
    options = checkOptions(options, ['lengths'], `${this.kind}.scoreSamples`);
    const r = this.infer(X, options.lengths, true);
    return { logProb: r.logProb, posteriors: { data: r.posteriors as Float64Array, rows: r.rows, cols: this.nComponents } };
  }

  /** The state posteriors p(z_t = k | x), N × K. */
  predictProba(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): Matrix<Float64Array> {
    return this.scoreSamples(X, options).posteriors;
  }

  /** The Viterbi path (the most probable state sequence of each sequence). */
  predict(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): Int32Array {
    return this.decode(X, options).states;
  }

  /**
   * The most probable states: 'viterbi' (default) the jointly most probable path with its
   * log p(x, z*); 'map' each row's most probable state with Σ_t log max_k p(z_t = k | x).
   */
  decode(X: MatrixLike, options: { lengths?: ArrayLike<number>; algorithm?: 'viterbi' | 'map' } = {}): HMMDecode {
    options = checkOptions(options, ['lengths', 'algorithm'], `${this.kind}.decode`);
    const algorithm = options.algorithm ?? 'viterbi';
    if (algorithm !== 'viterbi' && algorithm !== 'map') throw new ValueError(`algorithm must be 'viterbi' or 'map'; got ${String(algorithm)}`);
    if (algorithm === 'map') {
      const r = this.infer(X, options.lengths, true);
      const post = r.posteriors as Float64Array, K = this.nComponents;
      const states = new Int32Array(r.rows);
      let logProb = 0;
      for (let t = 0; t < r.rows; t++) {
        let best = 0;
        for (let k = 1; k < K; k++) if (post[t * K + k] > post[t * K + best]) best = k;
        states[t] = best;
        logProb += Math.log(post[t * K + best]);
      }
      return { logProb, states };
    }
    const p = this.state.params;
    const x = this.checkX(X, false);
    const lengths = checkLengths(options.lengths, x.rows);
    const data = this.openData(x);
    try {
      const logB = data.logDensities(p.emission);
      const v = viterbiPath({ logB, lengths, startProb: p.startProb, transMat: p.transMat, K: this.nComponents }, this.engineName);
      return { logProb: v.logProb, states: v.states };
    } finally {
      data.release();
    }
  }

  private infer(X: MatrixLike, lengthsArg: ArrayLike<number> | undefined, posteriors: boolean) {
    const p = this.state.params;
    const x = this.checkX(X, false);
    const lengths = checkLengths(lengthsArg, x.rows);
    const data = this.openData(x);
    try {
      const fb = forwardBackward({ logB: data.logDensities(p.emission), lengths, startProb: p.startProb, transMat: p.transMat, K: this.nComponents }, { posteriors }, this.engineName);
      return { logProb: fb.logProb, posteriors: fb.posteriors, rows: x.rows };
    } finally {
      data.release();
    }
  }

  /**
   * n steps of one sequence drawn from the model: z_1 ~ π, z_t ~ A[z_{t−1}], x_t ~ emission(z_t).
   * @param options.seed seed of the draws (default: the model's)
   */
  sample(n: number, options: { seed?: number } = {}): HMMSample {
    checkInteger(n, 'n', 1);
    const p = this.state.params;
    const rng = new Random(checkSeed(options.seed ?? this.seed));
    const K = this.nComponents, D = this.sampleColumns(p.emission);
    const states = new Int32Array(n);
    const X = new Float64Array(n * D);
    const row = new Float64Array(D);
    for (let t = 0; t < n; t++) {
      states[t] = t === 0 ? rng.categorical(p.startProb) : rng.categorical(p.transMat.subarray(states[t - 1] * K, (states[t - 1] + 1) * K));
      this.sampleEmission(p.emission, states[t], rng, row);
      X.set(row, t * D);
    }
    return { X: { data: X, rows: n, cols: D }, states };
  }

  /** Free parameters among those in `params` (hmmlearn counts only the parameters it fits). */
  protected parameterCount(): number {
    const K = this.nComponents;
    return (this.params.includes('s') ? K - 1 : 0) + (this.params.includes('t') ? K * (K - 1) : 0) + this.emissionParameterCount();
  }

  /** Bayesian information criterion: −2 log p(X) + (free parameters)·log N (lower is better). */
  bic(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): number {
    const n = this.checkX(X, false).rows;
    return -2 * this.score(X, options) + this.parameterCount() * Math.log(n);
  }

  /** Akaike information criterion: −2 log p(X) + 2·(free parameters) (lower is better). */
  aic(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): number {
    return -2 * this.score(X, options) + 2 * this.parameterCount();
  }

  /** Initial state distribution π (K). */
  get startProb(): Float64Array { return this.state.params.startProb.slice(); }
  /** Transition matrix A (K × K, flat row-major): A[i, j] = p(z_{t+1} = j | z_t = i). */
  get transMat(): Matrix<Float64Array> { return { data: this.state.params.transMat.slice(), rows: this.nComponents, cols: this.nComponents }; }
  /** Whether the last fit converged. */
  get converged(): boolean { return this.state.converged; }
  /** Iterations the last fit ran (hmmlearn's monitor_.iter). */
  get nIter(): number { return this.state.nIter; }
  /** The total log-likelihood of each E-step (hmmlearn's monitor history). */
  get lowerBoundHistory(): number[] { return this.state.lowerBoundHistory.slice(); }
  /** True once fit (or fromJSON) has run. */
  get isFitted(): boolean { return this.fitted !== null; }

  protected get state(): HMMFit<E> {
    if (!this.fitted) throw new NotFittedError(`this ${this.kind} is not fitted yet: call fit(X) first`);
    return this.fitted;
  }

  protected get engineName(): ChainEngine {
    return this.options.engine ?? 'wasm';
  }
}

/** π from the posteriors of each sequence's first row (summed over sequences, normalised). */
export function startFromPosteriors(post: Float64Array, lengths: Int32Array, K: number): Float64Array {
  const pi = new Float64Array(K);
  let t0 = 0;
  for (let s = 0; s < lengths.length; s++) {
    for (let k = 0; k < K; k++) pi[k] += post[t0 * K + k];
    t0 += lengths[s];
  }
  return normalise(pi);
}

/** A from the expected transition counts, row by row; a row with no counts (a state never left) keeps its previous values. */
export function transitionsFromCounts(xi: Float64Array, previous: Float64Array, K: number): Float64Array {
  const A = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += xi[i * K + j];
    for (let j = 0; j < K; j++) A[i * K + j] = s > 0 ? xi[i * K + j] / s : previous[i * K + j];
  }
  return A;
}

function normalise(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return v.map((x) => x / s);
}
