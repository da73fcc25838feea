/**
 * The rows of one missingness pattern on an ordinary engine (wasm or reference) over their
 * observed features. Under the marginal model N(μ_k,o, Σ_k,oo) that engine gives the E-step and
 * the observed part of the statistics, n_k, Σ r x_o and the scatter S_k,oo about m_k,o. The rest
 * of the statistics of EM for incomplete data follows per component in O(D³), because the
 * completed row is affine in the observed one: x̂_m = μ_m + B (x_o − μ_o), B = Σ_mo Σ_oo⁻¹, so
 * x̂ − m̂ = (d, B d) with d = x_o − m_o, and
 *
 *   Σ r x̂_m = n (μ_m + B (m_o − μ_o)),
 *   Σ r (x̂ − m̂)(x̂ − m̂)ᵀ + n S = [[S_oo, S_oo Bᵀ], [B S_oo, B S_oo Bᵀ + n S]]
 *
 * with S = Σ_mm − B Σ_om the conditional covariance (tied: sums over components with one B;
 * diag and spherical: B = 0). The O(N) work thus stays in the engines' SIMD kernels.
 */
import type { Matrix } from '../runtime/matrix.js';
import { conditionalGaussian, denseCovariance, solveLower, solveLowerTransposed, type ConditionalGaussian } from './conditional.js';
import { checkCentres, type EngineSpec, type MixtureEngine } from './engine.js';
import type { MissingPattern } from './missing.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Per component: B = Σ_mo Σ_oo⁻¹ (Dm × Do), the conditional covariance S (Dm × Dm) and ½ log|S|; the means μ (user's coordinates). */
interface Completion {
  B: Float64Array[];
  S: Float64Array[];
  halfLogDetS: Float64Array;
  means: Float64Array;
}

export class PatternEngine implements MixtureEngine {
  readonly n: number;
  private readonly D: number;
  private readonly K: number;
  private readonly type: CovarianceType;
  private readonly origin: Float64Array;
  private readonly obs: Int32Array;
  private readonly mis: Int32Array;
  private readonly sub: MixtureEngine;
  /** The parameters of the last E-step (null after setResponsibilities). */
  private last: GaussianParams | null = null;

