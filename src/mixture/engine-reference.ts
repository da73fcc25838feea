/**
 * The reference engine: the E-step and the statistics as plain TypeScript loops over a
 * Float64Array, with Math.exp/Math.log, computing every quantity in its direct form (distances
 * as Σ (x − μ)², scatters by two passes about the exact means). It is the oracle the wasm engine
 * is tested against and the "plain JavaScript" baseline in benchmarks; it allocates N × K and
 * nothing more beyond the centred copy of the data.
 */
import { ValueError } from '../runtime/errors.js';
import { SOFTMAX_FLUSH_F64 } from '../reference/special.js';
import { assertFinite } from '../runtime/matrix.js';
import { centreInto, centreMeans, columnMeans } from './centre.js';
import { totalWeight, weighRows, weightedRespEntropy } from './weights.js';
import { checkCentres, componentBias, statsFromCentred, type EngineSpec, type MixtureEngine } from './engine.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

export class ReferenceEngine implements MixtureEngine {
  readonly n: number;
  /** The data minus `origin` (N × D). */
  private readonly x: Float64Array;
  private readonly origin: Float64Array;
  private readonly type: CovarianceType;
  private readonly K: number;
  private readonly D: number;
  private readonly resp: Float64Array;
  private readonly w: Float64Array | undefined;
  /** Σ w (the rows when unweighted): the statistics' n. */
  private readonly count: number;

  constructor({ X, covarianceType, nComponents, origin, sampleWeight, unchecked }: EngineSpec) {
    if (unchecked) assertFinite(X.data, unchecked, X.cols);
    this.n = X.rows;
    this.w = sampleWeight;
    this.count = totalWeight(sampleWeight, X.rows);
    this.D = X.cols;
    this.K = nComponents;
    this.type = covarianceType;
    this.origin = origin ?? columnMeans(X, sampleWeight);
    this.x = centreInto(X, this.origin, new Float64Array(this.n * this.D));
    this.resp = new Float64Array(this.n * this.K);
  }

  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    const { n, K, D, x, resp, type, w } = this;
    const mu = centreMeans(params.means, this.origin);
    const pc = params.precisionsCholesky;
    const y = new Float64Array(D);
    const bias = componentBias(params, type);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = i * K;
      for (let k = 0; k < K; k++) {
        let q = 0;
        if (type === 'diag' || type === 'spherical') {
          for (let d = 0; d < D; d++) {
            const p = type === 'diag' ? pc[k * D + d] : pc[k];
            const t = (x[i * D + d] - mu[k * D + d]) * p;
            q += t * t;
          }
        } else {
          // ‖(x − μ) P‖², P the precision Cholesky factor of component k (or the tied one)
          const o = type === 'full' ? k * D * D : 0;
          for (let j = 0; j < D; j++) {
            let s = 0;
            for (let t = 0; t < D; t++) s += (x[i * D + t] - mu[k * D + t]) * pc[o + t * D + j];
            y[j] = s;
          }
          for (let j = 0; j < D; j++) q += y[j] * y[j];
        }
        resp[row + k] = bias[k] - 0.5 * q;
      }
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, resp[row + k]);
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(resp[row + k] - m);
      const lse = m + Math.log(s);
      for (let k = 0; k < K; k++) resp[row + k] = resp[row + k] - m < SOFTMAX_FLUSH_F64 ? 0 : Math.exp(resp[row + k] - lse);
      if (logProbNorm) logProbNorm[i] = lse;
      if (!w) total += lse;
      else if (w[i] > 0) total += w[i] * lse;
    }
    if (w) weighRows(resp, w, 0, n, K);
    if (!Number.isFinite(total)) {
      throw new ValueError(`the log-likelihood became ${total}: some rows have zero density under every component; increase regCovar`);
    }
    return total;
  }

  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    const logLik = this.eStep(params);
    return { stats: this.stats(logLik), sumRespLogResp: withEntropy ? this.sumRespLogResp() : NaN };
  }

  /** Two passes: Σr and Σ r (x − o), then the scatters about the exact means m_k. */
  stats(logLik: number): SufficientStats {
    const { n, K, D, x, resp, type } = this;
    const sumResp = new Float64Array(K);
    const sumX = new Float64Array(K * D);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const r = resp[i * K + k];
        sumResp[k] += r;
        for (let d = 0; d < D; d++) sumX[k * D + d] += r * x[i * D + d];
      }
    }
    const m = sumX.map((v, j) => (sumResp[Math.floor(j / D)] > 0 ? v / sumResp[Math.floor(j / D)] : 0));
    const diagonal = type === 'diag' || type === 'spherical';
    const sumXX = new Float64Array(diagonal ? K * D : type === 'tied' ? D * D : K * D * D);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const r = resp[i * K + k];
        const o = type === 'full' ? k * D * D : 0;
        for (let a = 0; a < D; a++) {
          const da = x[i * D + a] - m[k * D + a];
          if (diagonal) {
            sumXX[k * D + a] += r * da * da;
            continue;
          }
          for (let b = 0; b < D; b++) sumXX[o + a * D + b] += r * da * (x[i * D + b] - m[k * D + b]);
        }
      }
    }
    return statsFromCentred(type, this.count, logLik, sumResp, sumX, sumXX, this.origin);
  }

  /**
   * stats(logLik) itself: this engine computes every scatter by two passes about the exact
   * means, which the centres of a one-pass accumulation can only approach, and has no pool to
   * run on. The centres are checked as the wasm engine checks them.
   */
  statsAbout(centres: Float64Array, logLik: number): SufficientStats {
    checkCentres(centres, this.K, this.D);
    return this.stats(logLik);
  }

  /** Σ_n w_n Σ_k r_nk log r_nk, each r_nk recovered from the stored w_n r_nk. */
  sumRespLogResp(): number {
    return weightedRespEntropy(this.resp, this.w, this.n, this.K);
  }

  setResponsibilities(resp: Float64Array): void {
    this.resp.set(resp);
    if (this.w) weighRows(this.resp, this.w, 0, this.n, this.K);
  }

  responsibilities(): Float64Array {
    return this.resp.slice();
  }

  release(): void {}
}
