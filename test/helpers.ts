// Shared test utilities: seeded inputs of awkward sizes and magnitudes, and closeness checks.
import { expect } from 'vitest';
import { Random, type DType, type FloatArray } from '../src/index.js';

/** Sizes that hit every SIMD remainder path and block edge. */
export const AWKWARD_SIZES = [1, 2, 3, 7, 17, 63, 64, 65, 257];

export type Magnitude = 'normal' | 'zeros' | 'huge' | 'tiny' | 'mixed';
export const MAGNITUDES: Magnitude[] = ['normal', 'zeros', 'huge', 'tiny', 'mixed'];

/** A seeded array of n values in the given element type and magnitude class. */
export function randomArray(rng: Random, n: number, dtype: DType = 'f64', magnitude: Magnitude = 'normal'): FloatArray {
  const a = dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
  const big = dtype === 'f32' ? 1e15 : 1e150;
  const small = dtype === 'f32' ? 1e-15 : 1e-150;
  for (let i = 0; i < n; i++) {
    const g = rng.normal();
    switch (magnitude) {
      case 'zeros': a[i] = 0; break;
      case 'huge': a[i] = g * big; break;
      case 'tiny': a[i] = g * small; break;
      case 'mixed': a[i] = g * 10 ** (rng.int(13) - 6); break;
      default: a[i] = g;
    }
  }
  return a;
}

/**
 * Expects |a_i − b_i| ≤ atol + rtol·scale_i element-wise, reporting the first offending index.
 * `scale` defaults to |b_i|.
 */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol = 0, scale?: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const s = scale ? scale[i] : Math.abs(b[i]);
    const ok = a[i] === b[i] || Math.abs(a[i] - b[i]) <= atol + rtol * s;
    if (!ok) {
      expect.fail(`index ${i}: got ${a[i]}, expected ${b[i]} (|diff| ${Math.abs(a[i] - b[i])} > ${atol} + ${rtol}·${s})`);
    }
  }
}

/** Machine epsilon of an element type. */
export function eps(dtype: DType): number {
  return dtype === 'f32' ? 2 ** -23 : 2 ** -52;
}
