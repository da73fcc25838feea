import { describe, expect, it } from 'vitest';
import { CategoricalHMM, FactorialHMM, GaussianHMM, NotFittedError, OptionError, ShapeError, ValueError } from '../../src/index.js';

const X = [[0, 1], [1, 0], [2, 2], [0.5, 0.5], [1, 1]];

describe('HMM bad input', () => {
  it('rejects lengths that do not sum to the rows of X', () => {
    const hmm = new GaussianHMM({ nComponents: 2 });
    expect(() => hmm.fit(X, { lengths: [2, 2] })).toThrow(ShapeError);
    expect(() => hmm.fit(X, { lengths: [2, 2] })).toThrow(/lengths must sum to the number of rows of X \(5\); they sum to 4/);
  });

  it('rejects zero-length sequences', () => {
    expect(() => new GaussianHMM({ nComponents: 2 }).fit(X, { lengths: [5, 0] })).toThrow(/lengths\[1\] must be a positive integer/);
    expect(() => new GaussianHMM({ nComponents: 2 }).fit(X, { lengths: [] })).toThrow(ShapeError);
  });

  it('rejects transMatInit rows that do not sum to 1, and startProbInit likewise', () => {
    expect(() => new GaussianHMM({ nComponents: 2, transMatInit: [[0.5, 0.4], [0.5, 0.5]] })).toThrow(/row 0 of transMatInit must sum to 1; it sums to 0.9/);
    expect(() => new GaussianHMM({ nComponents: 2, transMatInit: [[0.5, 0.5]] })).toThrow(ShapeError);
    expect(() => new GaussianHMM({ nComponents: 2, startProbInit: [0.2, 0.2] })).toThrow(/startProbInit must sum to 1/);
    expect(() => new GaussianHMM({ nComponents: 2, transMatInit: [[1.5, -0.5], [0.5, 0.5]] })).toThrow(ValueError);
  });

  it('rejects categorical symbols out of range or not integers', () => {
    expect(() => new CategoricalHMM({ nComponents: 2, nFeatures: 3 }).fit([[0], [3]])).toThrow(/X must hold symbols 0 … 2 \(nFeatures = 3\); X has 3/);
    expect(() => new CategoricalHMM({ nComponents: 2 }).fit([[0], [1.5]])).toThrow(/X\[1\]\[0\] is 1.5/);
    expect(() => new CategoricalHMM({ nComponents: 2 }).fit([[0], [-1]])).toThrow(ValueError);
    const fitted = new CategoricalHMM({ nComponents: 2, nIter: 1, onWarning: () => {} }).fit([[0], [1], [1]]);
    expect(() => fitted.score([[2]])).toThrow(/nFeatures = 2/);
    expect(() => new CategoricalHMM({ nComponents: 2, emissionProbInit: [[1, 0], [0, 1]] })).toThrow(/needs nFeatures/);
  });

  it('rejects NaN in X, naming the position', () => {
    expect(() => new GaussianHMM({ nComponents: 2 }).fit([[0, 1], [NaN, 2], [1, 1]])).toThrow(/X\[1\]\[0\] is NaN/);
    expect(() => new GaussianHMM({ nComponents: 2, startProbInit: [NaN, 1] })).toThrow(/startProbInit/);
  });

  it('rejects bad options and initial values, naming them', () => {
    expect(() => new GaussianHMM({ nComponents: 0 })).toThrow(/nComponents must be an integer ≥ 1/);
    expect(() => new GaussianHMM({ params: 'stx' })).toThrow(/params must be a string of the letters 'stmc'/);
    expect(() => new GaussianHMM({ covarianceType: 'round' as never })).toThrow(/covarianceType/);
    expect(() => new GaussianHMM({ nComponents: 2, covarsInit: [1, -1, 1, 1] }).fit(X)).toThrow(/covarsInit must be positive definite/);
    expect(() => new GaussianHMM({ nComponents: 2, covarsInit: [1, 1] }).fit(X)).toThrow(/covarsInit for covarianceType 'diag' must hold 4 values/);
    expect(() => new GaussianHMM({ nComponents: 2, meansInit: [[0, 0, 0], [1, 1, 1]] }).fit(X)).toThrow(/meansInit must be 2 × 2/);
  });

  it('rejects wrong columns and use before fit', () => {
    const hmm = new GaussianHMM({ nComponents: 2 });
    expect(() => hmm.score(X)).toThrow(NotFittedError);
    hmm.fit(X);
    expect(() => hmm.score([[1, 2, 3]])).toThrow(/X must have 2 columns \(the model was fitted on 2\); got 3/);
  });

  it('leaves the model as it was when a fit throws', () => {
    const hmm = new GaussianHMM({ nComponents: 2, nIter: 3, onWarning: () => {} }).fit(X);
    const before = hmm.toJSON();
    expect(() => hmm.fit([[1, 2, 3]])).toThrow();
    expect(() => hmm.fit(X, { lengths: [1] })).toThrow();
    expect(hmm.toJSON()).toEqual(before);
  });

  it('commits nothing when onIteration or onWarning throws (the warning comes before the commit)', () => {
    const state = { armed: '' };
    const options = {
      nComponents: 2, nIter: 3, tol: 0,
      onIteration: (info: { iteration: number }) => { if (state.armed === 'iteration' && info.iteration === 2) throw new Error('stop'); },
      onWarning: () => { if (state.armed === 'warning') throw new Error('stop'); },
    };
    const hmm = new GaussianHMM(options).fit(X);
    const before = hmm.toJSON();
    const Y = X.map((r) => r.map((v) => v * 2 + 1));
    for (const armed of ['iteration', 'warning']) {
      state.armed = armed;
      expect(() => hmm.fit(Y)).toThrow('stop');
      expect(hmm.toJSON()).toEqual(before);
    }
    const f = new FactorialHMM({ nChains: 2, nStates: 2, nIter: 3, tol: 0, onIteration: options.onIteration, onWarning: options.onWarning });
    state.armed = 'warning';
    expect(() => f.fit(X)).toThrow('stop');
    expect(() => f.weights).toThrow(NotFittedError);
  });

  it('rejects unknown option names with the closest known one', () => {
    expect(() => new GaussianHMM({ n_components: 2 } as never)).toThrow(OptionError);
    expect(() => new GaussianHMM({ nComponent: 2 } as never)).toThrow(/did you mean nComponents\?/);
    expect(() => new CategoricalHMM({ emissionProb: [] } as never)).toThrow(OptionError);
    expect(() => new FactorialHMM({ nChain: 2 } as never)).toThrow(/did you mean nChains\?/);
    expect(() => new GaussianHMM({ nComponents: 2 }).fit(X, { length: [5] } as never)).toThrow(/did you mean lengths\?/);
  });

  it('rejects seeds that are not safe integers, naming seed', () => {
    expect(() => new GaussianHMM({ seed: 0.5 })).toThrow(/seed must be a safe integer/);
    expect(() => new FactorialHMM({ seed: 2 ** 60 })).toThrow(/seed must be a safe integer/);
  });

  it('answers degenerate data (a constant feature, minCovar = 0) with an error naming minCovar, not NaN', () => {
    const flat = [[1, 0], [1, 1], [1, 2], [1, 3]];
    expect(() => new GaussianHMM({ nComponents: 2, minCovar: 0 }).fit(flat)).toThrow(/increase minCovar/);
    const hmm = new GaussianHMM({ nComponents: 2, nIter: 5, onWarning: () => {} }).fit(flat);
    expect(Number.isFinite(hmm.score(flat))).toBe(true);
  });

  it('answers an impossible observation with an error, not NaN', () => {
    const hmm = new CategoricalHMM({ nComponents: 2, nFeatures: 2, startProbInit: [1, 0], transMatInit: [[1, 0], [0, 1]], emissionProbInit: [[1, 0], [0, 1]], nIter: 0 }).fit([[0]]);
    expect(() => hmm.score([[0], [1]])).toThrow(/probability 0/);
  });
});
