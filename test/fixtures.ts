// Loading the scikit-learn fixtures committed under test/fixtures (made by scripts/fixtures/*.py).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export interface Arr {
  shape: number[];
  data: number[];
}

export function loadFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A fixture array as a row-major matrix (1-D arrays become one column). */
export function mat(a: Arr): { data: Float64Array; rows: number; cols: number } {
  const rows = a.shape[0];
  const cols = a.shape.length === 1 ? 1 : a.shape.slice(1).reduce((p, q) => p * q, 1);
  return { data: Float64Array.from(a.data), rows, cols };
}

/**
 * Expects got ≈ want to `rtol` relative, element-wise, where "relative" is to max(|want_i|,
 * floor·max|want|): entries that are tiny next to the array's scale are held to the array's scale.
 */
export function expectRel(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, what: string, floor = 1e-6): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let maxAbs = 0;
  for (let i = 0; i < want.length; i++) maxAbs = Math.max(maxAbs, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    const scale = Math.max(Math.abs(want[i]), floor * maxAbs, Number.MIN_VALUE);
    const err = Math.abs(got[i] - want[i]) / scale;
    if (!(err <= rtol)) expect.fail(`${what}[${i}]: got ${got[i]}, expected ${want[i]} (relative error ${err.toExponential(2)} > ${rtol})`);
  }
}
