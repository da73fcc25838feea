// Where the data sit and how they are stored must not change the answer: translation
// equivariance at offsets up to 1e8, and Float32Array data fitted like the same values in f64.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, Random, type CovarianceType } from '../../src/index.js';
import { blobs } from './data.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const quiet = { onWarning: () => {} };
/** Unit roundoff of f64 and f32. */
const U64 = 2 ** -53, U32 = 2 ** -24;

type Data = { data: Float64Array | Float32Array; rows: number; cols: number };
type Model = GaussianMixture | BayesianGaussianMixture;

/** X + c, stored as f64 or rounded to f32. */
function shifted(X: Data, c: number, f32 = false): Data {
  const data = X.data.map((v) => v + c);
  return { data: f32 ? Float32Array.from(data) : Float64Array.from(data), rows: X.rows, cols: X.cols };
}

/** The same values, widened to f64. */
function widened(X: Data): Data {
  return { data: Float64Array.from(X.data), rows: X.rows, cols: X.cols };
}

/** max_i |a_i − b_i| / scale. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, scale = 1): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / scale);
  return m;
}

/** max over the arrays of max_i |a_i − b_i| / max_i |b_i|: a relative difference per array. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) s = Math.max(s, Math.abs(b[i]));
  return maxDiff(a, b, s || 1);
}

/**
 * How far fit `a` (on data shifted by `c`) is from fit `b` (on the unshifted data), each
 * quantity relative to its scale: means minus c against the data's spread `sigma`; weights,
 * covariances, the bound and (Bayesian) the posterior's counts as relative differences.
 */
function fitDistance(a: Model, b: Model, c: number, sigma: number): number {
  const means = maxDiff(a.means.data.map((v) => v - c), b.means.data, sigma);
  let d = Math.max(means, relDiff(a.weights, b.weights), relDiff(a.covariances, b.covariances),
    Math.abs(a.lowerBound - b.lowerBound) / Math.abs(b.lowerBound));
  if (a instanceof BayesianGaussianMixture && b instanceof BayesianGaussianMixture) {
    d = Math.max(d, relDiff(a.weightConcentration, b.weightConcentration), relDiff(a.meanPrecision, b.meanPrecision),
      relDiff(a.degreesOfFreedom, b.degreesOfFreedom));
  }
  return d;
}

function makeModel(bayesian: boolean, covarianceType: CovarianceType, extra: Record<string, unknown> = {}): Model {
  const opts = { nComponents: 3, covarianceType, tol: 0, maxIter: 20, seed: 4, ...quiet, ...extra };
  return bayesian ? new BayesianGaussianMixture(opts) : new GaussianMixture(opts);
}

/** Three clusters with spreads 0.5–1.5 and centres within ±6 (blobs with spread 2). */
const base = blobs(300, 3, 3, 5, 2).X;
const SIGMA = 1;

describe('translation equivariance: fitting X + c moves the means by c and nothing else', () => {
  for (const bayesian of [false, true]) {
    const name = bayesian ? 'BayesianGaussianMixture' : 'GaussianMixture';
    for (const covarianceType of TYPES) {
      it(`${name}, ${covarianceType}, f64: c = 1e3, 1e6, 1e8 give the fit at c = 0 to the rounding of X + c`, () => {
        const at0 = makeModel(bayesian, covarianceType).fit(base);
        for (const c of [1e3, 1e6, 1e8]) {
          const atC = makeModel(bayesian, covarianceType).fit(shifted(base, c));
          // Adding c rounds each value by up to δ = u·c relative to the spread σ; the engines
          // compute on x − mean(x), so they see the same numbers up to δ, and 20 EM iterations
          // amplify it about twice (measured); 16δ leaves a margin of 8.
          const delta = U64 * c / SIGMA;
          expect(fitDistance(atC, at0, c, SIGMA)).toBeLessThanOrEqual(16 * delta);
        }
      });

      it(`${name}, ${covarianceType}, f32: c = 1e2, 1e3, 1e4 give the fit at c = 0 to the rounding of X + c to f32`, () => {
        const at0 = makeModel(bayesian, covarianceType).fit(shifted(base, 0, true));
        for (const c of [1e2, 1e3, 1e4]) {
          const atC = makeModel(bayesian, covarianceType).fit(shifted(base, c, true));
          // Rounding X + c to f32 moves each value by up to δ = u₃₂·c/σ of the spread (the data
          // differ, not just the arithmetic); measured distances stay below 0.2δ.
          const delta = U32 * c / SIGMA;
          expect(fitDistance(atC, at0, c, SIGMA)).toBeLessThanOrEqual(2 * delta);
        }
      });

      it(`${name}, ${covarianceType}: Float32Array data fit like the same values in f64, at offsets 0 to 1e8`, () => {
        for (const c of [0, 1e3, 1e6, 1e8]) {
          // Scale the spread with the offset so that f32 keeps about 4 digits of it.
          const s = Math.max(1, c * 1e-4);
          const X32 = shifted({ data: base.data.map((v) => v * s), rows: base.rows, cols: base.cols }, c, true);
          const a = makeModel(bayesian, covarianceType).fit(X32);
          const b = makeModel(bayesian, covarianceType).fit(widened(X32));
          // Only the E-step's arithmetic differs (f32 on centred values, statistics in f64):
          // measured ≤ 3 u₃₂; 32 u₃₂ ≈ 2e-6 leaves a margin of 10.
          expect(fitDistance(a, b, 0, s)).toBeLessThanOrEqual(32 * U32);
        }
      });
    }
  }
});

