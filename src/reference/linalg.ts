/**
 * Plain-TypeScript twins of assembly/linalg.ts: same names, same argument order, typed arrays
 * and offsets in place of pointers. The oracle for tests and the "plain JS" baseline in benchmarks.
 */
import type { FloatArray } from '../runtime/matrix.js';

/** Σ x_i y_i over n elements. */
export function dot(x: FloatArray, y: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}
