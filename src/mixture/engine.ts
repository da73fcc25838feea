/**
 * The O(N) half of EM for Gaussian mixtures, behind one interface with two engines: the wasm
 * engine (GEMM-shaped SIMD kernels over blocks of rows, see KERNELS.md) and the plain-TypeScript
 * reference engine (the oracle in tests, the "plain JavaScript" baseline in benchmarks). Each
 * engine holds one data set and its responsibilities for the length of a fit.
 */
import type { Matrix } from '../runtime/matrix.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';
import { logDetCholesky } from './gaussian.js';

/** Which implementation runs the E-step and the statistics. */
export type EngineName = 'wasm' | 'reference';

export interface MixtureEngine {
  readonly n: number;
  /**
   * E-step: stores the responsibilities r_nk = p(k | x_n) and returns Σ_n log p(x_n). With
   * `logProbNorm`, also writes each row's log p(x_n) there.
   */
  eStep(params: GaussianParams, logProbNorm?: Float64Array): number;
  /**
   * The E-step and the sufficient statistics of its responsibilities (one pass where the engine
   * can); with `withEntropy`, also Σ r log r (NaN otherwise). The responsibilities are stored too.
   */
  eStepStats(params: GaussianParams, withEntropy?: boolean): { stats: SufficientStats; sumRespLogResp: number };
  /** Sufficient statistics of the stored responsibilities (logLik is the caller's). */
  stats(logLik: number): SufficientStats;
  /** Σ_n Σ_k r_nk log r_nk of the stored responsibilities (minus their entropy). */
  sumRespLogResp(): number;
  /** Replaces the stored responsibilities (N × K, rows summing to 1): the initialisation path. */
  setResponsibilities(resp: Float64Array): void;
  /** A copy of the stored responsibilities (N × K). */
  responsibilities(): Float64Array;
  /** Frees the engine's memory; the engine is unusable afterwards. */
  release(): void;
}

export interface EngineSpec {
  X: Matrix;
  covarianceType: CovarianceType;
  nComponents: number;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** bias_k = −½ D log 2π + log det P_k + log w_k (or params.logWeights[k]): the parts of log w_k N(x | μ_k, Σ_k) not depending on x. */
export function componentBias(params: GaussianParams, type: CovarianceType): Float64Array {
  const K = params.weights.length;
  const D = params.means.cols;
  const logDet = logDetCholesky(params.precisionsCholesky, type, K, D);
  const logW = params.logWeights ?? params.weights.map(Math.log);
  return logDet.map((ld, k) => -D * HALF_LOG_2PI + ld + logW[k]);
}

/**
 * The diag/spherical E-step as one GEMM: [x, x∘x] · [−2 μ∘p, p]ᵀ, p the precisions (per feature),
 * plus the per-component constant Σ_d μ²p folded into the bias.
 */
export function diagProjection(params: GaussianParams, type: CovarianceType): { B: Float64Array; bias: Float64Array } {
  const K = params.weights.length;
  const D = params.means.cols;
  const mu = params.means.data;
  const pc = params.precisionsCholesky;
  const B = new Float64Array(K * 2 * D);
  const bias = componentBias(params, type);
  for (let k = 0; k < K; k++) {
    let m2p = 0;
    for (let d = 0; d < D; d++) {
      const c = type === 'diag' ? pc[k * D + d] : pc[k];
      const p = c * c;
      const m = mu[k * D + d];
      B[k * 2 * D + d] = -2 * m * p;
      B[k * 2 * D + D + d] = p;
      m2p += m * m * p;
    }
    bias[k] -= 0.5 * m2p;
  }
  return { B, bias };
}
