/**
 * BinarySparseCoding: binary latent causes with a Gaussian observation model, inferred by
 * mean-field (the book's fixed point) or exactly by enumeration, learned by variational EM.
 */
import { runEM } from '../em.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { rememberOptions } from '../runtime/construction.js';
import { NotFittedError, ShapeError, ValueError } from '../runtime/errors.js';
import { buildFromFile, readModelFile, type FieldReader } from '../runtime/model-file.js';
import { describe, toMatrix, type Matrix, type MatrixLike, type SerializedMatrix } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { checkChoice, checkSeed } from '../runtime/validate.js';
import { couplings, logJointRow, mStep, rowConstants, type BscParams, type BscStats } from './bsc.js';
import { fitMessage, largest, requireFinite, sweepsMessage, warningSink, type WarningSink } from './guards.js';
import { bscEngine, type BscEngine } from './bsc-engine.js';
import { sigmoid } from './dense.js';
import { enumerate, type BinaryQuadratic } from './quadratic.js';
import type { ConvergenceInfo, Engine, FitIterationInfo, MeanFieldOptions } from './types.js';
import {
  MEAN_FIELD_OPTION_KEYS,
  checkData, checkEngine, checkEnumerable, checkInteger, checkNonNegative, checkParamMatrix, checkParamVector,
  checkPositive, resolveMeanField,
} from './validate.js';

/** Constructor options: given parameters (W, b, beta) or a size to learn (nHidden). */
export interface BinarySparseCodingOptions {
  /** m × n dictionary: column i is the pattern latent unit i adds to v. */
  W?: MatrixLike;
  /** Prior logits, length n: p(h_i = 1) = σ(b_i) (default 0 when W is given). */
  b?: Float64Array | number[];
  /** Noise precisions, length m, all > 0 (default 1 when W is given). */
  beta?: Float64Array | number[];
  /** Number of latent units n, for a model to be learned by `fit`. */
  nHidden?: number;
  /** Seed of the initialisation in `fit` and of `sample` (default 0); any safe integer, all of its bits used. */
  seed?: number;
  /**
   * Receives warnings (default console.warn): `infer` whose sweeps stop at maxIter, a `fit`
   * that stops at maxIter without meeting tol. Called before a fit is committed, so a throw
   * leaves the model as it was.
   */
  onWarning?: (message: string) => void;
}

/** Options of {@link BinarySparseCoding.infer}. */
export interface BscInferOptions extends MeanFieldOptions {
  /**
   * Starting ĥ (N × n, values in [0, 1]), or an encoder whose `predict(V)` gives it (an
   * amortised guess such as elbo's BscEncoder); default σ(b) in every row, the prior means.
   * The sweeps run from there, so the bound reported is that of q after the sweeps either way.
   */
  init?: MatrixLike | PosteriorEncoder;
}

/** A map from signals V (N × m) to starting posterior means ĥ (N × n, in [0, 1]). */
export interface PosteriorEncoder {
  /** Starting ĥ (N × n, values in [0, 1]) for the rows of V (N × m). */
  predict(V: Matrix): MatrixLike;
}

/** Result of {@link BinarySparseCoding.infer}. */
export interface BscInference extends ConvergenceInfo {
  /** N × n posterior means ĥ_ri = q(h_i = 1 | v_r). */
  hHat: Matrix<Float64Array>;
  /** The evidence lower bound L(v_r, q) ≤ log p(v_r), per row. */
  elbo: Float64Array;
}

