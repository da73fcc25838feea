/** FactorialHMM: coupled Markov chains with a shared Gaussian emission (Ghahramani & Jordan 1997). */
import { runEM, type IterationInfo } from '../em.js';
import { NotFittedError, ShapeError, ValueError } from '../runtime/errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { checkChoice, checkInteger, checkNonNegative, checkSeed } from '../runtime/validate.js';
import type { ChainEngine } from './chain.js';
import {
  exactInference, factorialMStep, meanFieldStats, meanFieldSweep, precisionOf, uniformMeanField,
  type FactorialParams, type MeanField,
} from './factorial-math.js';
import { checkLengths, checkLetters } from './validate.js';
import { checkOptions, optionKeys } from '../runtime/options.js';

const FACTORIAL_HMM_OPTION_KEYS = optionKeys<FactorialHMMOptions>()([
  'nChains', 'nStates', 'inference', 'nIter', 'tol', 'maxSweeps', 'sweepTol', 'minCovar', 'params', 'seed', 'onIteration', 'onWarning', 'engine',
]);

/** Joint states at most for exact inference: the dense joint chain costs (K^M)² per step. */
export const MAX_JOINT_STATES = 4096;

/** Options of {@link FactorialHMM}. */
export interface FactorialHMMOptions {
  /** Number of chains M (default 2). */
  nChains?: number;
  /** States per chain K (default 2). */
  nStates?: number;
  /** E-step: 'structured' mean-field (default; linear in M) or 'exact' (over K^M ≤ 4096 joint states). */
  inference?: 'structured' | 'exact';
  /** EM iterations at most (default 100). */
  nIter?: number;
  /** Stop when the bound changes by less than this (default 1e-4). */
  tol?: number;
  /** Mean-field sweeps at most per E-step (default 50). */
  maxSweeps?: number;
  /** Stop sweeping when the bound changes by less than this (default 1e-10). */
  sweepTol?: number;
  /** Added to the diagonal of C after each M-step (default 1e-3; 0 gives the exact M-step). */
  minCovar?: number;
  /** Which parameters EM updates: letters of 's' (π), 't' (P), 'w' (W), 'c' (C) (default 'stwc'). */
  params?: string;
  /** Seed of the initial parameters (default 0). */
  seed?: number;
  /** Called after each EM iteration with the E-step's bound; return false to stop. */
  onIteration?: (info: IterationInfo) => boolean | void;
  /** Receives warnings (a fit that did not converge); default console.warn. */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript twins of the chain kernels. */
  engine?: ChainEngine;
}

/** Parameters given to {@link FactorialHMM.setParams} (and kept by a fit). */
export interface FactorialHMMParams {
  /** W (D × M·K, row-major): column m·K + k is chain m's contribution to the mean in its state k. */
  weights: Matrix;
  /** Shared covariance C (D × D). */
  covariance: ArrayLike<number>;
  /** π^(m) for each chain, M × K. */
  startProb: ArrayLike<number>;
  /** P^(m) for each chain, M × K × K, rows sum to 1. */
  transMat: ArrayLike<number>;
}

/** What {@link FactorialHMM.infer} returns. */
export interface FactorialInference {
  /** p(s_t^(m) = k | Y) (exact) or q(s_t^(m) = k) (mean-field): one N × K matrix per chain. */
  marginals: Matrix<Float64Array>[];
  /** The lower bound (structured) or log p(Y) (exact). */
  logProb: number;
  /** Structured only: each chain's variational log-potentials log h_t^(m) (N × K), GJ's h. */
  logPotentials?: Matrix<Float64Array>[];
}

/**
 * The factorial HMM: M chains s^(m) of K states each evolve independently (π^(m), P^(m)); the
 * observation is y_t ~ N(Σ_m W^(m) s_t^(m), C). The chains couple through y, so the exact
 * posterior runs over K^M joint states; structured mean-field keeps each chain an exact HMM
 * given the others' expectations (one forward-backward per chain per sweep), linear in M.
 *
 * @example
 * ```ts
 * await init();
 * const f = new FactorialHMM({ nChains: 3, nStates: 2, seed: 1 }).fit(X);
 * f.elbo(X) <= f.exactLogLikelihood(X); // true
 * const { marginals } = f.infer(X);      // one N × K matrix per chain
 * ```
 */
