import { describe, expect, it } from 'vitest';
import { GaussianMixture, NotFittedError, ShapeError, ValueError, bytesInUse } from '../../src/index.js';
import { blobs } from './data.js';

describe('GaussianMixture: bad input gets a typed error naming the argument', () => {
  const { X } = blobs(50, 2, 2, 1);

  it('refuses bad options at construction', () => {
    expect(() => new GaussianMixture({ nComponents: 0 })).toThrow(ValueError);
    expect(() => new GaussianMixture({ nComponents: 0 })).toThrow('nComponents must be an integer ≥ 1; got 0');
    expect(() => new GaussianMixture({ nComponents: 1.5 })).toThrow(/nComponents/);
    expect(() => new GaussianMixture({ regCovar: -1 })).toThrow('regCovar must be a finite number ≥ 0; got -1');
    expect(() => new GaussianMixture({ tol: NaN })).toThrow(/tol/);
    expect(() => new GaussianMixture({ maxIter: -1 })).toThrow(/maxIter/);
    expect(() => new GaussianMixture({ covarianceType: 'banana' as never })).toThrow("covarianceType must be one of 'full', 'tied', 'diag', 'spherical'; got \"banana\"");
    expect(() => new GaussianMixture({ initParams: 'x' as never })).toThrow(/initParams/);
    expect(() => new GaussianMixture({ nComponents: 2, weightsInit: [0.5, 0.6] })).toThrow('weightsInit must sum to 1; got 1.1');
    expect(() => new GaussianMixture({ nComponents: 2, weightsInit: [1] })).toThrow('weightsInit must have length 2; got 1');
  });

  it('refuses non-finite, empty, too small and ragged data', () => {
    const gm = new GaussianMixture({ nComponents: 2 });
    expect(() => gm.fit([[1, 2], [3, NaN], [4, 5]])).toThrow('X[1][1] is NaN');
    expect(() => gm.fit([])).toThrow(ShapeError);
    expect(() => gm.fit([[1, 2]])).toThrow('X must have at least 2 rows; got 1');
    expect(() => new GaussianMixture({ nComponents: 5 }).fit([[1], [2], [3]])).toThrow('X must have at least nComponents = 5 rows; got 3');
    expect(() => gm.fit([[1, 2], [3]])).toThrow(/equal length/);
  });

  it('refuses initial parameters of the wrong shape or not positive definite', () => {
    expect(() => new GaussianMixture({ nComponents: 2, meansInit: [[0, 0, 0], [1, 1, 1]] }).fit(X)).toThrow('meansInit must be 2 × 2 (nComponents × features of X); got 2 × 3');
    expect(() => new GaussianMixture({ nComponents: 2, precisionsInit: [1, 0, 0, 1] }).fit(X)).toThrow("precisionsInit for covarianceType 'full' must hold 2·2·2 = 8 values; got 4");
    expect(() => new GaussianMixture({ nComponents: 2, precisionsInit: [1, 0.5, 0, 1, 1, 0, 0, 1] }).fit(X)).toThrow('precisionsInit must be symmetric; matrix 0 has [1][0] = 0 but [0][1] = 0.5');
    expect(() => new GaussianMixture({ nComponents: 2, precisionsInit: [1, 2, 2, 1, 1, 0, 0, 1] }).fit(X)).toThrow('precisionsInit must be symmetric positive definite; matrix 0 is not');
    expect(() => new GaussianMixture({ nComponents: 2, covarianceType: 'diag', precisionsInit: [1, 1, 0, 1] }).fit(X)).toThrow("precisionsInit must be positive for covarianceType 'diag'; precisionsInit[2] is 0");
  });

  it('answers a covariance that becomes singular with an error suggesting regCovar, and keeps the previous fit', () => {
    const gm = new GaussianMixture({ nComponents: 2, regCovar: 0, seed: 1 }).fit(X);
    const before = gm.means.data.slice();
    const history = gm.lowerBoundHistory;
    const inUse = bytesInUse();
    // Two identical points per cluster and regCovar 0: each component's covariance is exactly singular.
    const degenerate = [[0, 0], [0, 0], [5, 5], [5, 5]];
    expect(() => gm.fit(degenerate)).toThrow(ValueError);
    expect(() => gm.fit(degenerate)).toThrow(/increase regCovar/);
    expect(Array.from(gm.means.data)).toEqual(Array.from(before));
    expect(gm.lowerBoundHistory).toEqual(history);
    expect(bytesInUse()).toBe(inUse);
    // the same data with the default regCovar fits
    expect(new GaussianMixture({ nComponents: 2 }).fit(degenerate).converged).toBe(true);
  });

  it('refuses prediction before fit and with the wrong number of columns', () => {
    const gm = new GaussianMixture({ nComponents: 2 });
    expect(() => gm.predict(X)).toThrow(NotFittedError);
    expect(() => gm.weights).toThrow('this GaussianMixture is not fitted yet: call fit(X) first');
    gm.fit(X);
    expect(() => gm.predict([[1, 2, 3]])).toThrow('X must have 2 columns (the model was fitted on 2); got 3');
    expect(() => gm.sample(0)).toThrow(/n must be an integer ≥ 1/);
  });
});
