import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, MAGNITUDES, eps, randomArray, type Magnitude } from '../helpers.js';
import { maxUlpError, ulp } from './ulp.js';

const DTYPES: DType[] = ['f64', 'f32'];

type MapName = 'exp' | 'log' | 'sigmoid' | 'softplus' | 'logSigmoid' | 'entropyBernoulli';

function array(dtype: DType, values: ArrayLike<number>): FloatArray {
  return dtype === 'f32' ? Float32Array.from(values) : Float64Array.from(values);
}

/** Runs an element-wise kernel on x (in place when asked) and returns y. */
function runMap(name: MapName, dtype: DType, x: FloatArray, inPlace = false): FloatArray {
  return withWorkspace((ws) => {
    const px = ws.copyIn(x, dtype);
    const py = inPlace ? px : ws.alloc(dtype, x.length);
    typed(name, dtype)(px.ptr, py.ptr, x.length);
    return py.read();
  });
}

/** The twin's answer in the kernel's element type. */
function twinMap(name: MapName, dtype: DType, x: FloatArray): FloatArray {
  const y = array(dtype, new Float64Array(x.length));
  ref[name](x, y, x.length);
  return y;
}

/** Each function's inputs drawn from a magnitude class, mapped into its domain. */
const DOMAIN: Record<MapName, (v: number) => number> = {
  exp: (v) => v,
  log: (v) => Math.abs(v),
  sigmoid: (v) => v,
  softplus: (v) => v,
  logSigmoid: (v) => v,
  entropyBernoulli: (v) => Math.abs(v) / (1 + Math.abs(v)),
};

/**
 * Largest error allowed against the twin, in ulps of the twin's answer. exp and log: the
 * accuracy target (2 ulp from Math.exp / Math.log). The composite functions add one or two
 * roundings on each side (the twin is not exact either).
 */
const ULPS: Record<MapName, number> = { exp: 2, log: 2, sigmoid: 4, softplus: 4, logSigmoid: 4, entropyBernoulli: 4 };

describe('element-wise special functions', () => {
  for (const name of Object.keys(DOMAIN) as MapName[]) {
    for (const dtype of DTYPES) {
      for (const magnitude of MAGNITUDES) {
        it(`${name} ${dtype} is within ${ULPS[name]} ulp of its twin on ${magnitude} inputs of awkward sizes`, () => {
          const rng = new Random(7);
          for (const n of AWKWARD_SIZES) {
            const x = array(dtype, randomArray(rng, n, dtype, magnitude).map(DOMAIN[name]));
            const { ulps, at } = maxUlpError(runMap(name, dtype, x), twinMap(name, dtype, x), dtype, x);
            expect(ulps, `n = ${n}, worst at x = ${at}`).toBeLessThanOrEqual(ULPS[name]);
          }
        });
      }
      it(`${name} ${dtype} runs in place (y = x) with the same result`, () => {
        const x = array(dtype, randomArray(new Random(3), 65, dtype).map(DOMAIN[name]));
        expect(runMap(name, dtype, x, true)).toEqual(runMap(name, dtype, x));
      });
    }
  }
});

/** n points evenly spread over [a, b], in the element type. */
function sweep(dtype: DType, a: number, b: number, n: number): FloatArray {
  return array(dtype, Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1)));
}

/** n points 2^u·(1 + f) with u evenly spread over [a, b] and a scrambled mantissa f. */
function logSweep(dtype: DType, a: number, b: number, n: number): FloatArray {
  return array(dtype, Array.from({ length: n }, (_, i) => 2 ** (a + ((b - a) * i) / (n - 1)) * (1 + ((i * 7919) % 1000) / 1000)));
}

const SWEEP_POINTS = 200_000;
const rounded = (dtype: DType, f: (v: number) => number) => (dtype === 'f32' ? (v: number) => Math.fround(f(v)) : f);

