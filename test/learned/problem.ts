/** A synthetic sparse-coding problem: a known dictionary (unit-norm atoms) and sparse codes. */
import { Random } from '../../src/index.js';
import type { Matrix } from '../../src/index.js';

export interface Problem {
  D: Matrix<Float64Array>;
  X: Matrix<Float64Array>;
}

/** A dictionary of A random unit-norm atoms in F features, and N signals over it. */
export function sparseProblem(N: number, A: number, F: number, k: number, seed: number, noise = 0.01): Problem {
  const rng = new Random(seed);
  const D = new Float64Array(A * F);
  for (let a = 0; a < A; a++) {
    let s = 0;
    for (let f = 0; f < F; f++) s += (D[a * F + f] = rng.normal()) ** 2;
    for (let f = 0; f < F; f++) D[a * F + f] /= Math.sqrt(s);
  }
  const dict = { data: D, rows: A, cols: F };
  return { D: dict, X: signals(dict, N, k, seed + 1, noise) };
}

/** N signals x = hD + noise, each with k random atoms of standard normal weight. */
export function signals(D: Matrix<Float64Array>, N: number, k: number, seed: number, noise = 0.01): Matrix<Float64Array> {
  const rng = new Random(seed);
  const A = D.rows, F = D.cols;
  const X = new Float64Array(N * F);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < k; j++) {
      const a = rng.int(A);
      const h = rng.normal();
      for (let f = 0; f < F; f++) X[n * F + f] += h * D.data[a * F + f];
    }
    for (let f = 0; f < F; f++) X[n * F + f] += noise * rng.normal();
  }
  return { data: X, rows: N, cols: F };
}
