/**
 * The Gaussian emission model's math for Baum-Welch, reusing the Gaussian mixture's: the
 * M-step is the mixture's M-step (`parametersFromStats`) applied to the sufficient statistics of
 * the state posteriors (the mixture engine's `statsAbout` with the posteriors as responsibilities);
 * initial covariances are hmmlearn's (the data's covariance plus minCovar, shaped by type).
 */
import { ValueError, ShapeError } from '../runtime/errors.js';
import type { Matrix } from '../runtime/matrix.js';
import { toVector } from '../runtime/matrix.js';
import { covarianceSize, parametersFromStats, precisionCholeskyFromCovariance } from '../mixture/gaussian.js';
import type { MixtureEngine } from '../mixture/engine.js';
import type { CovarianceType } from '../mixture/types.js';
import type { GaussianEmission } from './emission-gaussian.js';

/** Precision Cholesky factors, with an error that names the HMM's option rather than the mixture's. */
export function precisionsOf(cov: Float64Array, type: CovarianceType, K: number, D: number, name: string): Float64Array {
  try {
    return precisionCholeskyFromCovariance(cov, type, K, D);
  } catch (err) {
    if (err instanceof ValueError) throw new ValueError(`${name} must be positive definite (${type}); ${name === 'covars' ? 'a state has degenerate data: increase minCovar or decrease nComponents' : 'some matrix is not'}`);
    throw err;
  }
}

/** Covariances given by the user, in GaussianMixture's layout for the type: right length, finite, symmetric, positive definite. */
export function checkCovars(v: unknown, type: CovarianceType, K: number, D: number, name = 'covarsInit'): Float64Array {
  const size = covarianceSize(type, K, D);
  const c = Float64Array.from(toVector(v, name));
  if (c.length !== size) throw new ShapeError(`${name} for covarianceType '${type}' must hold ${size} values (K = ${K}, D = ${D}); got ${c.length}`);
  if (type === 'full' || type === 'tied') {
    const count = type === 'full' ? K : 1;
    for (let m = 0; m < count; m++) for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) {
      const a = c[m * D * D + i * D + j], b = c[m * D * D + j * D + i];
      if (Math.abs(a - b) > 1e-8 + 1e-5 * Math.abs(b)) throw new ValueError(`${name} must be symmetric; matrix ${m} has [${i}][${j}] = ${a} but [${j}][${i}] = ${b}`);
    }
  }
  precisionsOf(c, type, K, D, name);
  return c;
}

/** hmmlearn's initial covariances: cov(X) (N − 1 denominator) + minCovar·I, shaped for the type. */
export function initialCovariances(x: Matrix, type: CovarianceType, K: number, minCovar: number): Float64Array {
  const n = x.rows, D = x.cols;
  const mean = new Float64Array(D);
  for (let t = 0; t < n; t++) for (let d = 0; d < D; d++) mean[d] += x.data[t * D + d] / n;
  const cv = new Float64Array(D * D);
  for (let t = 0; t < n; t++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
    cv[i * D + j] += (x.data[t * D + i] - mean[i]) * (x.data[t * D + j] - mean[j]);
  }
  for (let i = 0; i < D * D; i++) cv[i] /= Math.max(n - 1, 1);
  for (let i = 0; i < D; i++) cv[i * D + i] += minCovar;
  const out = new Float64Array(covarianceSize(type, K, D));
  for (let k = 0; k < K; k++) {
    if (type === 'full') out.set(cv, k * D * D);
    else if (type === 'diag') for (let d = 0; d < D; d++) out[k * D + d] = cv[d * D + d];
    else if (type === 'spherical') { let s = 0; for (let d = 0; d < D; d++) s += cv[d * D + d]; out[k] = s / D; }
  }
  if (type === 'tied') out.set(cv);
  return out;
}

/**
 * The emission M-step: means Σγx/Σγ ('m'), covariances Σγ(x − μ)(x − μ)ᵀ/Σγ + minCovar·I ('c'),
 * about the new means, or about the kept means when only 'c' is updated. `engine` holds X and
 * takes the posteriors as its responsibilities.
 */
export function gaussianMStep(engine: MixtureEngine, posteriors: Float64Array, e: GaussianEmission, type: CovarianceType, minCovar: number, letters: string): GaussianEmission {
  const updateMeans = letters.includes('m'), updateCovars = letters.includes('c');
  if (!updateMeans && !updateCovars) return e;
  engine.setResponsibilities(posteriors);
  // About the current means, near the new ones: the wasm engine's statistics job on the pool.
  const stats = engine.statsAbout(e.means.data, 0);
  const next = parametersFromStats(stats, minCovar);
  const K = e.means.rows, D = e.means.cols;
  const means = updateMeans ? next.means : e.means;
  let covariances = e.covariances;
  if (updateCovars) {
    covariances = next.covariances;
    // Σγ(x − μ)(x − μ)ᵀ = Σγ(x − m)(x − m)ᵀ + n (m − μ)(m − μ)ᵀ about kept means μ.
    if (!updateMeans) shiftCovariances(covariances, next.means.data, e.means.data, next.weights, type, K, D);
  }
  return { means, covariances, precisionsCholesky: updateCovars ? precisionsOf(covariances, type, K, D, 'covars') : e.precisionsCholesky };
}

function shiftCovariances(cov: Float64Array, m: Float64Array, mu: Float64Array, weights: Float64Array, type: CovarianceType, K: number, D: number): void {
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < D; i++) {
      const di = m[k * D + i] - mu[k * D + i];
      if (type === 'diag') cov[k * D + i] += di * di;
      else if (type === 'spherical') cov[k] += (di * di) / D;
      else for (let j = 0; j < D; j++) {
        const dj = m[k * D + j] - mu[k * D + j];
        if (type === 'full') cov[k * D * D + i * D + j] += di * dj;
        else cov[i * D + j] += weights[k] * di * dj;
      }
    }
  }
}
