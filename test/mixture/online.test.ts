import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, ValueError, type CovarianceType, type SufficientStats } from '../../src/index.js';
import { mergeStats } from '../../src/mixture/gaussian.js';
import { scaleStats } from '../../src/mixture/online.js';
import { blobs } from './data.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const quiet = { onWarning: () => {} };
type M = { data: Float64Array; rows: number; cols: number };

function rows(X: M, start: number, end: number): M {
  return { data: X.data.slice(start * X.cols, end * X.cols), rows: end - start, cols: X.cols };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * scale);
}

const perUnit = (s: SufficientStats) => scaleStats(s, 1 / s.n);

describe('GaussianMixture.partialFit: stepwise EM', () => {
  const { X } = blobs(600, 3, 3, 5, 2);
  for (const engine of ['wasm', 'reference'] as const) {
    for (const covarianceType of TYPES) {
      it(`${engine} ${covarianceType}: one pass with γ = 1 equals one batch EM iteration`, () => {
        const opts = { nComponents: 3, covarianceType, seed: 4, engine, ...quiet };
        const online = new GaussianMixture(opts).partialFit(X);
        const batch = new GaussianMixture({ ...opts, maxIter: 1 }).fit(X);
        expectClose(online.weights, batch.weights, 1e-12);
        expectClose(online.means.data, batch.means.data, 1e-12);
        expectClose(online.covariances, batch.covariances, 1e-12);
        expect(online.lowerBound).toBeCloseTo(batch.lowerBound, 12);
        expect(online.converged).toBe(false);
      });
    }
  }

  for (const covarianceType of TYPES) {
    it(`${covarianceType}: the running statistics are (1 − γ) s + γ s̄; with stepDecay 1 and stepOffset 0, the average of the batches'`, () => {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 1, stepDecay: 1, stepOffset: 0, ...quiet });
      const b1 = rows(X, 0, 200), b2 = rows(X, 200, 350), b3 = rows(X, 350, 600);
      gm.partialFit(b1);
      const s2 = gm.partialStats(b2);
      gm.partialFit(b2); // γ_1 = 1: one EM iteration on b2
      const after2 = GaussianMixture.fromJSON(gm.toJSON());
      const s3 = gm.partialStats(b3);
      gm.partialFit(b3); // γ_2 = 1/2
      const expected = after2.mStep(mergeStats(perUnit(s2), perUnit(s3)));
      expectClose(gm.means.data, expected.means.data, 1e-12);
      expectClose(gm.covariances, expected.covariances, 1e-12);
      expectClose(gm.weights, expected.weights, 1e-12);
      expect(gm.nIter).toBe(3);
      expect(gm.lowerBoundHistory.length).toBe(3);
    });
  }

  it('over a stream of 100 mini-batches ends within 1e-3 of the batch fit\'s bound on the whole data', () => {
    const { X: big } = blobs(20000, 2, 3, 12, 2);
    for (const covarianceType of TYPES) {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 3, ...quiet });
      for (let b = 0; b < 100; b++) gm.partialFit(rows(big, b * 200, (b + 1) * 200));
      const batch = new GaussianMixture({ nComponents: 3, covarianceType, seed: 3, ...quiet }).fit(big);
      expect(Math.abs(gm.score(big) - batch.score(big))).toBeLessThan(1e-3);
    }
  });

  it('a weighted batch steps as the batch with duplicated rows', () => {
    const b1 = rows(X, 0, 200), b2 = rows(X, 200, 300);
    const w = Float64Array.from({ length: 100 }, (_, i) => i % 3);
    const dup: number[] = [];
    for (let i = 0; i < 100; i++) for (let c = 0; c < w[i]; c++) dup.push(...b2.data.subarray(i * 3, i * 3 + 3));
    const opts = { nComponents: 3, seed: 2, ...quiet };
    const a = new GaussianMixture(opts).partialFit(b1).partialFit(b2, { sampleWeight: w });
    const b = new GaussianMixture(opts).partialFit(b1).partialFit({ data: Float64Array.from(dup), rows: dup.length / 3, cols: 3 });
    expectClose(a.means.data, b.means.data, 1e-12);
    expectClose(a.covariances, b.covariances, 1e-12);
  });

  it('is all-or-nothing: a batch that throws leaves the model and its running statistics as they were', () => {
    const b1 = rows(X, 0, 200), b2 = rows(X, 200, 400);
    const a = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(b1);
    const b = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(b1);
    const bad = rows(X, 200, 210);
    bad.data[4] = NaN;
    expect(() => a.partialFit(bad)).toThrow(/X/);
    expect(() => a.partialFit({ data: new Float64Array(8), rows: 4, cols: 2 })).toThrow(/the model was fitted on 3/);
    expect(() => a.partialFit(b2, { sampleWeight: new Float64Array(200) })).toThrow(/sampleWeight/);
    expect(a.nIter).toBe(1);
    a.partialFit(b2);
    b.partialFit(b2);
    expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
    expect(Array.from(a.covariances)).toEqual(Array.from(b.covariances));
    expect(() => new GaussianMixture({ nComponents: 3 }).partialFit(rows(X, 0, 2))).toThrow(/at least nComponents = 3 rows/);
  });

  it('fit discards the running statistics: the next partialFit initialises from its batch', () => {
    const b1 = rows(X, 0, 300);
    const a = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(rows(X, 300, 600)).fit(X).partialFit(b1);
    const b = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(b1);
    expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
  });

  it('rejects a step schedule outside κ ∈ (0.5, 1], t0 ≥ 0 with ValueErrors naming the option', () => {
    expect(() => new GaussianMixture({ stepDecay: 0.5 })).toThrow(ValueError);
    expect(() => new GaussianMixture({ stepDecay: 1.2 })).toThrow(/stepDecay must lie in \(0.5, 1\]; got 1.2/);
    expect(() => new GaussianMixture({ stepOffset: -1 })).toThrow(/stepOffset/);
    expect(() => new GaussianMixture({ stepOffset: NaN })).toThrow(/stepOffset/);
  });
});

