/** A fitted Gaussian mixture over its data: points by label, each component's 1σ and 2σ ellipse. */
import type { Matrix } from '../runtime/matrix.js';
import { principalAxes, projectGaussian, projectPoints } from './project.js';
import { scatterSvg, type ScatterOptions } from './svg.js';

/** What {@link mixtureSvg} needs of a fitted GaussianMixture or BayesianGaussianMixture. */
export interface MixtureLike {
  /** How `covariances` is laid out. */
  covarianceType: 'full' | 'tied' | 'diag' | 'spherical';
  /** Mixing weights, K values. */
  readonly weights: Float64Array;
  /** Component means, K × D. */
  readonly means: Matrix<Float64Array>;
  /** Covariances, flat: full K·D·D, tied D·D, diag K·D, spherical K. */
  readonly covariances: Float64Array;
}

/**
 * SVG of the data (first two principal axes when D > 2) with each component's 1σ and 2σ
 * ellipse, drawn more faintly for lighter components. `options` passes on to {@link scatterSvg}
 * (a fixed `domain`, the size, the axis labels).
 *
 * @example
 * ```ts
 * import { init, GaussianMixture, mixtureSvg } from 'elbo-wasm';
 * import { loadIris } from 'elbo-wasm/datasets';
 * await init();
 * const { X } = await loadIris();
 * const gm = new GaussianMixture({ nComponents: 3 }).fit(X);
 * const svg = mixtureSvg(gm, X, gm.predict(X), 'iris'); // write it to a .svg file or put it in a page
 * ```
 */
export function mixtureSvg(model: MixtureLike, X: Matrix, labels: ArrayLike<number>, title = 'Gaussian mixture', options: Partial<ScatterOptions> = {}): string {
  const D = X.cols;
  const p = D === 2 ? null : principalAxes(X);
  const K = model.weights.length;
  const means = model.means.data, cov = model.covariances, w = model.weights;
  const wmax = Math.max(...w);
  const ellipses = Array.from({ length: K }, (_, k) => {
    const S = new Float64Array(D * D);
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) {
      S[a * D + b] = model.covarianceType === 'full' ? cov[k * D * D + a * D + b]
        : model.covarianceType === 'tied' ? cov[a * D + b]
        : a !== b ? 0 : model.covarianceType === 'diag' ? cov[k * D + a] : cov[k];
    }
    return projectGaussian(means.subarray(k * D, (k + 1) * D), S, D, p, w[k] / wmax);
  });
  return scatterSvg({
    points: projectPoints(X, p), labels, ellipses, title,
    xlabel: p ? 'first principal axis' : 'x₁', ylabel: p ? 'second principal axis' : 'x₂',
    ...options,
  });
}
