/** Plain-TypeScript twins of assembly/sparse.ts. */
import type { FloatArray } from '../runtime/matrix.js';

/** y_i = sign(x_i)·max(|x_i| − t, 0). */
export function softThreshold(x: FloatArray, y: FloatArray, n: number, t: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.sign(x[i]) * Math.max(Math.abs(x[i]) - t, 0);
}

/** y_i = max(x_i − t, 0). */
export function softThresholdNonneg(x: FloatArray, y: FloatArray, n: number, t: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.max(x[i] - t, 0);
}
