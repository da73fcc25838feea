// GaussianMixture with missing values (missing: 'marginalize') gives the same bytes for 1, 2 and 3
// threads: the rows of rare missingness patterns (WasmIncompleteRows) run their E-step and
// statistics on the pool, in blocks fixed by the data, as the complete rows do.
import { describe, expect, it } from 'vitest';
import { GaussianMixture, Random, type CovarianceType } from '../../src/index.js';
import { PATTERN_ROWS_PER_FEATURE } from '../../src/mixture/engine-missing.js';
import { blobs } from '../mixture/data.js';
import { bytesOf, expectSameBytesForAnyThreadCount } from './with-threads.js';

/**
 * D = 16 with 10 % NaN: most rows with a NaN have a pattern of fewer rows than the pattern
 * engines take (PATTERN_ROWS_PER_FEATURE·D), so the row kernels score them, in several blocks.
 */
const N = 6000;
const D = 16;
const K = 4;
const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

function withHoles(seed: number) {
  const { X } = blobs(N, D, K, seed);
  const rng = new Random(seed + 1);
  return { ...X, data: X.data.map((v) => (rng.random() < 0.1 ? NaN : v)) };
}

describe('GaussianMixture with missing values and threads', () => {
  const X = withHoles(7);
  const head = { ...X, rows: 1500, data: X.data.subarray(0, 1500 * D) };

  it('most rows with a NaN have a missingness pattern too rare for an engine of its own', () => {
    const count = new Map<string, number>();
    for (let r = 0; r < N; r++) {
      const key = Array.from(X.data.subarray(r * D, (r + 1) * D), Number.isNaN).join();
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    let incomplete = 0, rare = 0;
    for (const [key, c] of count) {
      if (!key.includes('true')) continue;
      incomplete += c;
      if (c < PATTERN_ROWS_PER_FEATURE * D) rare += c;
    }
    expect(rare).toBeGreaterThan(incomplete / 2);
  });

  for (const type of TYPES) {
    it(`${type}: fit, predictProba, scoreSamples and impute give the same bytes for 1, 2 and 3 threads`, async () => {
      await expectSameBytesForAnyThreadCount(() => {
        const gm = new GaussianMixture({ nComponents: K, covarianceType: type, maxIter: 6, tol: 0, seed: 5, missing: 'marginalize', onWarning: () => {} }).fit(X);
        return bytesOf(gm.weights, gm.means.data, gm.covariances, gm.lowerBound, gm.lowerBoundHistory,
          gm.predictProba(head).data, gm.scoreSamples(head), gm.impute(head).data);
      });
    });
  }

  it('sample weights: the same bytes for 1, 2 and 3 threads', async () => {
    const w = Float64Array.from({ length: N }, (_, i) => 0.5 + (i % 7) / 3);
    await expectSameBytesForAnyThreadCount(() => {
      const gm = new GaussianMixture({ nComponents: K, covarianceType: 'full', maxIter: 6, tol: 0, seed: 2, missing: 'marginalize', onWarning: () => {} }).fit(X, { sampleWeight: w });
      return bytesOf(gm.weights, gm.means.data, gm.covariances, gm.lowerBound);
    });
  });
});
