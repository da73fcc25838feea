import { describe, expect, it } from 'vitest';
import { bytesInUse, sparseEncode, wasmMemory, type Algorithm } from '../../src/index.js';
import { lambdaMax, maxCorrelation, objectiveOf, problem, residualCorrelation, rowNorms2 } from './data.js';

const ALGORITHMS: Algorithm[] = ['cd', 'fista', 'ista'];

describe('sparseEncode: properties of the lasso solutions', () => {
  const p = problem(11, 40, 48, 20, 3, 0.1);
  const alpha = 0.15 * Math.max(...maxCorrelation(p));
  const x2 = rowNorms2(p.X);

  it('every solver reaches the same optimum: objectives agree within the gap tolerance', () => {
    const tol = 1e-10;
    const results = ALGORITHMS.map((algorithm) => sparseEncode(p.X, p.D, { alpha, algorithm, tol, maxIter: 100_000 }));
    const ref = sparseEncode(p.X, p.D, { alpha, tol, engine: 'reference' });
    for (const r of [...results, ref]) {
      expect(r.converged).toBe(true);
      for (let i = 0; i < p.X.rows; i++) {
        expect(Math.abs(r.objective[i] - results[0].objective[i])).toBeLessThanOrEqual(2 * tol * x2[i]);
        // The reported objective is the objective of the returned codes.
        expect(r.objective[i]).toBeCloseTo(objectiveOf(p.X, p.D, r.codes, alpha, i), 10);
      }
    }
  });

  for (const algorithm of ALGORITHMS) {
    for (const positive of [false, true]) {
      it(`${algorithm}${positive ? ' positive' : ''}: every code satisfies the optimality (KKT) conditions`, () => {
        const { codes } = sparseEncode(p.X, p.D, { alpha, algorithm, positive, tol: 1e-13, maxIter: 200_000 });
        const A = p.D.rows;
        for (let i = 0; i < p.X.rows; i++) {
          const g = residualCorrelation(p.X, p.D, codes, i);
          for (let a = 0; a < A; a++) {
            const h = codes.data[i * A + a];
            if (positive) expect(h).toBeGreaterThanOrEqual(0);
            // |d_a·(x − hD)| ≤ α where h_a = 0 (only d_a·r ≤ α when h ≥ 0); = α·sign(h_a) elsewhere.
            if (h === 0) expect(positive ? g[a] : Math.abs(g[a])).toBeLessThanOrEqual(alpha * (1 + 1e-4));
            else expect(Math.abs(g[a] - alpha * Math.sign(h))).toBeLessThanOrEqual(1e-4 * alpha);
          }
        }
      });
    }
  }

  it("FISTA's objective after k steps is within the O(1/k²) bound 2L‖h*‖²/(k+1)²", () => {
    const L = lambdaMax(p.D) * (1 + 1e-3);
    const best = sparseEncode(p.X, p.D, { alpha, tol: 1e-14 });
    const A = p.D.rows;
    for (const k of [1, 2, 5, 10, 20, 50, 100]) {
      const r = sparseEncode(p.X, p.D, { alpha, algorithm: 'fista', tol: 0, maxIter: k });
      for (let i = 0; i < p.X.rows; i++) {
        let h2 = 0;
        for (let a = 0; a < A; a++) h2 += best.codes.data[i * A + a] ** 2;
        expect(r.nIter[i]).toBeLessThanOrEqual(k); // rows whose optimum is 0 stop at once (gap 0)
        expect(r.objective[i] - best.objective[i]).toBeLessThanOrEqual((2 * L * h2) / (k + 1) ** 2 + 1e-12 * x2[i]);
      }
    }
  });

  it('the duality gap is ≥ 0 and shrinks to the tolerance as iterations grow', () => {
    for (const algorithm of ALGORITHMS) {
      let previous = Infinity;
      for (const maxIter of [1, 4, 16, 64, 256, 4096]) {
        const r = sparseEncode(p.X, p.D, { alpha, algorithm, tol: 0, maxIter });
        let total = 0;
        for (let i = 0; i < p.X.rows; i++) {
          expect(r.dualityGap[i]).toBeGreaterThanOrEqual(-1e-13 * x2[i]);
          total += r.dualityGap[i];
        }
        if (algorithm === 'ista') expect(total).toBeLessThanOrEqual(previous * (1 + 1e-9)); // ISTA is monotone
        previous = total;
        if (maxIter === 4096) expect(total).toBeLessThan(1e-8 * x2.reduce((s, v) => s + v, 0));
      }
    }
  });

  it('α ≥ max|Dx| gives all-zero codes exactly, gap 0 and objective ½‖x‖², for every solver', () => {
    const big = Math.max(...maxCorrelation(p));
    for (const algorithm of ALGORITHMS) {
      for (const positive of [false, true]) {
        const r = sparseEncode(p.X, p.D, { alpha: big, algorithm, positive });
        expect(r.codes.data.every((v) => v === 0)).toBe(true);
        for (let i = 0; i < p.X.rows; i++) {
          expect(r.dualityGap[i]).toBe(0);
          expect(r.objective[i]).toBeCloseTo(0.5 * x2[i], 12);
        }
      }
    }
  });

  it('a warm start at the solution stops at once (one cd pass, zero fista steps)', () => {
    const sol = sparseEncode(p.X, p.D, { alpha, tol: 1e-14 });
    const cd = sparseEncode(p.X, p.D, { alpha, init: sol.codes, tol: 1e-9 });
    expect(Array.from(cd.nIter).every((n) => n === 1)).toBe(true);
    const fista = sparseEncode(p.X, p.D, { alpha, algorithm: 'fista', init: sol.codes, tol: 1e-9 });
    expect(Array.from(fista.nIter).every((n) => n === 0)).toBe(true);
    expect(Array.from(fista.codes.data)).toEqual(Array.from(sol.codes.data));
  });

  it('the wasm and reference engines run the same algorithm', () => {
    for (const algorithm of ALGORITHMS) {
      const w = sparseEncode(p.X, p.D, { alpha, algorithm, tol: 1e-8 });
      const r = sparseEncode(p.X, p.D, { alpha, algorithm, tol: 1e-8, engine: 'reference' });
      for (let i = 0; i < p.X.rows; i++) expect(Math.abs(w.objective[i] - r.objective[i])).toBeLessThanOrEqual(1e-12 * x2[i]);
      if (algorithm !== 'cd') expect(Array.from(w.nIter)).toEqual(Array.from(r.nIter));
    }
  });

  it('Float32Array input runs in f32 and returns f32 codes near the f64 optimum', () => {
    const X32 = { data: Float32Array.from(p.X.data), rows: p.X.rows, cols: p.X.cols };
    const f64 = sparseEncode(p.X, p.D, { alpha, tol: 1e-10 });
    for (const algorithm of ALGORITHMS) {
      const r = sparseEncode(X32, p.D, { alpha, algorithm, tol: 1e-5, maxIter: 10_000 });
      expect(r.codes.data).toBeInstanceOf(Float32Array);
      expect(r.converged).toBe(true);
      for (let i = 0; i < p.X.rows; i++) expect(Math.abs(r.objective[i] - f64.objective[i])).toBeLessThanOrEqual(2e-5 * x2[i]);
    }
  });

  it('accepts a precomputed Gram matrix with the same result', () => {
    const A = p.D.rows, F = p.D.cols;
    const gram: number[][] = [];
    for (let a = 0; a < A; a++) {
      gram.push([]);
      for (let b = 0; b < A; b++) {
        let s = 0;
        for (let j = 0; j < F; j++) s += p.D.data[a * F + j] * p.D.data[b * F + j];
        gram[a].push(s);
      }
    }
    for (const algorithm of ALGORITHMS) {
      const a = sparseEncode(p.X, p.D, { alpha, algorithm, tol: 1e-10, maxIter: 100_000 });
      const b = sparseEncode(p.X, p.D, { alpha, algorithm, tol: 1e-10, maxIter: 100_000, gram });
      for (let i = 0; i < p.X.rows; i++) expect(Math.abs(a.objective[i] - b.objective[i])).toBeLessThanOrEqual(2e-10 * x2[i]);
    }
  });

  it('keeps wasm memory flat across repeated calls and releases everything', () => {
    const big = problem(12, 600, 64, 16);
    sparseEncode(big.X, big.D, { alpha: 0.1, algorithm: 'fista' });
    const pages = wasmMemory().buffer.byteLength;
    for (let rep = 0; rep < 5; rep++) {
      for (const algorithm of ALGORITHMS) sparseEncode(big.X, big.D, { alpha: 0.1, algorithm, maxIter: 50 });
      expect(bytesInUse()).toBe(0);
    }
    expect(wasmMemory().buffer.byteLength).toBe(pages);
  });
});

describe('SparseCoder: JSON', () => {
  it('round-trips the dictionary and encoder settings exactly', async () => {
    const { SparseCoder } = await import('../../src/index.js');
    const coder = new SparseCoder({ dictionary: [[1, 0], [0.6, 0.8], [0, 1]], transformAlpha: 0.1, transformAlgorithm: 'fista', positiveCode: true, transformTol: 1e-8 });
    const json = JSON.parse(JSON.stringify(coder.toJSON()));
    expect(json).toMatchObject({ kind: 'SparseCoder', transformAlgorithm: 'fista', transformAlpha: 0.1, positiveCode: true, transformTol: 1e-8 });
    const back = SparseCoder.fromJSON(json);
    const X = [[1, 0.1], [0.3, 0.9], [-1, 2]];
    expect(Array.from(back.transform(X).data)).toEqual(Array.from(coder.transform(X).data));
    expect(() => SparseCoder.fromJSON({ kind: 'x' } as never)).toThrow(/SparseCoder.toJSON/);
  });
});
