/**
 * A Gaussian split into observed and missing coordinates, the algebra behind missing values
 * (Ghahramani & Jordan 1994). For x ~ N(μ, Σ) with observed indices o and missing indices m:
 *
 *   x_o ~ N(μ_o, Σ_oo)                                   (the marginal the E-step scores)
 *   x_m | x_o ~ N(μ_m + Σ_mo Σ_oo⁻¹ (x_o − μ_o), S),     S = Σ_mm − Σ_mo Σ_oo⁻¹ Σ_om
 *
 * Everything is computed from the Cholesky factor L of Σ_oo: with y = L⁻¹ (x_o − μ_o) the
 * Mahalanobis term is ‖y‖², and z = L⁻ᵀ y = Σ_oo⁻¹ (x_o − μ_o) gives the conditional mean's shift
 * Σ_mo z. Plain TypeScript: the blocks are at most D × D, once per missingness pattern and
 * component, while the O(N) work is per row.
 */
import { ValueError } from '../runtime/errors.js';
import type { CovarianceType } from './types.js';

/** One component's Gaussian restricted to a missingness pattern. */
export interface ConditionalGaussian {
  /** Lower Cholesky factor of Σ_oo (Do × Do, row-major). */
  L: Float64Array;
  /** Σ log L_ii = ½ log |Σ_oo|. */
  halfLogDet: number;
  /** Σ_mo (Dm × Do, row-major): z = Σ_oo⁻¹ (x_o − μ_o) ↦ the conditional mean's shift Σ_mo z. */
  cross: Float64Array;
  /** S = Σ_mm − Σ_mo Σ_oo⁻¹ Σ_om (Dm × Dm, row-major), the covariance of x_m given x_o. */
  condCov: Float64Array;
  /** ½ log |S| (0 when nothing is missing). */
  halfLogDetCond: number;
}

/** The error of a covariance restricted to a row's observed features that is not positive definite. */
export const SINGULAR =
  'a covariance restricted to the observed features of a row is not positive definite (an ill-defined component); ' +
  'increase regCovar or decrease nComponents';

/** Component k's covariance as a dense D × D matrix, from the flat layout of `type`. */
export function denseCovariance(cov: Float64Array, type: CovarianceType, k: number, D: number): Float64Array {
  const out = new Float64Array(D * D);
  if (type === 'full') out.set(cov.subarray(k * D * D, (k + 1) * D * D));
  else if (type === 'tied') out.set(cov.subarray(0, D * D));
  else for (let d = 0; d < D; d++) out[d * D + d] = type === 'diag' ? cov[k * D + d] : cov[k];
  return out;
}

/**
 * In-place lower Cholesky factor of the n × n matrix at offset o of a (row-major; the upper
 * triangle is zeroed). Returns Σ log L_ii. @throws ValueError naming regCovar on a non-positive pivot
 */
export function choleskyLower(a: Float64Array, n: number, o = 0): number {
  let halfLogDet = 0;
  for (let j = 0; j < n; j++) {
    let s = a[o + j * n + j];
    for (let t = 0; t < j; t++) s -= a[o + j * n + t] * a[o + j * n + t];
    if (!(s > 0)) throw new ValueError(SINGULAR);
    const d = Math.sqrt(s);
    a[o + j * n + j] = d;
    halfLogDet += Math.log(d);
    for (let i = j + 1; i < n; i++) {
      let v = a[o + i * n + j];
      for (let t = 0; t < j; t++) v -= a[o + i * n + t] * a[o + j * n + t];
      a[o + i * n + j] = v / d;
    }
    for (let i = 0; i < j; i++) a[o + i * n + j] = 0;
  }
  return halfLogDet;
}

/** y ← L⁻¹ y (forward substitution, L lower n × n at offset o). */
export function solveLower(L: Float64Array, y: Float64Array, n: number, o = 0): void {
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let t = 0; t < i; t++) s -= L[o + i * n + t] * y[t];
    y[i] = s / L[o + i * n + i];
  }
}

/** y ← L⁻ᵀ y (back substitution with the transpose of L, at offset o). */
export function solveLowerTransposed(L: Float64Array, y: Float64Array, n: number, o = 0): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let t = i + 1; t < n; t++) s -= L[o + t * n + i] * y[t];
    y[i] = s / L[o + i * n + i];
  }
}

/**
 * The blocks of `sigma` (dense D × D) for observed indices `obs` and missing indices `mis`:
 * the Cholesky factor of Σ_oo, Σ_mo and the Schur complement S (with its log-determinant).
 * @throws ValueError naming regCovar when Σ_oo or S is not positive definite
 */
export function conditionalGaussian(sigma: Float64Array, D: number, obs: Int32Array, mis: Int32Array): ConditionalGaussian {
  const Do = obs.length, Dm = mis.length;
  const L = new Float64Array(Do * Do);
  for (let i = 0; i < Do; i++) for (let j = 0; j < Do; j++) L[i * Do + j] = sigma[obs[i] * D + obs[j]];
  const halfLogDet = choleskyLower(L, Do);
  const cross = new Float64Array(Dm * Do);
  for (let i = 0; i < Dm; i++) for (let j = 0; j < Do; j++) cross[i * Do + j] = sigma[mis[i] * D + obs[j]];
  // S = Σ_mm − Wᵀ W with W = L⁻¹ Σ_om, one column of W per missing coordinate.
  const W = new Float64Array(Dm * Do);
  const col = new Float64Array(Do);
  for (let i = 0; i < Dm; i++) {
    col.set(cross.subarray(i * Do, (i + 1) * Do));
    solveLower(L, col, Do);
    W.set(col, i * Do);
  }
  const condCov = new Float64Array(Dm * Dm);
  for (let a = 0; a < Dm; a++) {
    for (let b = 0; b <= a; b++) {
      let s = sigma[mis[a] * D + mis[b]];
      for (let t = 0; t < Do; t++) s -= W[a * Do + t] * W[b * Do + t];
      condCov[a * Dm + b] = s;
      condCov[b * Dm + a] = s;
    }
  }
  const halfLogDetCond = Dm > 0 ? choleskyLower(condCov.slice(), Dm) : 0;
  return { L, halfLogDet, cross, condCov, halfLogDetCond };
}
