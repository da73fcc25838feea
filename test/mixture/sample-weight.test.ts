import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, Random, ShapeError, ValueError, type CovarianceType } from '../../src/index.js';
import { blobs } from './data.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const ENGINES = ['wasm', 'reference'] as const;
const quiet = { onWarning: () => {} };
type M = { data: Float64Array; rows: number; cols: number };

/** Small integer weights (0 to 3, zeros included) and X with each row repeated that many times. */
function duplicated(X: M, seed: number): { w: Float64Array; Xd: M; rowOf: Int32Array } {
  const rng = new Random(seed);
  const w = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) w[i] = Math.floor(rng.random() * 4);
  w[0] = 0; // at least one removed row
  const rows: number[] = [];
  for (let i = 0; i < X.rows; i++) for (let c = 0; c < w[i]; c++) rows.push(i);
  const D = X.cols;
  const data = new Float64Array(rows.length * D);
  rows.forEach((r, j) => data.set(X.data.subarray(r * D, (r + 1) * D), j * D));
  return { w, Xd: { data, rows: rows.length, cols: D }, rowOf: Int32Array.from(rows) };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * scale);
}

/** An explicit initialisation (weights, means, precisions) for K components of X's shape. */
function explicitInit(X: M, K: number, covarianceType: CovarianceType) {
  const start = new GaussianMixture({ nComponents: K, covarianceType, maxIter: 3, seed: 5, ...quiet }).fit(X);
  return { weightsInit: start.weights, meansInit: start.means, precisionsInit: start.precisions };
}

