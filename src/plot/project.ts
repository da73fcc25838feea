/**
 * Projection of D-dimensional data and Gaussians on their first two principal axes, for plots.
 */
import type { Matrix } from '../runtime/matrix.js';
import type { Ellipse2D } from './ellipse.js';

/** The mean and the two leading principal axes (unit vectors, by power iteration with deflation). */
export function principalAxes(X: Matrix): {
  /** The column means of X. */
  mean: Float64Array;
  /** The first and second principal axes, unit vectors of length D. */
  axes: [Float64Array, Float64Array];
} {
  const { rows: n, cols: D, data } = X;
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) mean[d] += data[i * D + d] / n;
  const C = new Float64Array(D * D);
  for (let i = 0; i < n; i++) for (let a = 0; a < D; a++) {
    const da = data[i * D + a] - mean[a];
    for (let b = 0; b < D; b++) C[a * D + b] += (da * (data[i * D + b] - mean[b])) / n;
  }
  const axes: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(D).map((_, i) => 1 + i * 0.1 + c);
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(D);
      for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) w[a] += C[a * D + b] * v[b];
      for (const u of axes) { // deflate: stay orthogonal to the axes found so far
        let p = 0;
        for (let a = 0; a < D; a++) p += w[a] * u[a];
        for (let a = 0; a < D; a++) w[a] -= p * u[a];
      }
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    axes.push(v);
  }
  return { mean, axes: axes as [Float64Array, Float64Array] };
}

/** Rows of X as 2-D points on the axes (centred at the mean). With D = 2 the data are returned as they are. */
export function projectPoints(X: Matrix, p: ReturnType<typeof principalAxes> | null): Float64Array {
  const { rows: n, cols: D, data } = X;
  if (!p) return Float64Array.from(data);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += (data[i * D + d] - p.mean[d]) * p.axes[c][d];
    out[2 * i + c] = s;
  }
  return out;
}

/** A Gaussian (mean, D × D covariance) as the 2-D ellipse of its projection VᵀΣV. */
export function projectGaussian(mean: ArrayLike<number>, cov: ArrayLike<number>, D: number, p: ReturnType<typeof principalAxes> | null): Ellipse2D {
  if (!p) return { mean: [mean[0], mean[1]], covariance: [cov[0], cov[1], cov[2], cov[3]] };
  const m: [number, number] = [0, 0];
  for (let c = 0; c < 2; c++) for (let d = 0; d < D; d++) m[c] += (mean[d] - p.mean[d]) * p.axes[c][d];
  const S = [0, 0, 0, 0];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    let s = 0;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) s += p.axes[a][i] * cov[i * D + j] * p.axes[b][j];
    S[a * 2 + b] = s;
  }
  return { mean: m, covariance: S as [number, number, number, number] };
}
