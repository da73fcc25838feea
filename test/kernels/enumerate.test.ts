// Gray-code enumeration (ranges of the sequence, combined in range order) against its
// TypeScript twin and against a brute-force sum over states.
import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { logPartition } from '../../src/meanfield/enumeration.js';
import { MAGNITUDES, eps, expectClose, randomArray, type Magnitude } from '../helpers.js';

const DTYPES: DType[] = ['f64', 'f32'];

function array(dtype: DType, values: ArrayLike<number>): FloatArray {
  return dtype === 'f32' ? Float32Array.from(values) : Float64Array.from(values);
}

function coupling(rng: Random, n: number, dtype: DType): FloatArray {
  const J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) J[i * n + j] = J[j * n + i] = rng.normal();
  return array(dtype, J);
}

/** The kernels' answer (ranges on the pool, combined in order): log Z per row and marginals (n × rows). */
function wasmLogPartition(aT: FloatArray, J: FloatArray, n: number, rows: number, dtype: DType): { logZ: Float64Array; marg: Float64Array } {
  const r = logPartition(aT, J, n, rows, dtype, true);
  return { logZ: r.logZ, marg: r.marg! };
}

function twinLogPartition(aT: FloatArray, J: FloatArray, n: number, rows: number): { logZ: Float64Array; marg: Float64Array } {
  const logZ = new Float64Array(rows), marg = new Float64Array(n * rows);
  ref.logPartition(aT, J, n, rows, logZ, marg);
  return { logZ, marg };
}

/** The definition, state by state: log Σ_h exp(aᵀh + ½hᵀJh) and Σ_h p(h) h_j, each state's value recomputed from scratch. */
function bruteForce(aT: ArrayLike<number>, J: ArrayLike<number>, n: number, rows: number): { logZ: Float64Array; marg: Float64Array } {
  const logZ = new Float64Array(rows), marg = new Float64Array(n * rows);
  for (let r = 0; r < rows; r++) {
    const values: number[] = [];
    for (let state = 0; state < 2 ** n; state++) {
      let v = 0;
      for (let i = 0; i < n; i++) {
        if (!((state >> i) & 1)) continue;
        v += aT[i * rows + r];
        for (let j = 0; j < n; j++) if ((state >> j) & 1) v += 0.5 * J[i * n + j];
      }
      values.push(v);
    }
    const M = Math.max(...values);
    let s = 0;
    for (const v of values) s += Math.exp(v - M);
    logZ[r] = M + Math.log(s);
    values.forEach((v, state) => {
      const p = Math.exp(v - logZ[r]);
      for (let j = 0; j < n; j++) if ((state >> j) & 1) marg[j * rows + r] += p;
    });
  }
  return { logZ, marg };
}

function scaleOf(aT: ArrayLike<number>, J: ArrayLike<number>): number {
  let s = 1;
  for (let i = 0; i < aT.length; i++) s += Math.abs(aT[i]);
  for (let i = 0; i < J.length; i++) s += Math.abs(J[i]);
  return s;
}

