import { describe, expect, it } from 'vitest';
import { CategoricalHMM, GaussianHMM, Random } from '../../src/index.js';
import { expectClose } from '../helpers.js';
import { denseCov, enumerate, logNormal, randomCovars, stochastic, type CovType } from './util.js';

const TYPES: CovType[] = ['diag', 'full', 'spherical', 'tied'];

/** A GaussianHMM holding exactly the given parameters (nIter = 0: fit only installs them). */
function gaussianModel(K: number, D: number, type: CovType, seed: number, engine: 'wasm' | 'reference' = 'wasm') {
  const rng = new Random(seed);
  const pi = stochastic(rng, 1, K), A = stochastic(rng, K, K);
  const means = Array.from({ length: K }, () => Array.from({ length: D }, () => 2 * rng.normal()));
  const covars = randomCovars(rng, type, K, D);
  const X = Array.from({ length: 6 }, () => Array.from({ length: D }, () => 2 * rng.normal()));
  const model = new GaussianHMM({ nComponents: K, covarianceType: type, startProbInit: pi, transMatInit: A, meansInit: means, covarsInit: covars, nIter: 0, engine }).fit(X);
  const logB = X.map((x) => means.map((mu, k) => logNormal(x, mu, denseCov(covars, type, k, D))));
  return { model, X, pi, A, logB };
}

describe('GaussianHMM against enumeration of all K^T paths', () => {
  for (const type of TYPES) {
    for (const engine of ['wasm', 'reference'] as const) {
      it(`${type} (${engine}): score, posteriors, the Viterbi path and its log-probability agree to 1e-10`, () => {
        const K = 3, D = 3;
        const { model, X, pi, A, logB } = gaussianModel(K, D, type, 7, engine);
        const want = enumerate(logB, pi, A, K);
        expect(Math.abs(model.score(X) - want.logP)).toBeLessThan(1e-10);
        const { logProb, posteriors } = model.scoreSamples(X);
        expect(Math.abs(logProb - want.logP)).toBeLessThan(1e-10);
        expectClose(posteriors.data, want.post, 0, 1e-10);
        const v = model.decode(X);
        expect(Array.from(v.states)).toEqual(want.bestPath);
        expect(Math.abs(v.logProb - want.best)).toBeLessThan(1e-10);
        expect(Array.from(model.predict(X))).toEqual(want.bestPath);
      });
    }
  }

  it('sums over sequences given by lengths (each sequence restarts from π)', () => {
    const K = 2, D = 2;
    const { model, X, pi, A, logB } = gaussianModel(K, D, 'diag', 3);
    const a = enumerate(logB.slice(0, 2), pi, A, K), b = enumerate(logB.slice(2), pi, A, K);
    expect(Math.abs(model.score(X, { lengths: [2, 4] }) - (a.logP + b.logP))).toBeLessThan(1e-10);
    const post = model.predictProba(X, { lengths: [2, 4] });
    expectClose(post.data, [...a.post, ...b.post], 0, 1e-10);
    const v = model.decode(X, { lengths: [2, 4] });
    expect(Array.from(v.states)).toEqual([...a.bestPath, ...b.bestPath]);
  });

  it("decodes 'map' as each row's most probable state, with Σ log max posterior", () => {
    const K = 3, D = 2;
    const { model, X, pi, A, logB } = gaussianModel(K, D, 'full', 9);
    const want = enumerate(logB, pi, A, K);
    const map = model.decode(X, { algorithm: 'map' });
    let lp = 0;
    for (let t = 0; t < X.length; t++) {
      const row = want.post.slice(t * K, t * K + K);
      const arg = row.indexOf(Math.max(...row));
      expect(map.states[t]).toBe(arg);
      lp += Math.log(row[arg]);
    }
    expect(map.logProb).toBeCloseTo(lp, 10);
  });

  it('computes the same log-densities from Float32Array data (to f32 precision)', () => {
    const { model, X } = gaussianModel(3, 4, 'full', 5);
    const x32 = { data: Float32Array.from(X.flat()), rows: X.length, cols: 4 };
    const x64 = { data: Float64Array.from(x32.data), rows: X.length, cols: 4 };
    expect(model.score(x32)).toBeCloseTo(model.score(x64), 3);
  });
});

describe('CategoricalHMM against enumeration', () => {
  it('score, posteriors and Viterbi agree to 1e-10', () => {
    const rng = new Random(2);
    const K = 3, F = 4;
    const pi = stochastic(rng, 1, K), A = stochastic(rng, K, K), B = stochastic(rng, K, F);
    const X = [0, 3, 1, 1, 2, 0, 3].map((s) => [s]);
    const model = new CategoricalHMM({ nComponents: K, nFeatures: F, startProbInit: pi, transMatInit: A, emissionProbInit: B, nIter: 0 }).fit(X);
    const logB = X.map(([s]) => Array.from({ length: K }, (_, k) => Math.log(B[k * F + s])));
    const want = enumerate(logB, pi, A, K);
    const got = model.scoreSamples(X);
    expect(Math.abs(got.logProb - want.logP)).toBeLessThan(1e-10);
    expectClose(got.posteriors.data, want.post, 0, 1e-10);
    const v = model.decode(X);
    expect(Array.from(v.states)).toEqual(want.bestPath);
    expect(Math.abs(v.logProb - want.best)).toBeLessThan(1e-10);
  });
});