/** Options of {@link BinarySparseCoding.fit}. */
export interface BscFitOptions {
  /** Variational EM iterations at most (default 100). */
  maxIter?: number;
  /** Stop when the mean bound per row changes by less than this (default 1e-6). */
  tol?: number;
  /** Sequential mean-field sweeps per E-step (default 20), each started from the last ĥ. */
  inferMaxIter?: number;
  /** Tolerance of the E-step sweeps on max |Δĥ| (default 1e-6). */
  inferTol?: number;
  /** 'wasm' (default) or 'reference'. */
  engine?: Engine;
  /** Called after each iteration with the mean bound per row; return false to stop. */
  onIteration?: (info: FitIterationInfo) => boolean | void;
  /**
   * Where each E-step's sweeps start: 'previous' (default), the last iteration's ĥ, which never
   * lowers the bound; 'prior', the prior means σ(b) every time, which keeps no per-row state
   * between iterations: the E-step of `partialStats`, and so of a fit spread over shards.
   */
  eStepStart?: 'previous' | 'prior';
}

const E_STEP_STARTS = ['previous', 'prior'] as const;

/** Options of {@link BinarySparseCoding.partialStats}: the E-step's sweeps, as in `fit`. */
export type BscStatsOptions = Pick<BscFitOptions, 'inferMaxIter' | 'inferTol' | 'engine'>;

/**
 * Statistics of one variational E-step over (a shard of) the data, which add across shards:
 * the expected sufficient statistics of the M-step and the bound's sum.
 */
export interface BscStatistics {
  /** Number of rows N. */
  N: number;
  /** Visible units m. */
  m: number;
  /** Latent units n. */
  n: number;
  /** Σ_r ĥ_r (n). */
  sumH: Float64Array;
  /** Σ_r ĥ_r ĥ_rᵀ (n × n, row-major). */
  HtH: Float64Array;
  /** Σ_r v_r ĥ_rᵀ (m × n, row-major). */
  VtH: Float64Array;
  /** Σ_r v_rk² (m). */
  sumV2: Float64Array;
  /** Σ_r of the evidence lower bound of row r under q (the fit's bound is sumBound / N). */
  sumBound: number;
}

const OPTION_KEYS = optionKeys<BinarySparseCodingOptions>()(['W', 'b', 'beta', 'nHidden', 'seed', 'onWarning']);
const INFER_OPTION_KEYS = optionKeys<BscInferOptions>()([...MEAN_FIELD_OPTION_KEYS, 'init']);
const FIT_OPTION_KEYS = optionKeys<BscFitOptions>()(['maxIter', 'tol', 'inferMaxIter', 'inferTol', 'engine', 'onIteration', 'eStepStart']);
const STATS_OPTION_KEYS = optionKeys<BscStatsOptions>()(['inferMaxIter', 'inferTol', 'engine']);

/** The plain-JSON form of a {@link BinarySparseCoding}. */
export interface BinarySparseCodingJSON {
  /** Always 'BinarySparseCoding'. */
  kind: 'BinarySparseCoding';
  /** Format version: 1 (a file without one is read as version 1). */
  version: 1;
  /** The model's seed (for sampling and initialisation). */
  seed?: number;
  /** The m × n dictionary, row-major. */
  W: SerializedMatrix;
  /** Prior logits b (n). */
  b: number[];
  /** Noise precisions β (m). */
  beta: number[];
  /** The mean bound per row after each iteration of the last fit. */
  lowerBoundHistory?: number[];
  /** Whether the last fit converged. */
  converged?: boolean;
  /** Iterations of the last fit. */
  nIter?: number;
}

/**
 * Binary sparse coding (Goodfellow et al. §19.4.1): p(h_i = 1) = σ(b_i), p(v | h) =
 * N(v; Wh, diag(β)⁻¹). The posterior over h ∈ {0,1}ⁿ couples the units through WᵀβW, so exact
 * inference costs 2ⁿ; mean-field fits q(h) = Π Bern(ĥ_i) and bounds log p(v) from below.
 *
 * @example
 * ```ts
 * import { init, BinarySparseCoding } from 'elbo-wasm';
 * await init();
 * const model = new BinarySparseCoding({ W: [[1, 0, 1], [0, 1, 1]], b: [-1, -1, -1], beta: [4, 4] });
 * const V = [[1, 0.1], [0.9, 1.1]];
 * const { hHat, elbo } = model.infer(V);       // mean-field posterior means and bounds
 * model.exactLogLikelihood(V);                  // log p(v) by enumerating 2³ states, ≥ elbo
 * const learned = new BinarySparseCoding({ nHidden: 3, seed: 1 }).fit(V);
 * learned.lowerBoundHistory;                    // never decreases
 * ```
 */
