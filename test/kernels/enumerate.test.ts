// Gray-code enumeration against its TypeScript twin and against a brute-force sum over states.
import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
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

/** The kernel's answer: log Z per row and marginals (n × rows). */
function wasmLogPartition(aT: FloatArray, J: FloatArray, n: number, rows: number, dtype: DType): { logZ: Float64Array; marg: Float64Array } {
  return withWorkspace((ws) => {
    const pa = ws.copyIn(aT), pJ = ws.copyIn(J), out = ws.f64(rows), marg = ws.f64(n * rows), work = ws.f64(n + 2 * rows + n * rows);
    typed('logPartition', dtype)(pa.ptr, pJ.ptr, n, rows, out.ptr, marg.ptr, work.ptr);
    return { logZ: out.readF64(), marg: marg.readF64() };
  });
}

function twinLogPartition(aT: FloatArray, J: FloatArray, n: number, rows: number): { logZ: Float64Array; marg: Float64Array } {
  const logZ = new Float64Array(rows), marg = new Float64Array(n * rows), work = new Float64Array(n + 2 * rows + n * rows);
  ref.logPartition(aT, J, n, rows, logZ, marg, work);
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

  it('without marginals (marg = 0) computes the same log Z with a smaller work buffer', () => {
    const n = 9, rows = 5;
    const rng = new Random(14);
    const aT = randomArray(rng, n * rows, 'f64'), J = coupling(rng, n, 'f64');
    const got = withWorkspace((ws) => {
      const pa = ws.copyIn(aT), pJ = ws.copyIn(J), out = ws.f64(rows), work = ws.f64(n + 2 * rows);
      typed('logPartition', 'f64')(pa.ptr, pJ.ptr, n, rows, out.ptr, 0, work.ptr);
      return out.readF64();
    });
    expectClose(got, twinLogPartition(aT, J, n, rows).logZ, 1e-14);
  });
});