export class FactorialHMM {
  /** Number of chains M. */
  readonly nChains: number;
  /** States per chain K. */
  readonly nStates: number;
  /** E-step used by fit. */
  readonly inference: 'structured' | 'exact';
  /** EM iterations at most. */
  readonly maxIter: number;
  /** EM tolerance on the bound. */
  readonly tol: number;
  /** Mean-field sweeps at most per E-step. */
  readonly maxSweeps: number;
  /** Sweep tolerance on the bound. */
  readonly sweepTol: number;
  /** Ridge on C. */
  readonly minCovar: number;
  /** Parameters EM updates. */
  readonly params: string;
  /** Seed of the initial parameters. */
  readonly seed: number;
  private fitted: { p: FactorialParams; history: number[]; converged: boolean; nIter: number } | null = null;

  constructor(private readonly options: FactorialHMMOptions = {}) {
    options = this.options = checkOptions(options, FACTORIAL_HMM_OPTION_KEYS, 'FactorialHMM');
    this.nChains = checkInteger(options.nChains ?? 2, 'nChains', 1);
    this.nStates = checkInteger(options.nStates ?? 2, 'nStates', 1);
    this.inference = checkChoice(options.inference ?? 'structured', 'inference', ['structured', 'exact'] as const);
    this.maxIter = checkInteger(options.nIter ?? 100, 'nIter', 0);
    this.tol = checkNonNegative(options.tol ?? 1e-4, 'tol');
    this.maxSweeps = checkInteger(options.maxSweeps ?? 50, 'maxSweeps', 1);
    this.sweepTol = checkNonNegative(options.sweepTol ?? 1e-10, 'sweepTol');
    this.minCovar = checkNonNegative(options.minCovar ?? 1e-3, 'minCovar');
    this.params = checkLetters(options.params ?? 'stwc', 'params', 'stwc');
    this.seed = checkSeed(options.seed ?? 0);
    if (this.inference === 'exact') this.checkJoint();
  }

  private checkJoint(): void {
    const S = this.nStates ** this.nChains;
    if (S > MAX_JOINT_STATES) {
      throw new ValueError(`exact inference needs nStates^nChains ≤ ${MAX_JOINT_STATES} joint states; got ${this.nStates}^${this.nChains} = ${S} (use inference: 'structured')`);
    }
  }

  /**
   * Variational EM (or exact EM with inference: 'exact') through the shared EM loop: each E-step
   * sweeps structured mean-field from the previous q until the bound settles, each M-step
   * maximises the bound in the parameters; the bound never decreases. All-or-nothing.
   * @param X observations, N × D (sequences one after another)
   * @param options.lengths the sequences' lengths (default [N])
   */
  fit(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): this {
    const x = toMatrix(X, 'X', { minRows: 2 });
    const lengths = checkLengths(options.lengths, x.rows);
    const M = this.nChains, K = this.nStates, engine = this.engineName;
    // q persists across EM iterations: each E-step starts from the last, so the bound never decreases.
    const q: MeanField = uniformMeanField(M, K, x.rows);
    const result = runEM<FactorialParams>({
      initialize: () => this.fitted && this.fitted.p.D === x.cols ? this.fitted.p : this.initialParams(x),
      iterate: (p) => {
        if (this.inference === 'exact') {
          const r = exactInference(p, x, lengths, engine, true);
          return { params: factorialMStep(p, r.stats!, this.minCovar, this.params), lowerBound: r.logProb };
        }
        const bound = this.sweepToConvergence(p, x, lengths, q);
        return { params: factorialMStep(p, meanFieldStats(p, x, lengths, q), this.minCovar, this.params), lowerBound: bound };
      },
    }, { nInit: 1, maxIter: this.maxIter, tol: this.tol, onIteration: this.options.onIteration });
    precisionOf(result.params.C, x.cols);
    if (!result.lowerBoundHistory.every(Number.isFinite)) throw new ValueError('the bound became non-finite during the fit: check the data for constant features or increase minCovar');
    // The warning comes before the commit: a throwing onWarning leaves the model as it was.
    if (!result.converged && this.maxIter > 0 && !result.stopped) {
      (this.options.onWarning ?? console.warn)(`FactorialHMM did not converge in nIter = ${this.maxIter} iterations (last change above tol = ${this.tol})`);
    }
    this.fitted = { p: result.params, history: result.lowerBoundHistory, converged: result.converged, nIter: result.nIter };
    return this;
  }

