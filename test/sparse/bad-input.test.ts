import { describe, expect, it } from 'vitest';
import {
  DictionaryLearning, MiniBatchDictionaryLearning, NotFittedError, ShapeError, SparseCoder, ValueError, bytesInUse, sparseEncode,
} from '../../src/index.js';
import { problem } from './data.js';

describe('sparse coding: bad input gets a typed error naming the argument', () => {
  const p = problem(41, 6, 5, 4);

  it('refuses a dictionary whose features differ from X', () => {
    const D3 = [[1, 0, 0], [0, 1, 0]];
    expect(() => sparseEncode(p.X, D3)).toThrow(ShapeError);
    expect(() => sparseEncode(p.X, D3)).toThrow('dictionary must have 4 columns (the number of features of X); got 3');
    expect(() => new SparseCoder({ dictionary: D3 }).transform(p.X)).toThrow('X must have 3 columns (the dictionary has 3 features); got 4');
    const dl = new DictionaryLearning({ nComponents: 2, maxIter: 2 }).fit(p.X);
    expect(() => dl.transform([[1, 2]])).toThrow('X must have 4 columns (the model was fitted on 4 features); got 2');
  });

  it('refuses a zero atom', () => {
    const D = [[1, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]];
    expect(() => sparseEncode(p.X, D)).toThrow(ValueError);
    expect(() => sparseEncode(p.X, D)).toThrow('dictionary[1] is an all-zero atom; every atom needs a non-zero norm');
    expect(() => new SparseCoder({ dictionary: D })).toThrow('dictionary[1] is an all-zero atom');
    expect(() => new DictionaryLearning({ nComponents: 3, dictInit: D }).fit(p.X)).toThrow('dictInit[1] is an all-zero atom');
    expect(() => sparseEncode(p.X, p.D, { gram: [[1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1]] }))
      .toThrow('gram must be dictionary·dictionaryᵀ: gram[1][1] must be ‖dictionary[1]‖² = ');
  });

  it('refuses α < 0 and other bad options', () => {
    expect(() => sparseEncode(p.X, p.D, { alpha: -1 })).toThrow('alpha must be a finite number ≥ 0; got -1');
    expect(() => sparseEncode(p.X, p.D, { alpha: NaN })).toThrow(/alpha/);
    expect(() => sparseEncode(p.X, p.D, { algorithm: 'lars' as never })).toThrow("algorithm must be one of 'cd', 'fista', 'ista'; got \"lars\"");
    expect(() => sparseEncode(p.X, p.D, { maxIter: 0 })).toThrow('maxIter must be an integer ≥ 1; got 0');
    expect(() => sparseEncode(p.X, p.D, { tol: -1e-3 })).toThrow(/tol/);
    expect(() => sparseEncode(p.X, p.D, { positive: 1 as never })).toThrow('positive must be true or false; got 1');
    expect(() => new SparseCoder({ dictionary: p.D, transformAlpha: -2 })).toThrow('transformAlpha must be a finite number ≥ 0; got -2');
    expect(() => new DictionaryLearning({ alpha: -0.5 })).toThrow('alpha must be a finite number ≥ 0; got -0.5');
    expect(() => new DictionaryLearning({ nComponents: 0 })).toThrow('nComponents must be an integer ≥ 1; got 0');
    expect(() => new MiniBatchDictionaryLearning({ batchSize: 0 })).toThrow('batchSize must be an integer ≥ 1; got 0');
    expect(() => new MiniBatchDictionaryLearning({ fitAlgorithm: 'omp' as never })).toThrow(/fitAlgorithm/);
  });

  it('refuses non-finite values in X, the dictionary, init and gram', () => {
    const X = [[1, 2, 3, 4], [1, NaN, 0, 0]];
    expect(() => sparseEncode(X, p.D)).toThrow('X must contain only finite values; X[1][1] is NaN');
    const D = p.D.data.slice();
    D[7] = Infinity;
    expect(() => sparseEncode(p.X, { data: D, rows: 5, cols: 4 })).toThrow('dictionary must contain only finite values; dictionary[1][3] is Infinity');
    const init = new Float64Array(6 * 5);
    init[3] = NaN;
    expect(() => sparseEncode(p.X, p.D, { init: { data: init, rows: 6, cols: 5 } })).toThrow('init must contain only finite values; init[0][3] is NaN');
    expect(() => new DictionaryLearning({ nComponents: 2 }).fit(X)).toThrow('X[1][1] is NaN');
  });

  it('refuses empty X and misshapen warm starts', () => {
    expect(() => sparseEncode([], p.D)).toThrow('X must have at least 1 row; got 0');
    expect(() => sparseEncode({ data: new Float64Array(0), rows: 0, cols: 4 }, p.D)).toThrow(ShapeError);
    expect(() => new DictionaryLearning().fit([])).toThrow('X must have at least 1 row; got 0');
    expect(() => new MiniBatchDictionaryLearning().partialFit([])).toThrow('X must have at least 1 row; got 0');
    expect(() => sparseEncode(p.X, p.D, { init: [[0, 0]] })).toThrow('init must be 6 × 5 (rows of X × atoms of the dictionary); got 1 × 2');
    expect(() => sparseEncode(p.X, p.D, { gram: [[1]] })).toThrow('gram must be 5 × 5 (atoms × atoms of the dictionary); got 1 × 1');
    expect(() => new DictionaryLearning({ nComponents: 3, dictInit: [[1, 0, 0, 0]] }).fit(p.X)).toThrow('dictInit must be 3 × 4 (nComponents × features of X); got 1 × 4');
  });

  it('answers use before fit with NotFittedError', () => {
    expect(() => new DictionaryLearning().transform(p.X)).toThrow(NotFittedError);
    expect(() => new DictionaryLearning().components).toThrow(NotFittedError);
    expect(() => new MiniBatchDictionaryLearning().transform(p.X)).toThrow(NotFittedError);
    expect(() => new MiniBatchDictionaryLearning().components).toThrow(NotFittedError);
  });

  it("never mutates the caller's arrays, and frees wasm memory after errors", () => {
    const X = p.X.data.slice(), D = p.D.data.slice();
    const init = new Float64Array(6 * 5).fill(0.1);
    const initCopy = init.slice();
    for (const algorithm of ['cd', 'fista', 'ista'] as const) {
      sparseEncode(p.X, p.D, { alpha: 0.05, algorithm, init: { data: init, rows: 6, cols: 5 } });
    }
    const coder = new SparseCoder({ dictionary: p.D });
    coder.transform(p.X);
    new DictionaryLearning({ nComponents: 3, maxIter: 3, dictInit: { data: p.D.data.subarray(0, 12), rows: 3, cols: 4 } }).fit(p.X);
    new MiniBatchDictionaryLearning({ nComponents: 3, maxIter: 2, batchSize: 2 }).fit(p.X);
    expect(Array.from(p.X.data)).toEqual(Array.from(X));
    expect(Array.from(p.D.data)).toEqual(Array.from(D));
    expect(Array.from(init)).toEqual(Array.from(initCopy));
    expect(bytesInUse()).toBe(0);
  });
});