describe('the audit repros (issue 12, items 1 and 2)', () => {
  it('fits two f32 points with diag like the same points in f64 (was "ill-defined empirical covariance")', () => {
    const X32 = { data: Float32Array.of(6.7, 0.5), rows: 2, cols: 1 };
    const a = new GaussianMixture({ nComponents: 2, covarianceType: 'diag' }).fit(X32);
    const b = new GaussianMixture({ nComponents: 2, covarianceType: 'diag' }).fit(widened(X32));
    expect(maxDiff(a.means.data, b.means.data)).toBeLessThanOrEqual(4 * U64 * 6.7);
    expect(Array.from(a.covariances)).toEqual([1e-6, 1e-6]); // one point each: regCovar alone
    expect(relDiff(a.covariances, b.covariances)).toBeLessThanOrEqual(1e-9);
  });

  for (const covarianceType of ['diag', 'spherical', 'tied'] as const) {
    it(`${covarianceType}: every one of 80 fits of N(5, 3²) data that succeeds in f64 succeeds in f32 and agrees`, () => {
      let fitted = 0;
      for (let seed = 0; seed < 80; seed++) {
        const X32 = { data: new Random(seed).fillNormal(new Float32Array(10), 5, 3), rows: 10, cols: 1 };
        const opts = { nComponents: 4, covarianceType, seed, ...quiet };
        let b: GaussianMixture;
        try {
          b = new GaussianMixture(opts).fit(widened(X32));
        } catch {
          continue;
        }
        const a = new GaussianMixture(opts).fit(X32);
        // Components of one or two points sit at regCovar = 1e-6 against data of spread 3: only
        // an absolute tolerance against that spread is meaningful for the means.
        expect(maxDiff(a.means.data, b.means.data, 3)).toBeLessThanOrEqual(1e-5);
        expect(relDiff(a.covariances, b.covariances)).toBeLessThanOrEqual(1e-4);
        fitted++;
      }
      expect(fitted).toBe(80);
    });
  }

  it('fits the variance of 100 f32 rows 1000 + (i mod 10)·0.1 as that of the same values in f64 (was 0.0788 for 0.0825)', () => {
    const X32 = { data: Float32Array.from({ length: 100 }, (_, i) => 1000 + (i % 10) * 0.1), rows: 100, cols: 1 };
    const values = Float64Array.from(X32.data);
    const mean = values.reduce((s, v) => s + v, 0) / 100;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / 100;
    for (const covarianceType of TYPES) {
      const gm = new GaussianMixture({ nComponents: 1, covarianceType }).fit(X32);
      expect(Math.abs(gm.covariances[0] - (variance + 1e-6)) / variance).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(gm.means.data[0] - mean)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(gm.covariances[0] - 0.0825)).toBeLessThanOrEqual(1e-5); // f32 rounding of the input moves it by ~3e-6
    }
  });

  it('scores f32 rows near 1000 like the same rows in f64 (was [-1, -0.5, 0.5] for [-0.899, -0.414, -0.050])', () => {
    const X = { data: Float64Array.from({ length: 100 }, (_, i) => 1000 + (i % 10) * 0.1), rows: 100, cols: 1 };
    for (const covarianceType of TYPES) {
      const gm = new GaussianMixture({ nComponents: 1, covarianceType }).fit(X);
      const rows32 = { data: Float32Array.of(1000, 1000.1, 1000.2), rows: 3, cols: 1 };
      const got = gm.scoreSamples(rows32);
      const want = gm.scoreSamples(widened(rows32));
      expect(maxDiff(got, want)).toBeLessThanOrEqual(1e-6);
      expect(maxDiff(want, [-0.899, -0.414, -0.050])).toBeLessThanOrEqual(1e-3);
      expect(maxDiff(gm.predictProba(rows32).data, [1, 1, 1])).toBe(0);
    }
  });

  for (const [c, spread] of [[1e6, 0.01], [1e8, 1]]) {
    it(`fits data near ${c} with spread ${spread} for every covariance type (was "singleton or collapsed samples")`, () => {
      const unit = blobs(200, 2, 2, 9, 1).X;
      const X = { data: unit.data.map((v) => c + spread * v), rows: 200, cols: 2 };
      const Y = { data: unit.data.map((v) => spread * v), rows: 200, cols: 2 };
      for (const covarianceType of TYPES) {
        const a = new GaussianMixture({ nComponents: 2, covarianceType, seed: 1 }).fit(X);
        const b = new GaussianMixture({ nComponents: 2, covarianceType, seed: 1 }).fit(Y);
        expect(a.converged).toBe(true);
        // X differs from c + Y by the rounding of c + Y: δ = u·c/spread = 1.1e-8 of the spread.
        const delta = U64 * c / spread;
        expect(fitDistance(a, b, c, spread)).toBeLessThanOrEqual(16 * delta);
      }
    });
  }
});

