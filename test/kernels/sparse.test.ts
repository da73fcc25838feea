import { describe, expect, it } from 'vitest';
import { Random, kernels, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, MAGNITUDES, randomArray } from '../helpers.js';
import { maxUlpError } from './ulp.js';

const DTYPES: DType[] = ['f64', 'f32'];
type Name = 'softThreshold' | 'softThresholdNonneg';
const NAMES: Name[] = ['softThreshold', 'softThresholdNonneg'];

function run(name: Name, dtype: DType, x: FloatArray, t: number, inPlace = false): FloatArray {
  return withWorkspace((ws) => {
    const px = ws.copyIn(x);
    const py = inPlace ? px : ws.alloc(dtype, x.length);
    typed(name, dtype)(px.ptr, py.ptr, x.length, t);
    return py.read();
  });
}

function twin(name: Name, x: FloatArray, t: number): FloatArray {
  const y = x.slice().fill(0);
  ref[name](x, y, x.length, t);
  return y;
}

/** A threshold in the element type, half the mean |x| (so that some entries survive and some do not). */
function threshold(dtype: DType, x: FloatArray): number {
  let s = 0;
  for (const v of x) s += Math.abs(v);
  const t = x.length ? (0.5 * s) / x.length : 0;
  return dtype === 'f32' ? Math.fround(t) : t;
}

