// Mean-field sweep kernels against their TypeScript twins (src/reference/meanfield.ts).
import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, MAGNITUDES, eps, expectClose, randomArray, type Magnitude } from '../helpers.js';

const DTYPES: DType[] = ['f64', 'f32'];
/** Rows per case: one signal, an odd handful. */
const ROWS = [1, 3];

function array(dtype: DType, values: ArrayLike<number>): FloatArray {
  return dtype === 'f32' ? Float32Array.from(values) : Float64Array.from(values);
}

/** A symmetric n × n coupling with a zero diagonal and entries of size ~1/√n. */
function coupling(rng: Random, n: number, dtype: DType): FloatArray {
  const J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) J[i * n + j] = J[j * n + i] = rng.normal() / Math.sqrt(n);
  }
  return array(dtype, J);
}

interface Case { a: FloatArray; J: FloatArray; h: FloatArray; rows: number; n: number; dtype: DType }

function makeCase(rng: Random, rows: number, n: number, dtype: DType, magnitude: Magnitude): Case {
  const a = randomArray(rng, rows * n, dtype, magnitude);
  const h = array(dtype, Array.from({ length: rows * n }, () => rng.random()));
  return { a, J: coupling(rng, n, dtype), h, rows, n, dtype };
}

/** Absolute tolerance on a field value: a few roundings per term of a + Σ_j h_j J_ji, per sweep. */
function fieldTol(c: Case): number {
  let amax = 0;
  for (const v of c.a) amax = Math.max(amax, Math.abs(v));
  return 8 * c.n * eps(c.dtype) * (amax + c.n);
}

/** Field = a + hJ computed by the wasm kernel. */
function wasmField(c: Case, h: FloatArray): FloatArray {
  return withWorkspace((ws) => {
    const pa = ws.copyIn(c.a), pJ = ws.copyIn(c.J), ph = ws.copyIn(h), pf = ws.alloc(c.dtype, c.rows * c.n);
    typed('meanFieldField', c.dtype)(pa.ptr, pJ.ptr, ph.ptr, pf.ptr, c.rows, c.n);
    return pf.read();
  });
}

function twinField(c: Case, h: FloatArray): FloatArray {
  const f = array(c.dtype, new Float64Array(c.rows * c.n));
  ref.meanFieldField(c.a, c.J, h, f, c.rows, c.n);
  return f;
}

function forEachCase(seed: number, fn: (c: Case) => void, magnitude: Magnitude, dtype: DType): void {
  const rng = new Random(seed);
  for (const n of AWKWARD_SIZES) for (const rows of ROWS) fn(makeCase(rng, rows, n, dtype, magnitude));
}

describe('meanFieldField', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} computes a + ĤJ like its twin on ${magnitude} biases of awkward sizes`, () => {
        forEachCase(1, (c) => expectClose(wasmField(c, c.h), twinField(c, c.h), 0, fieldTol(c)), magnitude, dtype);
      });
    }
  }
});

describe('meanFieldSequential', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      for (const damping of [1, 0.6]) {
        it(`${dtype} sweep (damping ${damping}) matches its twin on ${magnitude} biases, blocked and row-by-row rows`, () => {
          const rng = new Random(2);
          // 16 and 17 rows: whole blocks (8 f64 or 16 f32 rows) and a remainder row.
          for (const n of AWKWARD_SIZES) for (const rows of [1, 3, 16, 17]) {
            const c = makeCase(rng, rows, n, dtype, magnitude);
            const [hw, dw] = withWorkspace((ws) => {
              const pa = ws.copyIn(c.a), pJ = ws.copyIn(c.J), ph = ws.copyIn(c.h);
              const d = typed('meanFieldSequential', dtype)(pa.ptr, pJ.ptr, ph.ptr, c.rows, c.n, damping);
              return [ph.read(), d] as const;
            });
            const ht = array(dtype, c.h);
            const dt = ref.meanFieldSequential(c.a, c.J, ht, c.rows, c.n, damping);
            const tol = fieldTol(c);
            expectClose(hw, ht, 0, tol);
            expect(Math.abs(dw - dt)).toBeLessThanOrEqual(tol);
          }
        });
      }
    }
  }
});

describe('meanFieldSequential beyond the block panel', () => {
  it('takes the row-by-row path when n · blockRows does not fit the 64 KiB panel (f64 n = 1100), matching the twin', () => {
    const c = makeCase(new Random(15), 9, 1100, 'f64', 'normal');
    const hw = withWorkspace((ws) => {
      const pa = ws.copyIn(c.a), pJ = ws.copyIn(c.J), ph = ws.copyIn(c.h);
      typed('meanFieldSequential', 'f64')(pa.ptr, pJ.ptr, ph.ptr, c.rows, c.n, 1);
      return ph.read();
    });
    const ht = array('f64', c.h);
    ref.meanFieldSequential(c.a, c.J, ht, c.rows, c.n, 1);
    expectClose(hw, ht, 0, fieldTol(c));
  });
});

describe('meanFieldParallel', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} damped sweep matches its twin on ${magnitude} biases of awkward sizes`, () => {
        forEachCase(3, (c) => {
          const damping = 0.7;
          const [hw, dw] = withWorkspace((ws) => {
            const pa = ws.copyIn(c.a), pJ = ws.copyIn(c.J), ph = ws.copyIn(c.h), pf = ws.alloc(dtype, c.rows * c.n);
            const d = typed('meanFieldParallel', dtype)(pa.ptr, pJ.ptr, ph.ptr, pf.ptr, c.rows, c.n, damping);
            return [ph.read(), d] as const;
          });
          const ht = array(dtype, c.h), ft = array(dtype, new Float64Array(c.rows * c.n));
          const dt = ref.meanFieldParallel(c.a, c.J, ht, ft, c.rows, c.n, damping);
          expectClose(hw, ht, 0, fieldTol(c));
          expect(Math.abs(dw - dt)).toBeLessThanOrEqual(fieldTol(c));
        }, magnitude, dtype);
      });
    }
  }
});

