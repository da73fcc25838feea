/**
 * The reference engine: scikit-learn's E-step and statistics written as plain TypeScript loops
 * over a Float64Array, with Math.exp/Math.log. It is the oracle the wasm engine is tested
 * against and the "plain JavaScript" baseline in benchmarks; it allocates N × K and nothing more.
 */
import { ValueError } from '../runtime/errors.js';
import type { Matrix } from '../runtime/matrix.js';
import { componentBias, diagProjection, type EngineSpec, type MixtureEngine } from './engine.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

export class ReferenceEngine implements MixtureEngine {
  readonly n: number;
  private readonly x: Float64Array;
  private readonly type: CovarianceType;
  private readonly K: number;
  private readonly D: number;
  private readonly resp: Float64Array;

  constructor({ X, covarianceType, nComponents }: EngineSpec) {
    this.n = X.rows;
    this.D = X.cols;
    this.K = nComponents;
    this.type = covarianceType;
    this.x = Float64Array.from((X as Matrix).data);
    this.resp = new Float64Array(this.n * this.K);
  }

  eStep(params: GaussianParams, logProbNorm?: Float64Array): number {
    const { n, K, D, x, resp, type } = this;
    const mu = params.means.data;
    const pc = params.precisionsCholesky;
    const y = new Float64Array(D);
    const diag = type === 'diag' || type === 'spherical' ? diagProjection(params, type) : null;
    const bias = diag ? diag.bias : componentBias(params, type);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = i * K;
      for (let k = 0; k < K; k++) {
        let q = 0;
        if (diag) {
          // Σ_d p (x − μ)² expanded as scikit-learn does: x²·p − 2 x·(μ∘p) + Σ μ²p (the last in bias)
          const B = diag.B;
          for (let d = 0; d < D; d++) {
            const v = x[i * D + d];
            q += v * B[k * 2 * D + d] + v * v * B[k * 2 * D + D + d];
          }
        } else {
          // ‖x P − μ P‖², P the precision Cholesky factor of component k (or the tied one)
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
      for (let k = 0; k < K; k++) resp[row + k] = Math.exp(resp[row + k] - lse);
      if (logProbNorm) logProbNorm[i] = lse;
      total += lse;
    }
    if (!Number.isFinite(total)) {
      throw new ValueError(`the log-likelihood became ${total}: some rows have zero density under every component; increase regCovar`);
    }
    return total;
  }

  eStepStats(params: GaussianParams, withEntropy = false): { stats: SufficientStats; sumRespLogResp: number } {
    const logLik = this.eStep(params);
    return { stats: this.stats(logLik), sumRespLogResp: withEntropy ? this.sumRespLogResp() : NaN };
  }

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
    let sumXX: Float64Array;
    if (type === 'tied') {
      sumXX = new Float64Array(D * D);
      for (let i = 0; i < n; i++) for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) sumXX[a * D + b] += x[i * D + a] * x[i * D + b];
    } else if (type === 'full') {
      sumXX = new Float64Array(K * D * D);
      const m = new Float64Array(D);
      for (let k = 0; k < K; k++) {
        for (let d = 0; d < D; d++) m[d] = sumResp[k] > 0 ? sumX[k * D + d] / sumResp[k] : 0;
        for (let i = 0; i < n; i++) {
          const r = resp[i * K + k];
          for (let a = 0; a < D; a++) {
            const da = r * (x[i * D + a] - m[a]);
            for (let b = 0; b < D; b++) sumXX[k * D * D + a * D + b] += da * (x[i * D + b] - m[b]);
          }
        }
      }
    } else {
      sumXX = new Float64Array(K * D);
      for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) {
        const r = resp[i * K + k];
        for (let d = 0; d < D; d++) sumXX[k * D + d] += r * x[i * D + d] * x[i * D + d];
      }
    }
    return { covarianceType: type, nComponents: K, nFeatures: D, n, logLik, sumResp, sumX, sumXX };
  }

  sumRespLogResp(): number {
    let s = 0;
    for (const r of this.resp) if (r !== 0) s += r * Math.log(r);
    return s;
  }

  setResponsibilities(resp: Float64Array): void {
    this.resp.set(resp);
  }

  responsibilities(): Float64Array {
    return this.resp.slice();
  }

  release(): void {}
}
