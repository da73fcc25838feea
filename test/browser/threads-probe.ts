/**
 * What the threads browser test computes, in Node and in a page: a Gaussian-mixture fit and a
 * batch of sparse codes, as the hex of their bytes (the same bytes for any thread count).
 */
import { GaussianMixture, Random, sparseEncode } from '../../src/index.js';

function hex(values: ArrayLike<number>): string {
  const b = new Uint8Array(Float64Array.from(values as ArrayLike<number>).buffer);
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

export function runThreadsProbe(): { mixture: string; codes: string } {
  const rng = new Random(11);
  const N = 6000, D = 8, K = 6; // 5 E-step blocks of 1365 rows
  const data = new Float64Array(N * D);
  for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) data[i * D + d] = rng.normal() + 4 * ((i % K) === d % K ? 1 : 0);
  const gm = new GaussianMixture({ nComponents: K, maxIter: 5, tol: 0, seed: 2, onWarning: () => {} }).fit({ data, rows: N, cols: D });
  const dict = Float64Array.from({ length: 64 * D }, () => rng.normal());
  const r = sparseEncode({ data: data.subarray(0, 2000 * D), rows: 2000, cols: D }, { data: dict, rows: 64, cols: D }, { alpha: 0.5 });
  return {
    mixture: hex([...gm.weights, ...gm.means.data, ...gm.covariances, gm.lowerBound]),
    codes: hex([...r.codes.data, ...r.objective]),
  };
}
