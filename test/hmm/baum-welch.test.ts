import { describe, expect, it } from 'vitest';
import { CategoricalHMM, GaussianHMM, ModelFileError, Random } from '../../src/index.js';
import { expectClose } from '../helpers.js';
import { denseCov, enumerate, logNormal, sampleSequence, stochastic, type CovType } from './util.js';

const TYPES: CovType[] = ['diag', 'full', 'spherical', 'tied'];

function nonDecreasing(history: number[]): void {
  for (let i = 1; i < history.length; i++) expect(history[i]).toBeGreaterThanOrEqual(history[i - 1] - 1e-9 * Math.abs(history[i - 1]));
}

describe('Baum-Welch', () => {
  for (const type of TYPES) {
    it(`never decreases the log-likelihood (${type}, minCovar = 0: the exact M-step)`, () => {
      const rng = new Random(4);
      const A = [0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.05, 0.15, 0.8];
      const X = [...sampleSequence(rng, 150, 3, 2, A), ...sampleSequence(rng, 90, 3, 2, A)];
      const hmm = new GaussianHMM({ nComponents: 3, covarianceType: type, nIter: 30, tol: 0, minCovar: 0, seed: 1, onWarning: () => {} }).fit(X, { lengths: [150, 90] });
      expect(hmm.lowerBoundHistory.length).toBe(30);
      nonDecreasing(hmm.lowerBoundHistory);
      // The history holds E-step log-likelihoods: the last one is the score of the parameters before the last M-step.
      expect(hmm.score(X, { lengths: [150, 90] })).toBeGreaterThanOrEqual(hmm.lowerBoundHistory[29] - 1e-9);
    });
  }

  it('never decreases the log-likelihood (categorical)', () => {
    const rng = new Random(8);
    const X = Array.from({ length: 300 }, (_, t) => [Math.floor(t / 50) % 2 === 0 ? rng.int(2) : 2 + rng.int(2)]);
    const hmm = new CategoricalHMM({ nComponents: 2, nIter: 40, tol: 0, seed: 3, onWarning: () => {} }).fit(X);
    nonDecreasing(hmm.lowerBoundHistory);
    expect(hmm.nFeatures).toBe(4);
  });

  it('makes one Gaussian iteration equal to the direct update from enumerated posteriors', () => {
    const rng = new Random(12);
    const K = 2, D = 2, T = 7;
    const pi = stochastic(rng, 1, K), A = stochastic(rng, K, K);
    const means = [[0, 0], [1.5, -1]], covars = [1, 0.5, 0.7, 2];
    const X = Array.from({ length: T }, () => [rng.normal(), rng.normal()]);
    const minCovar = 1e-3;
    const hmm = new GaussianHMM({ nComponents: K, startProbInit: pi, transMatInit: A, meansInit: means, covarsInit: covars, nIter: 1, minCovar, onWarning: () => {} }).fit(X);
    const logB = X.map((x) => means.map((mu, k) => logNormal(x, mu, denseCov(covars, 'diag', k, D))));
    const { post, xi, logP } = enumerate(logB, pi, A, K);
    expect(hmm.lowerBoundHistory[0]).toBeCloseTo(logP, 10);
    expectClose(hmm.startProb, post.slice(0, K), 0, 1e-10);
    const rowSum = (i: number) => xi[i * K] + xi[i * K + 1];
    expectClose(hmm.transMat.data, xi.map((v, ij) => v / rowSum(Math.floor(ij / K))), 0, 1e-10);
    for (let k = 0; k < K; k++) {
      const n = X.reduce((s, _, t) => s + post[t * K + k], 0);
      for (let d = 0; d < D; d++) {
        const mu = X.reduce((s, x, t) => s + post[t * K + k] * x[d], 0) / n;
        const v = X.reduce((s, x, t) => s + post[t * K + k] * (x[d] - mu) ** 2, 0) / n + minCovar;
        expect(hmm.means.data[k * D + d]).toBeCloseTo(mu, 10);
        expect(hmm.covars[k * D + d]).toBeCloseTo(v, 10);
      }
    }
  });

  it('makes one categorical iteration equal to the direct update', () => {
    const rng = new Random(13);
    const K = 2, F = 3;
    const pi = stochastic(rng, 1, K), A = stochastic(rng, K, K), B = stochastic(rng, K, F);
    const X = [0, 2, 2, 1, 0, 1].map((s) => [s]);
    const hmm = new CategoricalHMM({ nComponents: K, nFeatures: F, startProbInit: pi, transMatInit: A, emissionProbInit: B, nIter: 1, onWarning: () => {} }).fit(X);
    const { post } = enumerate(X.map(([s]) => [Math.log(B[s]), Math.log(B[F + s])]), pi, A, K);
    for (let k = 0; k < K; k++) {
      const n = X.reduce((s, _, t) => s + post[t * K + k], 0);
      for (let f = 0; f < F; f++) {
        const c = X.reduce((s, [x], t) => s + (x === f ? post[t * K + k] : 0), 0);
        expect(hmm.emissionProb.data[k * F + f]).toBeCloseTo(c / n, 10);
      }
    }
  });

  it('updates only the parameters named in params', () => {
    const rng = new Random(3);
    const A = [0.9, 0.1, 0.2, 0.8];
    const X = sampleSequence(rng, 100, 2, 2, A);
    const hmm = new GaussianHMM({ nComponents: 2, params: 'mc', transMatInit: A, startProbInit: [0.5, 0.5], nIter: 5, onWarning: () => {} }).fit(X);
    expect(Array.from(hmm.transMat.data)).toEqual(A);
    expect(Array.from(hmm.startProb)).toEqual([0.5, 0.5]);
  });

  it('recovers well-separated states and their transition matrix', () => {
    const rng = new Random(21);
    const A = [0.95, 0.05, 0.1, 0.9];
    const X = sampleSequence(rng, 2000, 2, 2, A, 0.5);
    const hmm = new GaussianHMM({ nComponents: 2, nIter: 100, seed: 2 }).fit(X);
    expect(hmm.converged).toBe(true);
    // States are recovered up to their order: sort by the first mean.
    const order = hmm.means.data[0] < hmm.means.data[2] ? [0, 1] : [1, 0];
    const T = hmm.transMat.data;
    expect(T[order[0] * 2 + order[0]]).toBeCloseTo(0.95, 1);
    expect(T[order[1] * 2 + order[1]]).toBeCloseTo(0.9, 1);
  });

  it('fits Float32Array data (f32 emission kernels, f64 chain) to the f64 fit', () => {
    const rng = new Random(6);
    const X = sampleSequence(rng, 300, 2, 3, [0.9, 0.1, 0.2, 0.8]);
    const x64 = { data: Float64Array.from(X.flat()), rows: 300, cols: 3 };
    const x32 = { data: Float32Array.from(X.flat()), rows: 300, cols: 3 };
    const opts = { nComponents: 2, nIter: 20, seed: 3, onWarning: () => {} };
    const a = new GaussianHMM(opts).fit(x64), b = new GaussianHMM(opts).fit(x32);
    expect(Math.abs(a.score(x64) - b.score(x64))).toBeLessThan(1e-3);
    expectClose(b.transMat.data, a.transMat.data, 0, 1e-4);
  });

  it('warns through onWarning when it does not converge', () => {
    const rng = new Random(2);
    const X = sampleSequence(rng, 200, 3, 2, [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8]);
    const warnings: string[] = [];
    const hmm = new GaussianHMM({ nComponents: 3, nIter: 2, tol: 0, onWarning: (m) => warnings.push(m) }).fit(X);
    expect(hmm.converged).toBe(false);
    expect(warnings[0]).toMatch(/did not converge in nIter = 2/);
  });

  it('round-trips through JSON and answers bad files with errors naming the field', () => {
    const rng = new Random(5);
    const X = sampleSequence(rng, 120, 2, 3, [0.9, 0.1, 0.1, 0.9]);
    for (const type of TYPES) {
      const hmm = new GaussianHMM({ nComponents: 2, covarianceType: type, nIter: 3, onWarning: () => {} }).fit(X);
      const json = JSON.parse(JSON.stringify(hmm.toJSON()));
      const back = GaussianHMM.fromJSON(json);
      expect(back.score(X)).toBe(hmm.score(X));
      expect(back.toJSON()).toEqual(hmm.toJSON());
    }
    const good = new GaussianHMM({ nComponents: 2, nIter: 2, onWarning: () => {} }).fit(X).toJSON();
    expect(() => GaussianHMM.fromJSON({ ...good, version: 2 })).toThrow(/version is 2, written by a newer elbo/);
    expect(() => GaussianHMM.fromJSON({ ...good, transMat: [0.5, 0.6, 0.5, 0.5] })).toThrow(/GaussianHMM.fromJSON: transMat: row 0 of transMat must sum to 1/);
    expect(() => GaussianHMM.fromJSON({ ...good, covars: good.covars.map(() => -1) })).toThrow(/GaussianHMM.fromJSON: covars: covars must be positive definite/);
    expect(() => GaussianHMM.fromJSON({ ...good, means: [1] })).toThrow(/means must hold nComponents · nFeatures = 2 · 3 = 6 values; got 1/);
    const cat = new CategoricalHMM({ nComponents: 2, nIter: 2, onWarning: () => {} }).fit([[0], [1], [1], [0]]);
    expect(CategoricalHMM.fromJSON(JSON.parse(JSON.stringify(cat.toJSON()))).score([[0], [1]])).toBe(cat.score([[0], [1]]));
    expect(() => CategoricalHMM.fromJSON({ ...cat.toJSON(), kind: 'GaussianHMM' })).toThrow(/kind must be 'CategoricalHMM'/);
    expect(() => CategoricalHMM.fromJSON({ ...cat.toJSON(), extra: 1 })).toThrow(/extra is not a field of this format/);
    expect(() => GaussianHMM.fromJSON({ ...good, options: { ...good.options, params: 'x' } })).toThrow(ModelFileError);
    expect(() => GaussianHMM.fromJSON({ ...good, startProb: [0.5, null] })).toThrow(/startProb\[1\] must be/);
  });

  it('draws sequences whose states follow the transition matrix', () => {
    const hmm = new GaussianHMM({ nComponents: 2, startProbInit: [1, 0], transMatInit: [0, 1, 1, 0], meansInit: [[0], [10]], covarsInit: [1, 1], nIter: 0 }).fit([[0], [10]]);
    const { X, states } = hmm.sample(50, { seed: 3 });
    expect(X.rows).toBe(50);
    for (let t = 0; t < 50; t++) expect(states[t]).toBe(t % 2);
    expect(hmm.sample(50, { seed: 3 }).X.data).toEqual(X.data);
    const bic = hmm.bic(X);
    expect(bic).toBeCloseTo(-2 * hmm.score(X) + (1 + 2 + 2 + 2) * Math.log(50), 8);
  });
});