export class BinarySparseCoding {
  /** Seed of the initialisation in fit and of sample. */
  readonly seed: number;
  private params: BscParams | null = null;
  private readonly nHiddenOption: number | null;
  private history: number[] = [];
  private fitInfo: { converged: boolean; nIter: number } | null = null;
  private readonly onWarning: WarningSink;

  constructor(options: BinarySparseCodingOptions = {}) {
    options = checkOptions(options, OPTION_KEYS, 'BinarySparseCoding');
    rememberOptions(this, options);
    this.seed = checkSeed(options.seed ?? 0);
    this.onWarning = warningSink(options.onWarning);
    if (options.W !== undefined) {
      const W = checkParamMatrix(options.W, 'W');
      const { rows: m, cols: n } = W;
      if (options.nHidden !== undefined && options.nHidden !== n) {
        throw new ShapeError(`nHidden must equal the number of columns of W (${n}); got ${describe(options.nHidden)}`);
      }
      const b = options.b === undefined ? new Float64Array(n) : checkParamVector(options.b, 'b', n);
      const beta = options.beta === undefined ? new Float64Array(m).fill(1) : checkPositive(options.beta, 'beta', m);
      this.params = { W: W.data, b, beta, m, n };
      checkCouplings(this.params);
      this.nHiddenOption = n;
    } else {
      if (options.b !== undefined || options.beta !== undefined) throw new ValueError('b and beta need W: pass all three, or nHidden alone');
      this.nHiddenOption = checkInteger(options.nHidden, 'nHidden', 1);
    }
  }

  /** Number of latent units n. */
  get nHidden(): number { return this.params?.n ?? (this.nHiddenOption as number); }
  /** Number of visible units m (after construction with W, or after fit). */
  get nVisible(): number { return this.fitted().m; }
  /** The m × n dictionary (a copy). */
  get W(): Matrix<Float64Array> { const p = this.fitted(); return { data: Float64Array.from(p.W), rows: p.m, cols: p.n }; }
  /** Prior logits b (a copy). */
  get b(): Float64Array { return Float64Array.from(this.fitted().b); }
  /** Noise precisions β (a copy). */
  get beta(): Float64Array { return Float64Array.from(this.fitted().beta); }
  /** Mean bound per row after each variational EM iteration of the last fit. */
  get lowerBoundHistory(): number[] { return [...this.history]; }
  /** Whether the last fit converged. */
  get converged(): boolean { return this.fitInfo?.converged ?? false; }
  /** Iterations of the last fit. */
  get nIter(): number { return this.fitInfo?.nIter ?? 0; }

  /**
   * Mean-field inference: the fixed point ĥ_i = σ(b_i + vᵀβW:,i − ½W:,iᵀβW:,i − Σ_{j≠i} W:,jᵀβW:,i ĥ_j)
   * (Goodfellow eq. 19.44) for every row of V (N × m), sequential or damped parallel. A
   * Float32Array V runs the f32x4 sweeps (results are returned as f64; the bound accumulates in f64).
   */
  infer(V: MatrixLike, options: BscInferOptions = {}): BscInference {
    options = checkOptions(options, INFER_OPTION_KEYS, 'BinarySparseCoding.infer');
    const p = this.fitted();
    const x = toMatrix(V, 'V', { cols: p.m, colsReason: `the model has ${p.m} visible units` });
    const o = resolveMeanField(options);
    const init = isEncoder(options.init) ? options.init.predict(x) : options.init;
    const h0 = init === undefined ? this.priorMeans(x.rows) : checkProbabilities(init, 'init', x.rows, p.n);
    const e = bscEngine(o.engine, x.data, x.rows, p.m, p.n);
    try {
      e.setParams(p);
      e.q.setH(h0);
      const info = e.q.run(o);
      const bound = e.q.bound();
      const c = rowConstants(p, x.data, x.rows);
      for (let r = 0; r < x.rows; r++) bound[r] += c[r];
      requireFinite(bound, (r) => `the bound of row ${r} of V is not finite: V (max |v| = ${largest(x.data).toPrecision(3)}) is too large for W and beta (vᵀβW or βv² overflows f64); scale V down`);
      if (!info.converged && o.tol > 0) this.onWarning(sweepsMessage('BinarySparseCoding.infer', o.maxIter, info.change, o.tol));
      return { hHat: { data: e.q.h(), rows: x.rows, cols: p.n }, elbo: bound, ...info };
    } finally {
      e.release();
    }
  }