describe('GaussianMixture: sample weights', () => {
  const { X } = blobs(150, 3, 3, 11, 2);
  const { w, Xd } = duplicated(X, 3);
  for (const engine of ENGINES) {
    for (const covarianceType of TYPES) {
      it(`${engine} ${covarianceType}: integer weights fit as duplicated rows and zero weights as removed rows (1e-12)`, () => {
        const opts = { nComponents: 3, covarianceType, tol: 0, maxIter: 15, engine, ...explicitInit(X, 3, covarianceType), ...quiet };
        const a = new GaussianMixture(opts).fit(X, { sampleWeight: w });
        const b = new GaussianMixture(opts).fit(Xd);
        expectClose(a.weights, b.weights, 1e-12);
        expectClose(a.means.data, b.means.data, 1e-12);
        expectClose(a.covariances, b.covariances, 1e-12);
        expectClose(a.lowerBoundHistory, b.lowerBoundHistory, 1e-12);
        expect(Math.abs(a.score(X, { sampleWeight: w }) - b.score(Xd))).toBeLessThanOrEqual(1e-12 * Math.abs(b.score(Xd)));
        expect(Math.abs(a.bic(X, { sampleWeight: w }) - b.bic(Xd))).toBeLessThanOrEqual(1e-12 * Math.abs(b.bic(Xd)));
        expect(Math.abs(a.aic(X, { sampleWeight: w }) - b.aic(Xd))).toBeLessThanOrEqual(1e-12 * Math.abs(b.aic(Xd)));
        const sa = a.partialStats(X, { sampleWeight: w }), sb = a.partialStats(Xd);
        expect(sa.n).toBe(sb.n);
        expectClose(sa.sumResp, sb.sumResp, 1e-12);
        expectClose(sa.sumX, sb.sumX, 1e-12);
        expectClose(sa.sumXX, sb.sumXX, 1e-12);
      });
    }
  }

  it('weights of 1 give the unweighted fit', () => {
    const a = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).fit(X, { sampleWeight: new Float64Array(X.rows).fill(1) });
    const b = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).fit(X);
    expectClose(a.means.data, b.means.data, 1e-12);
    expectClose(a.covariances, b.covariances, 1e-12);
  });

  it('partialStats: weights of 1 give the unweighted sums to the byte (the E-step and statistics in one job or in two)', () => {
    const { X: Y } = blobs(3000, 5, 3, 8);
    for (const covarianceType of TYPES) {
      for (const dtype of ['f64', 'f32'] as const) {
        const data = dtype === 'f32' ? { ...Y, data: Float32Array.from(Y.data) } : Y;
        const gm = new GaussianMixture({ nComponents: 3, covarianceType, maxIter: 2, seed: 1, ...quiet }).fit(data);
        const a = gm.partialStats(data), b = gm.partialStats(data, { sampleWeight: new Float64Array(Y.rows).fill(1) });
        // tied's scatter comes from the Gram matrix XᵀX, which weights compute by another kernel.
        const bytes = (s: typeof a) => [s.n, ...s.sumResp, ...s.sumX, ...(covarianceType === 'tied' ? [] : s.sumXX)];
        expect(bytes(b), `${covarianceType} ${dtype}`).toEqual(bytes(a));
        expectClose(b.sumXX, a.sumXX, 1e-12);
        expect(Math.abs(b.logLik - a.logLik)).toBeLessThanOrEqual(1e-12 * Math.abs(a.logLik));
      }
    }
  });

  it('the wasm and reference engines agree on a weighted fit with fractional weights', () => {
    const rng = new Random(9);
    const fw = Float64Array.from({ length: X.rows }, () => rng.random() * 2);
    for (const covarianceType of TYPES) {
      const opts = { nComponents: 3, covarianceType, tol: 0, maxIter: 10, ...explicitInit(X, 3, covarianceType), ...quiet };
      const a = new GaussianMixture({ ...opts, engine: 'wasm' }).fit(X, { sampleWeight: fw });
      const b = new GaussianMixture({ ...opts, engine: 'reference' }).fit(X, { sampleWeight: fw });
      expectClose(a.means.data, b.means.data, 1e-10);
      expectClose(a.covariances, b.covariances, 1e-10);
      expectClose(a.lowerBoundHistory, b.lowerBoundHistory, 1e-10);
    }
  });

  it('a weighted fit of Float32Array data matches duplicated rows (f32 E-step)', () => {
    const X32 = { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols };
    const Xd32 = { data: Float32Array.from(Xd.data), rows: Xd.rows, cols: Xd.cols };
    const opts = { nComponents: 3, tol: 0, maxIter: 10, ...explicitInit(X, 3, 'full'), ...quiet };
    const a = new GaussianMixture(opts).fit(X32, { sampleWeight: w });
    const b = new GaussianMixture(opts).fit(Xd32);
    expectClose(a.means.data, b.means.data, 1e-5);
    expectClose(a.covariances, b.covariances, 1e-5);
  });

  it('rejects bad weights with typed errors naming sampleWeight, and leaves the model as it was', () => {
    const gm = new GaussianMixture({ nComponents: 2, seed: 1, ...quiet }).fit(X);
    const before = gm.means.data.slice();
    const bad = (sampleWeight: unknown) => () => gm.fit(X, { sampleWeight } as never);
    expect(bad(new Float64Array(X.rows - 1).fill(1))).toThrow(ShapeError);
    expect(bad(new Float64Array(X.rows - 1).fill(1))).toThrow(/sampleWeight/);
    const neg = new Float64Array(X.rows).fill(1);
    neg[7] = -1;
    expect(bad(neg)).toThrow(ValueError);
    expect(bad(neg)).toThrow(/sampleWeight\[7\] is -1/);
    const nan = new Float64Array(X.rows).fill(1);
    nan[3] = NaN;
    expect(bad(nan)).toThrow(/sampleWeight/);
    const inf = new Float64Array(X.rows).fill(1);
    inf[4] = Infinity;
    expect(bad(inf)).toThrow(/sampleWeight/);
    expect(bad(new Float64Array(X.rows))).toThrow(/sampleWeight must not be all zero/);
    expect(() => gm.fit(X, { sampleWeights: new Float64Array(X.rows) } as never)).toThrow(/unknown option 'sampleWeights'; did you mean sampleWeight/);
    expect(() => gm.score(X, { sampleWeight: neg })).toThrow(/sampleWeight/);
    expect(Array.from(gm.means.data)).toEqual(Array.from(before));
  });
});

