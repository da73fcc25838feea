// Fuzzed entry points of GaussianMixture and BayesianGaussianMixture: constructors, fit, the
// prediction methods and fromJSON. Each call gives finite results (responsibilities in [0, 1]
// summing to 1) or throws a typed error naming an argument, and leaves the model as it was.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, type Matrix, type MatrixLike } from '../../src/index.js';
import {
  anyValue, attempt, build, expectFinite, expectProbabilityRows, expectSameResult, malformedMatrix, matrixCase,
  optionsOf, runs, SCALE_CLASSES, VALUE_CLASSES, type Form, type ValueClass,
} from './fuzz.js';
import { PENDING } from './pending.js';

type Mixture = GaussianMixture | BayesianGaussianMixture;
const MODELS = [
  { name: 'GaussianMixture', make: (o: object) => new GaussianMixture(o) as Mixture, fromJSON: (j: unknown) => GaussianMixture.fromJSON(j as never) as Mixture },
  { name: 'BayesianGaussianMixture', make: (o: object) => new BayesianGaussianMixture(o) as Mixture, fromJSON: (j: unknown) => BayesianGaussianMixture.fromJSON(j as never) as Mixture },
];

const OPTION_NAMES = [
  'nComponents', 'covarianceType', 'tol', 'regCovar', 'maxIter', 'nInit', 'initParams', 'warmStart', 'seed', 'engine',
  'weightsInit', 'meansInit', 'precisionsInit', 'weightConcentrationPriorType', 'weightConcentrationPrior',
  'meanPrecisionPrior', 'meanPrior', 'degreesOfFreedomPrior', 'covariancePrior', 'initResponsibilities', 'options',
];
const ARG_NAMES = ['X', 'n', 'json', ...OPTION_NAMES];
const quiet = () => {};

/** Value classes the mixtures take today (see PENDING). */
const CLASSES: readonly ValueClass[] = VALUE_CLASSES.filter((c) => !(PENDING.mixtureScale && SCALE_CLASSES.includes(c)));
const FORMS: readonly Form[] = PENDING.mixtureF32 ? ['rows', 'f64'] : ['rows', 'f64', 'f32'];
const SEEDS = PENDING.seedsBeyond32Bits ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) : fc.oneof(fc.integer(), fc.constantFrom(2 ** 32, 2 ** 40 + 7, 2 ** 53 - 1));

const settings = fc.record({
  nComponents: fc.integer({ min: 1, max: 4 }),
  covarianceType: fc.constantFrom('full', 'tied', 'diag', 'spherical'),
  initParams: fc.constantFrom('kmeans', 'k-means++', 'random', 'random_from_data'),
  maxIter: fc.integer({ min: 0, max: 25 }),
  regCovar: fc.constantFrom(0, 1e-6, 1e-3),
  engine: fc.constantFrom('wasm', 'reference'),
  seed: SEEDS,
});

/** A reference data set every model fits: two clusters in 2-D. */
const GOOD: Matrix<Float64Array> = {
  data: Float64Array.from([0, 0, 0.3, 0.1, 0.1, 0.4, -0.2, 0.2, 4, 4, 4.3, 3.8, 3.9, 4.2, 4.1, 4.4]), rows: 8, cols: 2,
};

/** Rows of responsibilities sum to 1 within a few roundings of the data's element type. */
function probabilityTol(X: unknown): number {
  return (X as Matrix).data instanceof Float32Array ? 1e-6 : 1e-12;
}

/** The fitted state of a mixture and its answers on X (each a value or a typed error). */
function answers(m: Mixture, X: MatrixLike) {
  return {
    weights: m.weights, means: m.means, covariances: m.covariances, precisionsCholesky: m.precisionsCholesky,
    lowerBound: m.lowerBound, lowerBoundHistory: m.lowerBoundHistory, converged: m.converged, nIter: m.nIter,
    proba: attempt(() => m.predictProba(X), ARG_NAMES), labels: attempt(() => m.predict(X), ARG_NAMES),
    scoreSamples: attempt(() => m.scoreSamples(X), ARG_NAMES), score: attempt(() => m.score(X), ARG_NAMES),
    sample: attempt(() => m.sample(3), ARG_NAMES),
  };
}

/** A fitted state all finite, and answers on X finite where they are not a typed error. */
function expectSound(m: Mixture, X: MatrixLike, rows: number): void {
  const { lowerBound, ...a } = answers(m, X);
  expectFinite(a);
  // −Infinity is the documented bound of a fit that ran no iteration (maxIter: 0), never converged.
  if (!(Number.isFinite(lowerBound) || (lowerBound === -Infinity && m.nIter === 0 && !m.converged))) {
    expect.fail(`lowerBound is ${lowerBound} after ${m.nIter} iterations (converged: ${m.converged})`);
  }
  if (a.proba.ok) {
    expectProbabilityRows(a.proba.value, 'predictProba(X)', probabilityTol(X));
    expect(a.proba.value.rows).toBe(rows);
  }
  let w = 0;
  for (const v of a.weights) w += v;
  expect(Math.abs(w - 1)).toBeLessThan(1e-9);
  if (a.labels.ok) for (const l of a.labels.value) expect(l >= 0 && l < m.nComponents).toBe(true);
}