  /**
   * @param X the pattern's rows, all D features (NaN at `pattern.mis`), user's coordinates
   * @param origin the frame's origin (D values, the whole data set's)
   */
  constructor(X: Matrix, pattern: MissingPattern, type: CovarianceType, K: number, origin: Float64Array,
    sampleWeight: Float64Array | undefined, engineFor: (spec: EngineSpec) => MixtureEngine) {
    this.n = X.rows;
    this.D = X.cols;
    this.K = K;
    this.type = type;
    this.origin = origin;
    this.obs = pattern.obs;
    this.mis = pattern.mis;
    this.sub = engineFor({
      X: columns(X, pattern.obs), covarianceType: type, nComponents: K, origin: Float64Array.from(pattern.obs, (d) => origin[d]), sampleWeight,
    });
  }

  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    this.last = params;
    return this.sub.eStep(this.marginal(params).params, logProbNorm);
  }

  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    this.last = params;
    const { params: sub, cgs } = this.marginal(params);
    const r = this.sub.eStepStats(sub, withEntropy);
    const c = this.completion(params, cgs);
    const stats = this.complete(r.stats, c);
    if (!withEntropy) return { stats, sumRespLogResp: NaN };
    // −H[q(z, x_m)] = Σ r log r − Σ_k n_k H[N(S_k)], H[N(S)] = ½ Dm (1 + log 2π) + ½ log|S|.
    let h = 0;
    for (let k = 0; k < this.K; k++) h += r.stats.sumResp[k] * (0.5 * this.mis.length * (1 + 2 * HALF_LOG_2PI) + c.halfLogDetS[k]);
    return { stats, sumRespLogResp: r.sumRespLogResp - h };
  }

  /** After an E-step, its statistics; after setResponsibilities, the rows completed by the observed column means (B = 0, S = 0). */
  stats(logLik: number): SufficientStats {
    return this.completed(this.sub.stats(logLik));
  }

  /** stats(logLik), with the observed features' statistics from the sub-engine's statsAbout about the centres' observed entries. */
  statsAbout(centres: Float64Array, logLik: number): SufficientStats {
    checkCentres(centres, this.K, this.D);
    const { K, D, obs } = this, Do = obs.length;
    const observed = new Float64Array(K * Do);
    for (let k = 0; k < K; k++) for (let j = 0; j < Do; j++) observed[k * Do + j] = centres[k * D + obs[j]];
    return this.completed(this.sub.statsAbout(observed, logLik));
  }

  /** The whole rows' statistics from those of their observed features (stats). */
  private completed(s: SufficientStats): SufficientStats {
    if (this.last) return this.complete(s, this.completion(this.last, this.marginal(this.last).cgs));
    const { K, mis } = this;
    const Dm = mis.length, Do = this.obs.length;
    const means = new Float64Array(K * this.D);
    for (let k = 0; k < K; k++) for (let d = 0; d < this.D; d++) means[k * this.D + d] = this.origin[d];
    const zeros = (n: number) => Array.from({ length: K }, () => new Float64Array(n));
    return this.complete(s, { B: zeros(Dm * Do), S: zeros(Dm * Dm), halfLogDetS: new Float64Array(K), means });
  }

  sumRespLogResp(): number {
    return this.sub.sumRespLogResp();
  }

  setResponsibilities(resp: Float64Array): void {
    this.last = null;
    this.sub.setResponsibilities(resp);
  }

  responsibilities(): Float64Array {
    return this.sub.responsibilities();
  }

  release(): void {
    this.sub.release();
  }

  /**
   * The marginal model of the observed features: means μ_k,o, covariances Σ_k,oo in the type's
   * layout with their precision factors (full, tied: P = L⁻ᵀ, upper triangular; diag, spherical:
   * 1/√σ²), the same (log) weights; and the conditional Gaussians of the missing features.
   */
  private marginal(params: GaussianParams): { params: GaussianParams; cgs: ConditionalGaussian[] } {
    const { K, D, type, obs, mis } = this;
    const Do = obs.length;
    const count = type === 'tied' ? 1 : K;
    const cgs: ConditionalGaussian[] = [];
    for (let k = 0; k < count; k++) cgs.push(conditionalGaussian(denseCovariance(params.covariances, type, k, D), D, obs, mis));
    while (cgs.length < K) cgs.push(cgs[0]);
    const means = new Float64Array(K * Do);
    for (let k = 0; k < K; k++) for (let j = 0; j < Do; j++) means[k * Do + j] = params.means.data[k * D + obs[j]];
    let covariances: Float64Array, pc: Float64Array;
    if (type === 'full' || type === 'tied') {
      covariances = new Float64Array(count * Do * Do);
      pc = new Float64Array(count * Do * Do);
      for (let c = 0; c < count; c++) {
        for (let i = 0; i < Do; i++) for (let j = 0; j < Do; j++) covariances[c * Do * Do + i * Do + j] = denseEntry(params.covariances, type, c, D, obs[i], obs[j]);
        pc.set(precisionFactor(cgs[c].L, Do), c * Do * Do);
      }
    } else if (type === 'diag') {
      covariances = new Float64Array(K * Do);
      for (let k = 0; k < K; k++) for (let j = 0; j < Do; j++) covariances[k * Do + j] = params.covariances[k * D + obs[j]];
      pc = covariances.map((v) => 1 / Math.sqrt(v));
    } else {
      covariances = params.covariances;
      pc = params.precisionsCholesky;
    }
    const sub: GaussianParams = { weights: params.weights, means: { data: means, rows: K, cols: Do }, covariances, precisionsCholesky: pc };
    if (params.logWeights) sub.logWeights = params.logWeights;
    return { params: sub, cgs };
  }

  /** B_k = Σ_mo Σ_oo⁻¹ (row a: Σ_oo⁻¹ Σ_o,mis[a]), S_k and ½ log|S_k| per component. */
  private completion(params: GaussianParams, cgs: ConditionalGaussian[]): Completion {
    const Do = this.obs.length, Dm = this.mis.length;
    const B: Float64Array[] = [], S: Float64Array[] = [];
    const halfLogDetS = new Float64Array(this.K);
    cgs.forEach((cg, k) => {
      const b = new Float64Array(Dm * Do);
      for (let a = 0; a < Dm; a++) {
        const row = b.subarray(a * Do, (a + 1) * Do);
        row.set(cg.cross.subarray(a * Do, (a + 1) * Do));
        solveLower(cg.L, row, Do);
        solveLowerTransposed(cg.L, row, Do);
      }
      B.push(b);
      S.push(cg.condCov);
      halfLogDetS[k] = cg.halfLogDetCond;
    });
    return { B, S, halfLogDetS, means: params.means.data };
  }

  /** The statistics over all D features from the observed ones (see the file's comment). */
  private complete(s: SufficientStats, c: Completion): SufficientStats {
    const { K, D, type, obs, mis } = this;
    const Do = obs.length, Dm = mis.length;
    const sumX = new Float64Array(K * D);
    const diagonal = type === 'diag' || type === 'spherical';
    const sumXX = new Float64Array(diagonal ? K * D : type === 'tied' ? D * D : K * D * D);
    const delta = new Float64Array(Do);
    for (let k = 0; k < K; k++) {
      const n = s.sumResp[k];
      for (let j = 0; j < Do; j++) sumX[k * D + obs[j]] = s.sumX[k * Do + j];
      if (n > 0) {
        for (let j = 0; j < Do; j++) delta[j] = s.sumX[k * Do + j] / n - c.means[k * D + obs[j]];
        for (let a = 0; a < Dm; a++) {
          let v = c.means[k * D + mis[a]];
          for (let j = 0; j < Do; j++) v += c.B[k][a * Do + j] * delta[j];
          sumX[k * D + mis[a]] = n * v;
        }
      }
      if (diagonal) {
        for (let j = 0; j < Do; j++) sumXX[k * D + obs[j]] = s.sumXX[k * Do + j];
        for (let a = 0; a < Dm; a++) sumXX[k * D + mis[a]] = n * c.S[k][a * Dm + a];
      } else if (type === 'full') {
        placeBlocks(sumXX.subarray(k * D * D, (k + 1) * D * D), s.sumXX.subarray(k * Do * Do, (k + 1) * Do * Do), c.B[k], c.S[k], n, obs, mis, D);
      }
    }
    if (type === 'tied') {
      let total = 0;
      for (let k = 0; k < K; k++) total += s.sumResp[k];
      placeBlocks(sumXX, s.sumXX, c.B[0], c.S[0], total, obs, mis, D);
    }
    return { covarianceType: type, nComponents: K, nFeatures: D, n: s.n, logLik: s.logLik, sumResp: s.sumResp, sumX, sumXX };
  }
}

