/**
 * LinearGaussian (factor analysis form): h ~ N(0, I), v | h ~ N(Wh + μ, diag(ψ)). Everything is
 * in closed form, so it is the model on which the mean-field gap is exactly known: the
 * factorised q recovers the posterior means and under-estimates the variances.
 */
import { runEM } from '../em.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { NotFittedError, ShapeError, ValueError } from '../runtime/errors.js';
import { describe, toMatrix, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';
import { checkSeed } from '../runtime/validate.js';
import { LOG_2PI, choleskyOrThrow, cholInverse, cholLogDet, cholSolve, solveRight } from './dense.js';
import { fitMessage, largest, requireFinite, sweepsMessage, warningSink, type WarningSink } from './guards.js';
import type { ConvergenceInfo, FitIterationInfo } from './types.js';
import { checkData, checkInteger, checkNonNegative, checkParamMatrix, checkParamVector, checkPositive } from './validate.js';

/** Constructor options: given parameters, or a size to learn. */
export interface LinearGaussianOptions {
  /** m × n loadings. */
  W?: MatrixLike;
  /** Mean μ, length m (default 0 when W is given). */
  mean?: Float64Array | number[];
  /** Noise variances ψ, length m, all > 0 (default 1 when W is given). */
  psi?: Float64Array | number[];
  /** Number of latent dimensions n, for a model to be learned by `fit`. */
  nComponents?: number;
  /** Seed of the initialisation in `fit` and of `sample` (default 0); any safe integer, all of its bits used. */
  seed?: number;
  /**
   * Receives warnings (default console.warn): `meanField` sweeps that stop at maxIter, a `fit`
   * that stops at maxIter without meeting tol. Called before a fit is committed, so a throw
   * leaves the model as it was.
   */
  onWarning?: (message: string) => void;
}

/** Options of {@link LinearGaussian.fit}. */
export interface LinearGaussianFitOptions {
  /** 'em' (default): exact E-step, the bound is the log-likelihood. 'variational': mean-field E-step. */
  method?: 'em' | 'variational';
  /** Iterations at most (default 200). */
  maxIter?: number;
  /** Stop when the mean bound per row changes by less than this (default 1e-8). */
  tol?: number;
  /** Called after each iteration with the mean bound per row; return false to stop. */
  onIteration?: (info: FitIterationInfo) => boolean | void;
}

const OPTION_KEYS = optionKeys<LinearGaussianOptions>()(['W', 'mean', 'psi', 'nComponents', 'seed', 'onWarning']);
const MEAN_FIELD_KEYS = optionKeys<NonNullable<Parameters<LinearGaussian['meanField']>[1]>>()(['maxIter', 'tol']);
const FIT_OPTION_KEYS = optionKeys<LinearGaussianFitOptions>()(['method', 'maxIter', 'tol', 'onIteration']);

/** Result of {@link LinearGaussian.meanField}. */
export interface LinearGaussianMeanField extends ConvergenceInfo {
  /** N × n means of the factors q_i(h_i) = N(mean_i, variance_i). */
  mean: Matrix<Float64Array>;
  /** n variances 1/Λ_ii, shared by all rows (Λ = I + WᵀΨ⁻¹W, the posterior precision). */
  variance: Float64Array;
  /** The evidence lower bound per row. */
  elbo: Float64Array;
}

interface LgParams { W: Float64Array; mu: Float64Array; psi: Float64Array; m: number; n: number }

/** The posterior's shared pieces: Λ, its Cholesky factor, and r = WᵀΨ⁻¹(v − μ) per row. */
interface Posterior { Lambda: Float64Array; L: Float64Array; R: Float64Array; quad: Float64Array; rows: number }

/** Smallest noise variance the M-step sets (scikit-learn's FactorAnalysis uses the same floor). */
const MIN_PSI = 1e-12;

/**
 * @example
 * ```ts
 * import { init, LinearGaussian } from 'elbo-wasm';
 * await init();
 * const lg = new LinearGaussian({ W: [[1, 0.5], [0, 1], [1, 1]], psi: [0.1, 0.2, 0.1] });
 * const V = [[1, 2, 0.5]];
 * lg.exactPosterior(V);    // { mean (1 × 2), covariance (2 × 2) }
 * lg.meanField(V);         // same means, smaller variances, elbo ≤ logLikelihood
 * lg.kl(V);                // logLikelihood − elbo, in closed form
 * const fa = new LinearGaussian({ nComponents: 2, seed: 1 }).fit(X, { method: 'em' });
 * ```
 */
export class LinearGaussian {
  /** Seed of the initialisation in fit and of sample. */
  readonly seed: number;
  private params: LgParams | null = null;
  private readonly nOption: number | null;
  private history: number[] = [];
  private fitInfo: { converged: boolean; nIter: number } | null = null;
  private readonly onWarning: WarningSink;

  constructor(options: LinearGaussianOptions = {}) {
    options = checkOptions(options, OPTION_KEYS, 'LinearGaussian');
    this.seed = checkSeed(options.seed ?? 0);
    this.onWarning = warningSink(options.onWarning);
    if (options.W !== undefined) {
      const W = checkParamMatrix(options.W, 'W');
      const { rows: m, cols: n } = W;
      const mu = options.mean === undefined ? new Float64Array(m) : checkParamVector(options.mean, 'mean', m);
      const psi = options.psi === undefined ? new Float64Array(m).fill(1) : checkPositive(options.psi, 'psi', m);
      this.params = { W: W.data, mu, psi, m, n };
      precision(this.params);
      this.nOption = n;
    } else {
      if (options.mean !== undefined || options.psi !== undefined) throw new ValueError('mean and psi need W: pass W (with mean and psi), or nComponents alone');
      this.nOption = checkInteger(options.nComponents, 'nComponents', 1);
    }
  }

  /** Number of latent dimensions n. */
  get nComponents(): number { return this.params?.n ?? (this.nOption as number); }
  /** The m × n loadings (a copy). */
  get W(): Matrix<Float64Array> { const p = this.fitted(); return { data: Float64Array.from(p.W), rows: p.m, cols: p.n }; }
  /** μ (a copy). */
  get mean(): Float64Array { return Float64Array.from(this.fitted().mu); }
  /** ψ (a copy). */
  get psi(): Float64Array { return Float64Array.from(this.fitted().psi); }
  /** Mean bound per row after each iteration of the last fit. */
  get lowerBoundHistory(): number[] { return [...this.history]; }
  /** Whether the last fit converged. */
  get converged(): boolean { return this.fitInfo?.converged ?? false; }
  /** Iterations of the last fit. */
  get nIter(): number { return this.fitInfo?.nIter ?? 0; }

  /** The exact posterior p(h | v) = N(Λ⁻¹WᵀΨ⁻¹(v − μ), Λ⁻¹), Λ = I + WᵀΨ⁻¹W, via Cholesky. */
  exactPosterior(V: MatrixLike): {
    /** Posterior means, one row per row of V (N × n). */
    mean: Matrix<Float64Array>;
    /** The posterior covariance Λ⁻¹ (n × n, row-major), the same for every row. */
    covariance: Float64Array;
  } {
    const p = this.fitted();
    const post = posterior(p, this.data(V));
    return { mean: { data: exactMeans(post, p.n), rows: post.rows, cols: p.n }, covariance: cholInverse(post.L, p.n) };
  }

  /** log p(v) per row, exactly (v ~ N(μ, WWᵀ + Ψ), by the Woodbury identity). */
  logLikelihood(V: MatrixLike): Float64Array {
    const p = this.fitted();
    const post = posterior(p, this.data(V));
    const means = exactMeans(post, p.n);
    const c = p.m * LOG_2PI + sumLog(p.psi) + cholLogDet(post.L, p.n);
    const out = new Float64Array(post.rows);
    for (let r = 0; r < post.rows; r++) {
      let rSr = 0;
      for (let i = 0; i < p.n; i++) rSr += post.R[r * p.n + i] * means[r * p.n + i];
      out[r] = -0.5 * (c + post.quad[r] - rSr);
    }
    requireFinite(out, (r) => `log p(v) of row ${r} of V is not finite: V is too large for W and psi ((v − μ)ᵀΨ⁻¹(v − μ) overflows f64); scale V down`);
    return out;
  }

  /**
   * Mean-field inference with factorised Gaussian q: coordinate ascent (Gauss–Seidel) on the
   * means, m_i ← (r_i − Σ_{j≠i} Λ_ij m_j)/Λ_ii, from 0; the variances are 1/Λ_ii at once. The
   * fixed point is the exact posterior mean.
   */
  meanField(V: MatrixLike, options: { maxIter?: number; tol?: number } = {}): LinearGaussianMeanField {
    options = checkOptions(options, MEAN_FIELD_KEYS, 'LinearGaussian.meanField');
    return this.meanFieldOf(V, options);
  }

  /** meanField, with `quiet` for the E-steps of a variational fit (whose own loop warns). */
  private meanFieldOf(V: MatrixLike, options: { maxIter?: number; tol?: number; quiet?: boolean }): LinearGaussianMeanField {
    const p = this.fitted();
    const maxIter = checkInteger(options.maxIter ?? 1000, 'maxIter', 1);
    const tol = checkNonNegative(options.tol ?? 1e-12, 'tol');
    const x = this.data(V);
    const post = posterior(p, x);
    const { n } = p;
    const { Lambda } = post;
    const M = new Float64Array(post.rows * n);
    let change = Infinity, nIter = 0, converged = false;
    while (nIter < maxIter) {
      change = 0;
      for (let r = 0; r < post.rows; r++) {
        for (let i = 0; i < n; i++) {
          let s = post.R[r * n + i];
          for (let j = 0; j < n; j++) if (j !== i) s -= Lambda[i * n + j] * M[r * n + j];
          const next = s / Lambda[i * n + i];
          change = Math.max(change, Math.abs(next - M[r * n + i]));
          M[r * n + i] = next;
        }
      }
      nIter++;
      if (change <= tol) { converged = true; break; }
    }
    const variance = Float64Array.from({ length: n }, (_, i) => 1 / Lambda[i * n + i]);
    const elbo = elboOf(p, post, M, variance);
    requireFinite(elbo, (r) => `the bound of row ${r} of V is not finite: V (max |v| = ${largest(x.data).toPrecision(3)}) is too large for W and psi ((v − μ)ᵀΨ⁻¹(v − μ) overflows f64); scale V down`);
    if (!converged && tol > 0 && !options.quiet) this.onWarning(sweepsMessage('LinearGaussian.meanField', maxIter, change, tol));
    return { mean: { data: M, rows: post.rows, cols: n }, variance, elbo, nIter, converged, change };
  }

  /** The bound per row for a factorised Gaussian q with means `mean` (N × n) and shared variances `variance` (n), in closed form. */
  elbo(V: MatrixLike, mean: MatrixLike, variance: Float64Array | number[]): Float64Array {
    const p = this.fitted();
    const post = posterior(p, this.data(V));
    const M = toMatrix(mean, 'mean', { cols: p.n, colsReason: `the model has ${p.n} latent dimensions` });
    if (M.rows !== post.rows) throw new ShapeError(`mean must have one row per row of V (${post.rows}); got ${M.rows}`);
    return elboOf(p, post, Float64Array.from(M.data), checkPositive(variance, 'variance', p.n));
  }

  /** KL(q ‖ p(h | v)) per row for the mean-field q of `meanField`, in closed form: ½(Σ log Λ_ii − log det Λ) at the fixed point. */
  kl(V: MatrixLike): Float64Array {
    const p = this.fitted();
    const x = this.data(V);
    const mf = this.meanField(x);
    const post = posterior(p, x);
    const exact = exactMeans(post, p.n);
    const { n } = p;
    const logDet = cholLogDet(post.L, n);
    const out = new Float64Array(post.rows);
    for (let r = 0; r < post.rows; r++) {
      // ½[(m − μ_p)ᵀΛ(m − μ_p) + Σ s_iΛ_ii − n − log det Λ − Σ log s_i]
      let quad = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += post.Lambda[i * n + j] * (mf.mean.data[r * n + j] - exact[r * n + j]);
        quad += (mf.mean.data[r * n + i] - exact[r * n + i]) * s;
      }
      let trace = 0, logS = 0;
      for (let i = 0; i < n; i++) { trace += mf.variance[i] * post.Lambda[i * n + i]; logS += Math.log(mf.variance[i]); }
      out[r] = 0.5 * (quad + trace - n - logDet - logS);
    }
    return out;
  }

  /**
   * Learns W, μ and ψ by EM (exact E-step: the bound is the mean log-likelihood) or variational
   * EM (mean-field E-step: E[hhᵀ] = mmᵀ + diag(1/Λ_ii)); both never lower their bound. μ is the
   * data mean (its maximum-likelihood value, whatever W and ψ).
   */
  fit(V: MatrixLike, options: LinearGaussianFitOptions = {}): this {
    options = checkOptions(options, FIT_OPTION_KEYS, 'LinearGaussian.fit');
    const method = options.method ?? 'em';
    if (method !== 'em' && method !== 'variational') throw new ValueError(`method must be 'em' or 'variational'; got ${describe(method)}`);
    const maxIter = checkInteger(options.maxIter ?? 200, 'maxIter', 1);
    const tol = checkNonNegative(options.tol ?? 1e-8, 'tol');
    const x = toMatrix(V, 'V', { minRows: 2, ...(this.params ? { cols: this.params.m, colsReason: `the model has ${this.params.m} visible units` } : {}) });
    const N = x.rows, m = x.cols;
    const data = Float64Array.from(x.data);
    let p = this.params ? { ...this.params } : this.initialParams(data, N, m);
    const n = p.n;
    const mu = new Float64Array(m);
    for (let r = 0; r < N; r++) for (let k = 0; k < m; k++) mu[k] += data[r * m + k] / N;
    p = { ...p, mu };
    const X = new Float64Array(N * m);
    const sumX2 = new Float64Array(m);
    for (let r = 0; r < N; r++) for (let k = 0; k < m; k++) { X[r * m + k] = data[r * m + k] - mu[k]; sumX2[k] += X[r * m + k] ** 2; }
    const matrix = { data, rows: N, cols: m };
    // The E-step runs on a model holding the iteration's parameters, so this one keeps its own
    // until the fit has succeeded.
    const at = new LinearGaussian({ nComponents: n, seed: this.seed });
    const result = runEM<LgParams>({
      initialize: () => p,
      iterate: (params) => {
        at.params = params;
        let M: Float64Array, cov: Float64Array, bound: Float64Array;
        if (method === 'em') {
          const post = posterior(params, matrix);
          M = exactMeans(post, n);
          cov = cholInverse(post.L, n);
          bound = at.logLikelihood(matrix);
        } else {
          const mf = at.meanFieldOf(matrix, { quiet: true });
          M = mf.mean.data;
          cov = new Float64Array(n * n);
          for (let i = 0; i < n; i++) cov[i * n + i] = mf.variance[i];
          bound = mf.elbo;
        }
        let total = 0;
        for (const b of bound) total += b;
        return { params: mStep(X, M, cov, sumX2, mu, N, m, n), lowerBound: total / N };
      },
    }, { nInit: 1, maxIter, tol, onIteration: options.onIteration });
    // Nothing is committed until the result is finite and the warning (which may throw) is out.
    requireFinite(result.lowerBoundHistory, (i, v) => `LinearGaussian.fit reached a bound of ${v} at iteration ${i + 1}: V (max |v| = ${largest(data).toPrecision(3)}) is beyond what the model's parameters can hold in f64; scale V`);
    precision(result.params);
    if (!result.converged && !result.stopped && tol > 0) this.onWarning(fitMessage('LinearGaussian', maxIter, tol));
    this.params = result.params;
    this.history = result.lowerBoundHistory;
    this.fitInfo = { converged: result.converged, nIter: result.nIter };
    return this;
  }

  /** Draws nSamples rows v = Wh + μ + ε, h ~ N(0, I), ε ~ N(0, diag ψ). */
  sample(nSamples: number, seed = this.seed): {
    /** The visible draws, nSamples × m. */
    V: Matrix<Float64Array>;
    /** The latent draws behind them, nSamples × n. */
    H: Matrix<Float64Array>;
  } {
    const p = this.fitted();
    checkInteger(nSamples, 'nSamples', 1);
    const rng = new Random(checkSeed(seed));
    const H = rng.fillNormal(new Float64Array(nSamples * p.n)), V = new Float64Array(nSamples * p.m);
    for (let r = 0; r < nSamples; r++) {
      for (let k = 0; k < p.m; k++) {
        let s = p.mu[k];
        for (let i = 0; i < p.n; i++) s += p.W[k * p.n + i] * H[r * p.n + i];
        V[r * p.m + k] = s + Math.sqrt(p.psi[k]) * rng.normal();
      }
    }
    return { V: { data: V, rows: nSamples, cols: p.m }, H: { data: H, rows: nSamples, cols: p.n } };
  }

  private data(V: MatrixLike): Matrix<Float64Array> {
    const p = this.fitted();
    return checkData(V, 'V', p.m, `the model has ${p.m} visible units`);
  }

  private initialParams(V: Float64Array, N: number, m: number): LgParams {
    const n = this.nOption as number;
    const rng = new Random(this.seed);
    const W = new Float64Array(m * n), psi = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      let s = 0, s2 = 0;
      for (let r = 0; r < N; r++) { s += V[r * m + k]; s2 += V[r * m + k] ** 2; }
      const variance = Math.max(s2 / N - (s / N) ** 2, MIN_PSI);
      psi[k] = variance;
      for (let i = 0; i < n; i++) W[k * n + i] = rng.normal() * Math.sqrt(variance / n);
    }
    return { W, mu: new Float64Array(m), psi, m, n };
  }

  private fitted(): LgParams {
    if (!this.params) throw new NotFittedError('this LinearGaussian has no parameters yet: construct it with { W, mean, psi } or call fit(V)');
    return this.params;
  }
}

