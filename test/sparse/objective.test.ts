import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, lassoObjective, sparseEncode } from '../../src/index.js';
import { objectiveOf, problem } from './data.js';
import { residualObjective } from '../../src/sparse/encode.js';
import { makeOps } from '../../src/sparse/ops.js';

describe('lassoObjective', () => {
  const p = problem(5, 30, 20, 12, 3, 0.1);
  const alpha = 0.2;

  it('is the mean of the per-signal objectives sparseEncode reports', () => {
    for (const algorithm of ['cd', 'ista'] as const) {
      const r = sparseEncode(p.X, p.D, { alpha, algorithm, maxIter: algorithm === 'ista' ? 5 : 1000, onWarning: () => {} });
      const mean = r.objective.reduce((s, v) => s + v, 0) / r.objective.length;
      expect(lassoObjective(p.X, p.D, r.codes, alpha)).toBeCloseTo(mean, 10);
    }
  });

  it('is the mean of ½‖x − hD‖² + α‖h‖₁ row by row for any codes', () => {
    const H = { data: Float64Array.from({ length: p.X.rows * p.D.rows }, (_, i) => Math.sin(i) * 0.3), rows: p.X.rows, cols: p.D.rows };
    let want = 0;
    for (let i = 0; i < p.X.rows; i++) want += objectiveOf(p.X, p.D, H, alpha, i);
    expect(lassoObjective(p.X, p.D, H, alpha)).toBeCloseTo(want / p.X.rows, 10);
  });

  it('refuses codes or a dictionary of the wrong shape, and a bad alpha, naming them', () => {
    const H = { data: new Float64Array(p.X.rows * p.D.rows), rows: p.X.rows, cols: p.D.rows };
    expect(() => lassoObjective(p.X, p.D, { ...H, rows: p.X.rows - 1, data: H.data.subarray(p.D.rows) }, alpha)).toThrow(ShapeError);
    expect(() => lassoObjective(p.X, { data: p.D.data.subarray(0, p.D.rows * 11), rows: p.D.rows, cols: 11 }, H, alpha)).toThrow(/dictionary must have 12 columns/);
    expect(() => lassoObjective(p.X, p.D, H, -1)).toThrow(ValueError);
    expect(() => lassoObjective(p.X, p.D, H, Number.NaN)).toThrow(/alpha/);
  });
});

describe('residualObjective: the wasm kernel and its twin', () => {
  // F = 64 makes blocks of 1024 rows: 2500 rows end in a short block.
  const N = 2500, F = 64, A = 40, alpha = 0.3;
  const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const r = rng(7);
  const X = Float64Array.from({ length: N * F }, r), D = Float64Array.from({ length: A * F }, r);
  const H = Float64Array.from({ length: N * A }, () => (r() > 0.3 ? r() : 0));

  it.each(['f64', 'f32'] as const)('agree row by row on %s data, across block boundaries', (dtype) => {
    const run = (engine: 'wasm' | 'reference') => {
      const ops = makeOps(engine, dtype);
      try {
        return residualObjective(ops, ops.from(X), ops.from(D), ops.from(H), N, F, A, alpha);
      } finally {
        ops.release();
      }
    };
    const wasm = run('wasm'), ref = run('reference');
    // The residual is an element-type GEMM (summed in another order by the SIMD kernel): f32 agrees to its own precision.
    const tol = dtype === 'f64' ? 1e-12 : 1e-5;
    for (let i = 0; i < N; i++) expect(Math.abs(wasm[i] - ref[i])).toBeLessThanOrEqual(tol * ref[i]);
    expect(wasm.every((v) => v > 0)).toBe(true);
  });
});
