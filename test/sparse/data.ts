// Seeded sparse-coding problems for the tests: unit-norm normal dictionaries and signals made
// of a few atoms plus noise (the generator shared with the fixtures and benchmarks).
import type { Matrix } from '../../src/index.js';
// @ts-expect-error plain-JS module without types
import { problem as generate } from '../../scripts/fixtures/sparse_problem.mjs';

export interface Problem {
  X: Matrix<Float64Array>;
  D: Matrix<Float64Array>;
}

/** n signals of `features` values, each k of `atoms` unit-norm atoms plus noise. */
export function problem(seed: number, n: number, atoms: number, features: number, k = 3, noise = 0.1): Problem {
  const { X, D } = generate({ seed, n, atoms, features, k, noise }) as { X: Float64Array; D: Float64Array };
  return { X: { data: X, rows: n, cols: features }, D: { data: D, rows: atoms, cols: features } };
}

/** max_a |d_a·x| per signal. */
export function maxCorrelation(p: Problem): Float64Array {
  const { X, D } = p;
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    for (let a = 0; a < D.rows; a++) {
      let s = 0;
      for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j] * D.data[a * D.cols + j];
      out[i] = Math.max(out[i], Math.abs(s));
    }
  }
  return out;
}

/** ‖x_i‖² per row. */
export function rowNorms2(X: Matrix): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) out[i] += X.data[i * X.cols + j] ** 2;
  return out;
}

/** g = D(x − hD) for row i: the correlation of each atom with the residual. */
export function residualCorrelation(X: Matrix, D: Matrix, H: Matrix, i: number): Float64Array {
  const F = X.cols, A = D.rows;
  const r = new Float64Array(F);
  for (let j = 0; j < F; j++) {
    let s = X.data[i * F + j];
    for (let a = 0; a < A; a++) s -= H.data[i * A + a] * D.data[a * F + j];
    r[j] = s;
  }
  const g = new Float64Array(A);
  for (let a = 0; a < A; a++) for (let j = 0; j < F; j++) g[a] += D.data[a * F + j] * r[j];
  return g;
}

/** ½‖x_i − h_iD‖² + α‖h_i‖₁, computed directly. */
export function objectiveOf(X: Matrix, D: Matrix, H: Matrix, alpha: number, i: number): number {
  const F = X.cols, A = D.rows;
  let r2 = 0, l1 = 0;
  for (let j = 0; j < F; j++) {
    let s = X.data[i * F + j];
    for (let a = 0; a < A; a++) s -= H.data[i * A + a] * D.data[a * F + j];
    r2 += s * s;
  }
  for (let a = 0; a < A; a++) l1 += Math.abs(H.data[i * A + a]);
  return 0.5 * r2 + alpha * l1;
}

/** λ_max(DᵀD) by a long power iteration (test-side, independent of the library's). */
export function lambdaMax(D: Matrix): number {
  const F = D.cols;
  const m = new Float64Array(F * F);
  for (let a = 0; a < D.rows; a++) for (let i = 0; i < F; i++) for (let j = 0; j < F; j++) m[i * F + j] += D.data[a * F + i] * D.data[a * F + j];
  let v = new Float64Array(F).fill(1);
  let lambda = 0;
  for (let it = 0; it < 20000; it++) {
    const w = new Float64Array(F);
    for (let i = 0; i < F; i++) for (let j = 0; j < F; j++) w[i] += m[i * F + j] * v[j];
    let n = 0, vw = 0, vv = 0;
    for (let i = 0; i < F; i++) { n += w[i] * w[i]; vw += v[i] * w[i]; vv += v[i] * v[i]; }
    lambda = vw / vv;
    v = w.map((x) => x / Math.sqrt(n));
  }
  return lambda;
}