function sumLog(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += Math.log(x);
  return s;
}

/**
 * The posterior precision Λ = I + WᵀΨ⁻¹W (n × n). Its entries are the model's natural
 * parameters: one beyond f64 (W of 1e200 with ψ = 1) makes every bound and KL NaN.
 * @throws ValueError naming W and psi, the entry and the limit
 */
function precision(p: LgParams): Float64Array {
  const { W, psi, m, n } = p;
  const Lambda = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < m; k++) s += (W[k * n + i] * W[k * n + j]) / psi[k];
      Lambda[i * n + j] = Lambda[j * n + i] = s;
    }
  }
  requireFinite(Lambda, (i) => `W and psi give the posterior precision I + WᵀΨ⁻¹W an entry [${Math.floor(i / n)}][${i % n}] beyond f64: every W[k][i]·W[k][j]/psi[k] summed must be finite (|W|²/psi below ~1e308); scale W (and V) down or psi up`);
  return Lambda;
}

/** Λ = I + WᵀΨ⁻¹W, its Cholesky factor, r = WᵀΨ⁻¹(v − μ) and (v − μ)ᵀΨ⁻¹(v − μ) per row. */
function posterior(p: LgParams, x: Matrix<Float64Array>): Posterior {
  const { W, mu, psi, m, n } = p;
  const Lambda = precision(p);
  const L = choleskyOrThrow(Lambda, n, 'the posterior precision I + WᵀΨ⁻¹W');
  const rows = x.rows;
  const R = new Float64Array(rows * n), quad = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let q = 0;
    for (let k = 0; k < m; k++) {
      const z = (x.data[r * m + k] - mu[k]) / psi[k];
      q += z * (x.data[r * m + k] - mu[k]);
      for (let i = 0; i < n; i++) R[r * n + i] += W[k * n + i] * z;
    }
    quad[r] = q;
  }
  return { Lambda, L, R, quad, rows };
}

