/** A 2-D Gaussian's contour lines, as points a line mark can draw. */

/** A 2-D Gaussian: what {@link projectGaussian} returns and {@link ellipseContour} draws. */
export interface Ellipse2D {
  /** Centre (x, y). */
  mean: [number, number];
  /** Row-major 2 × 2 covariance. */
  covariance: [number, number, number, number];
}

/** Points on a contour: enough that a 2σ ellipse 600 pixels wide still looks round. */
const CONTOUR_POINTS = 72;

/**
 * The contour of a 2-D Gaussian at `sigma` standard deviations (Mahalanobis distance): the
 * closed polyline m + σ(√λ₁ cos t · u₁ + √λ₂ sin t · u₂), t ∈ [0, 2π], with λᵢ, uᵢ the
 * eigenpairs of the covariance. Returns `points + 1` (x, y) pairs, the last equal to the first.
 *
 * @example
 * ```ts
 * import { ellipseContour } from 'elbo-wasm';
 * const xy = ellipseContour({ mean: [0, 0], covariance: [4, 0, 0, 1] }, 2); // 146 numbers: x0, y0, x1, y1, …
 * ```
 */
export function ellipseContour(e: Ellipse2D, sigma: number, points = CONTOUR_POINTS): Float64Array {
  const [a, b, , d] = e.covariance;
  // Eigen-decomposition of the symmetric 2 × 2 matrix [[a, b], [b, d]] in closed form.
  const half = (a + d) / 2, disc = Math.sqrt(Math.max(0, ((a - d) / 2) ** 2 + b * b));
  const l1 = half + disc, l2 = Math.max(0, half - disc); // a covariance is PSD: clip rounding below 0
  const angle = b === 0 && a >= d ? 0 : b === 0 ? Math.PI / 2 : Math.atan2(l1 - a, b);
  const c = Math.cos(angle), s = Math.sin(angle);
  const r1 = sigma * Math.sqrt(l1), r2 = sigma * Math.sqrt(l2);
  const out = new Float64Array(2 * (points + 1));
  for (let i = 0; i <= points; i++) {
    const t = (2 * Math.PI * (i % points)) / points;
    const u = r1 * Math.cos(t), v = r2 * Math.sin(t);
    out[2 * i] = e.mean[0] + c * u - s * v;
    out[2 * i + 1] = e.mean[1] + s * u + c * v;
  }
  return out;
}
