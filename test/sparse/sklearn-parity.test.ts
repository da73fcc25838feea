import { describe, expect, it } from 'vitest';
import { sparseEncode, type Algorithm } from '../../src/index.js';
import { loadFixture } from '../fixtures.js';
// @ts-expect-error plain-JS module without types
import { problem as generate } from '../../scripts/fixtures/sparse_problem.mjs';

interface Arr { shape: number[]; data: number[] }
interface Case {
  name: string;
  alpha: number;
  positive: boolean;
  lasso_alpha: number;
  objective: Arr;
  mean_objective: number;
  lasso_objective: Arr;
  support: { indptr: Arr; indices: Arr };
  small_entries: { rows: Arr; cols: Arr };
  codes_first: { indices: Arr; values: Arr }[];
}
const fx = loadFixture<{ problem: Record<string, number>; checksums: Record<string, Arr | number>; cases: Case[] }>('sparse.json');
const { n: N, atoms: A, features: F } = fx.problem;
const gen = generate(fx.problem) as { X: Float64Array; D: Float64Array };
const X = { data: gen.X, rows: N, cols: F };
const D = { data: gen.D, rows: A, cols: F };

describe('sparseEncode against scikit-learn 1.2.1 sparse_encode(algorithm="lasso_cd")', () => {
  it('regenerates the fixture problem bit for bit (no data stored in the fixture)', () => {
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    expect(Array.from(gen.X.subarray(0, 5))).toEqual((fx.checksums.X_first as Arr).data);
    expect(Array.from(gen.D.subarray(0, 5))).toEqual((fx.checksums.D_first as Arr).data);
    expect(sum(gen.X)).toBe(fx.checksums.X_sum);
    expect(sum(gen.D)).toBe(fx.checksums.D_sum);
  });

  for (const c of fx.cases) {
    describe(`${c.name} (α = ${c.alpha}, ${(100 * (c.support.indices.data.length / N / A)).toFixed(1)}% non-zeros)`, () => {
      it('uses the same α: scikit-learn passes α / nFeatures to Lasso, whose loss is divided by nFeatures', () => {
        // sparse_encode(alpha=α) → Lasso(alpha=α/F) minimising (1/2F)‖x − hD‖² + (α/F)‖h‖₁ = (1/F)·ours.
        expect(c.lasso_alpha).toBe(c.alpha / F);
        const ours = sparseEncode(X, D, { alpha: c.alpha, positive: c.positive, tol: 1e-12 });
        for (let i = 0; i < N; i++) expect(ours.objective[i] / F).toBeCloseTo(c.lasso_objective.data[i], 9);
      });

      for (const algorithm of ['cd', 'fista'] as Algorithm[]) {
        it(`${algorithm}: the mean objective equals scikit-learn's to 1e-6 relative, per signal too, and the supports agree`, () => {
          // FISTA's gap falls more slowly: 1e-10 already puts the objectives 1e-9 apart.
          const r = sparseEncode(X, D, { alpha: c.alpha, positive: c.positive, algorithm, tol: algorithm === 'cd' ? 1e-12 : 1e-10, maxIter: 20_000 });
          expect(r.converged).toBe(true);
          const mean = r.objective.reduce((s, v) => s + v, 0) / N;
          expect(Math.abs(mean - c.mean_objective)).toBeLessThanOrEqual(1e-6 * c.mean_objective);
          for (let i = 0; i < N; i++) expect(Math.abs(r.objective[i] - c.objective.data[i])).toBeLessThanOrEqual(1e-6 * c.objective.data[i]);
          const small = new Set(c.small_entries.rows.data.map((row, j) => row * A + c.small_entries.cols.data[j]));
          let mismatches = 0;
          for (let i = 0; i < N; i++) {
            const theirs = new Set(c.support.indices.data.slice(c.support.indptr.data[i], c.support.indptr.data[i + 1]));
            for (let a = 0; a < A; a++) {
              if (small.has(i * A + a)) continue; // entries below 1e-7 of the row's largest: borderline
              if ((r.codes.data[i * A + a] !== 0) !== theirs.has(a)) mismatches++;
            }
          }
          expect(mismatches).toBe(0);
          for (let i = 0; i < c.codes_first.length; i++) {
            const { indices, values } = c.codes_first[i];
            indices.data.forEach((a, j) => expect(Math.abs(r.codes.data[i * A + a] - values.data[j])).toBeLessThan(1e-6 * Math.max(1, Math.abs(values.data[j]))));
          }
        });
      }

      it('ista reaches the same per-signal objectives (first 50 signals)', () => {
        const X50 = { data: gen.X.subarray(0, 50 * F), rows: 50, cols: F };
        const r = sparseEncode(X50, D, { alpha: c.alpha, positive: c.positive, algorithm: 'ista', tol: 1e-10, maxIter: 100_000 });
        for (let i = 0; i < 50; i++) expect(Math.abs(r.objective[i] - c.objective.data[i])).toBeLessThanOrEqual(1e-6 * c.objective.data[i]);
      });
    });
  }
});