  /** The evidence lower bound per row at given posterior means hHat (N × n, in [0, 1]), in closed form. */
  elbo(V: MatrixLike, hHat: MatrixLike): Float64Array {
    const p = this.fitted();
    const x = checkData(V, 'V', p.m, `the model has ${p.m} visible units`);
    const h = checkProbabilities(hHat, 'hHat', x.rows, p.n);
    const e = bscEngine('wasm', x.data, x.rows, p.m, p.n);
    try {
      e.setParams(p);
      e.q.setH(h);
      const bound = e.q.bound();
      const c = rowConstants(p, x.data, x.rows);
      for (let r = 0; r < x.rows; r++) bound[r] += c[r];
      requireFinite(bound, (r) => `the bound of row ${r} of V is not finite: V (max |v| = ${largest(x.data).toPrecision(3)}) is too large for W and beta (vᵀβW or βv² overflows f64); scale V down`);
      return bound;
    } finally {
      e.release();
    }
  }

  /** log p(v) per row, exactly, by enumerating all 2ⁿ latent states (n ≤ 24). */
  exactLogLikelihood(V: MatrixLike): Float64Array {
    return this.exact(V, false).logLikelihood;
  }

  /** The exact posterior marginals p(h_i = 1 | v) (N × n) and log p(v), by enumeration (n ≤ 24). */
  exactPosterior(V: MatrixLike): {
    /** p(h_i = 1 | v) per row, N × n. */
    marginals: Matrix<Float64Array>;
    /** log p(v) per row. */
    logLikelihood: Float64Array;
  } {
    const r = this.exact(V, true);
    return { marginals: r.marginals as Matrix<Float64Array>, logLikelihood: r.logLikelihood };
  }

  /** log p(v_r, h_r) per row for binary H (N × n of 0 and 1), from the model's definition. */
  logJoint(V: MatrixLike, H: MatrixLike): Float64Array {
    const p = this.fitted();
    const x = checkData(V, 'V', p.m, `the model has ${p.m} visible units`);
    const h = toMatrix(H, 'H', { cols: p.n, colsReason: `the model has ${p.n} latent units` });
    if (h.rows !== x.rows) throw new ShapeError(`H must have as many rows as V (${x.rows}); got ${h.rows}`);
    for (let i = 0; i < h.data.length; i++) {
      if (h.data[i] !== 0 && h.data[i] !== 1) throw new ValueError(`H must hold only 0 and 1; H[${Math.floor(i / p.n)}][${i % p.n}] is ${h.data[i]}`);
    }
    const out = new Float64Array(x.rows);
    for (let r = 0; r < x.rows; r++) out[r] = logJointRow(p, x.data, r * p.m, h.data, r * p.n);
    return out;
  }

