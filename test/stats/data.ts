/** Data for the statistics-protocol tests: three Gaussian clusters away from the origin, cut into unequal shards. */
import { Random } from '../../src/runtime/random.js';
import type { Matrix } from '../../src/runtime/matrix.js';

export function clusters(n: number, seed = 3): Matrix<Float64Array> {
  const rng = new Random(seed);
  const centres = [[5, 5, 5], [9, 4, 6], [6, 10, 3]];
  const data = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 3];
    for (let d = 0; d < 3; d++) data[i * 3 + d] = 100 + c[d] + rng.normal() * (0.5 + 0.3 * d);
  }
  return { data, rows: n, cols: 3 };
}

/** Shards of the given sizes, in order (their concatenation is X). */
export function cut(X: Matrix<Float64Array>, sizes: number[]): Matrix<Float64Array>[] {
  const out: Matrix<Float64Array>[] = [];
  let start = 0;
  for (const rows of sizes) {
    out.push({ data: X.data.slice(start * X.cols, (start + rows) * X.cols), rows, cols: X.cols });
    start += rows;
  }
  if (start !== X.rows) throw new Error(`sizes add to ${start}, not ${X.rows}`);
  return out;
}

/** Seven shards of unequal sizes, one of them a single row. */
export const SEVEN = [150, 1, 97, 203, 60, 120, 69];

/** max |a − b| / max |b| over the entries. */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return a.length === b.length ? diff / (scale || 1) : Infinity;
}
