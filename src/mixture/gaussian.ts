/**
 * The Gaussian family's math for EM, as small pure functions (after scikit-learn's
 * _gaussian_mixture.py): parameters from sufficient statistics (the M-step), precision Cholesky
 * factors, log-determinants, parameter counts, and the merge rule of statistics across shards.
 * Everything here is O(K·D³) or less; the O(N) work lives in the engines.
 */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { kernels } from '../runtime/kernels.js';
import { withWorkspace } from '../runtime/memory.js';
import type { CovarianceType, GaussianParams, SufficientStats } from './types.js';

/** scikit-learn adds 10·eps to every n_k so that an empty component divides without NaN. */
export const NK_EPS = 10 * Number.EPSILON;

const SINGULAR_MESSAGE =
  'Fitting the mixture model failed because some components have ill-defined empirical covariance ' +
  '(for instance caused by singleton or collapsed samples). Try to decrease nComponents, or increase regCovar.';

/** Length of a covariance-shaped array for the type. */
export function covarianceSize(type: CovarianceType, K: number, D: number): number {
  switch (type) {
    case 'full': return K * D * D;
    case 'tied': return D * D;
    case 'diag': return K * D;
    case 'spherical': return K;
  }
}

/** Cholesky factor L (lower) of each of `count` n×n matrices; returns the index of the first failure, or -1. */
function choleskyMany(a: Float64Array, n: number, count: number, out: Float64Array): number {
  return withWorkspace((ws) => {
    const buf = ws.f64(n * n);
    for (let k = 0; k < count; k++) {
      buf.set(a.subarray(k * n * n, (k + 1) * n * n));
      if (kernels().choleskyF64(buf.ptr, n) !== 0) return k;
      out.set(buf.view(), k * n * n);
    }
    return -1;
  });
}

/**
 * Precision Cholesky factors from covariances: P_k = (L_k⁻¹)ᵀ with Σ_k = L_k L_kᵀ (upper
 * triangular), or 1/√σ² for diag and spherical.
 * @throws ValueError naming regCovar when a covariance is not positive definite
 */
export function precisionCholeskyFromCovariance(cov: Float64Array, type: CovarianceType, K: number, D: number): Float64Array {
  const out = new Float64Array(cov.length);
  if (type === 'diag' || type === 'spherical') {
    for (let i = 0; i < cov.length; i++) {
      if (!(cov[i] > 0)) throw new ValueError(SINGULAR_MESSAGE);
      out[i] = 1 / Math.sqrt(cov[i]);
    }
    return out;
  }
  // Every matrix goes in and comes out with one copy: partialFit runs this once per batch. The
  // copy out transposes (P_k = (L_k⁻¹)ᵀ) and checks finiteness in the same loop.
  withWorkspace((ws) => {
    const l = ws.f64(cov.length).set(cov), inv = ws.f64(cov.length);
    const k = kernels();
    for (let o = 0; o < cov.length; o += D * D) {
      if (k.choleskyF64(l.ptr + o * 8, D) !== 0) throw new ValueError(SINGULAR_MESSAGE);
      k.triInvLowerF64(l.ptr + o * 8, inv.ptr + o * 8, D);
    }
    const v = inv.view();
    for (let o = 0; o < cov.length; o += D * D) {
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) {
          const x = v[o + j * D + i];
          if (!Number.isFinite(x)) throw new ValueError(SINGULAR_MESSAGE);
          out[o + i * D + j] = x;
        }
      }
    }
  });
  return out;
}

/**
 * Precision Cholesky factors from user-given precisions (scikit-learn's precisions_init path):
 * the lower Cholesky factor of each precision matrix, or √precision for diag and spherical.
 */
export function precisionCholeskyFromPrecision(prec: Float64Array, type: CovarianceType, K: number, D: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return prec.map(Math.sqrt);
  const out = new Float64Array(prec.length);
  const failed = choleskyMany(prec, D, type === 'full' ? K : 1, out);
  if (failed >= 0) throw new ValueError(`precisionsInit must be symmetric positive definite; matrix ${failed} is not`);
  return out;
}