  /**
   * Learns W, b and β from V (N × m) by variational EM: the E-step runs sequential mean-field
   * sweeps from the previous ĥ (never lowering the bound), the M-step maximises the bound in
   * closed form with E_q[hhᵀ] = ĥĥᵀ + diag(ĥ(1 − ĥ)). Starts from the current parameters when
   * the model has them, otherwise from a seeded random W, b = 0 and β = 1/var(v_k).
   */
  fit(V: MatrixLike, options: BscFitOptions = {}): this {
    options = checkOptions(options, FIT_OPTION_KEYS, 'BinarySparseCoding.fit');
    const maxIter = checkInteger(options.maxIter ?? 100, 'maxIter', 1);
    const tol = checkNonNegative(options.tol ?? 1e-6, 'tol');
    const inner = resolveMeanField({ maxIter: options.inferMaxIter ?? 20, tol: options.inferTol ?? 1e-6, schedule: 'sequential', engine: checkEngine(options.engine ?? 'wasm') });
    const x = toMatrix(V, 'V', { minRows: 2, ...(this.params ? { cols: this.params.m, colsReason: `the model has ${this.params.m} visible units` } : {}) });
    const data = Float64Array.from(x.data);
    const N = x.rows, m = x.cols;
    const sumV2 = new Float64Array(m);
    for (let r = 0; r < N; r++) for (let k = 0; k < m; k++) sumV2[k] += data[r * m + k] ** 2;
    requireFinite(sumV2, (k) => `V column ${k} has Σ v² beyond f64 (max |v| = ${largest(data).toPrecision(3)}): the model's statistics overflow; scale V down (|v| well below 1e154)`);
    const fromPrior = checkChoice(options.eStepStart ?? 'previous', 'eStepStart', E_STEP_STARTS) === 'prior';
    let p = this.params ?? this.initialParams(data, N, m);
    const e = bscEngine(inner.engine, data, N, m, p.n);
    try {
      let h = this.priorMeans(N, p);
      const result = runEM<BscParams>({
        initialize: () => p,
        // E-step: sequential mean-field sweeps from the previous ĥ; the bound of that q; then the
        // closed-form M-step from its expected statistics.
        iterate: (params) => {
          if (fromPrior) h = this.priorMeans(N, params);
          const s = eStep(e, params, h, data, inner);
          h = s.h;
          return { params: mStep({ ...s.stats, sumV2 }, m, params.n), lowerBound: s.sumBound / N };
        },
      }, { nInit: 1, maxIter, tol, onIteration: options.onIteration });
      // Nothing is committed until the result is finite and the warning (which may throw) is out.
      requireFinite(result.lowerBoundHistory, (i, v) => `BinarySparseCoding.fit reached a bound of ${v} at iteration ${i + 1}: V (max |v| = ${largest(data).toPrecision(3)}) is beyond what the model's parameters can hold in f64; scale V`);
      checkCouplings(result.params);
      if (!result.converged && !result.stopped && tol > 0) this.onWarning(fitMessage('BinarySparseCoding', maxIter, tol));
      this.params = result.params;
      this.history = result.lowerBoundHistory;
      this.fitInfo = { converged: result.converged, nIter: result.nIter };
    } finally {
      e.release();
    }
    return this;
  }

  /**
   * Statistics of one variational E-step on a shard V (N × m) under the current parameters, the
   * sweeps started from the prior means (fit's `eStepStart: 'prior'`): the statistics protocol,
   * with {@link BinarySparseCoding.mergeStats} and {@link BinarySparseCoding.mStep}, through which
   * {@link fitWithStatistics} fits over shards on any engine.
   *
   * @example
   * ```ts
   * const s = BinarySparseCoding.mergeStats(model.partialStats(shardA), model.partialStats(shardB));
   * model.mStep(s);                 // W, b, β from both shards
   * s.sumBound / s.N;               // the mean bound per row of that E-step
   * ```
   */
  partialStats(V: MatrixLike, options: BscStatsOptions = {}): BscStatistics {
    options = checkOptions(options, STATS_OPTION_KEYS, 'BinarySparseCoding.partialStats');
    const p = this.fitted();
    const inner = resolveMeanField({
      maxIter: checkInteger(options.inferMaxIter ?? 20, 'inferMaxIter', 1), tol: checkNonNegative(options.inferTol ?? 1e-6, 'inferTol'),
      schedule: 'sequential', engine: checkEngine(options.engine ?? 'wasm'),
    });
    const x = toMatrix(V, 'V', { cols: p.m, colsReason: `the model has ${p.m} visible units` });
    const data = Float64Array.from(x.data);
    const N = x.rows, m = p.m;
    const sumV2 = new Float64Array(m);
    for (let r = 0; r < N; r++) for (let k = 0; k < m; k++) sumV2[k] += data[r * m + k] ** 2;
    requireFinite(sumV2, (k) => `V column ${k} has Σ v² beyond f64 (max |v| = ${largest(data).toPrecision(3)}): scale V down`);
    const e = bscEngine(inner.engine, data, N, m, p.n);
    try {
      const s = eStep(e, p, this.priorMeans(N, p), data, inner);
      return { ...s.stats, m, n: p.n, sumV2, sumBound: s.sumBound };
    } finally {
      e.release();
    }
  }

