/**
 * The rows with missing entries, for the E-step and the statistics of EM for incomplete data
 * (Ghahramani & Jordan 1994). Rows are grouped by missingness pattern; per pattern and component,
 * the observed block of the covariance is factored once (conditional.ts). The E-step scores each
 * row on its observed features, log w_k N(x_o | μ_k,o, Σ_k,oo); the statistics use, per
 * component, the row completed by its conditional mean x̂_k = (x_o, E_k[x_m | x_o]) and add the
 * conditional covariance S_k to the missing block of the scatter:
 *
 *   Σ_n r_nk x̂_nk,   Σ_n r_nk [(x̂_nk − m_k)(x̂_nk − m_k)ᵀ + S_k(n)]
 *
 * which are E[Σ r x] and E[Σ r (x − m)(x − m)ᵀ] under the posterior of the missing entries, so
 * the M-step of complete data maximises the expected complete log-likelihood and the observed-data
 * log-likelihood never decreases. For the variational mixture the same holds with the posterior's
 * covariances W⁻¹/ν: q(x_m | z) is then the conditional Gaussian of N(m_k, (νW)⁻¹), and the entropy
 * of q(z, x_m) replaces that of q(z) in the bound.
 *
 * Computed in plain TypeScript, in the frame of the whole data set (centre.ts), with the same
 * interface as the engines for the rows it holds; engine-missing.ts joins it to the engine of the
 * complete rows.
 */