describe.each(MODELS)('$name under fuzzed input', ({ name, make, fromJSON }) => {
  it('constructor: arbitrary options give a model or a typed error naming the option', () => {
    const known = {
      nComponents: fc.integer({ min: -1, max: 5 }), covarianceType: fc.constantFrom('full', 'diag', 'bogus'), tol: fc.double(),
      regCovar: fc.double(), maxIter: fc.integer({ min: -1, max: 5 }), nInit: fc.integer({ min: -1, max: 3 }),
      initParams: fc.constantFrom('kmeans', 'random', 'x'), warmStart: fc.boolean(), seed: anyValue, engine: fc.constantFrom('wasm', 'gpu'),
      weightsInit: fc.array(fc.double(), { maxLength: 3 }), meansInit: malformedMatrix, precisionsInit: fc.array(fc.double(), { maxLength: 4 }),
      ...(name === 'BayesianGaussianMixture' ? {
        weightConcentrationPriorType: fc.constantFrom('dirichlet_process', 'dirichlet_distribution', 'dp'),
        weightConcentrationPrior: fc.double(), meanPrecisionPrior: fc.double(), meanPrior: fc.array(fc.double(), { maxLength: 3 }),
        degreesOfFreedomPrior: fc.double(), covariancePrior: anyValue, initResponsibilities: malformedMatrix,
      } : {}),
    };
    fc.assert(fc.property(fc.oneof({ weight: 9, arbitrary: optionsOf(known) }, { weight: 1, arbitrary: anyValue }), (o) => {
      attempt(() => make(o as object), ARG_NAMES);
    }), runs(150));
  });

  it('fit: any data and settings give a finite fit or a typed error, and a failed fit leaves the model fresh', () => {
    fc.assert(fc.property(matrixCase({ rows: { min: 0, max: 12 }, classes: CLASSES, forms: FORMS }), settings, (c, s) => {
      const opts = { ...s, onWarning: quiet };
      const model = make(opts);
      const X = build(c);
      const r = attempt(() => model.fit(X), ARG_NAMES);
      if (r.ok) {
        expectSound(model, X, c.rows);
        return;
      }
      expect(model.isFitted).toBe(false);
      // The next valid call answers as on a fresh model.
      const fresh = make(opts);
      const K = Math.min(s.nComponents, 4);
      const good = { ...GOOD, rows: Math.max(GOOD.rows, K) };
      const again = attempt(() => answers(model.fit(good), good), ARG_NAMES);
      const expected = attempt(() => answers(fresh.fit(good), good), ARG_NAMES);
      expectSameResult(again, expected, 'after a failed fit');
    }), runs(120));
  });

  it('predict, predictProba, score, scoreSamples, bic and aic on arbitrary input: finite or a typed error, model unchanged', () => {
    const model = make({ nComponents: 2, seed: 1, onWarning: quiet }).fit(GOOD);
    const before = answers(model, GOOD);
    const input = fc.oneof(matrixCase({ rows: { min: 0, max: 6 }, cols: { min: 1, max: 3 }, classes: CLASSES, forms: FORMS }).map(build), malformedMatrix);
    const methods = ['predict', 'predictProba', 'score', 'scoreSamples', 'bic', 'aic', 'sample'] as const;
    fc.assert(fc.property(input, fc.constantFrom(...methods), (X, method) => {
      if ((method === 'bic' || method === 'aic') && !(model instanceof GaussianMixture)) return;
      const r = attempt(() => (model as unknown as Record<string, (x: unknown) => unknown>)[method](X), ARG_NAMES);
      if (r.ok) {
        expectFinite(r.value, `${method}(X)`);
        if (method === 'predictProba') expectProbabilityRows(r.value as Matrix, 'predictProba(X)', probabilityTol(X));
      }
      expectSameResult(answers(model, GOOD), before, 'answers after the call');
    }), runs(200));
  });

  it('predict before fit throws NotFittedError', () => {
    expect(attempt(() => make({}).predict(GOOD), ARG_NAMES).ok).toBe(false);
  });

  it('fromJSON of a saved model with one field changed: a sound model or a typed error', () => {
    const saved = make({ nComponents: 2, seed: 1, onWarning: quiet }).fit(GOOD).toJSON() as unknown as Record<string, unknown>;
    // Today only whole-file damage is tried; field-level tampering waits for PENDING.tamperedModelFiles.
    const damage = PENDING.tamperedModelFiles
      ? fc.constantFrom<unknown>(null, 1, 'x', [], saved, { ...saved, kind: 'Other' }, { ...saved, version: 99 })
      : fc.oneof(anyValue, fc.tuple(fc.constantFrom(...Object.keys(saved)), anyValue).map(([k, v]) => ({ ...saved, [k]: v })),
        fc.constantFrom(...Object.keys(saved)).map((k) => { const { [k]: _, ...rest } = saved; return rest; }));
    fc.assert(fc.property(damage, (json) => {
      const r = attempt(() => fromJSON(json), [...ARG_NAMES, ...Object.keys(saved)]);
      if (r.ok) expectSound(r.value, GOOD, GOOD.rows);
    }), runs(60));
  });
});
