/** Drawing from a fitted Gaussian mixture (scikit-learn's BaseMixture.sample, seeded). */
import { kernels } from '../runtime/kernels.js';
import type { Matrix } from '../runtime/matrix.js';
import { withWorkspace } from '../runtime/memory.js';
import type { Random } from '../runtime/random.js';
import type { CovarianceType, GaussianParams } from './types.js';

/**
 * n draws: component counts from the weights, then for each component in order its rows
 * x = μ_k + L_k z with Σ_k = L_k L_kᵀ and z standard normal. Rows come grouped by component.
 */
export function sampleGaussianMixture(params: GaussianParams, type: CovarianceType, n: number, rng: Random): { X: Matrix<Float64Array>; labels: Int32Array } {
  const K = params.weights.length;
  const D = params.means.cols;
  const counts = new Int32Array(K);
  for (let i = 0; i < n; i++) counts[rng.categorical(params.weights)]++;
  const factors = covarianceFactors(params.covariances, type, K, D);
  const X = new Float64Array(n * D);
  const labels = new Int32Array(n);
  const z = new Float64Array(D);
  let row = 0;
  for (let k = 0; k < K; k++) {
    for (let c = 0; c < counts[k]; c++, row++) {
      labels[row] = k;
      for (let d = 0; d < D; d++) z[d] = rng.normal();
      for (let i = 0; i < D; i++) {
        let s = params.means.data[k * D + i];
        if (type === 'full' || type === 'tied') {
          const L = factors[type === 'full' ? k : 0];
          for (let j = 0; j <= i; j++) s += L[i * D + j] * z[j];
        } else {
          s += factors[0][type === 'diag' ? k * D + i : k] * z[i];
        }
        X[row * D + i] = s;
      }
    }
  }
  return { X: { data: X, rows: n, cols: D }, labels };
}

/** Lower Cholesky factors of the covariances (full: K of them; tied: one), or standard deviations. */
function covarianceFactors(cov: Float64Array, type: CovarianceType, K: number, D: number): Float64Array[] {
  if (type === 'diag' || type === 'spherical') return [cov.map(Math.sqrt)];
  const count = type === 'full' ? K : 1;
  return withWorkspace((ws) => {
    const buf = ws.f64(D * D);
    const out: Float64Array[] = [];
    for (let c = 0; c < count; c++) {
      buf.set(cov.subarray(c * D * D, (c + 1) * D * D));
      kernels().choleskyF64(buf.ptr, D);
      out.push(buf.readF64());
    }
    return out;
  });
}