import { ValueError } from '../runtime/errors.js';
import type { Matrix } from '../runtime/matrix.js';
import { centreInto, centreMeans } from './centre.js';
import { conditionalGaussian, denseCovariance, solveLower, solveLowerTransposed, type ConditionalGaussian } from './conditional.js';
import { statsFromCentred, type MixtureEngine } from './engine.js';
import { missingPatterns, type MissingPattern } from './missing.js';
import { componentMeans, shiftDiagScatter, shiftFullScatter } from './scatter.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';
import { totalWeight, weightedRespEntropy } from './weights.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class IncompleteRows implements MixtureEngine {
  readonly n: number;
  private readonly D: number;
  private readonly K: number;
  private readonly type: CovarianceType;
  private readonly origin: Float64Array;
  /** The rows minus the origin, NaN where missing (n × D). */
  private readonly x: Float64Array;
  private readonly patterns: MissingPattern[];
  private readonly w: Float64Array | undefined;
  private readonly count: number;
  /** Stored responsibilities, w_n r_nk (n × K). */
  private readonly resp: Float64Array;
  /** The parameters of the last E-step (null after setResponsibilities): what stats() completes the rows with. */
  private last: GaussianParams | null = null;
  // Per-row scratch: the responsibilities of one row, its whitened residuals per component, and x̂.
  private readonly r: Float64Array;
  private readonly y: Float64Array;
  private readonly xhat: Float64Array;
  private readonly z: Float64Array;

  /**
   * @param X the incomplete rows in the user's coordinates (at least one NaN each is not required)
   * @param origin the frame's origin (the whole data set's)
   */
  constructor(X: Matrix, origin: Float64Array, type: CovarianceType, K: number, sampleWeight?: Float64Array) {
    this.n = X.rows;
    this.D = X.cols;
    this.K = K;
    this.type = type;
    this.origin = origin;
    this.w = sampleWeight;
    this.count = totalWeight(sampleWeight, X.rows);
    this.x = centreInto(X, origin, new Float64Array(X.rows * X.cols));
    this.patterns = missingPatterns(X);
    this.resp = new Float64Array(this.n * K);
    this.r = new Float64Array(K);
    this.y = new Float64Array(K * this.D);
    this.xhat = new Float64Array(this.D);
    this.z = new Float64Array(this.D);
  }

  /** E-step: stores w r, writes log p(x_o) per row into `logProbNorm` (when given), returns Σ w log p(x_o). */
  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    this.last = params;
    const { K } = this;
    const mu = centreMeans(params.means, this.origin);
    let total = 0;
    for (const p of this.patterns) {
      const { cgs, bias } = this.patternModel(params, p);
      for (const i of p.rows) {
        const lse = this.rowResponsibilities(i, p, cgs, bias, mu);
        if (logProbNorm) logProbNorm[i] = lse;
        const wi = this.w ? this.w[i] : 1;
        if (wi > 0) total += wi * lse;
        for (let k = 0; k < K; k++) this.resp[i * K + k] = wi * this.r[k];
      }
    }
    return checkTotal(total);
  }

  /**
   * The E-step and the expected statistics of complete data: per component, the rows completed by
   * their conditional means, scattered about fixed centres (the E-step's means) in one pass, then
   * shifted to the new means; when the shift would lose too many digits, a second pass about the
   * new means. With `withEntropy`, Σ w r log r minus Σ w r H[q(x_m | z)].
   */
  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    const mu = centreMeans(params.means, this.origin);
    let acc = this.accumulate(params, mu, withEntropy);
    if (!acc.exact) acc = this.accumulate(params, componentMeans(acc.sumX, acc.sumResp, this.D), withEntropy);
    const stats = statsFromCentred(this.type, this.count, acc.logLik, acc.sumResp, acc.sumX, acc.sumXX, this.origin);
    return { stats, sumRespLogResp: withEntropy ? acc.sumRLogR : NaN };
  }

  /**
   * Statistics of the stored responsibilities: after an E-step, those of eStepStats under its
   * parameters; after setResponsibilities (the initialisation, with no parameters yet), the rows
   * completed by the observed column means (0 in the frame) without a conditional covariance.
   */
  stats(logLik: number): SufficientStats {
    if (this.last) return { ...this.eStepStats(this.last).stats, logLik };
    const { n, K, D, x, resp } = this;
    const sumResp = new Float64Array(K), sumX = new Float64Array(K * D);
    const filled = (i: number, d: number) => (x[i * D + d] === x[i * D + d] ? x[i * D + d] : 0);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const rk = resp[i * K + k];
        if (rk === 0) continue;
        sumResp[k] += rk;
        for (let d = 0; d < D; d++) sumX[k * D + d] += rk * filled(i, d);
      }
    }
    const m = componentMeans(sumX, sumResp, D);
    const diagonal = this.type === 'diag' || this.type === 'spherical';
    const S = new Float64Array(diagonal ? K * D : K * D * D);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const rk = resp[i * K + k];
        if (rk === 0) continue;
        for (let a = 0; a < D; a++) {
          const da = filled(i, a) - m[k * D + a];
          if (diagonal) S[k * D + a] += rk * da * da;
          else for (let b = 0; b < D; b++) S[k * D * D + a * D + b] += rk * da * (filled(i, b) - m[k * D + b]);
        }
      }
    }
    return statsFromCentred(this.type, this.count, logLik, sumResp, sumX, this.type === 'tied' ? sumOverComponents(S, K, D) : S, this.origin);
  }

  /** Σ_n w_n Σ_k r_nk log r_nk of the stored responsibilities. */
  sumRespLogResp(): number {
    return weightedRespEntropy(this.resp, this.w, this.n, this.K);
  }

  setResponsibilities(resp: Float64Array): void {
    this.last = null;
    const { n, K } = this;
    for (let i = 0; i < n; i++) {
      const wi = this.w ? this.w[i] : 1;
      for (let k = 0; k < K; k++) this.resp[i * K + k] = wi === 0 ? 0 : wi * resp[i * K + k];
    }
  }

  responsibilities(): Float64Array {
    return this.resp.slice();
  }

  release(): void {}

  /**
   * E[x | x_o] under the mixture: writes Σ_k p(k | x_o) E_k[x_m | x_o] (in the user's
   * coordinates) into the missing entries of `out` (n × D, the rows as given; observed entries
   * are left as they are).
   */
  impute(params: GaussianParams, out: Float64Array): void {
    const { K, D } = this;
    const mu = centreMeans(params.means, this.origin);
    for (const p of this.patterns) {
      const { cgs, bias } = this.patternModel(params, p);
      for (const i of p.rows) {
        this.rowResponsibilities(i, p, cgs, bias, mu);
        for (const d of p.mis) out[i * D + d] = 0;
        for (let k = 0; k < K; k++) {
          this.completeRow(i, p, cgs[k], k, mu);
          for (const d of p.mis) out[i * D + d] += this.r[k] * this.xhat[d];
        }
        for (const d of p.mis) out[i * D + d] += this.origin[d];
      }
    }
  }

  /** Per component: the conditional Gaussian of the pattern and bias_k = log w_k − ½ Do log 2π − ½ log|Σ_k,oo|. */
  private patternModel(params: GaussianParams, p: MissingPattern): { cgs: ConditionalGaussian[]; bias: Float64Array } {
    const { K, D, type } = this;
    const logW = params.logWeights ?? params.weights.map(Math.log);
    const cgs: ConditionalGaussian[] = [];
    const bias = new Float64Array(K);
    const shared = type === 'tied' ? conditionalGaussian(denseCovariance(params.covariances, type, 0, D), D, p.obs, p.mis) : null;
    for (let k = 0; k < K; k++) {
      const cg = shared ?? conditionalGaussian(denseCovariance(params.covariances, type, k, D), D, p.obs, p.mis);
      cgs.push(cg);
      bias[k] = logW[k] - p.obs.length * HALF_LOG_2PI - cg.halfLogDet;
    }
    return { cgs, bias };
  }

  /**
   * Row i's responsibilities into this.r and its whitened residuals y_k = L_k⁻¹ (x_o − μ_k,o) into
   * this.y (K × Do); returns log p(x_o) (the log-sum-exp).
   */
  private rowResponsibilities(i: number, p: MissingPattern, cgs: ConditionalGaussian[], bias: Float64Array, mu: Float64Array): number {
    const { K, D, x, r, y } = this;
    const obs = p.obs, Do = obs.length;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const yk = y.subarray(k * Do, (k + 1) * Do);
      for (let j = 0; j < Do; j++) yk[j] = x[i * D + obs[j]] - mu[k * D + obs[j]];
      solveLower(cgs[k].L, yk, Do);
      let q = 0;
      for (let j = 0; j < Do; j++) q += yk[j] * yk[j];
      r[k] = bias[k] - 0.5 * q;
      if (r[k] > max) max = r[k];
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(r[k] - max);
    const lse = max + Math.log(s);
    for (let k = 0; k < K; k++) r[k] = Math.exp(r[k] - lse);
    return lse;
  }

  /** this.xhat ← row i completed under component k: x_o, and μ_m + Σ_mo Σ_oo⁻¹ (x_o − μ_o) (uses this.y of the row). */
  private completeRow(i: number, p: MissingPattern, cg: ConditionalGaussian, k: number, mu: Float64Array): void {
    const { D, x, xhat } = this;
    const { obs, mis } = p;
    const Do = obs.length;
    const zz = this.z;
    for (let j = 0; j < Do; j++) zz[j] = this.y[k * Do + j];
    solveLowerTransposed(cg.L, zz, Do);
    for (let j = 0; j < Do; j++) xhat[obs[j]] = x[i * D + obs[j]];
    for (let a = 0; a < mis.length; a++) {
      let s = mu[k * D + mis[a]];
      for (let j = 0; j < Do; j++) s += cg.cross[a * Do + j] * zz[j];
      xhat[mis[a]] = s;
    }
  }

  /**
   * One pass: E-step, and per component Σ w r, Σ w r x̂ and the scatter of x̂ about `centres`
   * (K × D, in the frame) plus Σ w r S_k on the missing block, shifted to the new means.
   */
  private accumulate(params: GaussianParams, centres: Float64Array, withEntropy: boolean): {
    logLik: number; sumResp: Float64Array; sumX: Float64Array; sumXX: Float64Array; sumRLogR: number; exact: boolean;
  } {
    this.last = params;
    const { K, D, type, xhat } = this;
    const diagonal = type === 'diag' || type === 'spherical';
    const mu = centreMeans(params.means, this.origin);
    const sumResp = new Float64Array(K), sumX = new Float64Array(K * D);
    const s1 = new Float64Array(diagonal ? K * D : 0);
    const M2 = new Float64Array(diagonal ? K * D : K * D * D);
    const mass = new Float64Array(K);
    let logLik = 0, sumRLogR = 0;
    for (const p of this.patterns) {
      const { cgs, bias } = this.patternModel(params, p);
      mass.fill(0);
      for (const i of p.rows) {
        const lse = this.rowResponsibilities(i, p, cgs, bias, mu);
        const wi = this.w ? this.w[i] : 1;
        for (let k = 0; k < K; k++) this.resp[i * K + k] = wi * this.r[k];
        if (wi === 0) continue;
        logLik += wi * lse;
        for (let k = 0; k < K; k++) {
          const rk = wi * this.r[k];
          if (rk === 0) continue;
          if (withEntropy) sumRLogR += rk * Math.log(this.r[k]);
          sumResp[k] += rk;
          mass[k] += rk;
          this.completeRow(i, p, cgs[k], k, mu);
          for (let a = 0; a < D; a++) {
            const da = xhat[a] - centres[k * D + a];
            sumX[k * D + a] += rk * xhat[a];
            if (diagonal) {
              s1[k * D + a] += rk * da;
              M2[k * D + a] += rk * da * da;
            } else {
              const o = k * D * D + a * D;
              for (let b = 0; b <= a; b++) M2[o + b] += rk * da * (xhat[b] - centres[k * D + b]);
            }
          }
        }
      }
      // E[(x − c)(x − c)ᵀ] adds the conditional covariance S_k on the missing block (lower triangle).
      const mis = p.mis, Dm = mis.length;
      for (let k = 0; k < K; k++) {
        if (mass[k] === 0 || Dm === 0) continue;
        const S = cgs[k].condCov;
        if (withEntropy) sumRLogR -= mass[k] * (0.5 * Dm * (1 + 2 * HALF_LOG_2PI) + cgs[k].halfLogDetCond);
        for (let a = 0; a < Dm; a++) {
          if (diagonal) M2[k * D + mis[a]] += mass[k] * S[a * Dm + a];
          else for (let b = 0; b <= a; b++) M2[k * D * D + mis[a] * D + mis[b]] += mass[k] * S[a * Dm + b];
        }
      }
    }
    checkTotal(logLik);
    if (diagonal) {
      const shifted = shiftDiagScatter(s1, M2, sumResp, centres, K, D);
      return { logLik, sumResp, sumX, sumXX: shifted.sumXX, sumRLogR, exact: shifted.exact };
    }
    const { exact } = shiftFullScatter(M2, sumResp, sumX, centres, K, D);
    return { logLik, sumResp, sumX, sumXX: type === 'tied' ? sumOverComponents(M2, K, D) : M2, sumRLogR, exact };
  }
}

/** Σ_k of K blocks of D × D: the tied scatter. */
function sumOverComponents(S: Float64Array, K: number, D: number): Float64Array {
  const W = new Float64Array(D * D);
  for (let k = 0; k < K; k++) for (let i = 0; i < D * D; i++) W[i] += S[k * D * D + i];
  return W;
}

function checkTotal(total: number): number {
  if (!Number.isFinite(total)) {
    throw new ValueError(`the log-likelihood became ${total}: some rows have zero density under every component; increase regCovar or check the data's scale`);
  }
  return total;
}