describe('exp and log accuracy', () => {
  // The whole range where the result is neither 0 nor ∞ (and a little beyond), subnormal results included.
  const EXP_RANGE: Record<DType, [number, number]> = { f64: [-745.2, 709.8], f32: [-104, 88.8] };
  // From the smallest subnormal to the largest finite number.
  const LOG_RANGE: Record<DType, [number, number]> = { f64: [-1074, 1023], f32: [-149, 127] };

  for (const dtype of DTYPES) {
    it(`exp ${dtype} is within 2 ulp of ${dtype === 'f32' ? 'fround(Math.exp)' : 'Math.exp'} over a ${SWEEP_POINTS}-point sweep of its range`, () => {
      const x = sweep(dtype, ...EXP_RANGE[dtype], SWEEP_POINTS);
      const want = array(dtype, Array.from(x, rounded(dtype, Math.exp)));
      const { ulps, at } = maxUlpError(runMap('exp', dtype, x), want, dtype, x);
      expect(ulps, `worst at x = ${at}`).toBeLessThanOrEqual(2);
    });

    it(`log ${dtype} is within 2 ulp of ${dtype === 'f32' ? 'fround(Math.log)' : 'Math.log'} over a ${SWEEP_POINTS}-point sweep of all binades, subnormals included`, () => {
      const x = logSweep(dtype, ...LOG_RANGE[dtype], SWEEP_POINTS);
      const want = array(dtype, Array.from(x, rounded(dtype, Math.log)));
      const { ulps, at } = maxUlpError(runMap('log', dtype, x), want, dtype, x);
      expect(ulps, `worst at x = ${at}`).toBeLessThanOrEqual(2);
    });

    it(`log ${dtype} is within 2 ulp near 1, where log x ≈ x − 1 is small`, () => {
      const x = sweep(dtype, 0.5, 2, SWEEP_POINTS / 4);
      const want = array(dtype, Array.from(x, rounded(dtype, Math.log)));
      expect(maxUlpError(runMap('log', dtype, x), want, dtype, x).ulps).toBeLessThanOrEqual(2);
    });
  }

  const EXP_SPECIAL: Record<DType, number[]> = {
    // 709.78 is the last finite result, 709.79 overflows; −745.13 rounds to 2^−1074, −745.14 to 0;
    // −708.39 is at the normal/subnormal boundary; subnormal and huge arguments.
    f64: [0, -0, Infinity, -Infinity, NaN, 709.78, 709.79, 1e300, -745.13, -745.14, -1e300, -708.39, -708.4, -720, 5e-324, 2.2250738585072014e-308],
    f32: [0, -0, Infinity, -Infinity, NaN, 88.72, 88.73, 1e30, -103.97, -103.98, -1e30, -87.33, -87.34, -95, 1e-45, 1.1754943508222875e-38],
  };
  const LOG_SPECIAL: Record<DType, number[]> = {
    f64: [0, -0, Infinity, -Infinity, NaN, -1, -5e-324, 1, 2, 0.5, 5e-324, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308],
    f32: [0, -0, Infinity, -Infinity, NaN, -1, -1e-45, 1, 2, 0.5, 1e-45, 1e-40, 1.1754943508222875e-38, 3.4028234663852886e38],
  };

  for (const dtype of DTYPES) {
    it(`exp ${dtype} is exact on 0, ±Inf, NaN and within 2 ulp at the overflow and underflow edges`, () => {
      const x = array(dtype, EXP_SPECIAL[dtype]);
      const y = runMap('exp', dtype, x);
      expect(Array.from(y.slice(0, 5))).toEqual([1, 1, Infinity, 0, NaN]);
      expect(maxUlpError(y, array(dtype, Array.from(x, rounded(dtype, Math.exp))), dtype, x).ulps).toBeLessThanOrEqual(2);
      expect(y[6]).toBe(Infinity);
      expect(y[7]).toBe(Infinity);
      expect(y[9]).toBe(0);
      expect(y[10]).toBe(0);
      expect(y[8]).toBeGreaterThan(0); // the smallest subnormal, not flushed
    });

    it(`log ${dtype} gives −Inf at ±0, NaN below 0, +Inf at +Inf, 0 at 1, and is within 2 ulp on subnormals`, () => {
      const x = array(dtype, LOG_SPECIAL[dtype]);
      const y = runMap('log', dtype, x);
      expect(Array.from(y.slice(0, 8))).toEqual([-Infinity, -Infinity, Infinity, NaN, NaN, NaN, NaN, 0]);
      expect(maxUlpError(y, array(dtype, Array.from(x, rounded(dtype, Math.log))), dtype, x).ulps).toBeLessThanOrEqual(2);
    });
  }
});

