// Shared by the linalg kernel tests: array constructors, element-wise |·|, SPD matrices.
import { Random, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { randomArray } from '../helpers.js';

export const DTYPES: DType[] = ['f64', 'f32'];

/** A zero array of n elements of the element type. */
export function zerosOf(dtype: DType, n: number): FloatArray {
  return dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
}

/** |a| element-wise, in f64 (NaN stays NaN). */
export function abs(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, Math.abs);
}

/** A well-conditioned symmetric positive definite n×n matrix: BᵀB + n·I with B normal. */
export function randomSpd(rng: Random, n: number, dtype: DType): FloatArray {
  const b = randomArray(rng, n * n, 'f64');
  const a = new Float64Array(n * n);
  ref.gemmTN(b, b, a, n, n, n, 0);
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return dtype === 'f32' ? Float32Array.from(a) : a;
}
