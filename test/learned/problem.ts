/** A synthetic sparse-coding problem: a known dictionary (unit-norm atoms) and sparse codes. */
import { Random } from '../../src/index.js';
import type { Matrix } from '../../src/index.js';

export interface Problem {
  D: Matrix<Float64Array>;
  X: Matrix<Float64Array>;
}

/** N signals x = hD + noise over A unit-norm atoms in F features, k non-zeros per code. */
export function sparseProblem(N: number, A: number, F: number, k: number, seed: number, noise = 0.01): Problem {
  const rng = new Random(seed);
  const D = new Float64Array(A * F);
  for (let a = 0; a < A; a++) {
    let s = 0;
    for (let f = 0; f < F; f++) s += (D[a * F + f] = rng.normal()) ** 2;
    for (let f = 0; f < F; f++) D[a * F + f] /= Math.sqrt(s);
  }
  const X = new Float64Array(N * F);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < k; j++) {
      const a = rng.int(A);
      const h = rng.normal();
      for (let f = 0; f < F; f++) X[n * F + f] += h * D[a * F + f];
    }
    for (let f = 0; f < F; f++) X[n * F + f] += noise * rng.normal();
  }
  return { D: { data: D, rows: A, cols: F }, X: { data: X, rows: N, cols: F } };
}
