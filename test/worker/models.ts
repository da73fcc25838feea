// One small fit of every kind of model that elbo-wasm/worker fits, built from the classes it is
// given (the built package's, so that the worker's and the caller's classes are the same).
import type * as Elbo from '../../src/index.js';

type Lib = Pick<typeof Elbo, 'GaussianMixture' | 'BayesianGaussianMixture' | 'KMeans' | 'GaussianHMM' | 'CategoricalHMM' | 'BinarySparseCoding' | 'LISTA' | 'Random'>;

/** A fit case: a fresh model, its data and its fit options. */
export interface FitCase {
  name: string;
  model: () => { fit(X: never, options?: never): unknown; toJSON(): unknown };
  X: unknown;
  fitOptions: Record<string, unknown>;
}

/** Rows around three centres in 3-D, seeded. */
export function clusters(R: Lib['Random'], n: number, seed = 1): { data: Float64Array; rows: number; cols: number } {
  const rng = new R(seed);
  const D = 3, data = new Float64Array(n * D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) data[i * D + d] = 4 * (i % 3) * (d === i % D ? 1 : 0.3) + rng.normal();
  return { data, rows: n, cols: D };
}

export function fitCases(lib: Lib): FitCase[] {
  const quiet = () => {};
  const X = clusters(lib.Random, 300);
  const rng = new lib.Random(5);
  const symbols = Array.from({ length: 120 }, (_, i) => [(i % 7 < 4 ? 0 : 1) + (rng.random() < 0.2 ? 1 : 0)]);
  const binary = { data: Float64Array.from({ length: 80 * 4 }, () => (rng.random() < 0.3 ? 1 : 0) + 0.1 * rng.normal()), rows: 80, cols: 4 };
  const dictionary = { data: Float64Array.from({ length: 6 * 3 }, () => rng.normal()), rows: 6, cols: 3 };
  return [
    { name: 'GaussianMixture', model: () => new lib.GaussianMixture({ nComponents: 3, seed: 2, onWarning: quiet }), X, fitOptions: {} },
    { name: 'GaussianMixture (diag, f32, weighted)', model: () => new lib.GaussianMixture({ nComponents: 2, covarianceType: 'diag', seed: 3, onWarning: quiet }),
      X: { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols }, fitOptions: { sampleWeight: Array.from({ length: 300 }, (_, i) => 1 + (i % 4)) } },
    { name: 'BayesianGaussianMixture', model: () => new lib.BayesianGaussianMixture({ nComponents: 5, seed: 2, onWarning: quiet }), X, fitOptions: {} },
    { name: 'KMeans', model: () => new lib.KMeans({ nClusters: 3, seed: 4, nInit: 2, onWarning: quiet }), X, fitOptions: {} },
    { name: 'GaussianHMM', model: () => new lib.GaussianHMM({ nComponents: 2, nIter: 8, seed: 1, onWarning: quiet }), X, fitOptions: { lengths: [200, 100] } },
    { name: 'CategoricalHMM', model: () => new lib.CategoricalHMM({ nComponents: 2, nIter: 8, seed: 1, onWarning: quiet }), X: symbols, fitOptions: {} },
    { name: 'BinarySparseCoding', model: () => new lib.BinarySparseCoding({ nHidden: 3, seed: 2, onWarning: quiet }), X: binary, fitOptions: { maxIter: 6, tol: 0 } },
    { name: 'LISTA', model: () => new lib.LISTA({ dictionary, alpha: 0.1, nLayers: 2, epochs: 3, seed: 1, onWarning: quiet }), X, fitOptions: {} },
  ];
}
