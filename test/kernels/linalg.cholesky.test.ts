import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, eps, expectClose, randomArray } from '../helpers.js';
import { DTYPES, abs, randomSpd, zerosOf } from './linalg-util.js';

/** The kernel's Cholesky factor of a (copied), and its return code. */
function choleskyOf(a: FloatArray, n: number, dtype: DType): { l: FloatArray; info: number } {
  return withWorkspace((ws) => {
    const pa = ws.copyIn(a, dtype);
    const info = typed('cholesky', dtype)(pa.ptr, n);
    return { l: pa.read(), info };
  });
}

/** L·Lᵀ and |L|·|L|ᵀ, in f64. */
function gram(l: FloatArray, n: number): { llt: Float64Array; scale: Float64Array } {
  const l64 = Float64Array.from(l);
  const llt = new Float64Array(n * n);
  ref.gemmNT(l64, l64, llt, n, n, n, 0);
  const al = abs(l64);
  const scale = new Float64Array(n * n);
  ref.gemmNT(al, al, scale, n, n, n, 0);
  return { llt, scale };
}

/** An SPD matrix of each awkward size with its kernel Cholesky factor. */
function factors(dtype: DType, seed: number): Array<{ n: number; a: FloatArray; l: FloatArray }> {
  const rng = new Random(seed);
  return AWKWARD_SIZES.map((n) => {
    const a = randomSpd(rng, n, dtype);
    const { l, info } = choleskyOf(a, n, dtype);
    expect(info).toBe(0);
    return { n, a, l };
  });
}