describe('logPartition', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} matches its twin on ${magnitude} biases (n = 1 … 13, rows = 1, 2, 3, 7)`, () => {
        const rng = new Random(11);
        for (const n of [1, 2, 3, 7, 10, 13]) {
          for (const rows of [1, 2, 3, 7]) {
            const aT = randomArray(rng, n * rows, dtype, magnitude as Magnitude);
            const J = coupling(rng, n, dtype);
            const got = wasmLogPartition(aT, J, n, rows, dtype);
            const want = twinLogPartition(aT, J, n, rows);
            // Both accumulate in f64: 2ⁿ incremental updates, each rounding at the scale of the inputs.
            const tol = 2 ** n * 4 * eps('f64') * scaleOf(aT, J);
            expectClose(got.logZ, want.logZ, 0, tol);
            expectClose(got.marg, want.marg, 0, 1e-9);
          }
        }
      });
    }
  }

  it('agrees with the brute-force sum over all states, log Z and marginals, for n ≤ 10', () => {
    const rng = new Random(12);
    for (let n = 1; n <= 10; n++) {
      for (const rows of [1, 3]) {
        const aT = randomArray(rng, n * rows, 'f64').map((v) => 2 * v);
        const J = coupling(rng, n, 'f64');
        const want = bruteForce(aT, J, n, rows);
        for (const got of [wasmLogPartition(aT, J, n, rows, 'f64'), twinLogPartition(aT, J, n, rows)]) {
          expectClose(got.logZ, want.logZ, 1e-12, 1e-12);
          expectClose(got.marg, want.marg, 0, 1e-12);
        }
      }
    }
  });

  it('stays exact when the couplings dwarf the answer (±1e22 bonds, log Z of order 1), in f64 and f32, with marginals', () => {
    const rng = new Random(15);
    for (const dtype of DTYPES) {
      const n = 9, rows = 3;
      const J = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (rng.random() < 0.4) J[i * n + j] = J[j * n + i] = -1e22;
      const aT = array(dtype, randomArray(rng, n * rows, 'f64'));
      const Jt = array(dtype, J);
      const want = bruteForce(aT, Jt, n, rows);
      for (const got of [wasmLogPartition(aT, Jt, n, rows, dtype), twinLogPartition(aT, Jt, n, rows)]) {
        expectClose(got.logZ, want.logZ, 1e-12, 1e-12);
        expectClose(got.marg, want.marg, 0, 1e-12);
      }
    }
  });

  it('gives n·log 2 for a = 0, J = 0, with every marginal ½', () => {
    const n = 20;
    const got = wasmLogPartition(new Float64Array(n), new Float64Array(n * n), n, 1, 'f64');
    expect(got.logZ[0]).toBeCloseTo(n * Math.LN2, 12);
    expectClose(got.marg, new Float64Array(n).fill(0.5), 0, 1e-12);
  });

  it('gives Σ_i softplus(a_i) and marginals σ(a_i) for J = 0 (independent units)', () => {
    const n = 16, rows = 3;
    const aT = randomArray(new Random(13), n * rows, 'f64').map((v) => 5 * v);
    for (const dtype of DTYPES) {
      const x = array(dtype, aT);
      const got = wasmLogPartition(x, array(dtype, new Float64Array(n * n)), n, rows, dtype);
      for (let r = 0; r < rows; r++) {
        let want = 0;
        for (let j = 0; j < n; j++) want += Math.log1p(Math.exp(x[j * rows + r]));
        expect(Math.abs(got.logZ[r] - want)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want)));
        for (let j = 0; j < n; j++) expect(Math.abs(got.marg[j * rows + r] - 1 / (1 + Math.exp(-x[j * rows + r])))).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('is finite for large exponents (the maximum is subtracted), e.g. a = 800', () => {
    const n = 4;
    const got = wasmLogPartition(new Float64Array(n).fill(800), new Float64Array(n * n), n, 1, 'f64');
    expect(got.logZ[0]).toBeCloseTo(n * 800 + n * Math.log1p(Math.exp(-800)), 9);
  });

  it('without marginals computes the same log Z, bit for bit', () => {
    const n = 13, rows = 5;
    const rng = new Random(14);
    const aT = randomArray(rng, n * rows, 'f64'), J = coupling(rng, n, 'f64');
    const without = logPartition(aT, J, n, rows, 'f64', false);
    expect(without.marg).toBeNull();
    expect(Array.from(without.logZ)).toEqual(Array.from(wasmLogPartition(aT, J, n, rows, 'f64').logZ));
    expectClose(without.logZ, twinLogPartition(aT, J, n, rows).logZ, 1e-14);
  });

  it('cuts 2ⁿ states into ranges fixed by n alone: one range up to n = 10, at most 256 beyond', () => {
    expect([1, 10, 11, 18, 19, 24, 30].map((n) => ref.grayRangeBits(n))).toEqual([1, 10, 10, 10, 11, 16, 22]);
  });

  it('runs a range from its first state: any range and its split halves combine to the same answer', () => {
    const n = 12, rows = 3;
    const rng = new Random(16);
    const aT = randomArray(rng, n * rows, 'f64') as Float64Array, J = coupling(rng, n, 'f64') as Float64Array;
    const mask = ref.grayResyncMask(aT, J, n, rows);
    const whole = rangeResult(aT, J, n, rows, mask, [[0, 2 ** n]]);
    for (const cuts of [[[0, 1], [1, 2 ** n - 1]], [[0, 1000], [1000, 2000], [3000, 2 ** n - 3000]], [[0, 2048], [2048, 2048]]]) {
      const got = rangeResult(aT, J, n, rows, mask, cuts as [number, number][]);
      expectClose(got.logZ, whole.logZ, 1e-13, 1e-13);
      expectClose(got.marg, whole.marg, 0, 1e-13);
    }
  });

  it('a range kernel and its twin agree on the range maxima, scaled sums and masses (f64 and f32, a block of rows)', () => {
    const n = 11, lda = 7, r0 = 2, rows = 4, first = 300, count = 900;
    const rng = new Random(17);
    for (const dtype of DTYPES) {
      const aT = array(dtype, randomArray(rng, n * lda, 'f64')), J = coupling(rng, n, dtype);
      const mask = ref.grayResyncMask(aT, J, n, lda);
      const want = { mx: new Float64Array(rows), sm: new Float64Array(rows), marg: new Float64Array(n * rows) };
      ref.logPartitionRange(aT.subarray(r0), lda, J, n, rows, mask, first, count, want.mx, want.sm, want.marg, new Float64Array(n + rows + n * rows));
      const got = withWorkspace((ws) => {
        const size = dtype === 'f32' ? 4 : 8;
        const pa = ws.copyIn(aT), pJ = ws.copyIn(J), mx = ws.f64(rows), sm = ws.f64(rows), marg = ws.f64(n * rows), work = ws.f64(n + rows + n * rows);
        typed('logPartitionRange', dtype)(pa.ptr + r0 * size, lda, pJ.ptr, n, rows, mask, first, count, mx.ptr, sm.ptr, marg.ptr, work.ptr);
        return { mask: typed('grayResyncMask', dtype)(pa.ptr, pJ.ptr, n, lda), mx: mx.readF64(), sm: sm.readF64(), marg: marg.readF64() };
      });
      expect(got.mask).toBe(mask);
      expectClose(got.mx, want.mx, 1e-14, 1e-14);
      expectClose(got.sm, want.sm, 1e-12, 0);
      expectClose(got.marg, want.marg, 1e-12, 1e-12);
    }
  });
});

/** The twin over the given ranges [first, first + count), combined in order. */
function rangeResult(aT: Float64Array, J: Float64Array, n: number, rows: number, mask: number, cuts: [number, number][]): { logZ: Float64Array; marg: Float64Array } {
  const B = cuts.length;
  const mx = new Float64Array(B * rows), sm = new Float64Array(B * rows), parts = new Float64Array(B * n * rows);
  cuts.forEach(([first, count], b) => ref.logPartitionRange(aT, rows, J, n, rows, mask, first, count, mx.subarray(b * rows), sm.subarray(b * rows), parts.subarray(b * n * rows), new Float64Array(n + rows + n * rows)));
  const logZ = new Float64Array(rows), marg = new Float64Array(n * rows);
  ref.logPartitionCombine(mx, sm, parts, B, n, rows, logZ, marg, rows);
  return { logZ, marg };
}