describe('sigmoid, softplus, log-sigmoid and Bernoulli entropy', () => {
  for (const dtype of DTYPES) {
    it(`sigmoid ${dtype} is exactly 0, ½ and 1 at −1000, 0 and 1000, and never NaN for finite x`, () => {
      expect(Array.from(runMap('sigmoid', dtype, array(dtype, [-1000, 0, 1000, -0])))).toEqual([0, 0.5, 1, 0.5]);
      const y = runMap('sigmoid', dtype, sweep(dtype, -3e38, 3e38, 1001));
      expect(y.every((v) => v >= 0 && v <= 1)).toBe(true);
    });

    it(`softplus ${dtype} is x at 1000, 0 at −1000, log 2 at 0, and log1p(e^x) to full precision for x ≪ 0`, () => {
      const x = array(dtype, [1000, -1000, 0, -30, -80]);
      const y = runMap('softplus', dtype, x);
      expect(y[0]).toBe(1000);
      expect(y[1]).toBe(0);
      expect(Math.abs(y[2] - Math.LN2)).toBeLessThanOrEqual(2 * ulp(Math.LN2, dtype));
      for (const i of [3, 4]) {
        const want = Math.log1p(Math.exp(x[i]));
        expect(Math.abs(y[i] - want)).toBeLessThanOrEqual(2 * ulp(want, dtype));
      }
    });

    it(`logSigmoid ${dtype} is −softplus(−x): x at −1000, 0 at 1000, −log 2 at 0`, () => {
      const y = runMap('logSigmoid', dtype, array(dtype, [-1000, 1000, 0]));
      expect(y[0]).toBe(-1000);
      expect(y[1]).toBe(0);
      expect(Math.abs(y[2] + Math.LN2)).toBeLessThanOrEqual(2 * ulp(Math.LN2, dtype));
    });

    it(`entropyBernoulli ${dtype} is 0 at p = 0 and 1 (0 log 0 = 0), log 2 at ½, NaN outside [0, 1]`, () => {
      const y = runMap('entropyBernoulli', dtype, array(dtype, [0, 1, 0.5, -0.5, 1.5]));
      expect(Array.from(y.slice(0, 2))).toEqual([0, 0]);
      expect(Math.abs(y[2] - Math.LN2)).toBeLessThanOrEqual(2 * ulp(Math.LN2, dtype));
      expect(Number.isNaN(y[3]) && Number.isNaN(y[4])).toBe(true);
    });

    it(`entropyBernoulliSum ${dtype} matches the sum of its twin within n·eps on awkward sizes`, () => {
      const rng = new Random(11);
      for (const n of [0, ...AWKWARD_SIZES]) {
        const p = array(dtype, Array.from({ length: n }, () => rng.random()));
        const got = withWorkspace((ws) => typed('entropyBernoulliSum', dtype)(ws.copyIn(p).ptr, n));
        const want = ref.entropyBernoulliSum(p, n);
        expect(Math.abs(got - want)).toBeLessThanOrEqual((n + 4) * eps(dtype) * want);
      }
    });
  }
});

/** Runs logSumExpRows and softmaxRows on a rows × cols matrix. */
function runRows(dtype: DType, x: FloatArray, rows: number, cols: number, inPlace = false): { lse: FloatArray; y: FloatArray; lse2: FloatArray } {
  return withWorkspace((ws) => {
    const px = ws.copyIn(x, dtype);
    const out = ws.alloc(dtype, rows);
    typed('logSumExpRows', dtype)(px.ptr, out.ptr, rows, cols);
    const lse2 = ws.alloc(dtype, rows);
    const py = inPlace ? px : ws.alloc(dtype, rows * cols);
    typed('softmaxRows', dtype)(px.ptr, py.ptr, lse2.ptr, rows, cols);
    return { lse: out.read(), y: py.read(), lse2: lse2.read() };
  });
}

/** runRows one row at a time (the single-row code path), results joined. */
function joinRows(dtype: DType, x: FloatArray, rows: number, cols: number): { lse: FloatArray; y: FloatArray } {
  const parts = Array.from({ length: rows }, (_, r) => runRows(dtype, x.slice(r * cols, (r + 1) * cols), 1, cols));
  return { lse: array(dtype, parts.map((p) => p.lse[0])), y: array(dtype, parts.flatMap((p) => Array.from(p.y))) };
}

/** Matrices as arrays of rows, for edge cases. */
function fromRows(dtype: DType, rowsOf: number[][]): { x: FloatArray; rows: number; cols: number } {
  return { x: array(dtype, rowsOf.flat()), rows: rowsOf.length, cols: rowsOf[0].length };
}