describe('prediction and statistics at an offset', () => {
  for (const covarianceType of TYPES) {
    it(`${covarianceType}: predictProba, scoreSamples and partialStats/mStep on rows near 1e8 match those at 0`, () => {
      const c = 1e8;
      const gm0 = new GaussianMixture({ nComponents: 3, covarianceType, seed: 2, ...quiet }).fit(base);
      const gmC = new GaussianMixture({ nComponents: 3, covarianceType, seed: 2, ...quiet }).fit(shifted(base, c));
      const delta = U64 * c / SIGMA;
      const test = blobs(50, 3, 3, 6, 2).X;
      expect(maxDiff(gmC.predictProba(shifted(test, c)).data, gm0.predictProba(test).data)).toBeLessThanOrEqual(16 * delta);
      expect(relDiff(gmC.scoreSamples(shifted(test, c)), gm0.scoreSamples(test))).toBeLessThanOrEqual(16 * delta);
      expect(Array.from(gmC.predict(shifted(test, c)))).toEqual(Array.from(gm0.predict(test)));
      // Shards merged by Chan's rule: the M-step from two halves at 1e8 is that of the whole at 0.
      const halves = [0, 150].map((r) => ({ data: base.data.slice(r * 3, (r + 150) * 3), rows: 150, cols: 3 }));
      const merged = GaussianMixture.mergeStats(gmC.partialStats(shifted(halves[0], c)), gmC.partialStats(shifted(halves[1], c)));
      gmC.mStep(merged);
      gm0.mStep(gm0.partialStats(base));
      expect(fitDistance(gmC, gm0, c, SIGMA)).toBeLessThanOrEqual(16 * delta);
    });
  }
});

describe('centred scatters keep their digits when the means move far', () => {
  for (const covarianceType of TYPES) {
    it(`${covarianceType}: an E-step from means 10⁴ spreads away gives the reference engine's exact statistics`, () => {
      // The fused pass accumulates about the E-step's means; here they are far from the new
      // means, the shift would lose ~27 bits, and the engine recomputes about the new means.
      const X = blobs(400, 2, 2, 3, 1).X;
      const fit = (engine: 'wasm' | 'reference') => new GaussianMixture({
        nComponents: 2, covarianceType, maxIter: 1, tol: 0, engine, ...quiet,
        meansInit: [[1e4, -1e4], [-1e4, 1e4]], weightsInit: [0.5, 0.5],
      }).fit(X);
      const a = fit('wasm'), b = fit('reference');
      expect(relDiff(a.covariances, b.covariances)).toBeLessThanOrEqual(1e-12);
      expect(maxDiff(a.means.data, b.means.data)).toBeLessThanOrEqual(1e-12);
    });
  }

  it('tied: clusters 10⁶ spreads apart give the reference engine\'s exact pooled scatter', () => {
    const unit = blobs(300, 2, 3, 4, 1);
    const X = { data: unit.X.data.map((v, i) => v + 1e6 * unit.labels[Math.floor(i / 2)]), rows: 300, cols: 2 };
    const fit = (engine: 'wasm' | 'reference') => new GaussianMixture({ nComponents: 3, covarianceType: 'tied', seed: 1, engine, ...quiet }).fit(X);
    const a = fit('wasm'), b = fit('reference');
    expect(relDiff(a.covariances, b.covariances)).toBeLessThanOrEqual(1e-10);
    expect(a.covariances[0]).toBeGreaterThan(0.25); // the within-cluster spread (scales 0.5–1.5), not 0 or noise
  });
});

describe('data whose spread is beyond f64 second moments', () => {
  it('is a ValueError naming X, not an infinite covariance', () => {
    for (const Mixture of [GaussianMixture, BayesianGaussianMixture]) {
      expect(() => new Mixture({ nComponents: 1, covarianceType: 'spherical', maxIter: 0, regCovar: 0 }).fit([[1e300], [0]]))
        .toThrow(/^X spreads 5\.00e\+299 around its column means/);
    }
  });
});
