// Fits are all-or-nothing: a fit that throws part-way (from onIteration, from onWarning, or on
// bad data) leaves every public property as it was, and the next valid fit equals a fresh
// model's. Warnings are emitted before a fit is committed, so a throwing onWarning commits nothing.
import { describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture, BinarySparseCoding, DictionaryLearning, GaussianMixture, LinearGaussian, MiniBatchDictionaryLearning, SparseCoder,
} from '../src/index.js';
import { problem } from './sparse/data.js';
import { randomBsc } from './meanfield/models.js';

/** Every listed public property, read now (a getter that throws is recorded by its error's name). */
function snapshot(model: object, props: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of props) {
    try {
      const v = (model as Record<string, unknown>)[p];
      out[p] = v && typeof v === 'object' && 'data' in (v as object) ? { ...(v as object), data: Array.from((v as { data: ArrayLike<number> }).data) } : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
    } catch (e) {
      out[p] = `throws ${(e as Error).name}`;
    }
  }
  return out;
}

/** Callbacks that throw only while `armed`: onIteration at iteration 2, onWarning always. */
function trap() {
  const t = {
    armed: '' as '' | 'iteration' | 'warning',
    onIteration: (info: { iteration: number }) => {
      if (t.armed === 'iteration' && info.iteration === 2) throw new Error('stop from onIteration');
    },
    onWarning: (message: string) => {
      if (t.armed === 'warning') throw new Error(`stop from onWarning: ${message}`);
    },
  };
  return t;
}

const A = problem(11, 30, 4, 6).X;
const B = problem(12, 30, 4, 6).X;
const LEARNER_PROPS = ['components', 'objectiveHistory', 'error', 'nIter', 'converged'];

describe('DictionaryLearning and MiniBatchDictionaryLearning fits are all-or-nothing', () => {
  for (const Learner of [DictionaryLearning, MiniBatchDictionaryLearning] as const) {
    const props = Learner === MiniBatchDictionaryLearning ? [...LEARNER_PROPS, 'nSteps'] : LEARNER_PROPS;
    // maxIter 3 with a tight tol: the fit reaches iteration 2 and ends unconverged (a warning).
    const options = { nComponents: 4, alpha: 0.1, seed: 5, maxIter: 3, tol: 1e-14 };

    for (const armed of ['iteration', 'warning'] as const) {
      it(`${Learner.name}: a throwing ${armed === 'iteration' ? 'onIteration' : 'onWarning'} leaves every property as it was, fitted or not`, () => {
        const t = trap();
        const model = new Learner({ ...options, onIteration: t.onIteration, onWarning: t.onWarning });
        const unfitted = snapshot(model, props);
        t.armed = armed;
        expect(() => model.fit(A)).toThrow(/^stop from/);
        expect(snapshot(model, props)).toEqual(unfitted);
        t.armed = '';
        model.fit(A);
        const fitted = snapshot(model, props);
        t.armed = armed;
        expect(() => model.fit(B)).toThrow(/^stop from/);
        if (model instanceof DictionaryLearning) expect(() => model.fitTransform(B)).toThrow(/^stop from/);
        expect(snapshot(model, props)).toEqual(fitted);
        // The next valid fit equals a fresh model's.
        t.armed = '';
        model.fit(B);
        expect(snapshot(model, props)).toEqual(snapshot(new Learner({ ...options, onWarning: () => {} }).fit(B), props));
      });
    }
  }

  it('MiniBatchDictionaryLearning.fit that throws part-way keeps the fitted atoms, objectiveHistory and nIter (the reported repro)', () => {
    const t = trap();
    const mb = new MiniBatchDictionaryLearning({ nComponents: 4, alpha: 0.1, seed: 5, maxIter: 6, tol: 0, batchSize: 8, onIteration: t.onIteration, onWarning: t.onWarning }).fit(A);
    const before = { atoms: Array.from(mb.components.data), history: mb.objectiveHistory, nIter: mb.nIter, nSteps: mb.nSteps };
    expect(before.history).toHaveLength(6);
    t.armed = 'iteration';
    expect(() => mb.fit(B)).toThrow('stop from onIteration');
    expect({ atoms: Array.from(mb.components.data), history: mb.objectiveHistory, nIter: mb.nIter, nSteps: mb.nSteps }).toEqual(before);
  });

  it('MiniBatchDictionaryLearning.partialFit on bad data changes nothing, first call or later', () => {
    const props = [...LEARNER_PROPS, 'nSteps'];
    const mb = new MiniBatchDictionaryLearning({ nComponents: 4, alpha: 0.1, seed: 5 });
    const fresh = snapshot(mb, props);
    const huge = { data: A.data.map((v) => v * 1e160), rows: A.rows, cols: A.cols };
    expect(() => mb.partialFit(huge)).toThrow(/^X row 0 has norm/);
    expect(snapshot(mb, props)).toEqual(fresh);
    mb.partialFit(A);
    const once = snapshot(mb, props);
    expect(() => mb.partialFit(huge)).toThrow(/^X row 0 has norm/);
    expect(() => mb.partialFit(Float32Array.from(A.data) as never)).toThrow();
    expect(snapshot(mb, props)).toEqual(once);
    // Its next steps are those of a model that never saw the bad calls.
    mb.partialFit(B);
    const twin = new MiniBatchDictionaryLearning({ nComponents: 4, alpha: 0.1, seed: 5 }).partialFit(A).partialFit(B);
    expect(snapshot(mb, props)).toEqual(snapshot(twin, props));
  });

  it('SparseCoder keeps its dictionary when a transform warning throws', () => {
    const t = trap();
    const coder = new SparseCoder({ dictionary: problem(11, 1, 4, 6).D, transformMaxIter: 1, transformTol: 1e-14, transformAlpha: 0.01, onWarning: t.onWarning });
    const before = snapshot(coder, ['components']);
    t.armed = 'warning';
    expect(() => coder.transform(A)).toThrow(/^stop from onWarning: SparseCoder\.transform did not converge/);
    expect(snapshot(coder, ['components'])).toEqual(before);
  });
});

