/** Plain-TypeScript twins of assembly/reduce.ts (row-major rows × cols), computed in f64. */
import type { FloatArray } from '../runtime/matrix.js';

/** Σ_i x_i. */
export function sum(x: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s;
}

/** Σ_i x_i². */
export function sumSquares(x: FloatArray, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}

/** max_i |x_i| (0 when n = 0, NaN when one is NaN). */
export function maxAbs(x: FloatArray, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(x[i]);
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** out_r = Σ_j x_rj. */
export function rowSums(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) out[r] = sum(x.subarray(r * cols, (r + 1) * cols), cols);
}

/** out_j = Σ_r x_rj. */
export function colSums(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + j];
    out[j] = s;
  }
}

/** out_r = max_j x_rj; NaN if the row holds a NaN, −Inf when cols = 0. */
export function rowMax(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]);
    out[r] = m;
  }
}

/** out_r = the first j at the row maximum; −1 for a row holding a NaN or for cols = 0. */
export function rowArgmax(x: FloatArray, out: Int32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]);
    out[r] = -1;
    for (let j = 0; j < cols; j++) {
      if (x[r * cols + j] === m) {
        out[r] = j;
        break;
      }
    }
  }
}

/** out_r = ‖x_r‖². */
export function rowSumSquares(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) out[r] = sumSquares(x.subarray(r * cols, (r + 1) * cols), cols);
}

/** x[r,:] += v. */
export function addRowVector(x: FloatArray, v: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) x[r * cols + j] += v[j];
}

/** x[r,j] *= v[j]. */
export function mulCols(x: FloatArray, v: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) x[r * cols + j] *= v[j];
}