  /** Sweeps until the bound changes by less than sweepTol (or maxSweeps); returns the bound. */
  private sweepToConvergence(p: FactorialParams, x: Matrix, lengths: Int32Array, q: MeanField, history?: number[]): number {
    let bound = -Infinity;
    for (let sweep = 0; sweep < this.maxSweeps; sweep++) {
      const next = meanFieldSweep(p, x, lengths, q, this.engineName);
      history?.push(next);
      const change = next - bound;
      bound = next;
      if (Math.abs(change) <= this.sweepTol * Math.max(1, Math.abs(next))) break;
    }
    return bound;
  }

  /** Random W (N(0, 1)·spread of the data), C = the data's covariance, uniform π, near-uniform P. */
  private initialParams(x: Matrix): FactorialParams {
    const M = this.nChains, K = this.nStates, D = x.cols, N = x.rows, J = M * K;
    const rng = new Random(this.seed);
    const mean = new Float64Array(D), C = new Float64Array(D * D);
    for (let t = 0; t < N; t++) for (let d = 0; d < D; d++) mean[d] += x.data[t * D + d] / N;
    for (let t = 0; t < N; t++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
      C[i * D + j] += ((x.data[t * D + i] - mean[i]) * (x.data[t * D + j] - mean[j])) / N;
    }
    for (let i = 0; i < D; i++) C[i * D + i] += this.minCovar;
    const W = new Float64Array(D * J);
    for (let d = 0; d < D; d++) for (let j = 0; j < J; j++) W[d * J + j] = mean[d] / M + Math.sqrt(C[d * D + d] / M) * rng.normal();
    const transMat = new Float64Array(M * K * K);
    for (let r = 0; r < M * K; r++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (transMat[r * K + k] = 1 + rng.random() + (k === r % K ? K : 0));
      for (let k = 0; k < K; k++) transMat[r * K + k] /= s;
    }
    return { M, K, D, W, C, startProb: new Float64Array(M * K).fill(1 / K), transMat };
  }

  /** Sets the parameters directly (a model ready for inference without a fit), each checked. */
  setParams(params: FactorialHMMParams): this {
    const M = this.nChains, K = this.nStates, J = M * K;
    const W = toMatrix(params.weights, 'weights');
    if (W.cols !== J) throw new ShapeError(`weights must be D × nChains·nStates = D × ${J}; got ${W.rows} × ${W.cols}`);
    const D = W.rows;
    const C = Float64Array.from(params.covariance);
    if (C.length !== D * D) throw new ShapeError(`covariance must hold D·D = ${D * D} values; got ${C.length}`);
    precisionOf(C, D);
    const startProb = Float64Array.from(params.startProb), transMat = Float64Array.from(params.transMat);
    if (startProb.length !== J) throw new ShapeError(`startProb must hold nChains·nStates = ${J} values; got ${startProb.length}`);
    if (transMat.length !== J * K) throw new ShapeError(`transMat must hold nChains·nStates·nStates = ${J * K} values; got ${transMat.length}`);
    for (let r = 0; r < M + J; r++) {
      const row = r < M ? startProb.subarray(r * K, (r + 1) * K) : transMat.subarray((r - M) * K, (r - M + 1) * K);
      const s = row.reduce((a, b) => a + b, 0);
      if (row.some((v) => !(v >= 0)) || Math.abs(s - 1) > 1e-8) {
        throw new ValueError(`${r < M ? `startProb of chain ${r}` : `row ${(r - M) % K} of transMat of chain ${Math.floor((r - M) / K)}`} must be probabilities summing to 1; it sums to ${s}`);
      }
    }
    this.fitted = { p: { M, K, D, W: Float64Array.from(W.data), C, startProb, transMat }, history: [], converged: true, nIter: 0 };
    return this;
  }