describe('BayesianGaussianMixture: sample weights', () => {
  const { X } = blobs(120, 2, 3, 4, 2);
  const { w, Xd, rowOf } = duplicated(X, 8);
  const K = 4;
  const rng = new Random(1);
  const R = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += R[i * K + k] = rng.random();
    for (let k = 0; k < K; k++) R[i * K + k] /= s;
  }
  const Rd = new Float64Array(Xd.rows * K);
  rowOf.forEach((r, j) => Rd.set(R.subarray(r * K, (r + 1) * K), j * K));
  for (const engine of ENGINES) {
    for (const covarianceType of TYPES) {
      for (const weightConcentrationPriorType of ['dirichlet_process', 'dirichlet_distribution'] as const) {
        it(`${engine} ${covarianceType} ${weightConcentrationPriorType}: integer weights fit as duplicated rows, zero weights as removed rows (1e-12)`, () => {
          const opts = { nComponents: K, covarianceType, weightConcentrationPriorType, tol: 0, maxIter: 15, engine, ...quiet };
          const a = new BayesianGaussianMixture({ ...opts, initResponsibilities: { data: R, rows: X.rows, cols: K } }).fit(X, { sampleWeight: w });
          const b = new BayesianGaussianMixture({ ...opts, initResponsibilities: { data: Rd, rows: Xd.rows, cols: K } }).fit(Xd);
          expectClose(a.weights, b.weights, 1e-12);
          expectClose(a.means.data, b.means.data, 1e-12);
          expectClose(a.covariances, b.covariances, 1e-12);
          expectClose(a.degreesOfFreedom, b.degreesOfFreedom, 1e-12);
          expectClose(a.priors.meanPrior, b.priors.meanPrior, 1e-12);
          expectClose(a.priors.covariancePrior, b.priors.covariancePrior, 1e-12);
          expectClose(a.lowerBoundHistory, b.lowerBoundHistory, 1e-12);
        });
      }
    }
  }

  it('rejects weights whose sum is at most 1 when the default covariancePrior needs a ddof-1 covariance', () => {
    const tiny = new Float64Array(X.rows).fill(0.001);
    expect(() => new BayesianGaussianMixture({ nComponents: 2, ...quiet }).fit(X, { sampleWeight: tiny })).toThrow(/sampleWeight/);
  });
});

describe('the k-means initialisation weighs the rows', () => {
  // Two clusters of weight 1 and, far away, a cluster of weight 0: unweighted, k-means with K = 2
  // would spend a centre on the far rows; weighted, they are not there.
  const { X: real } = blobs(200, 2, 2, 6, 2);
  const rng = new Random(4);
  const far = Float64Array.from({ length: 100 * 2 }, () => 1000 + rng.normal());
  const X = { data: Float64Array.of(...real.data, ...far), rows: 300, cols: 2 };
  const w = Float64Array.from({ length: 300 }, (_, i) => (i < 200 ? 1 : 0));
  for (const initParams of ['kmeans', 'k-means++'] as const) {
    it(`${initParams}: zero-weight rows neither seed nor move a component`, () => {
      const gm = new GaussianMixture({ nComponents: 2, initParams, seed: 0, ...quiet }).fit(X, { sampleWeight: w });
      const bgm = new BayesianGaussianMixture({ nComponents: 2, initParams, seed: 0, ...quiet }).fit(X, { sampleWeight: w });
      for (const m of [gm.means.data, bgm.means.data]) for (const v of m) expect(Math.abs(v)).toBeLessThan(100);
      const unweighted = new GaussianMixture({ nComponents: 2, initParams, seed: 0, ...quiet }).fit(X);
      expect(Math.max(...unweighted.means.data)).toBeGreaterThan(900);
    });
  }
});
