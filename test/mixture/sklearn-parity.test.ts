// GaussianMixture against scikit-learn 1.2.1 (fixtures: scripts/fixtures/gmm.py → test/fixtures/gmm.json).
import { describe, expect, it } from 'vitest';
import { GaussianMixture, type CovarianceType } from '../../src/index.js';
import { expectRel, loadFixture, mat, type Arr } from '../fixtures.js';

const fx = loadFixture('gmm.json');
const RTOL = 1e-6;

function model(c: any, extra: Record<string, unknown> = {}): GaussianMixture {
  return new GaussianMixture({
    nComponents: c.n_components,
    covarianceType: c.covariance_type as CovarianceType,
    regCovar: fx.settings.reg_covar,
    tol: 0,
    weightsInit: Float64Array.from(c.init.weights_init.data),
    meansInit: mat(c.init.means_init),
    precisionsInit: Float64Array.from(c.init.precisions_init.data),
    onWarning: () => {},
    ...extra,
  });
}

for (const engine of ['wasm', 'reference'] as const) {
  describe(`GaussianMixture (${engine} engine) matches scikit-learn`, () => {
    for (const c of fx.cases) {
      const name = `data set ${c.dataset}, ${c.covariance_type}`;
      const X = mat(fx.datasets[c.dataset].X);
      const Xtest = mat(fx.datasets[c.dataset].X_test);

      it(`${name}: the bound after each of 10 iterations`, () => {
        const gm = model(c, { maxIter: 10, engine }).fit(X);
        expectRel(gm.lowerBoundHistory, c.lower_bound, RTOL, 'lowerBoundHistory');
        expect(gm.nIter).toBe(10);
        expect(gm.converged).toBe(false);
      });

      it(`${name}: the parameters after 1, 2 and 10 iterations`, () => {
        for (const t of Object.keys(c.fits)) {
          const f = c.fits[t];
          const gm = model(c, { maxIter: Number(t), engine }).fit(X);
          expectRel(gm.weights, f.weights.data, RTOL, `weights after ${t}`);
          expectRel(gm.means.data, f.means.data, RTOL, `means after ${t}`);
          expectRel(gm.covariances, f.covariances.data, RTOL, `covariances after ${t}`);
          expectRel(gm.precisions, f.precisions.data, RTOL, `precisions after ${t}`);
          expectRel(gm.precisionsCholesky, f.precisions_cholesky.data, RTOL, `precisionsCholesky after ${t}`);
          expect(gm.lowerBound).toBeCloseTo(f.lower_bound, 6);
          expect(gm.nParameters()).toBe(f.n_parameters);
        }
      });

      it(`${name}: scoreSamples, predictProba, predict, score, bic and aic`, () => {
        const gm = model(c, { maxIter: 10, engine }).fit(X);
        for (const [label, data] of [['X', X], ['X_test', Xtest]] as const) {
          const e = c.eval[label];
          expectRel(gm.scoreSamples(data), e.score_samples.data, RTOL, `${label} scoreSamples`);
          expectRel(gm.predictProba(data).data, e.predict_proba.data, 1e-5, `${label} predictProba`, 1e-3);
          expect(Array.from(gm.predict(data))).toEqual(e.predict.data);
          expectRel([gm.score(data), gm.bic(data), gm.aic(data)], [e.score, e.bic, e.aic], RTOL, `${label} score/bic/aic`);
        }
      });

      it(`${name}: converges where scikit-learn does with tol = 1e-3`, () => {
        const cv = c.converge;
        const gm = model(c, { maxIter: cv.max_iter, tol: cv.tol, engine }).fit(X);
        expect(gm.nIter).toBe(cv.n_iter);
        expect(gm.converged).toBe(cv.converged);
        expectRel(gm.lowerBoundHistory, cv.lower_bound_history, RTOL, 'lowerBoundHistory');
        expectRel(gm.means.data, (cv.means as Arr).data, RTOL, 'means');
      });
    }
  });
}

describe('GaussianMixture on Float32Array data runs the f32 E-step', () => {
  for (const c of fx.cases.filter((c: any) => c.dataset === 'a')) {
    it(`${c.covariance_type}: follows scikit-learn's bound to f32 accuracy`, () => {
      const X = mat(fx.datasets.a.X);
      const X32 = { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols };
      const gm = model(c, { maxIter: 10 }).fit(X32);
      // The data itself is rounded to f32, so agreement is to ~1e-5, not 1e-6.
      expectRel(gm.lowerBoundHistory, c.lower_bound, 1e-4, 'lowerBoundHistory (f32)');
      expectRel(gm.means.data, c.fits['10'].means.data, 1e-4, 'means (f32)', 1e-3);
    });
  }
});