  /** Adds the statistics of two shards (each field a sum over rows). */
  static mergeStats(a: BscStatistics, b: BscStatistics): BscStatistics {
    if (a.m !== b.m || a.n !== b.n) throw new ShapeError(`stats must come from the same model; got m=${a.m} n=${a.n} and m=${b.m} n=${b.n}`);
    const add = (x: Float64Array, y: Float64Array) => x.map((v, i) => v + y[i]);
    return {
      N: a.N + b.N, m: a.m, n: a.n, sumH: add(a.sumH, b.sumH), HtH: add(a.HtH, b.HtH), VtH: add(a.VtH, b.VtH),
      sumV2: add(a.sumV2, b.sumV2), sumBound: a.sumBound + b.sumBound,
    };
  }

  /** The closed-form M-step (as in `fit`) from (merged) statistics; returns this. */
  mStep(stats: BscStatistics): this {
    const p = this.fitted();
    if (stats.m !== p.m || stats.n !== p.n) throw new ShapeError(`stats must be for m=${p.m} n=${p.n}; got m=${stats.m} n=${stats.n}`);
    const next = mStep(stats, p.m, p.n);
    checkCouplings(next);
    this.params = next;
    return this;
  }

  /** A plain-JSON form of the parameters and the last fit's history; `fromJSON` restores it exactly. */
  toJSON(): BinarySparseCodingJSON {
    const p = this.fitted();
    return {
      kind: 'BinarySparseCoding', version: 1, seed: this.seed,
      W: { rows: p.m, cols: p.n, data: Array.from(p.W) }, b: Array.from(p.b), beta: Array.from(p.beta),
      lowerBoundHistory: [...this.history], converged: this.converged, nIter: this.nIter,
    };
  }

  /**
   * Restores a model saved by `toJSON`, after checking every field: W a matrix of finite values,
   * b with one logit per column of W, β with one precision > 0 per row, and the optional fit
   * record (nIter with converged). Files without a `version` are read as version 1.
   * @param runtime what a file does not hold: the warning callback (default: console.warn)
   * @throws ModelFileError (a ValueError) naming the field that is wrong, e.g. `W.data[3]`
   */
  static fromJSON(json: BinarySparseCodingJSON, runtime: Pick<BinarySparseCodingOptions, 'onWarning'> = {}): BinarySparseCoding {
    runtime = checkOptions(runtime, ['onWarning'], 'BinarySparseCoding.fromJSON');
    return readModelFile(json, 'BinarySparseCoding', [(r) => BinarySparseCoding.readVersion1(r, runtime)]);
  }

