/**
 * The O(N) half of EM for Gaussian mixtures, behind one interface with two engines: the wasm
 * engine (GEMM-shaped SIMD kernels over blocks of rows, see KERNELS.md) and the plain-TypeScript
 * reference engine (the oracle in tests, the "plain JavaScript" baseline in benchmarks). Each
 * engine holds one data set, centred on an origin (centre.ts), and its responsibilities for the
 * length of a fit. Parameters and statistics cross the interface in the user's coordinates; the
 * second-order statistics are centred on each component's own mean (types.ts, SufficientStats).
 */
import { ShapeError } from '../runtime/errors.js';
import { assertFinite, type Matrix } from '../runtime/matrix.js';
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
  /**
   * The same statistics as stats(logLik), computed where the engine can as its eStepStats
   * computes them: about fixed centres (K × D, the user's coordinates), then shifted to the
   * exact means, or by stats() when the shift would lose too many digits. Centres near the new
   * means (an EM step's previous means) keep every digit that matters; the result is stats()'s
   * to rounding. An M-step on responsibilities that are not an E-step's (Baum-Welch's state
   * posteriors) uses it to run on the wasm engine's thread pool.
   * @throws ShapeError unless centres has K·D values; ValueError when one is not finite
   */
  statsAbout(centres: Float64Array, logLik: number): SufficientStats;
  /** Σ_n Σ_k r_nk log r_nk of the stored responsibilities (minus their entropy). */
  sumRespLogResp(): number;
  /** Replaces the stored responsibilities (N × K, rows summing to 1; weighted by the engine's sampleWeight): the initialisation path. */
  setResponsibilities(resp: Float64Array): void;
  /**
   * Hard assignments as responsibilities: r_nk = 1 when k = labels[n], else 0 (weighted as by
   * setResponsibilities); the same state as setResponsibilities of those one-hot rows. Engines
   * without it take the one-hot rows.
   */
  setLabels?(labels: Int32Array): void;
  /** A copy of the stored responsibilities (N × K; w_n r_nk in a weighted engine). */
  responsibilities(): Float64Array;
  /** Frees the engine's memory; the engine is unusable afterwards. */
  release(): void;
}

export interface EngineSpec {
  /** The data in the user's coordinates (f32 data runs the E-step in f32). */
  X: Matrix;
  covarianceType: CovarianceType;
  nComponents: number;
  /** The origin of the engine's frame (see centre.ts); default the (weighted) column means of X. */
  origin?: Float64Array;
  /**
   * One weight per row (checked by weights.ts), or none. A weighted engine stores w_n r_nk as
   * its responsibilities, so every statistic is weighted; the log-likelihood is Σ w_n log p(x_n),
   * Σ r log r is Σ_n w_n Σ_k r_nk log r_nk, and the statistics' `n` is Σ w.
   */
  sampleWeight?: Float64Array;
  /**
   * The name of X when the caller left its finiteness unchecked: the engine then throws the
   * ValueError of assertFinite naming the first non-finite entry (the wasm engine checks its
   * column sums while copying X in, and looks for the entry only when one is not finite).
   */
  unchecked?: string;
}

/**
 * A centred scatter computed as a difference (Σ r (x − c)² − n (m − c)², or Σ x xᵀ − Σ n m mᵀ)
 * loses log2(first / result) bits; beyond this ratio (20 of 53 bits) the engines recompute it
 * directly about the new means, so at least 10 significant digits always remain.
 */
export const CANCELLATION_LIMIT = 2 ** 20;

/**
 * Statistics in the user's coordinates from those of the engine's frame: Σ r x = Σ r (x − o) +
 * (Σ r)·o; the second moments are centred on each component's mean and need no shift.
 * @param sumX where Σ r x goes (K·D; may be sumXCentred itself, each entry read before written)
 */
export function statsFromCentred(
  type: CovarianceType, n: number, logLik: number, sumResp: Float64Array, sumXCentred: Float64Array, sumXX: Float64Array, origin: Float64Array,
  sumX: Float64Array = new Float64Array(sumResp.length * origin.length),
): SufficientStats {
  const K = sumResp.length, D = origin.length;
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) sumX[k * D + d] = sumXCentred[k * D + d] + sumResp[k] * origin[d];
  return { covarianceType: type, nComponents: K, nFeatures: D, n, logLik, sumResp, sumX, sumXX };
}

/** The centres of statsAbout: K·D finite values. */
export function checkCentres(centres: Float64Array, K: number, D: number): void {
  if (centres.length !== K * D) throw new ShapeError(`centres must hold K × D = ${K} × ${D} values; got ${centres.length}`);
  assertFinite(centres, 'centres', D);
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** bias_k = −½ D log 2π + log det P_k + log w_k (or params.logWeights[k]): the parts of log w_k N(x | μ_k, Σ_k) not depending on x. */
export function componentBias(params: GaussianParams, type: CovarianceType): Float64Array {
  const K = params.weights.length;
  const D = params.means.cols;
  const logDet = logDetCholesky(params.precisionsCholesky, type, K, D);
  const { logWeights, weights } = params;
  // A loop (TypedArray.map is several times slower): every E-step runs this.
  for (let k = 0; k < K; k++) logDet[k] = -D * HALF_LOG_2PI + logDet[k] + (logWeights ? logWeights[k] : Math.log(weights[k]));
  return logDet;
}
