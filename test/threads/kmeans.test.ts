// KMeans, and the mixtures' initialisation through it, give the same bytes for 1, 2 and 3
// threads: labels, centres, inertia and nIter of fits (lloyd and elkan, f64 and f32, with and
// without sample weights), predict, transform and score; and a worker failure during a fit fails
// it with a WorkerError that leaves the model as it was.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, KMeans, WorkerError, type InitParams, type Matrix } from '../../src/node.js';
import { passBlockRows, passPartialSize } from '../../src/kmeans/data.js';
import { currentPool } from '../../src/runtime/threads/parallel.js';
import { blobs } from '../kmeans/data.js';
import { bytesOf, expectSameBytesForAnyThreadCount, onPoolOfThreeAfterOneThread } from './with-threads.js';

/** Rows and shape enough for several blocks in every pass (checked below). */
const N = 20_000;
const D = 16;
const K = 8;
const X = blobs(N, D, K, 21, 1.5);
const X32: Matrix = { ...X, data: Float32Array.from(X.data) };
const W = Float64Array.from({ length: N }, (_, i) => 0.25 + (i % 5) / 2);
const head = (m: Matrix): Matrix => ({ ...m, rows: 2000, data: m.data.subarray(0, 2000 * D) });

function kmeansBytes(algorithm: 'lloyd' | 'elkan', dtype: 'f64' | 'f32', weighted: boolean): Uint8Array {
  const data = dtype === 'f32' ? X32 : X;
  const km = new KMeans({ nClusters: K, seed: 4, algorithm, onWarning: () => {} }).fit(data, weighted ? { sampleWeight: W } : {});
  return bytesOf(km.labels, km.clusterCenters.data, km.inertia, km.nIter, km.predict(head(data)), km.transform(head(data)).data, km.score(data));
}

describe('KMeans with threads', () => {
  it('runs its passes in several blocks at this size (so the threads share them)', () => {
    expect(Math.ceil(N / passBlockRows(N, K, D, passPartialSize(K, D, true)))).toBeGreaterThan(3);
    const trials = 2 + Math.floor(Math.log(K));
    expect(Math.ceil(N / passBlockRows(N, trials, D, trials))).toBeGreaterThan(1);
  });

  for (const algorithm of ['lloyd', 'elkan'] as const) {
    for (const dtype of ['f64', 'f32'] as const) {
      for (const weighted of [false, true]) {
        it(`${algorithm}, ${dtype}${weighted ? ', sample weights' : ''}: k-means++, fit, predict, transform and score give the same bytes for 1, 2 and 3 threads`, async () => {
          await expectSameBytesForAnyThreadCount(() => kmeansBytes(algorithm, dtype, weighted));
        });
      }
    }
  }

  it('partialStats gives the same bytes for 1, 2 and 3 threads', async () => {
    await expectSameBytesForAnyThreadCount(() => {
      const km = new KMeans({ nClusters: K, seed: 1, maxIter: 3, onWarning: () => {} }).fit(head(X));
      const s = km.partialStats(X, { sampleWeight: W });
      return bytesOf(s.counts, s.sums, s.inertia);
    });
  });
});

describe('the mixtures initialised through KMeans, with threads', () => {
  const inits: InitParams[] = ['kmeans', 'k-means++'];
  for (const initParams of inits) {
    it(`GaussianMixture, initParams '${initParams}': the same bytes for 1, 2 and 3 threads`, async () => {
      await expectSameBytesForAnyThreadCount(() => {
        const gm = new GaussianMixture({ nComponents: K, covarianceType: 'diag', initParams, maxIter: 2, tol: 0, seed: 7, onWarning: () => {} }).fit(X32);
        return bytesOf(gm.weights, gm.means.data, gm.covariances, gm.lowerBound);
      });
    });
  }

  it("BayesianGaussianMixture, initParams 'kmeans' with sample weights: the same bytes for 1, 2 and 3 threads", async () => {
    await expectSameBytesForAnyThreadCount(() => {
      const bg = new BayesianGaussianMixture({ nComponents: K, covarianceType: 'full', maxIter: 2, tol: 0, seed: 8, onWarning: () => {} }).fit(X, { sampleWeight: W });
      return bytesOf(bg.weights, bg.means.data, bg.covariances, bg.lowerBound);
    });
  });
});

describe('worker faults during a KMeans fit', () => {
  const fit = (km: KMeans) => km.fit(X);
  const bytes = (km: KMeans) => bytesOf(km.labels, km.clusterCenters.data, km.inertia, km.nIter);
  const expected = onPoolOfThreeAfterOneThread(() => bytes(fit(new KMeans({ nClusters: K, seed: 2 }))));

  it('computes with every worker', () => {
    const pool = currentPool();
    if (!pool) throw new Error('no pool');
    const before = pool.blocksRun();
    fit(new KMeans({ nClusters: K, seed: 2 }));
    const after = pool.blocksRun();
    expect(after.length).toBe(3);
    after.forEach((r, t) => expect(r, `thread ${t}`).toBeGreaterThan(before[t]));
  });

  for (const algorithm of ['lloyd', 'elkan'] as const) {
    it(`${algorithm}: a worker that throws fails the fit with a WorkerError naming it; the model is unchanged and the next fit gives the right bytes`, () => {
      const km = fit(new KMeans({ nClusters: K, seed: 2, algorithm }));
      expect(bytes(km)).toEqual(expected());
      const pool = currentPool();
      if (!pool) throw new Error('no pool');
      pool.injectFault(1, 'throw');
      let err: unknown = null;
      try {
        km.fit(X32, { sampleWeight: W });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WorkerError);
      expect((err as WorkerError).thread).toBe(1);
      expect((err as Error).message).toMatch(/^worker thread 1 threw in the k-means[^:]*: Error: a fault injected for testing \(block \d+\); it was replaced/);
      // The fit that threw left the model as it was.
      expect(bytes(km)).toEqual(expected());
      expect(bytes(fit(km))).toEqual(expected());
    });
  }
});
