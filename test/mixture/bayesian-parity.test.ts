// BayesianGaussianMixture against scikit-learn 1.2.1 (fixtures: scripts/fixtures/bgmm.py →
// test/fixtures/bgmm.json), every fit started from the same saved responsibilities.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, type CovarianceType, type WeightConcentrationPriorType } from '../../src/index.js';
import { expectRel, loadFixture, mat, type Arr } from '../fixtures.js';

const fx = loadFixture('bgmm.json');
const RTOL = 1e-6;

const num = (v: number | Arr): number[] => (typeof v === 'number' ? [v] : v.data);

function model(c: any, extra: Record<string, unknown> = {}): BayesianGaussianMixture {
  const p = c.priors_resolved;
  const explicit = c.priors === 'explicit' ? {
    weightConcentrationPrior: p.weight_concentration_prior,
    meanPrecisionPrior: p.mean_precision_prior,
    meanPrior: p.mean_prior.data,
    degreesOfFreedomPrior: p.degrees_of_freedom_prior,
    covariancePrior: typeof p.covariance_prior === 'number' ? p.covariance_prior : p.covariance_prior.data,
  } : {};
  return new BayesianGaussianMixture({
    nComponents: c.n_components,
    covarianceType: c.covariance_type as CovarianceType,
    weightConcentrationPriorType: c.weight_concentration_prior_type as WeightConcentrationPriorType,
    regCovar: fx.settings.reg_covar,
    tol: 0,
    initResponsibilities: mat(fx.datasets[c.dataset].resp_init),
    onWarning: () => {},
    ...explicit,
    ...extra,
  });
}

function expectPosterior(bgm: BayesianGaussianMixture, f: any, what: string): void {
  expectRel(bgm.weights, f.weights.data, RTOL, `${what} weights`);
  expectRel(bgm.means.data, f.means.data, RTOL, `${what} means`);
  expectRel(bgm.covariances, num(f.covariances), RTOL, `${what} covariances`);
  expectRel(bgm.precisions, num(f.precisions), RTOL, `${what} precisions`);
  expectRel(bgm.precisionsCholesky, num(f.precisions_cholesky), RTOL, `${what} precisionsCholesky`);
  expectRel(bgm.weightConcentration, f.weight_concentration.data, RTOL, `${what} weightConcentration`);
  expectRel(bgm.meanPrecision, f.mean_precision.data, RTOL, `${what} meanPrecision`);
  expectRel(bgm.degreesOfFreedom, num(f.degrees_of_freedom), RTOL, `${what} degreesOfFreedom`);
  expect(bgm.nIter).toBe(f.n_iter);
  expect(bgm.converged).toBe(f.converged);
  if (f.lower_bound === null) expect(bgm.lowerBound).toBe(-Infinity);
  else expectRel([bgm.lowerBound], [f.lower_bound], RTOL, `${what} lowerBound`);
}

for (const engine of ['wasm', 'reference'] as const) {
  describe(`BayesianGaussianMixture (${engine} engine) matches scikit-learn from the same responsibilities`, () => {
    for (const c of fx.cases) {
      const name = `data set ${c.dataset}, ${c.weight_concentration_prior_type}, ${c.covariance_type}, ${c.priors} priors`;
      const X = mat(fx.datasets[c.dataset].X);

      it(`${name}: the lower bound after each of 10 iterations`, () => {
        const bgm = model(c, { maxIter: 10, engine }).fit(X);
        expectRel(bgm.lowerBoundHistory, c.lower_bound, RTOL, 'lowerBoundHistory');
      });

      it(`${name}: the resolved priors and the posterior after 0, 1 and 10 iterations`, () => {
        for (const t of Object.keys(c.fits)) {
          const bgm = model(c, { maxIter: Number(t), engine }).fit(X);
          expectPosterior(bgm, c.fits[t], `after ${t}:`);
          if (t === '0') {
            const p = bgm.priors, want = c.priors_resolved;
            expectRel([p.weightConcentrationPrior, p.meanPrecisionPrior, p.degreesOfFreedomPrior],
              [want.weight_concentration_prior, want.mean_precision_prior, want.degrees_of_freedom_prior], 1e-15, 'scalar priors');
            expectRel(p.meanPrior, want.mean_prior.data, 1e-12, 'meanPrior');
            expectRel(p.covariancePrior, num(want.covariance_prior), 1e-12, 'covariancePrior');
          }
        }
      });

      it(`${name}: predictProba, scoreSamples and predict`, () => {
        const bgm = model(c, { maxIter: 10, engine }).fit(X);
        const e = c.eval.X;
        expectRel(bgm.scoreSamples(X), e.score_samples.data, RTOL, 'scoreSamples');
        // probabilities reach exact 0 and subnormals: held to the scale of 1
        expectRel(bgm.predictProba(X).data, e.predict_proba.data, RTOL, 'predictProba', 1);
        expect(Array.from(bgm.predict(X))).toEqual(e.predict.data);
      });
    }
  });
}

describe('BayesianGaussianMixture with 10 components on 3 clusters matches scikit-learn to convergence', () => {
  const m = fx.many_components;
  it('converges at the same iteration with the same posterior and three weights above 0.01', () => {
    const X = mat(fx.datasets[m.dataset].X);
    const bgm = new BayesianGaussianMixture({
      nComponents: m.n_components, covarianceType: m.covariance_type, weightConcentrationPriorType: m.weight_concentration_prior_type,
      maxIter: m.max_iter, tol: m.tol, regCovar: fx.settings.reg_covar, initResponsibilities: mat(m.resp_init),
    }).fit(X);
    expectRel(bgm.lowerBoundHistory, m.lower_bound_history, RTOL, 'lowerBoundHistory');
    expectPosterior(bgm, m, 'converged:');
    expect(Array.from(bgm.weights).filter((w) => w > 0.01).length).toBe(m.n_active_above_0_01);
  });
});