/**
 * out (D × D) ← [[T, T Bᵀ], [B T, B T Bᵀ + n S]] on the observed and missing indices, from the
 * observed scatter T (Do × Do).
 */
function placeBlocks(out: Float64Array, T: Float64Array, B: Float64Array, S: Float64Array, n: number, obs: Int32Array, mis: Int32Array, D: number): void {
  const Do = obs.length, Dm = mis.length;
  const BT = new Float64Array(Dm * Do);
  for (let a = 0; a < Dm; a++) {
    for (let j = 0; j < Do; j++) {
      let v = 0;
      for (let t = 0; t < Do; t++) v += B[a * Do + t] * T[t * Do + j];
      BT[a * Do + j] = v;
    }
  }
  for (let i = 0; i < Do; i++) for (let j = 0; j < Do; j++) out[obs[i] * D + obs[j]] = T[i * Do + j];
  for (let a = 0; a < Dm; a++) {
    for (let j = 0; j < Do; j++) {
      out[mis[a] * D + obs[j]] = BT[a * Do + j];
      out[obs[j] * D + mis[a]] = BT[a * Do + j];
    }
    for (let b = 0; b <= a; b++) {
      let v = n * S[a * Dm + b];
      for (let t = 0; t < Do; t++) v += BT[a * Do + t] * B[b * Do + t];
      out[mis[a] * D + mis[b]] = v;
      out[mis[b] * D + mis[a]] = v;
    }
  }
}

/** P = (L⁻¹)ᵀ, upper triangular, for Σ = L Lᵀ: precision = P Pᵀ. */
function precisionFactor(L: Float64Array, n: number): Float64Array {
  const P = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    solveLower(L, e, n); // column j of L⁻¹
    for (let i = 0; i < n; i++) P[j * n + i] = e[i];
  }
  return P;
}

function denseEntry(cov: Float64Array, type: CovarianceType, k: number, D: number, i: number, j: number): number {
  return type === 'full' ? cov[k * D * D + i * D + j] : cov[i * D + j];
}

/** The columns `cols` of X, in X's element type. */
function columns(X: Matrix, cols: Int32Array): Matrix {
  const { rows: N, cols: D } = X;
  const Do = cols.length;
  const data = X.data instanceof Float32Array ? new Float32Array(N * Do) : new Float64Array(N * Do);
  for (let i = 0; i < N; i++) for (let j = 0; j < Do; j++) data[i * Do + j] = X.data[i * D + cols[j]];
  return { data, rows: N, cols: Do };
}