function exactMeans(post: Posterior, n: number): Float64Array {
  const M = new Float64Array(post.rows * n);
  for (let r = 0; r < post.rows; r++) M.set(cholSolve(post.L, post.R.slice(r * n, (r + 1) * n), n), r * n);
  return M;
}

/**
 * L = −½[m log 2π + Σ log ψ + xᵀΨ⁻¹x − 2mᵀr + mᵀΛm + Σ s_iΛ_ii] + ½ Σ log s_i + n/2, which is
 * E_q[log p(v|h)] + E_q[log p(h)] + H(q) for q = Π N(m_i, s_i) (the n log 2π terms cancel).
 */
function elboOf(p: LgParams, post: Posterior, M: Float64Array, s: Float64Array): Float64Array {
  const { n, m } = p;
  let c = m * LOG_2PI + sumLog(p.psi);
  let extra = n / 2;
  for (let i = 0; i < n; i++) { c += s[i] * post.Lambda[i * n + i]; extra += 0.5 * Math.log(s[i]); }
  const out = new Float64Array(post.rows);
  for (let r = 0; r < post.rows; r++) {
    let mr = 0, mLm = 0;
    for (let i = 0; i < n; i++) {
      const mi = M[r * n + i];
      mr += mi * post.R[r * n + i];
      let s2 = 0;
      for (let j = 0; j < n; j++) s2 += post.Lambda[i * n + j] * M[r * n + j];
      mLm += mi * s2;
    }
    out[r] = -0.5 * (c + post.quad[r] - 2 * mr + mLm) + extra;
  }
  return out;
}

/** W = (Σ x mᵀ)(Σ E[hhᵀ])⁻¹, ψ_k = (Σ x_k² − W_k·(Σ x_k m))/N, with E[hhᵀ] = mmᵀ + cov. */
function mStep(X: Float64Array, M: Float64Array, cov: Float64Array, sumX2: Float64Array, mu: Float64Array, N: number, m: number, n: number): LgParams {
  const XtM = new Float64Array(m * n), S = new Float64Array(n * n);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < n; i++) {
      const mi = M[r * n + i];
      for (let k = 0; k < m; k++) XtM[k * n + i] += X[r * m + k] * mi;
      for (let j = 0; j < n; j++) S[i * n + j] += mi * M[r * n + j];
    }
  }
  for (let i = 0; i < n * n; i++) S[i] += N * cov[i];
  const W = solveRight(XtM, S, m, n);
  const psi = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let wx = 0;
    for (let i = 0; i < n; i++) wx += W[k * n + i] * XtM[k * n + i];
    psi[k] = Math.max((sumX2[k] - wx) / N, MIN_PSI);
  }
  return { W, mu, psi, m, n };
}
