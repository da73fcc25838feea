// GaussianMixture with missing values (missing: 'marginalize') gives the same bytes for 1, 2 and 3
// threads: the rows of rare missingness patterns (WasmIncompleteRows) run their E-step and
// statistics on the pool, in blocks fixed by the data, as the complete rows do.
import { describe, expect, it } from 'vitest';
import { GaussianMixture, Random, ValueError, type CovarianceType } from '../../src/index.js';
import { SINGULAR } from '../../src/mixture/conditional.js';
import { PATTERN_ROWS_PER_FEATURE } from '../../src/mixture/engine-missing.js';
import { WasmIncompleteRows } from '../../src/mixture/incomplete-wasm.js';
import type { GaussianParams } from '../../src/mixture/types.js';
import { blobs } from '../mixture/data.js';
import { bytesOf, expectSameBytesForAnyThreadCount } from './with-threads.js';

/**
 * D = 16 with 10 % NaN: most rows with a NaN have a pattern of fewer rows than the pattern
 * engines take (PATTERN_ROWS_PER_FEATURE·D), so the row kernels score them, in dozens of blocks
 * (256 rows each at K = 8), in groups of several blocks (full, tied).
 */
const N = 20_000;
const D = 16;
const K = 8;
const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

function withHoles(seed: number) {
  const { X } = blobs(N, D, K, seed);
  const rng = new Random(seed + 1);
  return { ...X, data: X.data.map((v) => (rng.random() < 0.1 ? NaN : v)) };
}

describe('GaussianMixture with missing values and threads', () => {
  const X = withHoles(7);
  const head = { ...X, rows: 1500, data: X.data.subarray(0, 1500 * D) };

  it('most rows with a NaN have a missingness pattern too rare for an engine of its own; full and tied take them in groups of several blocks', () => {
    // (Diag and spherical, whose partial sums are 2·K·D values, in groups of one block.)
    for (const type of ['full', 'tied'] as CovarianceType[]) {
      const rows = new WasmIncompleteRows(X, new Float64Array(D), type, K);
      try {
        expect((rows as unknown as { group: number }).group, type).toBeGreaterThan(1);
      } finally {
        rows.release();
      }
    }
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

describe('rows with missing entries whose Λ_mm is not positive definite', () => {
  for (const type of ['full', 'tied'] as CovarianceType[]) {
    it(`${type}: the E-step and the statistics throw the singular-covariance ValueError on 1, 2 and 3 threads, and the engine then scores as a new one`, async () => {
      const X = withHoles(11);
      const origin = new Float64Array(D);
      const params = (singular: boolean): GaussianParams => {
        const P = new Float64Array((type === 'full' ? K : 1) * D * D);
        for (let c = 0; c < P.length / (D * D); c++) for (let d = 0; d < D; d++) P[c * D * D + d * D + d] = 0.2;
        // A zero row of P (component K − 1, or the shared factor): Λ_33 = 0, so every row missing feature 3 has a singular Λ_mm.
        if (singular) P[P.length - D * D + 3 * D + 3] = 0;
        const means = Float64Array.from({ length: K * D }, (_, i) => (i % 5) - 2);
        return { weights: new Float64Array(K).fill(1 / K), means: { data: means, rows: K, cols: D }, covariances: new Float64Array(0), precisionsCholesky: P };
      };
      await expectSameBytesForAnyThreadCount(() => {
        const rows = new WasmIncompleteRows(X, origin, type, K);
        try {
          expect(() => rows.eStep(params(true))).toThrow(ValueError);
          expect(() => rows.eStep(params(true))).toThrow(SINGULAR);
          expect(() => rows.eStepStats(params(true), true)).toThrow(SINGULAR);
          const lp = new Float64Array(N);
          const total = rows.eStep(params(false), lp);
          const fresh = new WasmIncompleteRows(X, origin, type, K);
          try {
            const lp2 = new Float64Array(N);
            expect(fresh.eStep(params(false), lp2)).toBe(total);
            expect(lp2).toEqual(lp);
          } finally {
            fresh.release();
          }
          const s = rows.eStepStats(params(false), true);
          return bytesOf(total, lp, s.stats.sumResp, s.stats.sumX, s.stats.sumXX, s.sumRespLogResp);
        } finally {
          rows.release();
        }
      });
    });
  }
});
