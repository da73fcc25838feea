import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, NotFittedError, ShapeError, ValueError, bytesInUse } from '../../src/index.js';
import { blobs } from './data.js';

describe('BayesianGaussianMixture: bad input gets a typed error naming the argument', () => {
  const { X } = blobs(60, 3, 2, 1); // D = 3
  const B = (o: ConstructorParameters<typeof BayesianGaussianMixture>[0]) => new BayesianGaussianMixture({ nComponents: 2, onWarning: () => {}, ...o });

  it('refuses non-positive or non-finite priors at construction', () => {
    for (const name of ['weightConcentrationPrior', 'meanPrecisionPrior', 'degreesOfFreedomPrior'] as const) {
      for (const bad of [0, -1, NaN, Infinity]) {
        expect(() => B({ [name]: bad })).toThrow(ValueError);
        expect(() => B({ [name]: bad })).toThrow(`${name} must be a finite number > 0; got ${bad}`);
      }
    }
    expect(() => B({ covariancePrior: 0 })).toThrow('covariancePrior must be a finite number > 0; got 0');
    expect(() => B({ meanPrior: [0, NaN, 1] })).toThrow('meanPrior must contain only finite values; meanPrior[1] is NaN');
    expect(() => B({ weightConcentrationPriorType: 'dirichlet' as never }))
      .toThrow("weightConcentrationPriorType must be one of 'dirichlet_process', 'dirichlet_distribution'; got \"dirichlet\"");
  });

  it('refuses degreesOfFreedomPrior ≤ D − 1, naming D', () => {
    expect(() => B({ degreesOfFreedomPrior: 2 }).fit(X)).toThrow(ValueError);
    expect(() => B({ degreesOfFreedomPrior: 2 }).fit(X)).toThrow('degreesOfFreedomPrior must be greater than D − 1 = 2 (D = 3 features of X); got 2');
    expect(B({ degreesOfFreedomPrior: 2.01 }).fit(X).isFitted).toBe(true);
  });

  it('refuses priors of the wrong shape, not symmetric or not positive definite', () => {
    expect(() => B({ meanPrior: [0, 0] }).fit(X)).toThrow(ShapeError);
    expect(() => B({ meanPrior: [0, 0] }).fit(X)).toThrow('meanPrior must have length 3; got 2');
    expect(() => B({ covariancePrior: [[1, 0], [0, 1]] }).fit(X)).toThrow('covariancePrior must be 3 × 3 (features of X); got 2 × 2');
    expect(() => B({ covariancePrior: [1, 0, 0, 1] }).fit(X)).toThrow("covariancePrior for covarianceType 'full' must be 3 × 3; got 4 values");
    expect(() => B({ covariancePrior: [[1, 0.5, 0], [0, 1, 0], [0, 0, 1]] }).fit(X)).toThrow('covariancePrior must be symmetric; [1][0] = 0 but [0][1] = 0.5');
    expect(() => B({ covarianceType: 'tied', covariancePrior: [[1, 2, 0], [2, 1, 0], [0, 0, 1]] }).fit(X))
      .toThrow("covariancePrior must be symmetric positive definite for covarianceType 'tied'; it is not positive definite");
    expect(() => B({ covarianceType: 'diag', covariancePrior: [1, 0, 1] }).fit(X)).toThrow("covariancePrior must be positive for covarianceType 'diag'; covariancePrior[1] is 0");
    expect(() => B({ covarianceType: 'diag', covariancePrior: [1, 1] }).fit(X)).toThrow('covariancePrior must have length 3; got 2');
    expect(() => B({ covarianceType: 'spherical', covariancePrior: [-2] }).fit(X)).toThrow('covariancePrior must be a finite number > 0; got -2');
  });

  it('refuses initResponsibilities of the wrong shape, outside [0, 1] or not summing to 1', () => {
    const r = (rows: number, cols: number, v: number) => ({ data: new Float64Array(rows * cols).fill(v), rows, cols });
    expect(() => B({ initResponsibilities: r(59, 2, 0.5) }).fit(X)).toThrow('initResponsibilities must be 60 × 2 (rows of X × nComponents); got 59 × 2');
    expect(() => B({ initResponsibilities: r(60, 3, 1 / 3) }).fit(X)).toThrow(ShapeError);
    const neg = r(60, 2, 0.5);
    neg.data[7 * 2 + 1] = -0.5;
    neg.data[7 * 2] = 1.5;
    expect(() => B({ initResponsibilities: neg }).fit(X)).toThrow('initResponsibilities must lie in [0, 1]; initResponsibilities[7][0] is 1.5');
    expect(() => B({ initResponsibilities: r(60, 2, 0.4) }).fit(X)).toThrow('initResponsibilities rows must sum to 1; row 0 sums to 0.8');
  });

  it("refuses GaussianMixture's bad options and data the same way", () => {
    expect(() => B({ nComponents: 0 })).toThrow('nComponents must be an integer ≥ 1; got 0');
    expect(() => B({ regCovar: -1 })).toThrow('regCovar must be a finite number ≥ 0; got -1');
    expect(() => B({ tol: NaN })).toThrow(/tol/);
    expect(() => B({ maxIter: 1.5 })).toThrow(/maxIter/);
    expect(() => B({ covarianceType: 'banana' as never })).toThrow(/covarianceType must be one of/);
    expect(() => B({ initParams: 'x' as never })).toThrow(/initParams/);
    const bgm = B({});
    expect(() => bgm.fit([[1, 2], [3, NaN], [4, 5]])).toThrow('X[1][1] is NaN');
    expect(() => bgm.fit([[1, 2]])).toThrow('X must have at least 2 rows; got 1');
    expect(() => B({ nComponents: 5 }).fit([[1], [2], [3]])).toThrow('X must have at least nComponents = 5 rows; got 3');
    expect(() => bgm.fit([[1, 2], [3]])).toThrow(/equal length/);
  });

  it('answers a singular covariance with an error suggesting regCovar, keeping the previous fit and memory', () => {
    // The prior keeps covariances regular unless the data have no spread at all: then the default
    // Ψ₀ (their covariance) is 0, every x̄_k equals m₀ and, with regCovar 0, every covariance is 0.
    const bgm = B({ regCovar: 0 }).fit(X);
    const before = bgm.means.data.slice();
    const inUse = bytesInUse();
    const degenerate = [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]];
    expect(() => bgm.fit(degenerate)).toThrow(/increase regCovar/);
    expect(Array.from(bgm.means.data)).toEqual(Array.from(before));
    expect(bytesInUse()).toBe(inUse);
    expect(B({}).fit(degenerate).isFitted).toBe(true); // the default regCovar suffices
  });

  it('refuses prediction before fit and with the wrong number of columns', () => {
    const bgm = B({});
    expect(() => bgm.predict(X)).toThrow(NotFittedError);
    expect(() => bgm.weightConcentration).toThrow('this BayesianGaussianMixture is not fitted yet: call fit(X) first');
    bgm.fit(X);
    expect(() => bgm.scoreSamples([[1, 2]])).toThrow('X must have 3 columns (the model was fitted on 3); got 2');
    expect(() => bgm.sample(0)).toThrow(/n must be an integer ≥ 1/);
    expect(() => BayesianGaussianMixture.fromJSON({ kind: 'GaussianMixture' } as never)).toThrow(/BayesianGaussianMixture.toJSON/);
  });
});