describe('BinarySparseCoding and LinearGaussian fits are all-or-nothing', () => {
  const V = randomBsc(3, 4, 3).sample(40, 1).V;
  const BSC_PROPS = ['nHidden', 'nVisible', 'W', 'b', 'beta', 'lowerBoundHistory', 'converged', 'nIter'];
  const LG_PROPS = ['nComponents', 'W', 'mean', 'psi', 'lowerBoundHistory', 'converged', 'nIter'];
  const cases = [
    { name: 'BinarySparseCoding', make: (t: ReturnType<typeof trap>) => new BinarySparseCoding({ nHidden: 3, seed: 2, onWarning: t.onWarning }), props: BSC_PROPS },
    { name: 'LinearGaussian', make: (t: ReturnType<typeof trap>) => new LinearGaussian({ nComponents: 2, seed: 2, onWarning: t.onWarning }), props: LG_PROPS },
  ];
  for (const c of cases) {
    for (const armed of ['iteration', 'warning'] as const) {
      it(`${c.name}: a throwing ${armed === 'iteration' ? 'onIteration' : 'onWarning'} leaves every property as it was, and the next fit equals a fresh model's`, () => {
        const t = trap();
        const fitOptions = { maxIter: 3, tol: 1e-14, onIteration: t.onIteration };
        const model = c.make(t);
        const unfitted = snapshot(model, c.props);
        t.armed = armed;
        expect(() => model.fit(V, fitOptions)).toThrow(/^stop from/);
        expect(snapshot(model, c.props)).toEqual(unfitted);
        t.armed = '';
        model.fit(V, fitOptions);
        const fitted = snapshot(model, c.props);
        t.armed = armed;
        // A refit continues from the fitted parameters: it too is all or nothing.
        expect(() => model.fit(V, fitOptions)).toThrow(/^stop from/);
        expect(snapshot(model, c.props)).toEqual(fitted);
        t.armed = '';
        const fresh = c.make(trap()).fit(V, fitOptions).fit(V, fitOptions);
        model.fit(V, fitOptions);
        expect(snapshot(model, c.props)).toEqual(snapshot(fresh, c.props));
      });
    }
  }
});

describe('GaussianMixture and BayesianGaussianMixture fits are all-or-nothing', () => {
  const X = problem(13, 40, 3, 4).X;
  const PROPS = ['weights', 'means', 'covariances', 'converged', 'nIter', 'lowerBound', 'lowerBoundHistory'];
  for (const Mixture of [GaussianMixture, BayesianGaussianMixture] as const) {
    for (const armed of ['iteration', 'warning'] as const) {
      it(`${Mixture.name}: a throwing ${armed === 'iteration' ? 'onIteration' : 'onWarning'} leaves every property as it was`, () => {
        const t = trap();
        // maxIter 3 with tol 0 never converges: every fit warns.
        const model = new Mixture({ nComponents: 2, seed: 1, maxIter: 3, tol: 0, onIteration: t.onIteration, onWarning: t.onWarning });
        const unfitted = snapshot(model, PROPS);
        t.armed = armed;
        expect(() => model.fit(X)).toThrow(/^stop from/);
        expect(snapshot(model, PROPS)).toEqual(unfitted);
        t.armed = '';
        model.fit(X);
        const fitted = snapshot(model, PROPS);
        t.armed = armed;
        expect(() => model.fit(problem(14, 40, 3, 4).X)).toThrow(/^stop from/);
        expect(snapshot(model, PROPS)).toEqual(fitted);
      });
    }
  }
});
