// Seeded blobs for the KMeans tests.
import { Random, type Matrix } from '../../src/index.js';

/** n rows around k centres spread by `spread` in D dimensions, seeded. */
export function blobs(n: number, D: number, k: number, seed = 1, spread = 1): Matrix<Float64Array> {
  const rng = new Random(seed);
  const centres = Float64Array.from({ length: k * D }, () => rng.normal() * 4);
  const data = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let d = 0; d < D; d++) data[i * D + d] = centres[c * D + d] + spread * rng.normal();
  }
  return { data, rows: n, cols: D };
}

export const quiet = { onWarning: () => {} };
