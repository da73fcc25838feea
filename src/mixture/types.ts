import type { Matrix } from '../runtime/matrix.js';

/** How each component's covariance is parametrised (scikit-learn's `covariance_type`). */
export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

/** How responsibilities are initialised before the first E-step (scikit-learn's `init_params`). */
export type InitParams = 'kmeans' | 'k-means++' | 'random' | 'random_from_data';
export const INIT_PARAMS: readonly InitParams[] = ['kmeans', 'k-means++', 'random', 'random_from_data'];

/**
 * The parameters of a Gaussian mixture. Covariance-shaped arrays are flat, row-major:
 * full K·D·D, tied D·D, diag K·D, spherical K.
 */
export interface GaussianParams {
  weights: Float64Array;
  means: Matrix<Float64Array>;
  covariances: Float64Array;
  /** P_k with precision_k = P_k P_kᵀ: upper triangular after an M-step, lower when given as precisionsInit. */
  precisionsCholesky: Float64Array;
  /**
   * Per-component log-weights for the E-step in place of log w_k (K values). A variational
   * mixture puts E_q[log π_k] and its other per-component expectation terms here.
   */
  logWeights?: Float64Array;
}

/**
 * Sufficient statistics of one E-step over (a shard of) the data: they add across shards
 * (`GaussianMixture.mergeStats`) and determine the next parameters (`gm.mStep`).
 *
 * - `n`: number of rows; `logLik`: Σ_n log p(x_n) under the parameters of the E-step.
 * - `sumResp` (K): Σ_n r_nk; `sumX` (K·D): Σ_n r_nk x_n.
 * - `sumXX`: the scatter of each component about its own weighted mean m_k = sumX_k / sumResp_k,
 *   by covariance type: **full** K·D·D, Σ_n r_nk (x_n − m_k)(x_n − m_k)ᵀ; **tied** D·D, the sum
 *   of those over k; **diag** and **spherical** K·D, Σ_n r_nk (x_n − m_k)² (element-wise).
 *   Centred, so no digits are lost to where the data sit (the engines compute them without
 *   forming Σ x² at the data's offset), and merged across shards by Chan's parallel rule.
 */
export interface SufficientStats {
  /** Covariance type the statistics are for. */
  covarianceType: CovarianceType;
  /** Number of components K. */
  nComponents: number;
  /** Number of features D. */
  nFeatures: number;
  /** Number of rows. */
  n: number;
  /** Σ_n log p(x_n) under the parameters of the E-step. */
  logLik: number;
  /** Σ_n r_nk (K values). */
  sumResp: Float64Array;
  /** Σ_n r_nk x_n (K·D values). */
  sumX: Float64Array;
  /** Second-order statistics, by covariance type (see above). */
  sumXX: Float64Array;
}

export type { IterationInfo } from '../em.js';
