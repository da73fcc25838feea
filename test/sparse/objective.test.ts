import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, lassoObjective, sparseEncode } from '../../src/index.js';
import { objectiveOf, problem } from './data.js';

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
