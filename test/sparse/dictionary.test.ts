import { describe, expect, it } from 'vitest';
import { DictionaryLearning, MiniBatchDictionaryLearning, bytesInUse, sparseEncode, type Matrix } from '../../src/index.js';
import { problem, rowNorms2 } from './data.js';

/** Norms of the rows of a matrix. */
function rowNorms(m: Matrix): number[] {
  return Array.from(rowNorms2(m), Math.sqrt);
}

/** For each atom of `truth`, the best |cosine| with an atom of `learned`. */
function bestMatches(truth: Matrix, learned: Matrix): number[] {
  const F = truth.cols;
  const out: number[] = [];
  for (let a = 0; a < truth.rows; a++) {
    let best = 0;
    for (let b = 0; b < learned.rows; b++) {
      let s = 0;
      for (let j = 0; j < F; j++) s += truth.data[a * F + j] * learned.data[b * F + j];
      best = Math.max(best, Math.abs(s));
    }
    out.push(best);
  }
  return out;
}

describe('DictionaryLearning (batch)', () => {
  const p = problem(21, 300, 12, 10, 2, 0.02);
  const x2sum = rowNorms2(p.X).reduce((s, v) => s + v, 0);

  for (const fitAlgorithm of ['fista', 'cd'] as const) {
    it(`${fitAlgorithm}: the objective never rises across alternations beyond the encoder's tolerance, and atoms stay unit-norm`, () => {
      const transformTol = 1e-8;
      const dl = new DictionaryLearning({ nComponents: 12, alpha: 0.05, maxIter: 30, tol: 0, fitAlgorithm, transformTol, seed: 3 }).fit(p.X);
      const e = dl.objectiveHistory;
      expect(e.length).toBe(30);
      for (let t = 1; t < e.length; t++) expect(e[t]).toBeLessThanOrEqual(e[t - 1] + transformTol * x2sum);
      expect(e[e.length - 1]).toBeLessThan(0.6 * e[0]);
      for (const n of rowNorms(dl.components)) expect(Math.abs(n - 1)).toBeLessThan(1e-12);
    });
  }

  it('recovers a planted dictionary from sparse combinations of its atoms', () => {
    const dl = new DictionaryLearning({ nComponents: 12, alpha: 0.02, maxIter: 200, seed: 1 }).fit(p.X);
    const matches = bestMatches(p.D, dl.components);
    expect(matches.filter((m) => m > 0.99).length).toBeGreaterThanOrEqual(10);
  });

  it('fitTransform returns the codes of the last alternation; their mean objective per row is the last entry of objectiveHistory', () => {
    const dl = new DictionaryLearning({ nComponents: 8, alpha: 0.1, maxIter: 10, seed: 2 });
    const U = dl.fitTransform(p.X);
    expect(U.rows).toBe(p.X.rows);
    expect(U.cols).toBe(8);
    const V = dl.components;
    let cost = 0;
    for (let i = 0; i < p.X.rows; i++) {
      for (let j = 0; j < p.X.cols; j++) {
        let s = p.X.data[i * p.X.cols + j];
        for (let k = 0; k < 8; k++) s -= U.data[i * 8 + k] * V.data[k * p.X.cols + j];
        cost += 0.5 * s * s;
      }
      for (let k = 0; k < 8; k++) cost += 0.1 * Math.abs(U.data[i * 8 + k]);
    }
    expect(cost / p.X.rows).toBeCloseTo(dl.objectiveHistory[dl.objectiveHistory.length - 1], 8);
    // transform re-encodes for the final atoms: no worse than those codes.
    const T = sparseEncode(p.X, V, { alpha: 0.1 });
    expect(T.objective.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(cost * (1 + 1e-9));
  });

  it('is seeded, stops on tol, reports progress and can be stopped from onIteration', () => {
    const a = new DictionaryLearning({ nComponents: 6, alpha: 0.1, seed: 4, maxIter: 500 }).fit(p.X);
    const b = new DictionaryLearning({ nComponents: 6, alpha: 0.1, seed: 4, maxIter: 500 }).fit(p.X);
    expect(Array.from(a.components.data)).toEqual(Array.from(b.components.data));
    expect(a.converged).toBe(true);
    expect(a.nIter).toBeLessThan(500);
    const seen: number[] = [];
    const c = new DictionaryLearning({ nComponents: 6, alpha: 0.1, seed: 4, onIteration: ({ iteration }) => { seen.push(iteration); return iteration < 3; } }).fit(p.X);
    expect(seen).toEqual([1, 2, 3]);
    expect(c.nIter).toBe(3);
  });

  it('positiveDict and positiveCode keep atoms and codes non-negative', () => {
    const q = problem(22, 120, 6, 8, 2, 0.02);
    const Xp = { ...q.X, data: q.X.data.map(Math.abs) };
    const dl = new DictionaryLearning({ nComponents: 6, alpha: 0.05, maxIter: 20, positiveDict: true, positiveCode: true, seed: 0 }).fit(Xp);
    expect(dl.components.data.every((v) => v >= 0)).toBe(true);
    expect(dl.transform(Xp).data.every((v) => v >= 0)).toBe(true);
  });

  it('the reference engine runs the same alternations', () => {
    const opts = { nComponents: 6, alpha: 0.1, maxIter: 5, tol: 0, seed: 5 };
    const w = new DictionaryLearning(opts).fit(p.X);
    const r = new DictionaryLearning({ ...opts, engine: 'reference' }).fit(p.X);
    for (let t = 0; t < 5; t++) expect(Math.abs(w.objectiveHistory[t] - r.objectiveHistory[t])).toBeLessThanOrEqual(1e-9 * w.objectiveHistory[t]);
    expect(bytesInUse()).toBe(0);
  });
});

describe('MiniBatchDictionaryLearning (online)', () => {
  const p = problem(31, 600, 12, 10, 2, 0.02);

  it('keeps unit-norm atoms and lowers the per-epoch objective towards that of the planted atoms', () => {
    const mb = new MiniBatchDictionaryLearning({ nComponents: 12, alpha: 0.02, batchSize: 50, maxIter: 30, tol: 0, seed: 1 }).fit(p.X);
    for (const n of rowNorms(mb.components)) expect(Math.abs(n - 1)).toBeLessThan(1e-12);
    const e = mb.objectiveHistory;
    expect(e.length).toBe(30);
    expect(e[e.length - 1]).toBeLessThan(0.75 * e[0]);
    for (let t = 1; t < e.length; t++) expect(e[t]).toBeLessThan(e[t - 1]);
    expect(mb.nSteps).toBe(30 * 12);
    // The online method converges slowly here (scikit-learn's, on the same data, reaches 0.044 too).
    const planted = sparseEncode(p.X, p.D, { alpha: 0.02 }).objective.reduce((s, v) => s + v, 0) / p.X.rows;
    const learned = sparseEncode(p.X, mb.components, { alpha: 0.02 }).objective.reduce((s, v) => s + v, 0) / p.X.rows;
    expect(learned).toBeLessThan(1.6 * planted);
    expect(Math.abs(learned - e[e.length - 1])).toBeLessThan(0.05 * learned);
  });

  it('partialFit takes each call as one mini-batch and continues from the statistics', () => {
    const dictInit = { data: p.D.data.map((v, i) => v + 0.3 * Math.sin(i)), rows: 12, cols: 10 };
    const mb = new MiniBatchDictionaryLearning({ nComponents: 12, alpha: 0.02, seed: 2, dictInit });
    for (let b = 0; b < 12; b++) {
      const rows = { data: p.X.data.subarray(b * 50 * 10, (b + 1) * 50 * 10), rows: 50, cols: 10 };
      mb.partialFit(rows);
    }
    expect(mb.nSteps).toBe(12);
    expect(mb.objectiveHistory.length).toBe(12);
    // the same batches in the same order as fit without shuffling, one epoch
    const fit = new MiniBatchDictionaryLearning({ nComponents: 12, alpha: 0.02, batchSize: 50, maxIter: 1, shuffle: false, seed: 2, dictInit }).fit(p.X);
    expect(Math.max(...Array.from(mb.components.data, (v, i) => Math.abs(v - fit.components.data[i])))).toBeLessThan(1e-12);
    expect(() => mb.partialFit([[1, 2, 3]])).toThrow('X must have 10 columns (the model was fitted on 10 features); got 3');
  });

  it('stops on tol when the atoms stop moving, and is seeded', () => {
    const a = new MiniBatchDictionaryLearning({ nComponents: 8, alpha: 0.05, batchSize: 100, maxIter: 200, tol: 0.01, seed: 3 }).fit(p.X);
    const b = new MiniBatchDictionaryLearning({ nComponents: 8, alpha: 0.05, batchSize: 100, maxIter: 200, tol: 0.01, seed: 3 }).fit(p.X);
    expect(a.converged).toBe(true);
    expect(a.nIter).toBeLessThan(200);
    expect(Array.from(a.components.data)).toEqual(Array.from(b.components.data));
  });

  it('the reference engine runs the same steps; Float32Array data learns f32 atoms', () => {
    const opts = { nComponents: 6, alpha: 0.05, batchSize: 100, maxIter: 2, tol: 0, seed: 4 };
    const w = new MiniBatchDictionaryLearning(opts).fit(p.X);
    const r = new MiniBatchDictionaryLearning({ ...opts, engine: 'reference' }).fit(p.X);
    for (let i = 0; i < w.components.data.length; i++) expect(Math.abs(w.components.data[i] - r.components.data[i])).toBeLessThan(1e-9);
    const X32 = { data: Float32Array.from(p.X.data), rows: p.X.rows, cols: p.X.cols };
    const f = new MiniBatchDictionaryLearning({ ...opts, transformTol: 1e-5 }).fit(X32);
    expect(f.components.data).toBeInstanceOf(Float32Array);
    expect(f.transform(X32).data).toBeInstanceOf(Float32Array);
    expect(bytesInUse()).toBe(0);
  });
});
