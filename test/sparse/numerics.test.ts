// Sparse coding never lies: any scale gives the unscaled answer, impossible inputs get a typed
// error naming the argument, and an encode or fit that stops short says so.
import { describe, expect, it } from 'vitest';
import {
  DictionaryLearning, MiniBatchDictionaryLearning, SparseCoder, ValueError, sparseEncode, type Matrix,
} from '../../src/index.js';
import { problem } from './data.js';

const ALGORITHMS = ['cd', 'fista', 'ista'] as const;

/** m with every entry times s. */
function times(m: Matrix, s: number): Matrix<Float64Array> {
  return { data: Float64Array.from(m.data, (v) => v * s), rows: m.rows, cols: m.cols };
}

/** Relative closeness of two arrays, against the largest magnitude of b. */
function expectRelClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number): void {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= rtol * scale)) expect.fail(`index ${i}: ${a[i]} vs ${b[i]} (scale ${scale})`);
  }
}

const p = problem(3, 12, 3, 6);
const silent = { onWarning: () => {} };

describe('sparseEncode: never converged beside an impossible value', () => {
  it('a wild warm start (1e50, 1e200) gives the answer of no warm start, converged, with a non-negative objective', () => {
    const X = { data: p.X.data.slice(0, 2 * 6), rows: 2, cols: 6 };
    for (const algorithm of ALGORITHMS) {
      const plain = sparseEncode(X, p.D, { alpha: 0.1, algorithm, tol: 1e-10 });
      for (const big of [1e50, 1e200]) {
        const r = sparseEncode(X, p.D, { alpha: 0.1, algorithm, tol: 1e-10, init: [[big, 0, 0], [0, 0, 0]] });
        expect(r.converged, `${algorithm} ${big}`).toBe(true);
        for (const v of r.objective) expect(v).toBeGreaterThanOrEqual(0);
        expectRelClose(r.objective, plain.objective, 1e-8);
        expectRelClose(r.codes.data, plain.codes.data, 1e-4);
      }
    }
  });

  it('refuses a gram that is not D·Dᵀ, naming gram, and accepts the true one', () => {
    const X = { data: p.X.data.slice(0, 2 * 6), rows: 2, cols: 6 };
    const bad = [[1, 5, 5], [5, 1, 5], [5, 5, 1]]; // unit diagonal like D's, but indefinite
    for (const algorithm of ALGORITHMS) {
      expect(() => sparseEncode(X, p.D, { gram: bad, algorithm })).toThrow(ValueError);
      expect(() => sparseEncode(X, p.D, { gram: bad, algorithm })).toThrow(/^gram must be dictionary·dictionaryᵀ \(symmetric positive semidefinite\); for a random vector u, uᵀ·gram·u = /);
    }
    const G = new Float64Array(9);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) for (let j = 0; j < 6; j++) G[a * 3 + b] += p.D.data[a * 6 + j] * p.D.data[b * 6 + j];
    const asym = G.slice();
    asym[1] += 0.5;
    expect(() => sparseEncode(X, p.D, { gram: { data: asym, rows: 3, cols: 3 } })).toThrow(/^gram must be symmetric; gram\[1\]\[0\] = /);
    const wrongDiagonal = G.slice();
    wrongDiagonal[4] *= 2;
    expect(() => sparseEncode(X, p.D, { gram: { data: wrongDiagonal, rows: 3, cols: 3 } })).toThrow(/^gram must be dictionary·dictionaryᵀ: gram\[1\]\[1\] must be ‖dictionary\[1\]‖² = /);
    // The true Gram, at any scale of D, is accepted and changes nothing.
    for (const s of [1, 1e100, 1e-100]) {
      const Ds = times(p.D, s);
      const Gs = { data: G.map((v) => v * s * s), rows: 3, cols: 3 };
      expectRelClose(sparseEncode(X, Ds, { alpha: 0.1 * s, gram: Gs }).codes.data, sparseEncode(X, Ds, { alpha: 0.1 * s }).codes.data, 1e-9);
    }
  });

  it('is scale-equivariant: X and α times 1e100 (or 1e-100) give codes and objectives times 1e100 (1e200)', () => {
    for (const algorithm of ALGORITHMS) {
      const base = sparseEncode(p.X, p.D, { alpha: 0.1, algorithm });
      for (const s of [1e100, 1e-100, 1e150]) {
        const r = sparseEncode(times(p.X, s), p.D, { alpha: 0.1 * s, algorithm });
        expect(r.converged, `${algorithm} × ${s}`).toBe(true);
        expectRelClose(r.codes.data, Array.from(base.codes.data, (v) => v * s), 1e-6);
        expectRelClose(r.objective, Array.from(base.objective, (v) => v * s * s), 1e-6);
        for (const v of r.objective) expect(v).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('is exactly scale-equivariant for powers of two: the same bits, scaled', () => {
    const base = sparseEncode(p.X, p.D, { alpha: 0.1, algorithm: 'fista' });
    const r = sparseEncode(times(p.X, 2 ** 300), times(p.D, 2 ** -200), { alpha: 0.1 * 2 ** 100, algorithm: 'fista' });
    expect(Array.from(r.codes.data)).toEqual(Array.from(base.codes.data, (v) => v * 2 ** 500));
    expect(Array.from(r.objective)).toEqual(Array.from(base.objective, (v) => v * 2 ** 600));
  });

  it('fista and ista work with the dictionary scaled by 1e77 or 1e-100, as cd does: D·s with α·s gives codes / s', () => {
    for (const algorithm of ALGORITHMS) {
      const base = sparseEncode(p.X, p.D, { alpha: 0.1, algorithm });
      for (const s of [1e77, 1e-100, 1e200]) {
        const r = sparseEncode(p.X, times(p.D, s), { alpha: 0.1 * s, algorithm });
        expect(r.converged, `${algorithm} D × ${s}`).toBe(true);
        for (const v of r.codes.data) expect(Number.isFinite(v)).toBe(true);
        expectRelClose(r.codes.data, Array.from(base.codes.data, (v) => v / s), 1e-6);
        expectRelClose(r.objective, base.objective, 1e-6);
      }
      // The same α with a tiny dictionary: every code is penalised to 0, objective ½‖x‖².
      const tiny = sparseEncode(p.X, times(p.D, 1e-100), { alpha: 0.1, algorithm });
      expect(tiny.converged).toBe(true);
      expect(Array.from(tiny.codes.data).every((v) => v === 0)).toBe(true);
    }
  });

  it('refuses entries whose square overflows (1e155), naming X and the limit; 1e150 still works', () => {
    for (const algorithm of ALGORITHMS) {
      expect(() => sparseEncode(times(p.X, 1e155), p.D, { algorithm })).toThrow(ValueError);
      expect(() => sparseEncode(times(p.X, 1e155), p.D, { algorithm })).toThrow(/^X row 0 has norm .*overflows f64, so rows must have ‖x‖ < 1\.34e154/);
      const r = sparseEncode(times(p.X, 1e150), p.D, { alpha: 1e149, algorithm });
      expect(r.converged).toBe(true);
      for (const v of r.objective) expect(Number.isFinite(v) && v >= 0).toBe(true);
    }
  });

  it('refuses codes that would overflow, naming X and the dictionary', () => {
    expect(() => sparseEncode(times(p.X, 1e150), times(p.D, 1e-200), { alpha: 1e-60 }))
      .toThrow(/^the codes overflow f64: X \(max \|x\| = .*\) is too large for the dictionary \(max \|d\| = /);
  });

  it('never reports a negative objective, even at a perfect fit with a tiny α', () => {
    const X = { data: p.D.data.slice(0, 6).map((v) => v * 3), rows: 1, cols: 6 }; // 3 × atom 0
    for (const algorithm of ALGORITHMS) {
      const r = sparseEncode(X, p.D, { alpha: 1e-12, algorithm, tol: 1e-14, maxIter: 5000 });
      expect(r.objective[0]).toBeGreaterThanOrEqual(0);
      expect(r.objective[0]).toBeLessThan(1e-10);
    }
  });
});

describe('unconverged encodes and fits say so through onWarning', () => {
  it('sparseEncode with maxIter 2: converged false and one warning naming the iterations and the signals', () => {
    for (const algorithm of ALGORITHMS) {
      const messages: string[] = [];
      const r = sparseEncode(p.X, p.D, { alpha: 0.01, algorithm, maxIter: 2, tol: 1e-12, onWarning: (m) => messages.push(m) });
      expect(r.converged).toBe(false);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^sparseEncode did not converge in 2 iterations for \d+ of 12 signals \(duality gap above tol·‖x‖², tol = 1e-12\); try a larger maxIter or tol/);
      const quiet: string[] = [];
      expect(sparseEncode(p.X, p.D, { alpha: 0.01, algorithm, onWarning: (m) => quiet.push(m) }).converged).toBe(true);
      expect(quiet).toEqual([]);
    }
  });

  it('SparseCoder.transform and the learners\' transform warn the same way', () => {
    const messages: string[] = [];
    new SparseCoder({ dictionary: p.D, transformMaxIter: 1, transformTol: 1e-14, transformAlpha: 0.01, onWarning: (m) => messages.push(m) }).transform(p.X);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^SparseCoder\.transform did not converge in 1 iterations for \d+ of 12 signals/);
    const dl = new DictionaryLearning({ nComponents: 3, alpha: 0.01, maxIter: 3, transformMaxIter: 1, transformTol: 1e-14, onWarning: (m) => messages.push(m) }).fit(p.X);
    messages.length = 0;
    dl.transform(p.X);
    expect(messages[0]).toMatch(/^DictionaryLearning\.transform did not converge in 1 iterations/);
  });

  it('DictionaryLearning and MiniBatchDictionaryLearning warn when they stop at maxIter, not when stopped by onIteration or converged', () => {
    const messages: string[] = [];
    const onWarning = (m: string) => messages.push(m);
    new DictionaryLearning({ nComponents: 3, alpha: 0.1, maxIter: 2, onWarning }).fit(p.X);
    expect(messages).toEqual(['DictionaryLearning did not converge in 2 iterations (last relative decrease of the objective above tol = 1e-8); try a larger maxIter or tol']);
    messages.length = 0;
    new MiniBatchDictionaryLearning({ nComponents: 3, alpha: 0.1, maxIter: 1, tol: 1e-12, onWarning }).fit(p.X);
    expect(messages).toEqual(['MiniBatchDictionaryLearning did not converge in 1 epochs (last relative change of the atoms above tol = 1e-12); try a larger maxIter or tol']);
    messages.length = 0;
    new DictionaryLearning({ nComponents: 3, alpha: 0.1, maxIter: 2, onWarning, onIteration: () => false }).fit(p.X);
    new MiniBatchDictionaryLearning({ nComponents: 3, alpha: 0.1, maxIter: 2, tol: 0, onWarning }).fit(p.X); // tol 0: run every epoch
    const dl = new DictionaryLearning({ nComponents: 3, alpha: 0.1, maxIter: 1000, onWarning }).fit(p.X);
    expect(dl.converged).toBe(true);
    expect(messages).toEqual([]);
  });
});

describe('dictionary learning at any scale', () => {
  const q = problem(5, 40, 4, 8);
  for (const Learner of [DictionaryLearning, MiniBatchDictionaryLearning] as const) {
    it(`${Learner.name}: X × 2^400 gives the same atoms bit for bit and objectives × 2^800`, () => {
      const o = { nComponents: 4, alpha: 0.2, seed: 2, maxIter: 5, ...silent };
      const base = new Learner(o).fit(q.X);
      const big = new Learner({ ...o, alpha: 0.2 * 2 ** 400 }).fit(times(q.X, 2 ** 400));
      expect(Array.from(big.components.data)).toEqual(Array.from(base.components.data));
      expect(big.objectiveHistory).toEqual(base.objectiveHistory.map((v) => v * 2 ** 800));
    });

    it(`${Learner.name}: X × 1e-160 learns the atoms of X, X × 1e160 is refused naming X (its objective overflows)`, () => {
      const o = { nComponents: 4, alpha: 0.2, seed: 2, maxIter: 5, ...silent };
      const base = new Learner(o).fit(q.X);
      const tiny = new Learner({ ...o, alpha: 0.2e-160 }).fit(times(q.X, 1e-160));
      expectRelClose(tiny.components.data, base.components.data, 1e-6);
      for (const v of tiny.objectiveHistory) expect(Number.isFinite(v) && v >= 0).toBe(true);
      expect(() => new Learner({ ...o, alpha: 0.2e160 }).fit(times(q.X, 1e160))).toThrow(ValueError);
      expect(() => new Learner({ ...o, alpha: 0.2e160 }).fit(times(q.X, 1e160))).toThrow(/^X row 0 has norm .* rows must have ‖x‖ < 1\.34e154/);
    });
  }

  it('objectiveHistory is the per-row mean objective for both learners; error is its deprecated alias', () => {
    const dl = new DictionaryLearning({ nComponents: 4, alpha: 0.2, seed: 2, maxIter: 4, ...silent });
    const U = dl.fitTransform(q.X);
    const V = dl.components;
    let total = 0;
    for (let i = 0; i < q.X.rows; i++) {
      for (let j = 0; j < q.X.cols; j++) {
        let s = q.X.data[i * q.X.cols + j];
        for (let k = 0; k < 4; k++) s -= U.data[i * 4 + k] * V.data[k * q.X.cols + j];
        total += 0.5 * s * s;
      }
      for (let k = 0; k < 4; k++) total += 0.2 * Math.abs(U.data[i * 4 + k]);
    }
    expect(dl.objectiveHistory.at(-1)).toBeCloseTo(total / q.X.rows, 10);
    expect(dl.error).toEqual(dl.objectiveHistory);
    const seen: number[] = [];
    const mb = new MiniBatchDictionaryLearning({ nComponents: 4, alpha: 0.2, seed: 2, maxIter: 3, tol: 0, onIteration: (i) => { seen.push(i.objective); expect(i.error).toBe(i.objective); } }).fit(q.X);
    expect(mb.objectiveHistory).toEqual(seen);
    expect(mb.error).toEqual(mb.objectiveHistory);
  });
});

describe('a dictionary beyond f32 range with Float32Array X', () => {
  it('is rescaled before the cast to f32: finite codes and gaps', () => {
    const X = { data: Float32Array.of(0.5e30, 0, 0, 1e30), rows: 1, cols: 4 };
    const out = sparseEncode(X, [[1e40, 1e40, 1e40, 1e40]], { alpha: 0, algorithm: 'cd', maxIter: 1, tol: 0, onWarning: () => {} });
    expect(Array.from(out.dualityGap).every(Number.isFinite)).toBe(true);
    // h = x·d / ‖d‖² = 1.5e70 / 4e80, to f32 precision (1e40 itself is beyond f32).
    expect(out.codes.data[0] / 3.75e-11).toBeCloseTo(1, 6);
  });
});