describe('softThreshold and softThresholdNonneg', () => {
  for (const name of NAMES) {
    for (const dtype of DTYPES) {
      for (const magnitude of MAGNITUDES) {
        it(`${name} ${dtype} matches its twin on ${magnitude} inputs of awkward sizes (exactly for f64, within 1 ulp for f32)`, () => {
          const rng = new Random(31);
          for (const n of AWKWARD_SIZES) {
            const x = randomArray(rng, n, dtype, magnitude);
            const t = threshold(dtype, x);
            const got = run(name, dtype, x, t);
            const want = twin(name, x, t);
            // f32: |x| − t rounds once in f32, the twin rounds the f64 difference: at most 1 ulp apart.
            if (dtype === 'f64') expect(got).toEqual(want);
            else expect(maxUlpError(got, want, dtype, x).ulps).toBeLessThanOrEqual(1);
          }
        });
      }

      it(`${name} ${dtype} runs in place (y = x) with the same result`, () => {
        const x = randomArray(new Random(32), 65, dtype);
        expect(run(name, dtype, x, 0.3, true)).toEqual(run(name, dtype, x, 0.3));
      });
    }
  }

  for (const dtype of DTYPES) {
    const x = dtype === 'f32' ? Float32Array.from([-3, -1, -0.5, -0, 0, 0.5, 1, 3, 0.25]) : Float64Array.from([-3, -1, -0.5, -0, 0, 0.5, 1, 3, 0.25]);

    it(`softThreshold ${dtype} shrinks towards 0 by t, keeps the sign, and zeroes |x| ≤ t`, () => {
      expect(Array.from(run('softThreshold', dtype, x, 1))).toEqual([-2, -0, -0, -0, 0, 0, 0, 2, 0]);
    });

    it(`softThreshold ${dtype} with t = 0 is the identity`, () => {
      expect(run('softThreshold', dtype, x, 0)).toEqual(x);
    });

    it(`softThresholdNonneg ${dtype} is max(x − t, 0): negative inputs become 0`, () => {
      expect(Array.from(run('softThresholdNonneg', dtype, x, 0.5))).toEqual([0, 0, 0, 0, 0, 0, 0.5, 2.5, 0]);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Lasso solver kernels: lassoCD, proxGrad, fistaMomentum, dictionaryUpdate, against their twins.
import { expectClose, eps } from '../helpers.js';
import type { Magnitude } from '../helpers.js';

interface LassoProblem {
  gram: FloatArray; // A×A
  C: FloatArray; // rows×A, C = X Dᵀ
  x2: Float64Array; // ‖x_r‖²
  alpha: number;
}

const zerosLike = (dtype: DType, n: number): FloatArray => (dtype === 'f32' ? new Float32Array(n) : new Float64Array(n));
const cast = (dtype: DType, a: ArrayLike<number>): FloatArray => (dtype === 'f32' ? Float32Array.from(a) : Float64Array.from(a));

/**
 * A lasso problem with a normal dictionary (A atoms × F features) and `rows` signals of the
 * given magnitude class; α is a fraction of max|c| so that some coordinates are active.
 */
function lassoProblem(rng: Random, rows: number, A: number, F: number, dtype: DType, magnitude: Magnitude, frac = 0.3): LassoProblem {
  const D = cast(dtype, randomArray(rng, A * F, 'f64'));
  const X = cast(dtype, randomArray(rng, rows * F, dtype, magnitude));
  const gram = new Float64Array(A * A);
  ref.gemmNT(D, D, gram, A, A, F, 0);
  const C = new Float64Array(rows * A);
  ref.gemmNT(X, D, C, rows, A, F, 0);
  const x2 = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let j = 0; j < F; j++) x2[r] += X[r * F + j] * X[r * F + j];
  let cmax = 0;
  for (const v of C) cmax = Math.max(cmax, Math.abs(v));
  const alpha = dtype === 'f32' ? Math.fround(frac * cmax) : frac * cmax;
  return { gram: cast(dtype, gram), C: cast(dtype, C), x2, alpha };
}

interface CDResult { h: FloatArray; gap: Float64Array; obj: Float64Array; iters: Float64Array }

function cdWasm(dtype: DType, p: LassoProblem, rows: number, A: number, tol: number, maxIter: number, positive: number, h0?: FloatArray): CDResult {
  return withWorkspace((ws) => {
    const g = ws.copyIn(p.gram), c = ws.copyIn(p.C), x2 = ws.copyIn(p.x2);
    const h = ws.copyIn(h0 ?? zerosLike(dtype, rows * A));
    const gap = ws.f64(rows), obj = ws.f64(rows), iters = ws.f64(rows), work = ws.alloc(dtype, 2 * A * A + 11 * A);
    typed('lassoCD', dtype)(g.ptr, c.ptr, h.ptr, x2.ptr, gap.ptr, obj.ptr, iters.ptr, work.ptr, rows, A, p.alpha, tol, maxIter, positive);
    return { h: h.read(), gap: gap.readF64(), obj: obj.readF64(), iters: iters.readF64() };
  });
}

function cdTwin(dtype: DType, p: LassoProblem, rows: number, A: number, tol: number, maxIter: number, positive: number, h0?: FloatArray): CDResult {
  const h = h0 ? h0.slice() : zerosLike(dtype, rows * A);
  const gap = new Float64Array(rows), obj = new Float64Array(rows), iters = new Float64Array(rows);
  ref.lassoCD(p.gram, p.C, h, p.x2, gap, obj, iters, zerosLike(dtype, 2 * A * A + 11 * A), rows, A, p.alpha, tol, maxIter, positive);
  return { h, gap, obj, iters };
}

/** Largest |g_a| − α over zero coordinates and |g_a − α sign h_a| over non-zeros, g = c − Gh (the KKT residual). */
function kktResidual(p: LassoProblem, h: ArrayLike<number>, r: number, A: number, positive: boolean): number {
  let worst = 0;
  for (let a = 0; a < A; a++) {
    let g = p.C[r * A + a];
    for (let j = 0; j < A; j++) g -= p.gram[a * A + j] * h[r * A + j];
    const ha = h[r * A + a];
    if (ha === 0) worst = Math.max(worst, (positive ? g : Math.abs(g)) - p.alpha);
    else worst = Math.max(worst, Math.abs(g - p.alpha * Math.sign(ha)));
  }
  return worst;
}

describe('lassoCD', () => {
  const F = 16;
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      for (const positive of [0, 1]) {
        it(`${dtype}${positive ? ' positive' : ''} matches its twin on ${magnitude} signals for every awkward number of atoms`, () => {
          const rng = new Random(41);
          for (const A of AWKWARD_SIZES) {
            const rows = 3;
            const p = lassoProblem(rng, rows, A, F, dtype, magnitude);
            const tol = dtype === 'f64' ? 1e-10 : 1e-5;
            const got = cdWasm(dtype, p, rows, A, tol, 500, positive);
            const want = cdTwin(dtype, p, rows, A, tol, 500, positive);
            if (dtype === 'f64') {
              // The same algorithm; only the Newton step's Cholesky sums in another order (SIMD
              // lanes), so the codes agree to rounding amplified by the support's conditioning.
              for (let r = 0; r < rows; r++) {
                let scale = 0;
                for (let a = 0; a < A; a++) scale = Math.max(scale, Math.abs(want.h[r * A + a]));
                expectClose(got.h.subarray(r * A, (r + 1) * A), want.h.subarray(r * A, (r + 1) * A), 0, 1e-8 * scale);
                expect(Math.abs(got.obj[r] - want.obj[r])).toBeLessThanOrEqual(1e-12 * p.x2[r]);
              }
            } else {
              // f32 arithmetic (wasm) against f64 arithmetic rounded on store (twin): the same
              // optimum to the accuracy f32 allows, relative to the objective's scale ½‖x‖².
              for (let r = 0; r < rows; r++) {
                expect(Math.abs(got.obj[r] - want.obj[r])).toBeLessThanOrEqual(200 * A * eps('f32') * p.x2[r] + 1e-30);
              }
            }
            for (let r = 0; r < rows; r++) {
              expect(got.gap[r]).toBeGreaterThanOrEqual(-1e-12 * p.x2[r]);
              if (positive) for (let a = 0; a < A; a++) expect(got.h[r * A + a]).toBeGreaterThanOrEqual(0);
            }
          }
        });
      }
    }
  }

  it('f64 stops at gap ≤ tol·‖x‖² and the codes satisfy the optimality (KKT) conditions', () => {
    const A = 65, rows = 5;
    for (const positive of [0, 1]) {
      const p = lassoProblem(new Random(42), rows, A, 24, 'f64', 'normal', 0.2);
      const got = cdWasm('f64', p, rows, A, 1e-12, 10_000, positive);
      for (let r = 0; r < rows; r++) {
        expect(got.gap[r]).toBeLessThanOrEqual(1e-12 * p.x2[r]);
        expect(got.iters[r]).toBeLessThan(10_000);
        expect(kktResidual(p, got.h, r, A, positive === 1)).toBeLessThan(1e-5 * p.alpha);
      }
    }
  });

  it('α ≥ max|c| gives all-zero codes exactly, with gap 0 and objective ½‖x‖², after one pass', () => {
    for (const dtype of DTYPES) {
      const A = 17, rows = 4;
      const p = lassoProblem(new Random(43), rows, A, 8, dtype, 'normal', 1);
      const got = cdWasm(dtype, p, rows, A, 0, 100, 0);
      expect(Array.from(got.h).every((v) => v === 0)).toBe(true);
      expect(Array.from(got.gap)).toEqual([0, 0, 0, 0]);
      expect(Array.from(got.obj)).toEqual(Array.from(p.x2, (v) => 0.5 * v));
      expect(Array.from(got.iters)).toEqual([1, 1, 1, 1]);
    }
  });

  it('a warm start at the solution converges in one pass; maxIter bounds the passes', () => {
    const A = 63, rows = 3;
    const p = lassoProblem(new Random(44), rows, A, 20, 'f64', 'normal', 0.1);
    const sol = cdWasm('f64', p, rows, A, 1e-13, 10_000, 0);
    const again = cdWasm('f64', p, rows, A, 1e-10, 10_000, 0, sol.h);
    expect(Array.from(again.iters)).toEqual([1, 1, 1]);
    const capped = cdWasm('f64', p, rows, A, 0, 3, 0);
    expect(Array.from(capped.iters)).toEqual([3, 3, 3]);
  });
});

describe('proxGrad', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} matches its twin on ${magnitude} inputs of awkward sizes (exactly for f64, within 1 ulp for f32)`, () => {
        const rng = new Random(45);
        for (const n of AWKWARD_SIZES) {
          for (const positive of [0, 1]) {
            const y = randomArray(rng, n, dtype, magnitude), qy = randomArray(rng, n, dtype, magnitude), c = randomArray(rng, n, dtype, magnitude);
            const step = 0.37, thr = threshold(dtype, y) * step;
            const got = withWorkspace((ws) => {
              const py = ws.copyIn(y), pq = ws.copyIn(qy), pc = ws.copyIn(c), pz = ws.alloc(dtype, n);
              typed('proxGrad', dtype)(py.ptr, pq.ptr, pc.ptr, pz.ptr, n, step, thr, positive);
              return pz.read();
            });
            const want = zerosLike(dtype, n);
            ref.proxGrad(y, qy, c, want, n, dtype === 'f32' ? Math.fround(step) : step, thr, positive);
            if (dtype === 'f64') expectClose(got, want, 0);
            else {
              // Three f32 roundings (wasm) against one (twin): relative to the operands' scale.
              const scale = Array.from(y, (v, i) => Math.abs(v) + step * (Math.abs(qy[i]) + Math.abs(c[i])));
              expectClose(got, want, 4 * eps('f32'), 0, scale);
            }
            if (positive) expect(Array.from(got).every((v) => v >= 0)).toBe(true);
          }
        }
      });
    }
  }
});

describe('fistaMomentum', () => {
  for (const dtype of DTYPES) {
    for (const momentum of [0, 1]) {
      it(`${dtype} ${momentum ? 'FISTA' : 'ISTA'} matches its twin (objective, gap, momentum, next point) for awkward sizes`, () => {
        const rng = new Random(46);
        for (const A of AWKWARD_SIZES) {
          const rows = 3;
          const p = lassoProblem(rng, rows, A, 12, dtype, 'normal');
          const z = randomArray(rng, rows * A, dtype), zPrev = randomArray(rng, rows * A, dtype);
          const q = zerosLike(dtype, rows * A), qPrev = zerosLike(dtype, rows * A);
          ref.gemmNN(z, p.gram, q, rows, A, A, 0);
          ref.gemmNN(zPrev, p.gram, qPrev, rows, A, A, 0);
          // Row 0 starts (obj = +∞), row 1 has a lower previous objective (restart), row 2 a higher one.
          const obj0 = Float64Array.from([Infinity, -1e300, 1e300]);
          const t0 = Float64Array.from([1, 3, 2.5]);
          const got = withWorkspace((ws) => {
            const b = [z, zPrev, q, qPrev, p.C].map((a) => ws.copyIn(a));
            const y = ws.alloc(dtype, rows * A), qy = ws.alloc(dtype, rows * A);
            const x2 = ws.copyIn(p.x2), t = ws.copyIn(t0), obj = ws.copyIn(obj0), gap = ws.f64(rows);
            typed('fistaMomentum', dtype)(b[0].ptr, b[1].ptr, b[2].ptr, b[3].ptr, b[4].ptr, y.ptr, qy.ptr, x2.ptr, t.ptr, obj.ptr, gap.ptr, rows, A, p.alpha, momentum, 0);
            return { y: y.read(), qy: qy.read(), t: t.readF64(), obj: obj.readF64(), gap: gap.readF64() };
          });
          const want = { y: zerosLike(dtype, rows * A), qy: zerosLike(dtype, rows * A), t: t0.slice(), obj: obj0.slice(), gap: new Float64Array(rows) };
          ref.fistaMomentum(z, zPrev, q, qPrev, p.C, want.y, want.qy, p.x2, want.t, want.obj, want.gap, rows, A, p.alpha, momentum, 0);
          const tol = dtype === 'f64' ? 0 : 4 * eps('f32');
          expectClose(got.t, want.t, 0);
          // The kernel sums the gap's four reductions two lanes at a time, the twin in one chain.
          expectClose(got.obj, want.obj, dtype === 'f64' ? 1e-13 : 1e-5, 0, Array.from(p.x2, (v, r) => v + Math.abs(want.obj[r])));
          expectClose(got.gap, want.gap, dtype === 'f64' ? 1e-13 : 1e-5, 0, Array.from(p.x2, (v, r) => v + Math.abs(want.obj[r])));
          const scale = Array.from(z, (v, i) => 3 * (Math.abs(v) + Math.abs(zPrev[i])));
          expectClose(got.y, want.y, tol, 0, scale);
          if (momentum) {
            expect(got.t[0]).toBeCloseTo((1 + Math.sqrt(5)) / 2, 14);
            expect(got.t[1]).toBe(1); // the objective rose above -1e300: restart
            // Row 1 restarted: y = z exactly.
            expect(Array.from(got.y.subarray(A, 2 * A))).toEqual(Array.from(z.subarray(A, 2 * A)));
          } else {
            expect(Array.from(got.y)).toEqual(Array.from(z));
            expect(Array.from(got.qy)).toEqual(Array.from(q));
          }
        }
      });
    }
  }

  it('the gap is ≥ 0 and the objective is ½‖x − zD‖² + α‖z‖₁', () => {
    const rng = new Random(47);
    const A = 7, F = 5, rows = 4;
    const D = randomArray(rng, A * F, 'f64'), X = randomArray(rng, rows * F, 'f64'), z = randomArray(rng, rows * A, 'f64');
    const gram = new Float64Array(A * A), C = new Float64Array(rows * A), q = new Float64Array(rows * A);
    ref.gemmNT(D, D, gram, A, A, F, 0);
    ref.gemmNT(X, D, C, rows, A, F, 0);
    ref.gemmNN(z, gram, q, rows, A, A, 0);
    const x2 = new Float64Array(rows);
    for (let r = 0; r < rows; r++) for (let j = 0; j < F; j++) x2[r] += X[r * F + j] ** 2;
    const alpha = 0.7;
    const obj = new Float64Array(rows).fill(Infinity), gap = new Float64Array(rows);
    withWorkspace((ws) => {
      const b = [z, z, q, q, C].map((a) => ws.copyIn(a));
      const y = ws.f64(rows * A), qy = ws.f64(rows * A), px = ws.copyIn(x2), t = ws.copyIn(new Float64Array(rows).fill(1));
      const po = ws.copyIn(obj), pg = ws.f64(rows);
      kernels().fistaMomentumF64(b[0].ptr, b[1].ptr, b[2].ptr, b[3].ptr, b[4].ptr, y.ptr, qy.ptr, px.ptr, t.ptr, po.ptr, pg.ptr, rows, A, alpha, 1, 0);
      obj.set(po.view());
      gap.set(pg.view());
    });
    for (let r = 0; r < rows; r++) {
      let r2 = 0, l1 = 0;
      for (let j = 0; j < F; j++) {
        let v = X[r * F + j];
        for (let a = 0; a < A; a++) v -= z[r * A + a] * D[a * F + j];
        r2 += v * v;
      }
      for (let a = 0; a < A; a++) l1 += Math.abs(z[r * A + a]);
      expect(obj[r]).toBeCloseTo(0.5 * r2 + alpha * l1, 10);
      expect(gap[r]).toBeGreaterThan(0);
    }
  });
});

describe('dictionaryUpdate', () => {
  for (const dtype of DTYPES) {
    for (const positive of [0, 1]) {
      it(`${dtype}${positive ? ' positive' : ''} matches its twin for awkward numbers of atoms and features`, () => {
        const rng = new Random(48);
        for (const K of AWKWARD_SIZES) {
          for (const F of [1, 3, 17]) {
            const N = 2 * K + 3;
            const U = randomArray(rng, N * K, 'f64'), X = randomArray(rng, N * F, 'f64');
            const a = new Float64Array(K * K), bt = new Float64Array(K * F);
            ref.gemmTN(U, U, a, K, K, N, 0);
            ref.gemmTN(U, X, bt, K, F, N, 0);
            if (K > 2) for (let j = 0; j < K; j++) { a[1 * K + j] = 0; a[j * K + 1] = 0; } // atom 1 unused
            const v0 = cast(dtype, randomArray(rng, K * F, 'f64'));
            const A = cast(dtype, a), Bt = cast(dtype, bt);
            const got = withWorkspace((ws) => {
              const pv = ws.copyIn(v0), pa = ws.copyIn(A), pb = ws.copyIn(Bt), pn = ws.f64(K), pw = ws.alloc(dtype, F);
              typed('dictionaryUpdate', dtype)(pv.ptr, pa.ptr, pb.ptr, pn.ptr, pw.ptr, K, F, positive);
              return { v: pv.read(), norms: pn.readF64() };
            });
            const want = { v: v0.slice(), norms: new Float64Array(K) };
            ref.dictionaryUpdate(want.v, A, Bt, want.norms, zerosLike(dtype, F), K, F, positive);
            // Sequential over atoms, so errors compound mildly: K·F·eps relative to the unit ball.
            const tol = 8 * (K + F) * eps(dtype);
            expectClose(got.v, want.v, 0, tol);
            expectClose(got.norms, want.norms, 0, tol);
            for (let k = 0; k < K; k++) {
              if (K > 2 && k === 1) {
                expect(got.norms[k]).toBe(-1);
                expect(Array.from(got.v.subarray(F, 2 * F))).toEqual(Array.from(v0.subarray(F, 2 * F)));
              } else expect(got.norms[k]).toBeLessThanOrEqual(1 + 4 * eps(dtype));
            }
            if (positive) for (let i = 0; i < K * F; i++) if (!(K > 2 && Math.floor(i / F) === 1)) expect(got.v[i]).toBeGreaterThanOrEqual(0);
          }
        }
      });
    }
  }

  it('is the exact minimiser over each atom: one pass with A = UᵀU, Bt = UᵀX never raises ½‖X − UV‖²', () => {
    const rng = new Random(49);
    const N = 40, K = 6, F = 9;
    const U = randomArray(rng, N * K, 'f64'), X = randomArray(rng, N * F, 'f64');
    const a = new Float64Array(K * K), bt = new Float64Array(K * F);
    ref.gemmTN(U, U, a, K, K, N, 0);
    ref.gemmTN(U, X, bt, K, F, N, 0);
    const v = randomArray(rng, K * F, 'f64');
    for (let k = 0; k < K; k++) {
      let nn = 0;
      for (let j = 0; j < F; j++) nn += v[k * F + j] ** 2;
      for (let j = 0; j < F; j++) v[k * F + j] /= Math.sqrt(nn);
    }
    const loss = (vv: FloatArray) => {
      const uv = new Float64Array(N * F);
      ref.gemmNN(U, vv, uv, N, F, K, 0);
      let s = 0;
      for (let i = 0; i < N * F; i++) s += (X[i] - uv[i]) ** 2;
      return 0.5 * s;
    };
    let before = loss(v);
    for (let pass = 0; pass < 5; pass++) {
      withWorkspace((ws) => {
        const pv = ws.copyIn(v), pa = ws.copyIn(a), pb = ws.copyIn(bt), pn = ws.f64(K), pw = ws.f64(F);
        kernels().dictionaryUpdateF64(pv.ptr, pa.ptr, pb.ptr, pn.ptr, pw.ptr, K, F, 0);
        v.set(pv.view());
      });
      const after = loss(v);
      expect(after).toBeLessThanOrEqual(before * (1 + 1e-12));
      before = after;
    }
  });
});