describe('logSumExpRows and softmaxRows', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} match their twins on ${magnitude} rows of awkward widths`, () => {
        const rng = new Random(5);
        const rows = 9; // whole groups of 2 (f64) or 4 (f32) rows and a remainder
        for (const cols of AWKWARD_SIZES) {
          const x = randomArray(rng, rows * cols, dtype, magnitude as Magnitude);
          const { lse, y, lse2 } = runRows(dtype, x, rows, cols);
          const wantLse = new Float64Array(rows);
          const wantY = new Float64Array(rows * cols);
          ref.logSumExpRows(x, wantLse, rows, cols);
          ref.softmaxRows(x, wantY, null, rows, cols);
          expect(lse2).toEqual(lse);
          for (let r = 0; r < rows; r++) {
            // The sum of cols exponentials, each within 2 ulp, then one log and one addition.
            const tol = eps(dtype) * (Math.abs(wantLse[r]) + cols + 4);
            expect(Math.abs(lse[r] - wantLse[r]), `row ${r}, cols ${cols}`).toBeLessThanOrEqual(tol);
            for (let j = 0; j < cols; j++) {
              const i = r * cols + j;
              // e^(x − m) carries the rounding of x − m, relative |x − m|·eps.
              const rel = eps(dtype) * (cols + 4 + Math.abs(x[i] - wantLse[r]));
              const tolY = rel * wantY[i] + 4 * ulp(0, dtype);
              expect(Math.abs(y[i] - wantY[i]), `row ${r}, col ${j} of ${cols}`).toBeLessThanOrEqual(tolY);
            }
          }
        }
      });
    }

    it(`softmaxRows ${dtype} rows sum to 1 within cols·eps`, () => {
      const rng = new Random(9);
      for (const cols of AWKWARD_SIZES) {
        const rows = 4;
        const x = randomArray(rng, rows * cols, dtype, 'mixed').map((v) => v / 1000);
        const { y } = runRows(dtype, x, rows, cols);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let j = 0; j < cols; j++) s += y[r * cols + j];
          expect(Math.abs(s - 1), `cols ${cols}`).toBeLessThanOrEqual(Math.max(cols, 2) * eps(dtype));
        }
      }
    });

    it(`softmaxRows ${dtype} runs in place (y = x) with the same result`, () => {
      const x = randomArray(new Random(2), 5 * 17, dtype);
      expect(runRows(dtype, x, 5, 17, true).y).toEqual(runRows(dtype, x, 5, 17).y);
    });

    it(`softmaxRows ${dtype} accepts lse = 0 (not stored)`, () => {
      const x = randomArray(new Random(4), 2 * 7, dtype);
      const y = withWorkspace((ws) => {
        const px = ws.copyIn(x);
        const py = ws.alloc(dtype, x.length);
        typed('softmaxRows', dtype)(px.ptr, py.ptr, 0, 2, 7);
        return py.read();
      });
      expect(y).toEqual(runRows(dtype, x, 2, 7).y);
    });

    it(`${dtype}: −Inf entries contribute 0`, () => {
      const { x, rows, cols } = fromRows(dtype, [[-Infinity, 0.5, -Infinity, -2, 1, -Infinity, -Infinity]]);
      const { lse, y } = runRows(dtype, x, rows, cols);
      const { lse: finite } = runRows(dtype, array(dtype, [0.5, -2, 1]), 1, 3);
      expect(lse[0]).toBe(finite[0]);
      expect([y[0], y[2], y[5], y[6]]).toEqual([0, 0, 0, 0]);
    });

    it(`${dtype}: a row of all −Inf gives lse = −Inf and softmax 0, not NaN; other rows are unaffected`, () => {
      const rows = 9;
      for (const cols of [1, 2, 5, 9, 40]) {
        for (let bad = 0; bad < rows; bad++) {
          const x = array(dtype, new Float64Array(rows * cols)).fill(-Infinity, bad * cols, (bad + 1) * cols);
          const { lse, y, lse2 } = runRows(dtype, x, rows, cols);
          for (let r = 0; r < rows; r++) {
            const row = Array.from(y.slice(r * cols, (r + 1) * cols));
            if (r === bad) {
              expect([lse[r], lse2[r]]).toEqual([-Infinity, -Infinity]);
              expect(row).toEqual(Array(cols).fill(0));
            } else {
              expect(Math.abs(lse[r] - Math.log(cols)), `cols ${cols}, row ${r}`).toBeLessThanOrEqual(4 * ulp(Math.log(cols) || 1, dtype));
              expect(row.every((v) => Math.abs(v - 1 / cols) <= 4 * ulp(1 / cols, dtype))).toBe(true);
            }
          }
        }
      }
    });

    it(`${dtype}: a single column gives lse = x and softmax 1`, () => {
      const x = array(dtype, [-3.5, 0, 1e30, -1e30, 7]);
      const { lse, y } = runRows(dtype, x, 5, 1);
      expect(lse).toEqual(x);
      expect(Array.from(y)).toEqual([1, 1, 1, 1, 1]);
    });

    it(`${dtype}: huge spreads neither overflow nor underflow the answer`, () => {
      const { x, rows, cols } = fromRows(dtype, [[1000, 0], [0, -1000], [-1000, -1000], [80, 80.5]]);
      for (const [lse, y] of [runRows(dtype, x, rows, cols), joinRows(dtype, x, rows, cols)].map((o) => [o.lse, o.y])) {
      expect(Array.from(lse.slice(0, 2))).toEqual([1000, 0]);
      const w2 = -1000 + Math.LN2;
      expect(Math.abs(lse[2] - w2)).toBeLessThanOrEqual(2 * ulp(w2, dtype));
      const w3 = 80.5 + Math.log1p(Math.exp(-0.5));
      expect(Math.abs(lse[3] - w3)).toBeLessThanOrEqual(2 * ulp(w3, dtype));
      expect(Array.from(y.slice(0, 6))).toEqual([1, 0, 1, 0, 0.5, 0.5]);
      }
    });

    it(`${dtype}: softmax entries below the flush threshold are 0 and none is subnormal; lse keeps every term`, () => {
      const flush = dtype === 'f32' ? ref.SOFTMAX_FLUSH_F32 : ref.SOFTMAX_FLUSH_F64;
      const tiny = dtype === 'f32' ? 2 ** -126 : 2 ** -1022;
      const offsets = [0, -1, -30, flush + 0.5, flush + 0.01, flush - 0.01, flush - 0.5, flush - 40, -Infinity];
      for (const cols of [2, 3, 9, 33, 40]) {
        const rows = 9;
        const x = array(dtype, new Float64Array(rows * cols));
        // Each row: its maximum 5, then the offsets from it in turn, rotated row by row.
        for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) x[r * cols + j] = j === r % cols ? 5 : 5 + offsets[(r + j) % offsets.length];
        const kept = array(dtype, Array.from(x).map((v) => (v - 5 < flush ? -Infinity : v)));
        for (const run of [runRows, joinRows]) {
          const { lse, y } = run(dtype, x, rows, cols);
          const wantY = new Float64Array(rows * cols);
          ref.softmaxRows(x, wantY, null, rows, cols);
          for (let i = 0; i < rows * cols; i++) {
            const r = Math.floor(i / cols), m = 5;
            expect(y[i] === 0 || y[i] >= tiny, `row ${r}, cols ${cols}: ${y[i]}`).toBe(true);
            expect(y[i] === 0, `row ${r}, entry ${x[i]}`).toBe(x[i] - m < flush);
            expect(wantY[i] === 0).toBe(x[i] - m < flush);
          }
          // The flushed terms are far below an ulp of the row's sum: lse is that of the kept terms.
          expect(run(dtype, kept, rows, cols).lse).toEqual(lse);
        }
      }
    });

    it(`${dtype}: a +Inf entry gives lse = +Inf, a NaN gives NaN; softmax of those rows is NaN`, () => {
      const { x, rows, cols } = fromRows(dtype, [[0, Infinity, 1], [0, NaN, 1], [-Infinity, Infinity, -Infinity], [NaN, -Infinity, Infinity]]);
      for (const { lse, y } of [runRows(dtype, x, rows, cols), joinRows(dtype, x, rows, cols)]) {
        expect(Array.from(lse)).toEqual([Infinity, NaN, Infinity, NaN]);
        expect(Array.from(y).every(Number.isNaN)).toBe(true);
      }
    });

    it(`${dtype}: a NaN or +Inf anywhere in a row reaches lse, narrow rows and wide, SIMD body and remainder`, () => {
      const rows = 5;
      for (const cols of [17, 41]) {
        for (let at = 0; at < cols; at++) {
          const x = randomArray(new Random(at), rows * cols, dtype);
          x[at] = NaN;
          x[cols + at] = Infinity;
          x[4 * cols + at] = NaN;
          const { lse } = runRows(dtype, x, rows, cols);
          expect([lse[0], lse[1], lse[4]], `cols ${cols}, at ${at}`).toEqual([NaN, Infinity, NaN]);
          expect(lse.slice(2, 4).every(Number.isFinite)).toBe(true);
        }
      }
    });
  }
});