describe('meanFieldBound', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} matches its twin on ${magnitude} biases of awkward sizes`, () => {
        forEachCase(4, (c) => {
          const f = twinField(c, c.h);
          const got = withWorkspace((ws) => {
            const pa = ws.copyIn(c.a), pf = ws.copyIn(f), ph = ws.copyIn(c.h), po = ws.f64(c.rows);
            typed('meanFieldBound', dtype)(pa.ptr, pf.ptr, ph.ptr, po.ptr, c.rows, c.n);
            return po.read();
          });
          const want = new Float64Array(c.rows);
          ref.meanFieldBound(c.a, f, c.h, want, c.rows, c.n);
          expectClose(got, want, 0, fieldTol(c) * c.n);
        }, magnitude, dtype);
      });
    }
  }
  it('is Σ_i a_i ĥ_i + Σ_i H(ĥ_i) when J = 0 (known value)', () => {
    const a = Float64Array.of(1, -2, 0.5), h = Float64Array.of(0.25, 0.5, 1);
    const H = (p: number) => (p === 0 || p === 1 ? 0 : -p * Math.log(p) - (1 - p) * Math.log(1 - p));
    const got = withWorkspace((ws) => {
      const pa = ws.copyIn(a), ph = ws.copyIn(h), po = ws.f64(1);
      typed('meanFieldBound', 'f64')(pa.ptr, pa.ptr, ph.ptr, po.ptr, 1, 3); // field = a when J = 0
      return po.read()[0];
    });
    expect(got).toBeCloseTo(0.25 - 1 + 0.5 + H(0.25) + H(0.5), 14);
  });
});

describe('meanFieldSequential fixed point', () => {
  it('reaches ĥ = σ(a) in one sweep when J = 0 and then reports no change', () => {
    const n = 17;
    const a = randomArray(new Random(5), n);
    const out = withWorkspace((ws) => {
      const pa = ws.copyIn(a), pJ = ws.f64(n * n).set(new Float64Array(n * n)), ph = ws.f64(n).set(new Float64Array(n).fill(0.5));
      const k = typed('meanFieldSequential', 'f64');
      k(pa.ptr, pJ.ptr, ph.ptr, 1, n, 1);
      const second = k(pa.ptr, pJ.ptr, ph.ptr, 1, n, 1);
      return { h: ph.read(), second };
    });
    expectClose(out.h, a.map((v) => 1 / (1 + Math.exp(-v))), 4 * eps('f64'));
    expect(out.second).toBe(0);
  });
});

describe('isingCheckerboard', () => {
  const GRIDS: [number, number][] = [[1, 1], [1, 2], [2, 3], [3, 7], [7, 17], [17, 2], [5, 63], [4, 64], [3, 65], [2, 257]];
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} half-sweeps match the twin on ${magnitude} biases over awkward grids`, () => {
        const rng = new Random(6);
        for (const [height, width] of GRIDS) {
          const a = randomArray(rng, height * width, dtype, magnitude);
          const m0 = array(dtype, Array.from({ length: height * width }, () => rng.random()));
          for (const colour of [0, 1]) {
            for (const damping of [1, 0.5]) {
              const w = 0.8;
              const [mw, dw] = withWorkspace((ws) => {
                const pa = ws.copyIn(a), pm = ws.copyIn(m0);
                const d = typed('isingCheckerboard', dtype)(pa.ptr, pm.ptr, height, width, w, damping, colour);
                return [pm.read(), d] as const;
              });
              const mt = array(dtype, m0);
              const dt = ref.isingCheckerboard(a, mt, height, width, w, damping, colour);
              let amax = 0;
              for (const v of a) amax = Math.max(amax, Math.abs(v));
              const tol = 16 * eps(dtype) * (1 + amax);
              expectClose(mw, mt, 0, tol);
              expect(Math.abs(dw - dt)).toBeLessThanOrEqual(tol);
              // Sites of the other colour are untouched, bit for bit.
              for (let i = 0; i < height; i++) {
                for (let j = 0; j < width; j++) if (((i + j) & 1) !== colour) expect(mw[i * width + j]).toBe(m0[i * width + j]);
              }
            }
          }
        }
      });
    }
  }
});