describe('cholesky', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} factors random SPD matrices of awkward sizes: L·Lᵀ = A, L lower with a positive diagonal, upper 0`, () => {
      for (const { n, a, l } of factors(dtype, 1)) {
        const { llt, scale } = gram(l, n);
        // Backward stability of Cholesky: |L·Lᵀ − A| ≤ (n + 1)·eps·|L|·|L|ᵀ.
        expectClose(llt, a, (n + 2) * eps(dtype), 0, scale);
        for (let i = 0; i < n; i++) {
          expect(l[i * n + i]).toBeGreaterThan(0);
          for (let j = i + 1; j < n; j++) if (l[i * n + j] !== 0) expect.fail(`L[${i}][${j}] = ${l[i * n + j]}, expected 0`);
        }
      }
    });

    it(`${dtype} agrees with the twin and reads only the lower triangle`, () => {
      const rng = new Random(2);
      for (const n of AWKWARD_SIZES) {
        const a = randomSpd(rng, n, dtype);
        const want = a.slice();
        expect(ref.cholesky(want, n)).toBe(0);
        const garbage = a.slice();
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) garbage[i * n + j] = NaN;
        const { l, info } = choleskyOf(garbage, n, dtype);
        expect(info).toBe(0);
        // A's eigenvalues lie in about [n, 5n] (condition ≤ 5), so the factors agree to a few
        // n·eps of L's largest entries, √(2n) or less.
        expectClose(l, want, 4 * n * eps(dtype), 0, Array.from(want, () => Math.sqrt(2 * n)));
      }
    });

    it(`${dtype} returns j + 1 for the first non-positive pivot j`, () => {
      const rng = new Random(3);
      for (const n of [1, 2, 7, 17, 65]) {
        for (const j of new Set([0, n >> 1, n - 1])) {
          const a = randomSpd(rng, n, dtype);
          a[j * n + j] = -1; // the leading minors before j stay positive; pivot j becomes −1 − ‖L_j‖² < 0
          expect(choleskyOf(a, n, dtype).info).toBe(j + 1);
          expect(ref.cholesky(a.slice(), n)).toBe(j + 1);
        }
      }
      // Positive semi-definite but singular: pivot 1 is exactly 0.
      expect(choleskyOf(new Float64Array([1, 1, 1, 1]), 2, dtype).info).toBe(2);
      expect(choleskyOf(new Float64Array(9), 3, dtype).info).toBe(1);
    });

    it(`${dtype} returns non-zero (the row of the first bad value, + 1) for a matrix holding NaN or ∞`, () => {
      const rng = new Random(4);
      const n = 17;
      for (const [i, j, v] of [[5, 2, NaN], [9, 9, NaN], [16, 0, NaN], [3, 3, Infinity], [12, 4, Infinity], [8, 1, -Infinity]] as const) {
        const a = randomSpd(rng, n, dtype);
        a[i * n + j] = v;
        a[j * n + i] = v;
        expect(choleskyOf(a, n, dtype).info).toBe(i + 1);
      }
    });

    it(`${dtype} accepts n = 0`, () => {
      expect(choleskyOf(new Float64Array(0), 0, dtype).info).toBe(0);
    });
  }
});

type Solve = 'trsvLower' | 'trsvLowerT' | 'trsvUpper';

/** The system matrix that each solve applies: L, Lᵀ or U = Lᵀ (as a row-major f64 matrix). */
function systemMatrix(solve: Solve, l: FloatArray, n: number): Float64Array {
  const l64 = Float64Array.from(l);
  if (solve === 'trsvLower') return l64;
  const t = new Float64Array(n * n);
  ref.transpose(l64, t, n, n);
  return t;
}

describe('trsvLower, trsvLowerT, trsvUpper', () => {
  for (const solve of ['trsvLower', 'trsvLowerT', 'trsvUpper'] as const) {
    for (const dtype of DTYPES) {
      it(`${solve} ${dtype} solves in place with a small residual, for awkward n, like the twin`, () => {
        const rng = new Random(5);
        for (const { n, l } of factors(dtype, 6)) {
          // trsvUpper gets U = Lᵀ as a row-major upper triangle.
          const t = solve === 'trsvUpper' ? zerosOf(dtype, n * n) : l;
          if (solve === 'trsvUpper') ref.transpose(l, t, n, n);
          const b = randomArray(rng, n, dtype);
          const x = withWorkspace((ws) => {
            const pb = ws.copyIn(b);
            typed(solve, dtype)(ws.copyIn(t).ptr, pb.ptr, n);
            return pb.read();
          });
          // Backward stability: |M·x − b| ≤ (n + 1)·eps·|M|·|x|, M the triangular system matrix.
          const m = systemMatrix(solve, l, n);
          const residual = Float64Array.from(b, (v) => -v);
          ref.gemv(m, Float64Array.from(x), residual, n, n, 1);
          const scale = new Float64Array(n);
          ref.gemv(abs(m), abs(x), scale, n, n, 0);
          expectClose(residual, new Float64Array(n), (n + 2) * eps(dtype), 0, scale);
          const want = b.slice();
          ref[solve](t, want, n);
          expectClose(x, want, 8 * n * eps(dtype), 0, Array.from(want, (v) => Math.abs(v) + 1));
        }
      });
    }
  }
});

describe('triInvLower', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} gives L⁻¹ with L·L⁻¹ = I, lower triangular with the upper part exactly 0, like the twin`, () => {
      for (const { n, l } of factors(dtype, 7)) {
        const inv = withWorkspace((ws) => {
          const out = ws.alloc(dtype, n * n);
          out.view().fill(NaN);
          typed('triInvLower', dtype)(ws.copyIn(l).ptr, out.ptr, n);
          return out.read();
        });
        const l64 = Float64Array.from(l);
        const prod = new Float64Array(n * n);
        ref.gemmNN(l64, Float64Array.from(inv), prod, n, n, n, 0);
        const scale = new Float64Array(n * n);
        ref.gemmNN(abs(l64), abs(inv), scale, n, n, n, 0);
        const identity = new Float64Array(n * n);
        for (let i = 0; i < n; i++) identity[i * n + i] = 1;
        expectClose(prod, identity, (n + 2) * eps(dtype), 0, scale);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
          if (inv[i * n + j] !== 0) expect.fail(`L⁻¹[${i}][${j}] = ${inv[i * n + j]}, expected 0`);
        }
        const want = zerosOf(dtype, n * n);
        ref.triInvLower(l, want, n);
        expectClose(inv, want, 8 * n * eps(dtype), 0, Array.from(want, (v) => Math.abs(v) + 1 / n));
      }
    });
  }
});

describe('logDetChol', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} is 2·Σ log L_ii, like the twin and on a diagonal factor with a known answer`, () => {
      for (const { n, l } of factors(dtype, 8)) {
        const got = withWorkspace((ws) => typed('logDetChol', dtype)(ws.copyIn(l).ptr, n));
        const want = ref.logDetChol(l, n);
        // Both sum the same f64 logarithms of the same diagonal.
        expect(Math.abs(got - want)).toBeLessThanOrEqual(4 * n * eps('f64') * Math.abs(want));
      }
      // diag(e, e², e³): log det(L·Lᵀ) = 2·(1 + 2 + 3).
      const l = zerosOf(dtype, 9);
      [0, 4, 8].forEach((at, i) => (l[at] = Math.exp(i + 1)));
      const got = withWorkspace((ws) => typed('logDetChol', dtype)(ws.copyIn(l).ptr, 3));
      expect(got).toBeCloseTo(12, dtype === 'f32' ? 5 : 12);
    });
  }
});