/** precision = P Pᵀ for each factor (P·P for diag and spherical). */
export function precisionsFromCholesky(pc: Float64Array, type: CovarianceType, K: number, D: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return pc.map((v) => v * v);
  const out = new Float64Array(pc.length);
  const count = type === 'full' ? K : 1;
  for (let c = 0; c < count; c++) {
    const o = c * D * D;
    for (let i = 0; i < D; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = 0; t < D; t++) s += pc[o + i * D + t] * pc[o + j * D + t];
        out[o + i * D + j] = s;
        out[o + j * D + i] = s;
      }
    }
  }
  return out;
}

/** Covariances as the inverses of the precisions given by their Cholesky factors: Σ = (P Pᵀ)⁻¹ = P⁻ᵀ P⁻¹. */
export function covariancesFromPrecisionCholesky(pc: Float64Array, type: CovarianceType, K: number, D: number): Float64Array {
  if (type === 'diag' || type === 'spherical') return pc.map((v) => 1 / (v * v));
  const prec = precisionsFromCholesky(pc, type, K, D);
  const count = type === 'full' ? K : 1;
  const out = new Float64Array(prec.length);
  // Σ = (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ with L the lower Cholesky factor of the precision.
  withWorkspace((ws) => {
    const l = ws.f64(D * D), inv = ws.f64(D * D);
    for (let c = 0; c < count; c++) {
      l.set(prec.subarray(c * D * D, (c + 1) * D * D));
      if (kernels().choleskyF64(l.ptr, D) !== 0) throw new ValueError(`precision matrix ${c} is not positive definite`);
      kernels().triInvLowerF64(l.ptr, inv.ptr, D);
      const m = inv.view();
      for (let i = 0; i < D; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let t = i; t < D; t++) s += m[t * D + i] * m[t * D + j];
          out[c * D * D + i * D + j] = s;
          out[c * D * D + j * D + i] = s;
        }
      }
    }
  });
  return out;
}

/**
 * Σ log diag(P_k) for each component: the log-determinant of the precision's Cholesky factor
 * (D·log p for spherical). Length K (for tied, the same value K times).
 */
export function logDetCholesky(pc: Float64Array, type: CovarianceType, K: number, D: number): Float64Array {
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    if (type === 'full') for (let i = 0; i < D; i++) s += Math.log(pc[k * D * D + i * D + i]);
    else if (type === 'tied') for (let i = 0; i < D; i++) s += Math.log(pc[i * D + i]);
    else if (type === 'diag') for (let i = 0; i < D; i++) s += Math.log(pc[k * D + i]);
    else s = D * Math.log(pc[k]);
    out[k] = s;
  }
  return out;
}

/**
 * The M-step: weights, means and covariances that maximise E_q[log p(X, Z)] given the sufficient
 * statistics of an E-step, with regCovar added to each covariance's diagonal (scikit-learn's
 * _estimate_gaussian_parameters, then weights normalised to sum to 1). The second moments are
 * already centred on each component's mean, so every covariance is a scatter over a count:
 * no E[x²] − E[x]², which scikit-learn uses for tied, diag and spherical and which loses the
 * spread's digits to a large mean.
 */
