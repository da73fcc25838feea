import { describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture, Random, bytesInUse, wasmMemory, type CovarianceType, type WeightConcentrationPriorType,
} from '../../src/index.js';
import { blobs } from './data.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const PRIORS: WeightConcentrationPriorType[] = ['dirichlet_process', 'dirichlet_distribution'];
const quiet = { onWarning: () => {} };

describe('BayesianGaussianMixture: properties of mean-field VI', () => {
  for (const covarianceType of TYPES) {
    for (const weightConcentrationPriorType of PRIORS) {
      it(`${covarianceType}, ${weightConcentrationPriorType}: never decreases the lower bound (beyond 1e-9 relative) from random starts`, () => {
        const { X } = blobs(400, 3, 4, 7, 1.5);
        for (const seed of [0, 1, 2]) {
          // regCovar = 0: each update is then the exact coordinate-ascent step of the ELBO
          // (the ridge regCovar adds to S_k is not, and may lower the bound by ~regCovar).
          const bgm = new BayesianGaussianMixture({
            nComponents: 6, covarianceType, weightConcentrationPriorType, tol: 0, maxIter: 40, initParams: 'random', regCovar: 0, seed, ...quiet,
          }).fit(X);
          const h = bgm.lowerBoundHistory;
          expect(h.length).toBe(40);
          for (let t = 1; t < h.length; t++) expect(h[t]).toBeGreaterThanOrEqual(h[t - 1] - 1e-9 * Math.abs(h[t - 1]));
        }
      });
    }
  }

  for (const weightConcentrationPriorType of PRIORS) {
    it(`${weightConcentrationPriorType}: with 10 components on 3 well-separated clusters, leaves 3 with weight above 0.01`, () => {
      const { X, labels } = blobs(900, 2, 3, 4);
      const bgm = new BayesianGaussianMixture({
        nComponents: 10, weightConcentrationPriorType, weightConcentrationPrior: 1e-3, maxIter: 500, seed: 0,
      }).fit(X);
      expect(bgm.converged).toBe(true);
      const active = Array.from(bgm.weights).filter((w) => w > 0.01);
      expect(active.length).toBe(3);
      for (const w of active) expect(Math.abs(w - 1 / 3)).toBeLessThan(0.01);
      // the active components are the clusters: every cluster maps to one label
      const pred = bgm.predict(X);
      const byCluster = [new Set<number>(), new Set<number>(), new Set<number>()];
      for (let i = 0; i < pred.length; i++) byCluster[labels[i]].add(pred[i]);
      for (const s of byCluster) expect(s.size).toBe(1);
    });
  }

  for (const covarianceType of TYPES) {
    it(`${covarianceType}: sample() reproduces the data's mean and covariance`, () => {
      const { X } = blobs(3000, 2, 3, 5, 1.5);
      const bgm = new BayesianGaussianMixture({ nComponents: 3, covarianceType, seed: 2, ...quiet }).fit(X);
      const { X: S, labels } = bgm.sample(60_000, 11);
      expect(S.rows).toBe(60_000);
      const [dm, dc] = moments(X.data, X.rows);
      const [sm, sc] = moments(S.data, S.rows);
      const scale = Math.sqrt(Math.max(dc[0], dc[3]));
      for (let d = 0; d < 2; d++) expect(Math.abs(sm[d] - dm[d])).toBeLessThan(0.03 * scale);
      for (let i = 0; i < 4; i++) expect(Math.abs(sc[i] - dc[i])).toBeLessThan(0.05 * scale * scale);
      const counts = new Float64Array(3);
      for (const l of labels) counts[l]++;
      const w = bgm.weights;
      for (let k = 0; k < 3; k++) expect(Math.abs(counts[k] / S.rows - w[k])).toBeLessThan(0.01);
    });

    it(`${covarianceType}: responsibilities are a distribution over components for every row`, () => {
      const { X } = blobs(200, 3, 3, 3);
      const bgm = new BayesianGaussianMixture({ nComponents: 4, covarianceType, seed: 1, ...quiet }).fit(X);
      const p = bgm.predictProba(X);
      for (let i = 0; i < p.rows; i++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += p.data[i * 4 + k];
        expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      }
      const w = bgm.weights;
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    });
  }

  it('the wasm and reference engines agree to 1e-10 on random data', () => {
    const rng = new Random(12);
    for (const covarianceType of TYPES) {
      for (const weightConcentrationPriorType of PRIORS) {
        const X = { data: rng.fillNormal(new Float64Array(333 * 5)), rows: 333, cols: 5 };
        const opts = { nComponents: 4, covarianceType, weightConcentrationPriorType, tol: 0, maxIter: 8, initParams: 'random' as const, ...quiet };
        const a = new BayesianGaussianMixture(opts).fit(X);
        const b = new BayesianGaussianMixture({ ...opts, engine: 'reference' }).fit(X);
        for (let t = 0; t < 8; t++) expect(Math.abs(a.lowerBoundHistory[t] - b.lowerBoundHistory[t])).toBeLessThan(1e-10 * Math.abs(b.lowerBoundHistory[t]));
        const sa = a.scoreSamples(X), sb = b.scoreSamples(X);
        for (let i = 0; i < X.rows; i++) expect(Math.abs(sa[i] - sb[i])).toBeLessThan(1e-10 * Math.max(1, Math.abs(sb[i])));
      }
    }
  });

  it('runs the f32 E-step on Float32Array data and follows the f64 fit to f32 accuracy', () => {
    const { X } = blobs(600, 3, 3, 2);
    const X32 = { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols };
    const opts = { nComponents: 3, tol: 0, maxIter: 10, seed: 3, ...quiet };
    const a = new BayesianGaussianMixture(opts).fit(X);
    const b = new BayesianGaussianMixture(opts).fit(X32);
    for (let t = 0; t < 10; t++) expect(Math.abs(a.lowerBoundHistory[t] - b.lowerBoundHistory[t])).toBeLessThan(1e-4 * Math.abs(a.lowerBoundHistory[t]));
  });

  it('initParams and seed decide the start; nInit keeps the best bound', () => {
    const { X } = blobs(300, 2, 3, 4, 2);
    for (const initParams of ['kmeans', 'k-means++', 'random', 'random_from_data'] as const) {
      const a = new BayesianGaussianMixture({ nComponents: 3, initParams, seed: 5, ...quiet }).fit(X);
      const b = new BayesianGaussianMixture({ nComponents: 3, initParams, seed: 5, ...quiet }).fit(X);
      expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
      const best = new BayesianGaussianMixture({ nComponents: 3, initParams, seed: 5, nInit: 3, ...quiet }).fit(X);
      expect(best.lowerBound).toBeGreaterThanOrEqual(a.lowerBound - 1e-9 * Math.abs(a.lowerBound));
    }
  });

  it('onIteration sees every iteration and can stop the fit', () => {
    const { X } = blobs(200, 2, 2, 1);
    const seen: number[] = [];
    const bgm = new BayesianGaussianMixture({
      nComponents: 2, tol: 0, maxIter: 50, onIteration: ({ iteration }) => { seen.push(iteration); return iteration < 5; },
    }).fit(X);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(bgm.nIter).toBe(5);
    expect(bgm.converged).toBe(false);
  });

  it('warns through onWarning when the fit does not converge', () => {
    const { X } = blobs(200, 2, 2, 1);
    const warnings: string[] = [];
    new BayesianGaussianMixture({ nComponents: 2, tol: 0, maxIter: 3, onWarning: (m) => warnings.push(m) }).fit(X);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/did not converge in 3 iterations/);
  });

  it('warm start continues from the fitted posterior', () => {
    const { X } = blobs(300, 2, 3, 2, 1.5);
    const bgm = new BayesianGaussianMixture({ nComponents: 3, maxIter: 2, tol: 0, warmStart: true, ...quiet }).fit(X);
    bgm.fit(X);
    const cold = new BayesianGaussianMixture({ nComponents: 3, maxIter: 4, tol: 0, ...quiet }).fit(X);
    expect(bgm.lowerBoundHistory).toHaveLength(2);
    expect(Math.abs(bgm.lowerBoundHistory[1] - cold.lowerBoundHistory[3])).toBeLessThan(1e-10 * Math.abs(cold.lowerBoundHistory[3]));
  });

  it('round-trips through toJSON / fromJSON exactly', () => {
    const { X } = blobs(200, 3, 2, 6);
    for (const [covarianceType, weightConcentrationPriorType] of [['diag', 'dirichlet_process'], ['tied', 'dirichlet_distribution']] as const) {
      const bgm = new BayesianGaussianMixture({ nComponents: 3, covarianceType, weightConcentrationPriorType, seed: 3, ...quiet }).fit(X);
      const back = BayesianGaussianMixture.fromJSON(JSON.parse(JSON.stringify(bgm.toJSON())));
      expect(Array.from(back.scoreSamples(X))).toEqual(Array.from(bgm.scoreSamples(X)));
      expect(back.lowerBoundHistory).toEqual(bgm.lowerBoundHistory);
      expect(Array.from(back.weightConcentration)).toEqual(Array.from(bgm.weightConcentration));
      expect(Array.from(back.priors.covariancePrior)).toEqual(Array.from(bgm.priors.covariancePrior));
    }
  });

  it('leaves wasm memory flat across repeated fits', () => {
    const { X } = blobs(2000, 4, 3, 6);
    const fit = () => new BayesianGaussianMixture({ nComponents: 5, seed: 1, ...quiet }).fit(X).score(X);
    fit();
    const size = wasmMemory().buffer.byteLength;
    const inUse = bytesInUse();
    for (let i = 0; i < 30; i++) fit();
    expect(wasmMemory().buffer.byteLength).toBe(size);
    expect(bytesInUse()).toBe(inUse);
  });
});

/** Mean (2) and covariance (2 × 2, ddof 0) of n rows of 2-D data. */
function moments(x: Float64Array, n: number): [number[], number[]] {
  const m = [0, 0];
  for (let i = 0; i < n; i++) for (let d = 0; d < 2; d++) m[d] += x[i * 2 + d] / n;
  const c = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) c[a * 2 + b] += ((x[i * 2 + a] - m[a]) * (x[i * 2 + b] - m[b])) / n;
  return [m, c];
}
