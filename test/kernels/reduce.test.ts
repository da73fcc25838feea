import { describe, expect, it } from 'vitest';
import { kernels, Random, typed, wasmMemory, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, MAGNITUDES, eps, randomArray } from '../helpers.js';

const DTYPES: DType[] = ['f64', 'f32'];
/** f64 accumulation: the error bound of a sum accumulated in f64, whatever the element type. */
const EPS_F64 = 2 ** -52;

/** rows × cols shapes that put every awkward size on each axis. */
const SHAPES: [number, number][] = [...AWKWARD_SIZES.map((c): [number, number] => [5, c]), ...AWKWARD_SIZES.map((r): [number, number] => [r, 7])];

function absSum(x: ArrayLike<number>, from: number, to: number, squares = false): number {
  let s = 0;
  for (let i = from; i < to; i++) s += squares ? x[i] * x[i] : Math.abs(x[i]);
  return s;
}

function zerosLike(dtype: DType, n: number): FloatArray {
  return dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
}

describe('sum and sumSquares', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} accumulate in f64 (error ≤ n·2^−52·Σ|x|) on ${magnitude} inputs of awkward sizes`, () => {
        const rng = new Random(21);
        for (const n of [0, ...AWKWARD_SIZES]) {
          const x = randomArray(rng, n, dtype, magnitude);
          withWorkspace((ws) => {
            const px = ws.copyIn(x);
            const s = typed('sum', dtype)(px.ptr, n);
            const ss = typed('sumSquares', dtype)(px.ptr, n);
            expect(Math.abs(s - ref.sum(x, n))).toBeLessThanOrEqual(n * EPS_F64 * absSum(x, 0, n));
            expect(Math.abs(ss - ref.sumSquares(x, n))).toBeLessThanOrEqual(n * EPS_F64 * absSum(x, 0, n, true));
          });
        }
      });
    }
    it(`sum ${dtype} of n = 0 is 0`, () => {
      expect(typed('sum', dtype)(0, 0)).toBe(0);
      expect(typed('sumSquares', dtype)(0, 0)).toBe(0);
    });
  }
});

describe('maxAbsF64', () => {
  it('gives the largest magnitude of every length exactly, as the twin; 0 when empty; NaN when one is NaN', () => {
    const rng = new Random(41);
    for (const n of [0, ...AWKWARD_SIZES]) {
      const x = randomArray(rng, n, 'f64') as Float64Array;
      // The largest magnitude at each place in turn (vector lanes and the scalar tail), of either sign.
      for (const at of n ? [0, n - 1, n >> 1] : [-1]) {
        const y = x.slice();
        if (at >= 0) y[at] = (at % 2 ? -1 : 1) * 1e9;
        const got = withWorkspace((ws) => kernels().maxAbsF64(ws.copyIn(y).ptr, n));
        expect(got).toBe(ref.maxAbs(y, n));
        expect(got).toBe(n ? Math.max(...Array.from(y, Math.abs)) : 0);
        if (n) {
          y[at] = NaN;
          expect(withWorkspace((ws) => kernels().maxAbsF64(ws.copyIn(y).ptr, n))).toBeNaN();
        }
      }
    }
  });
});

describe('row and column reductions', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`rowSums, rowSumSquares and colSums ${dtype} match their twins on ${magnitude} matrices of awkward shapes`, () => {
        const rng = new Random(22);
        for (const [rows, cols] of SHAPES) {
          const x = randomArray(rng, rows * cols, dtype, magnitude);
          const got = withWorkspace((ws) => {
            const px = ws.copyIn(x);
            const rs = ws.alloc(dtype, rows);
            const rq = ws.alloc(dtype, rows);
            const cs = ws.alloc(dtype, cols);
            typed('rowSums', dtype)(px.ptr, rs.ptr, rows, cols);
            typed('rowSumSquares', dtype)(px.ptr, rq.ptr, rows, cols);
            typed('colSums', dtype)(px.ptr, cs.ptr, rows, cols);
            return { rs: rs.read(), rq: rq.read(), cs: cs.read() };
          });
          const rs = new Float64Array(rows);
          const rq = new Float64Array(rows);
          const cs = new Float64Array(cols);
          ref.rowSums(x, rs, rows, cols);
          ref.rowSumSquares(x, rq, rows, cols);
          ref.colSums(x, cs, rows, cols);
          for (let r = 0; r < rows; r++) {
            // Accumulated in f64, rounded once to the element type.
            const o = r * cols;
            expect(Math.abs(got.rs[r] - rs[r])).toBeLessThanOrEqual(eps(dtype) * Math.abs(rs[r]) + cols * EPS_F64 * absSum(x, o, o + cols));
            expect(Math.abs(got.rq[r] - rq[r])).toBeLessThanOrEqual(eps(dtype) * rq[r] + cols * EPS_F64 * rq[r]);
          }
          // In f64 the twin's order (each column row after row) is the kernel's: the same bytes.
          if (dtype === 'f64') expect(got.cs).toEqual(cs);
          for (let j = 0; j < cols; j++) {
            // Accumulated across rows in the element type.
            let a = 0;
            for (let r = 0; r < rows; r++) a += Math.abs(x[r * cols + j]);
            expect(Math.abs(got.cs[j] - cs[j])).toBeLessThanOrEqual(rows * eps(dtype) * a);
          }
        }
      });

      it(`rowMax and rowArgmax ${dtype} equal their twins on ${magnitude} matrices of awkward shapes`, () => {
        const rng = new Random(23);
        for (const [rows, cols] of SHAPES) {
          const x = randomArray(rng, rows * cols, dtype, magnitude);
          const got = runMaxArgmax(dtype, x, rows, cols);
          const m = zerosLike(dtype, rows);
          const a = new Int32Array(rows);
          ref.rowMax(x, m, rows, cols);
          ref.rowArgmax(x, a, rows, cols);
          expect(got.max).toEqual(m);
          expect(got.argmax).toEqual(a);
        }
      });
    }

    it(`rowArgmax ${dtype} returns the first index of a tied maximum, including ties across SIMD lanes`, () => {
      const cols = 11;
      const x = zerosLike(dtype, 3 * cols).fill(-1);
      x[4] = 2; x[9] = 2; // row 0: tie at 4 and 9
      x[cols + 10] = 5; // row 1: the maximum in the scalar remainder
      x.fill(3, 2 * cols, 3 * cols); // row 2: all equal
      expect(Array.from(runMaxArgmax(dtype, x, 3, cols).argmax)).toEqual([4, 10, 0]);
    });

    it(`rowMax ${dtype} propagates NaN (and rowArgmax then gives −1); −Inf rows give −Inf at index 0`, () => {
      const x = dtype === 'f32' ? Float32Array.from([1, NaN, 3, -Infinity, -Infinity, -Infinity]) : Float64Array.from([1, NaN, 3, -Infinity, -Infinity, -Infinity]);
      const got = runMaxArgmax(dtype, x, 2, 3);
      expect(Array.from(got.max)).toEqual([NaN, -Infinity]);
      expect(Array.from(got.argmax)).toEqual([-1, 0]);
    });

    it(`rowMax ${dtype} finds a NaN at any position of a wide row, in the SIMD body and in the remainder`, () => {
      const cols = 19;
      for (let at = 0; at < cols; at++) {
        const x = randomArray(new Random(at), 2 * cols, dtype);
        x[at] = NaN;
        const got = runMaxArgmax(dtype, x, 2, cols);
        expect(Number.isNaN(got.max[0]), `NaN at ${at}`).toBe(true);
        expect(got.argmax[0]).toBe(-1);
        expect(Number.isNaN(got.max[1])).toBe(false);
      }
    });
  }
});

function runMaxArgmax(dtype: DType, x: FloatArray, rows: number, cols: number): { max: FloatArray; argmax: Int32Array } {
  return withWorkspace((ws) => {
    const px = ws.copyIn(x);
    const m = ws.alloc(dtype, rows);
    const a = ws.f32(rows); // 4 bytes per row, read as Int32
    typed('rowMax', dtype)(px.ptr, m.ptr, rows, cols);
    typed('rowArgmax', dtype)(px.ptr, a.ptr, rows, cols);
    return { max: m.read(), argmax: new Int32Array(wasmMemory().buffer, a.ptr, rows).slice() };
  });
}

describe('addRowVector and mulCols', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} equal their twins exactly (one rounding per element) on ${magnitude} matrices of awkward shapes`, () => {
        const rng = new Random(24);
        for (const [rows, cols] of SHAPES) {
          const x = randomArray(rng, rows * cols, dtype, magnitude);
          const v = randomArray(rng, cols, dtype, 'normal');
          const got = withWorkspace((ws) => {
            const pa = ws.copyIn(x);
            const pm = ws.copyIn(x);
            const pv = ws.copyIn(v);
            typed('addRowVector', dtype)(pa.ptr, pv.ptr, rows, cols);
            typed('mulCols', dtype)(pm.ptr, pv.ptr, rows, cols);
            return { add: pa.read(), mul: pm.read() };
          });
          const add = x.slice();
          const mul = x.slice();
          ref.addRowVector(add, v, rows, cols);
          ref.mulCols(mul, v, rows, cols);
          expect(got.add).toEqual(add);
          expect(got.mul).toEqual(mul);
        }
      });
    }
  }
});