  /** Version 1: the format of elbo 0.1 (also files without a version). */
  private static readVersion1(r: FieldReader, runtime: Pick<BinarySparseCodingOptions, 'onWarning'>): BinarySparseCoding {
    const seed = r.has('seed') ? r.integer('seed', Number.MIN_SAFE_INTEGER) : 0;
    const W = r.matrix('W');
    const b = r.numbers('b', W.cols, {}, 'W.cols');
    const beta = r.numbers('beta', W.rows, { above: 0 }, 'W.rows');
    const converged = r.has('converged') ? r.boolean('converged') : undefined;
    const nIter = r.has('nIter') ? r.integer('nIter', 0) : undefined;
    const history = r.has('lowerBoundHistory') ? Array.from(r.numbers('lowerBoundHistory', nIter, {}, 'nIter (one bound per iteration)')) : [];
    if (converged !== undefined && nIter === undefined) r.fail(r.at('nIter'), 'is missing (converged is given: the two record the last fit together)');
    const model = buildFromFile('BinarySparseCoding', '', () => new BinarySparseCoding({ ...runtime, W, b, beta, seed }));
    model.history = history;
    model.fitInfo = nIter !== undefined ? { converged: converged ?? false, nIter } : null;
    return model;
  }

  /** Draws nSamples pairs (h ~ Π Bern(σ(b)), v ~ N(Wh, β⁻¹)); seeded by `seed` (default: the model's). */
  sample(nSamples: number, seed = this.seed): {
    /** The visible draws, nSamples × m. */
    V: Matrix<Float64Array>;
    /** The binary causes behind them, nSamples × n. */
    H: Matrix<Float64Array>;
  } {
    const p = this.fitted();
    checkInteger(nSamples, 'nSamples', 1);
    const rng = new Random(checkSeed(seed));
    const H = new Float64Array(nSamples * p.n), V = new Float64Array(nSamples * p.m);
    const prior = p.b.map(sigmoid);
    for (let r = 0; r < nSamples; r++) {
      for (let i = 0; i < p.n; i++) H[r * p.n + i] = rng.random() < prior[i] ? 1 : 0;
      for (let k = 0; k < p.m; k++) {
        let s = 0;
        for (let i = 0; i < p.n; i++) s += p.W[k * p.n + i] * H[r * p.n + i];
        V[r * p.m + k] = s + rng.normal() / Math.sqrt(p.beta[k]);
      }
    }
    return { V: { data: V, rows: nSamples, cols: p.m }, H: { data: H, rows: nSamples, cols: p.n } };
  }

  /** The binary quadratic form of the posterior for the rows of V, and the row constants c(v). */
  quadratic(V: MatrixLike): {
    /** log p(v, h) = aᵀh + ½hᵀJh + c(v) for each row: the a (per row) and J. */
    q: BinaryQuadratic;
    /** c(v) per row. */
    constants: Float64Array;
  } {
    const p = this.fitted();
    const x = checkData(V, 'V', p.m, `the model has ${p.m} visible units`);
    const { betaW, J, bias } = couplings(p);
    const a = new Float64Array(x.rows * p.n);
    for (let r = 0; r < x.rows; r++) {
      for (let i = 0; i < p.n; i++) {
        let s = bias[i];
        for (let k = 0; k < p.m; k++) s += x.data[r * p.m + k] * betaW[k * p.n + i];
        a[r * p.n + i] = s;
      }
    }
    return { q: { a, J, rows: x.rows, n: p.n }, constants: rowConstants(p, x.data, x.rows) };
  }

  private exact(V: MatrixLike, withMarginals: boolean): { logLikelihood: Float64Array; marginals: Matrix<Float64Array> | null } {
    const p = this.fitted();
    checkEnumerable(p.n, withMarginals ? 'exactPosterior' : 'exactLogLikelihood');
    const { q, constants } = this.quadratic(V);
    const { logZ, marginals } = enumerate(q, withMarginals);
    for (let r = 0; r < q.rows; r++) logZ[r] += constants[r];
    return { logLikelihood: logZ, marginals: marginals ? { data: marginals, rows: q.rows, cols: p.n } : null };
  }

  private priorMeans(rows: number, p = this.fitted()): Float64Array {
    const h = new Float64Array(rows * p.n);
    for (let r = 0; r < rows; r++) for (let i = 0; i < p.n; i++) h[r * p.n + i] = sigmoid(p.b[i]);
    return h;
  }