export function parametersFromStats(s: SufficientStats, regCovar: number): Omit<GaussianParams, 'precisionsCholesky'> {
  const { nComponents: K, nFeatures: D, covarianceType: type, sumResp, sumX, sumXX } = s;
  // Loops rather than TypedArray.map (several times slower): partialFit runs this once per batch.
  const nk = new Float64Array(K);
  for (let k = 0; k < K; k++) nk[k] = sumResp[k] + NK_EPS;
  let total = 0;
  for (let k = 0; k < K; k++) total += nk[k];
  const weights = new Float64Array(K);
  for (let k = 0; k < K; k++) weights[k] = nk[k] / total;
  // Means and covariances share one allocation (typed arrays past 64 bytes live outside V8's
  // heap, each costing about a microsecond): partialFit runs this once per batch.
  const store = new Float64Array(K * D + covarianceSize(type, K, D));
  const means = store.subarray(0, K * D), cov = store.subarray(K * D);
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) means[k * D + d] = sumX[k * D + d] / nk[k];
  if (type === 'full') {
    for (let k = 0; k < K; k++) {
      const o = k * D * D, n = nk[k];
      for (let i = 0; i < D * D; i++) cov[o + i] = sumXX[o + i] / n;
      for (let d = 0; d < D; d++) cov[o + d * D + d] += regCovar;
    }
  } else if (type === 'tied') {
    // Σ_k Σ_n r_nk (x − μ_k)(x − μ_k)ᵀ / Σ_k n_k + regCovar·I
    for (let i = 0; i < D * D; i++) cov[i] = sumXX[i] / total;
    for (let d = 0; d < D; d++) cov[d * D + d] += regCovar;
  } else {
    // Σ_n r_nk (x_nd − μ_kd)² / n_k + regCovar, per component and feature (spherical: their mean over d)
    for (let k = 0; k < K; k++) {
      let m = 0;
      for (let d = 0; d < D; d++) {
        const v = sumXX[k * D + d] / nk[k] + regCovar;
        if (type === 'diag') cov[k * D + d] = v;
        m += v;
      }
      if (type === 'spherical') cov[k] = m / D;
    }
  }
  return { weights, means: { data: means, rows: K, cols: D }, covariances: cov };
}

/**
 * Statistics of the union of two shards. Counts and sums add; the second moments, centred on
 * each component's mean, combine by Chan et al.'s parallel rule: M = M_a + M_b +
 * (n_a n_b / (n_a + n_b)) δ δᵀ with δ = m_b − m_a per component (its diagonal for diag and
 * spherical, the sum over components for tied).
 */
export function mergeStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  if (a.covarianceType !== b.covarianceType || a.nComponents !== b.nComponents || a.nFeatures !== b.nFeatures) {
    throw new ShapeError(
      `stats must come from the same model; got ${a.covarianceType} K=${a.nComponents} D=${a.nFeatures} and ${b.covarianceType} K=${b.nComponents} D=${b.nFeatures}`,
    );
  }
  const { nComponents: K, nFeatures: D, covarianceType: type } = a;
  const sumResp = addArrays(a.sumResp, b.sumResp);
  const sumX = addArrays(a.sumX, b.sumX);
  const sumXX = addArrays(a.sumXX, b.sumXX);
  const delta = new Float64Array(D);
  for (let k = 0; k < K; k++) {
    const na = a.sumResp[k], nb = b.sumResp[k];
    if (na === 0 || nb === 0) continue;
    for (let d = 0; d < D; d++) delta[d] = b.sumX[k * D + d] / nb - a.sumX[k * D + d] / na;
    const f = (na * nb) / (na + nb);
    if (type === 'diag' || type === 'spherical') {
      for (let d = 0; d < D; d++) sumXX[k * D + d] += f * delta[d] * delta[d];
      continue;
    }
    const o = type === 'full' ? k * D * D : 0;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) sumXX[o + i * D + j] += f * delta[i] * delta[j];
  }
  return { ...a, n: a.n + b.n, logLik: a.logLik + b.logLik, sumResp, sumX, sumXX };
}

/** a + b element-wise (a loop: TypedArray.prototype.map is several times slower, and partialFit merges per batch). */
function addArrays(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

/** Number of free parameters (scikit-learn's _n_parameters), for BIC and AIC. */
export function nParameters(type: CovarianceType, K: number, D: number): number {
  const cov = type === 'full' ? (K * D * (D + 1)) / 2 : type === 'diag' ? K * D : type === 'tied' ? (D * (D + 1)) / 2 : K;
  return Math.trunc(cov + K * D + K - 1);
}
