// Seeded synthetic mixture data for the model tests.
import { Random } from '../../src/index.js';

/** N rows from K well-separated Gaussian clusters in D dimensions (anisotropic), with labels. */
export function blobs(N: number, D: number, K: number, seed = 1, spread = 6): { X: { data: Float64Array; rows: number; cols: number }; labels: Int32Array } {
  const rng = new Random(seed);
  const centres = new Float64Array(K * D);
  for (let i = 0; i < centres.length; i++) centres[i] = (rng.random() - 0.5) * 2 * spread * K;
  const scales = new Float64Array(K * D);
  for (let i = 0; i < scales.length; i++) scales[i] = 0.5 + rng.random();
  const data = new Float64Array(N * D);
  const labels = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const k = n % K;
    labels[n] = k;
    for (let d = 0; d < D; d++) data[n * D + d] = centres[k * D + d] + scales[k * D + d] * rng.normal();
  }
  return { X: { data, rows: N, cols: D }, labels };
}