  private initialParams(V: Float64Array, N: number, m: number): BscParams {
    const n = this.nHiddenOption as number;
    const rng = new Random(this.seed);
    const beta = new Float64Array(m);
    const W = new Float64Array(m * n);
    for (let k = 0; k < m; k++) {
      let s = 0, s2 = 0;
      for (let r = 0; r < N; r++) { s += V[r * m + k]; s2 += V[r * m + k] ** 2; }
      const variance = Math.max(s2 / N - (s / N) ** 2, 1e-12 * (s2 / N) || 1e-12);
      beta[k] = 1 / variance;
      for (let i = 0; i < n; i++) W[k * n + i] = rng.normal() * Math.sqrt(variance / n);
    }
    return { W, b: new Float64Array(n), beta, m, n };
  }

  private fitted(): BscParams {
    if (!this.params) throw new NotFittedError('this BinarySparseCoding has no parameters yet: construct it with { W, b, beta } or call fit(V)');
    return this.params;
  }
}

/**
 * The parameters must give finite couplings WᵀβW and a finite bias: their entries are the
 * posterior's natural parameters, and one beyond f64 (W of 1e300) makes every bound NaN.
 * @throws ValueError naming W and beta, the entry and the limit
 */
function checkCouplings(p: BscParams): void {
  const { J, bias } = couplings(p);
  requireFinite(J, (i) => `W and beta give a coupling W[:,${Math.floor(i / p.n)}]ᵀ·diag(beta)·W[:,${i % p.n}] beyond f64: every entry of Wᵀ·diag(beta)·W must be finite (|W|²·beta below ~1e308); scale W (and V) down`);
  requireFinite(bias, (i) => `W and beta give ½·W[:,${i}]ᵀ·diag(beta)·W[:,${i}] beyond f64: every entry of Wᵀ·diag(beta)·W must be finite (|W|²·beta below ~1e308); scale W (and V) down`);
  for (let i = 0; i < p.m * p.n; i++) {
    if (!Number.isFinite(p.W[i])) throw new ValueError(`W must be finite; W[${Math.floor(i / p.n)}][${i % p.n}] is ${p.W[i]}`);
  }
  for (let k = 0; k < p.m; k++) {
    if (!(p.beta[k] > 0 && Number.isFinite(p.beta[k]))) throw new ValueError(`beta must be finite and > 0; beta[${k}] is ${p.beta[k]}`);
  }
}

/** A rows × cols matrix of values in [0, 1], copied into a Float64Array. */
function isEncoder(x: unknown): x is PosteriorEncoder {
  return typeof x === 'object' && x !== null && typeof (x as PosteriorEncoder).predict === 'function';
}

function checkProbabilities(x: MatrixLike, name: string, rows: number, cols: number): Float64Array {
  const m = toMatrix(x, name, { cols, colsReason: `the model has ${cols} latent units` });
  if (m.rows !== rows) throw new ShapeError(`${name} must have ${rows} rows (one per row of V); got ${m.rows}`);
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (!(v >= 0 && v <= 1)) throw new ValueError(`${name} must lie in [0, 1]; ${name}[${Math.floor(i / cols)}][${i % cols}] is ${v}`);
  }
  return Float64Array.from(m.data);
}


/** One E-step: sequential sweeps from ĥ under params; the new ĥ, its statistics and Σ_r of the bound. */
function eStep(e: BscEngine, params: BscParams, h: Float64Array, data: Float64Array, inner: Parameters<BscEngine['q']['run']>[0]): {
  h: Float64Array; stats: Omit<BscStats, 'sumV2'>; sumBound: number;
} {
  e.setParams(params);
  e.q.setH(h);
  e.q.run(inner);
  const next = e.q.h();
  const bound = e.q.bound();
  const N = bound.length;
  const c = rowConstants(params, data, N);
  let sumBound = 0;
  for (let r = 0; r < N; r++) sumBound += bound[r] + c[r];
  return { h: next, stats: e.stats(), sumBound };
}