  /** The structured mean-field bound L(q) ≤ log p(Y) after sweeping to convergence from uniform q. */
  elbo(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): number {
    return this.infer(X, { ...options, method: 'structured' }).logProb;
  }

  /** The bound after each sweep of structured mean-field from uniform q (it never decreases). */
  elboSweeps(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): number[] {
    const { x, lengths, p } = this.open(X, options.lengths);
    const history: number[] = [];
    this.sweepToConvergence(p, x, lengths, uniformMeanField(this.nChains, this.nStates, x.rows), history);
    return history;
  }

  /** log p(Y) by exact inference over the K^M joint states (K^M ≤ 4096). */
  exactLogLikelihood(X: MatrixLike, options: { lengths?: ArrayLike<number> } = {}): number {
    return this.infer(X, { ...options, method: 'exact' }).logProb;
  }

  /**
   * Per-chain posterior marginals: by structured mean-field (default) with the bound, or exact
   * (method: 'exact') with log p(Y).
   */
  infer(X: MatrixLike, options: { lengths?: ArrayLike<number>; method?: 'structured' | 'exact' } = {}): FactorialInference {
    const method = checkChoice(options.method ?? 'structured', 'method', ['structured', 'exact'] as const);
    const { x, lengths, p } = this.open(X, options.lengths);
    const K = this.nStates, N = x.rows;
    if (method === 'exact') {
      this.checkJoint();
      const r = exactInference(p, x, lengths, this.engineName, false);
      return { logProb: r.logProb, marginals: r.marginals.map((data) => ({ data, rows: N, cols: K })) };
    }
    const q = uniformMeanField(this.nChains, K, N);
    const bound = this.sweepToConvergence(p, x, lengths, q);
    return {
      logProb: bound, marginals: q.marginals.map((data) => ({ data, rows: N, cols: K })),
      logPotentials: q.logH.map((data) => ({ data, rows: N, cols: K })),
    };
  }

  private open(X: MatrixLike, lengthsArg: ArrayLike<number> | undefined) {
    const p = this.state.p;
    const x = toMatrix(X, 'X', { cols: p.D, colsReason: `the model has ${p.D} features` });
    return { x, lengths: checkLengths(lengthsArg, x.rows), p };
  }

  /** W (D × M·K): column m·K + k is chain m's contribution to the mean in state k. */
  get weights(): Matrix<Float64Array> { const p = this.state.p; return { data: p.W.slice(), rows: p.D, cols: p.M * p.K }; }
  /** Shared covariance C (D × D, flat). */
  get covariance(): Float64Array { return this.state.p.C.slice(); }
  /** π^(m), M × K. */
  get startProb(): Matrix<Float64Array> { const p = this.state.p; return { data: p.startProb.slice(), rows: p.M, cols: p.K }; }
  /** P^(m), M × K × K (flat). */
  get transMat(): Float64Array { return this.state.p.transMat.slice(); }
  /** The bound of each EM iteration's E-step. */
  get lowerBoundHistory(): number[] { return this.state.history.slice(); }
  /** Whether the last fit converged. */
  get converged(): boolean { return this.state.converged; }
  /** EM iterations of the last fit. */
  get nIter(): number { return this.state.nIter; }

  private get state() {
    if (!this.fitted) throw new NotFittedError('this FactorialHMM is not fitted yet: call fit(X) or setParams first');
    return this.fitted;
  }

  private get engineName(): ChainEngine {
    return this.options.engine ?? 'wasm';
  }
}