describe('BayesianGaussianMixture.partialFit: stochastic variational inference', () => {
  const { X } = blobs(600, 3, 3, 5, 2);
  for (const engine of ['wasm', 'reference'] as const) {
    for (const covarianceType of TYPES) {
      it(`${engine} ${covarianceType}: one pass with γ = 1 equals one batch iteration, bound included`, () => {
        const opts = { nComponents: 4, covarianceType, seed: 4, engine, ...quiet };
        const online = new BayesianGaussianMixture(opts).partialFit(X);
        const batch = new BayesianGaussianMixture({ ...opts, maxIter: 1 }).fit(X);
        expectClose(online.weights, batch.weights, 1e-12);
        expectClose(online.means.data, batch.means.data, 1e-12);
        expectClose(online.covariances, batch.covariances, 1e-12);
        expectClose(online.degreesOfFreedom, batch.degreesOfFreedom, 1e-12);
        expectClose(online.weightConcentration, batch.weightConcentration, 1e-12);
        expect(Math.abs(online.lowerBound - batch.lowerBound)).toBeLessThanOrEqual(1e-12 * Math.abs(batch.lowerBound));
      });
    }
  }

  it('over a stream of 100 mini-batches (streamSize the stream\'s rows) ends within 1e-3 of the batch fit on the whole data', () => {
    const { X: big } = blobs(20000, 2, 3, 12, 2);
    for (const covarianceType of TYPES) {
      const bgm = new BayesianGaussianMixture({ nComponents: 3, covarianceType, seed: 3, streamSize: big.rows, ...quiet });
      for (let b = 0; b < 100; b++) bgm.partialFit(rows(big, b * 200, (b + 1) * 200));
      const batch = new BayesianGaussianMixture({ nComponents: 3, covarianceType, seed: 3, ...quiet }).fit(big);
      expect(Math.abs(bgm.score(big) - batch.score(big))).toBeLessThan(1e-3);
      expect(Math.abs(bgm.lowerBound - batch.lowerBound) / big.rows).toBeLessThan(1e-2);
    }
  });

  it('the posterior counts stand for streamSize rows (default: the first batch\'s) after every step', () => {
    const b1 = rows(X, 0, 200), b2 = rows(X, 200, 350), b3 = rows(X, 350, 600);
    const counted = (m: BayesianGaussianMixture) => m.degreesOfFreedom.reduce((s, nu) => s + nu - m.priors.degreesOfFreedomPrior, 0);
    const scaled = new BayesianGaussianMixture({ nComponents: 3, seed: 1, streamSize: 1000, ...quiet });
    const plain = new BayesianGaussianMixture({ nComponents: 3, seed: 1, ...quiet });
    for (const b of [b1, b2, b3]) {
      scaled.partialFit(b);
      plain.partialFit(b);
      expect(counted(scaled)).toBeCloseTo(1000, 9);
      expect(counted(plain)).toBeCloseTo(200, 9);
    }
  });

  it('is all-or-nothing and rejects a bad streamSize', () => {
    const b1 = rows(X, 0, 200);
    const a = new BayesianGaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(b1);
    const before = a.means.data.slice();
    expect(() => a.partialFit({ data: new Float64Array(8), rows: 4, cols: 2 })).toThrow(/the model was fitted on 3/);
    expect(a.nIter).toBe(1);
    expect(Array.from(a.means.data)).toEqual(Array.from(before));
    expect(() => new BayesianGaussianMixture({ streamSize: 0 })).toThrow(/streamSize must be a finite number > 0; got 0/);
  });
});
