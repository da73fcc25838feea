// GaussianMixture and BayesianGaussianMixture give the same bytes for 1, 2 and 3 threads: fits,
// predict, predictProba, scoreSamples and score, in f64 and f32, for every covariance type.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, type CovarianceType } from '../../src/index.js';
import { currentPool } from '../../src/runtime/threads/parallel.js';
import { blobs } from '../mixture/data.js';
import { bytesOf, expectSameBytesForAnyThreadCount } from './with-threads.js';

/** Rows enough for several E-step blocks under every covariance type (diag: 8192 rows a block at K = 8). */
const N = 20_000;
const D = 8;
const K = 8;
const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

function gmmBytes(type: CovarianceType, dtype: 'f64' | 'f32'): Uint8Array {
  const { X } = blobs(N, D, K, 3);
  const data = dtype === 'f32' ? { ...X, data: Float32Array.from(X.data) } : X;
  const gm = new GaussianMixture({ nComponents: K, covarianceType: type, maxIter: 8, tol: 0, seed: 5 }).fit(data);
  const head = { ...data, rows: 3000, data: data.data.subarray(0, 3000 * D) };
  return bytesOf(gm.weights, gm.means.data, gm.covariances, gm.lowerBound, gm.lowerBoundHistory,
    gm.predict(head), gm.predictProba(head).data, gm.scoreSamples(head), gm.score(head));
}

describe('GaussianMixture with threads', () => {
  for (const type of TYPES) {
    for (const dtype of ['f64', 'f32'] as const) {
      it(`${type}, ${dtype}: fit, predict, predictProba, scoreSamples and score give the same bytes for 1, 2 and 3 threads`, async () => {
        await expectSameBytesForAnyThreadCount(() => gmmBytes(type, dtype));
      });
    }
  }

  it('partialFit on 1,000-row batches: the same bytes for 1, 2 and 3 threads, each batch in blocks the threads share', async () => {
    const { X } = blobs(12_000, D, K, 6);
    const batch = (b: number) => ({ ...X, rows: 1000, data: X.data.subarray(b * 1000 * D, (b + 1) * 1000 * D) });
    await expectSameBytesForAnyThreadCount(() => {
      const gm = new GaussianMixture({ nComponents: K, seed: 4 });
      for (let b = 0; b < 11; b++) gm.partialFit(batch(b));
      // The last batch's E-step and statistics (one job): 4 blocks at least (one block of all the rows would leave the workers idle).
      const pool = currentPool();
      const blocks = () => (pool ? pool.blocksRun().reduce((a, c) => a + c, 0) : 0);
      const before = blocks();
      gm.partialFit(batch(11));
      if (pool) expect(blocks() - before).toBeGreaterThanOrEqual(4);
      return bytesOf(gm.weights, gm.means.data, gm.covariances, gm.lowerBoundHistory);
    });
  });

  it('sample weights: the same bytes for 1, 2 and 3 threads', async () => {
    const { X } = blobs(N, D, K, 4);
    const w = Float64Array.from({ length: N }, (_, i) => 0.5 + (i % 7) / 3);
    await expectSameBytesForAnyThreadCount(() => {
      const gm = new GaussianMixture({ nComponents: K, maxIter: 6, tol: 0, seed: 2 }).fit(X, { sampleWeight: w });
      return bytesOf(gm.weights, gm.means.data, gm.covariances, gm.lowerBound);
    });
  });
});

describe('BayesianGaussianMixture with threads', () => {
  for (const type of ['full', 'diag'] as CovarianceType[]) {
    it(`${type}: fit, predictProba and score give the same bytes for 1, 2 and 3 threads`, async () => {
      const { X } = blobs(N, D, K, 6);
      await expectSameBytesForAnyThreadCount(() => {
        const bg = new BayesianGaussianMixture({ nComponents: K, covarianceType: type, maxIter: 8, tol: 0, seed: 1 }).fit(X);
        return bytesOf(bg.weights, bg.means.data, bg.covariances, bg.lowerBound, bg.predictProba(X).data, bg.score(X));
      });
    });
  }
});
