import { describe, expect, it } from 'vitest';
import { kernels, Random, typed, withWorkspace, type DType } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, eps, expectClose, randomArray } from '../helpers.js';

const DTYPES: DType[] = ['f64', 'f32'];

describe('logProbFromProjection', () => {
  for (const dtype of DTYPES) {
    for (const shared of [0, 1]) {
      it(`${dtype}, ${shared ? 'shared (tied)' : 'per-component (full)'} projections, matches the twin for awkward D and K`, () => {
        const rng = new Random(3);
        for (const D of AWKWARD_SIZES.slice(0, 7)) {
          for (const K of [1, 3, 5]) {
            const rows = 9;
            const y = randomArray(rng, rows * (shared ? D : K * D), dtype);
            const c = randomArray(rng, K * D, dtype);
            const bias = randomArray(rng, K, dtype);
            const want = dtype === 'f32' ? new Float32Array(rows * K) : new Float64Array(rows * K);
            ref.logProbFromProjection(y, c, bias, want, rows, K, D, shared);
            const got = withWorkspace((ws) => {
              const out = ws.alloc(dtype, rows * K);
              typed('logProbFromProjection', dtype)(ws.copyIn(y).ptr, ws.copyIn(c).ptr, ws.copyIn(bias).ptr, out.ptr, rows, K, D, shared);
              return out.read();
            });
            // Each output is bias − ½Σd²: error ≤ D·eps·(|bias| + ½Σd²) roughly.
            const scale = Array.from(want, (w, i) => Math.abs(w) + Math.abs(bias[i % K]) + 1);
            expectClose(got, want, 4 * D * eps(dtype), 0, scale);
          }
        }
      });
    }
  }
});

describe('diagLogProb', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} computes bias − ½Σ p (x − m)² like its twin for awkward rows, K and D, never reading past K`, () => {
      const rng = new Random(4);
      const tile = dtype === 'f32' ? 8 : 4;
      for (const D of [1, 2, 3, 5, 8, 17]) {
        for (const K of [1, 3, 4, 5, 8, 9]) {
          for (const rows of [1, 3, 4, 6, 9]) {
            const ldk = Math.ceil(K / tile) * tile;
            const x = randomArray(rng, rows * D, dtype);
            const mT = randomArray(rng, D * ldk, dtype);
            const pT = randomArray(rng, D * ldk, dtype).map(Math.abs);
            const bias = randomArray(rng, ldk, dtype);
            const want = dtype === 'f32' ? new Float32Array(rows * K) : new Float64Array(rows * K);
            ref.diagLogProb(x, mT, pT, bias, want, rows, K, D, ldk);
            const got = withWorkspace((ws) => {
              const out = ws.alloc(dtype, rows * K + 8).set(new Array(rows * K + 8).fill(7));
              typed('diagLogProb', dtype)(ws.copyIn(x).ptr, ws.copyIn(mT).ptr, ws.copyIn(pT).ptr, ws.copyIn(bias).ptr, out.ptr, rows, K, D, ldk);
              return out.read();
            });
            expect(Array.from(got.subarray(rows * K))).toEqual(new Array(8).fill(7)); // nothing written past the output
            const scale = Array.from(want, (w) => Math.abs(w) + D * 10);
            expectClose(got.subarray(0, rows * K), want, 4 * D * eps(dtype), 0, scale);
          }
        }
      }
    });
  }

  it('keeps the digits of x − m where the expanded square x²p − 2xmp + m²p loses them', () => {
    // Rows near 1000 with a spread of 0.01: in f32 the expansion's terms are ~10⁶·p while the answer is ~1.
    const x = Float32Array.of(1000.005, 999.995, 1000.01);
    const got = withWorkspace((ws) => {
      const out = ws.f32(3);
      const meansT = ws.copyIn(new Float32Array(8).fill(1000)), precT = ws.copyIn(new Float32Array(8).fill(1e4)), bias = ws.copyIn(new Float32Array(8));
      typed('diagLogProb', 'f32')(ws.copyIn(x).ptr, meansT.ptr, precT.ptr, bias.ptr, out.ptr, 3, 1, 1, 8);
      return out.read();
    });
    const want = Array.from(x, (v) => -0.5 * 1e4 * (v - 1000) ** 2);
    expectClose(got, want, 1e-5, 1e-6);
  });
});

describe('diagScatterBlock', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} accumulates Σ r (x − c) and Σ r (x − c)² for every component like its twin`, () => {
      const rng = new Random(8);
      for (const D of [1, 2, 3, 4, 5, 8, 9, 17]) {
        for (const K of [1, 3]) {
          for (const rows of [1, 2, 5, 300, 600]) {
            const x = randomArray(rng, rows * D, dtype);
            const resp = rng.fillUniform(dtype === 'f32' ? new Float32Array(rows * K) : new Float64Array(rows * K));
            const centres = randomArray(rng, K * D, dtype);
            const a0 = randomArray(rng, K * D, dtype), b0 = randomArray(rng, K * D, dtype).map(Math.abs);
            const wantA = a0.slice(), wantB = b0.slice();
            ref.diagScatterBlock(x, resp, centres, wantA, wantB, rows, K, D);
            const [gotA, gotB] = withWorkspace((ws) => {
              const a = ws.copyIn(a0), b = ws.copyIn(b0);
              typed('diagScatterBlock', dtype)(ws.copyIn(x).ptr, ws.copyIn(resp).ptr, ws.copyIn(centres).ptr, a.ptr, b.ptr, rows, K, D);
              return [a.read(), b.read()];
            });
            // Sums of rows terms of size ≤ |x − c|²: error ≤ rows·eps·Σ|term| roughly.
            expectClose(gotA, wantA, 4 * (rows + 2) * eps(dtype), 0, Array.from(wantA, () => rows * 10));
            expectClose(gotB, wantB, 4 * (rows + 2) * eps(dtype), 0, Array.from(wantB, (w) => Math.abs(w) + rows * 10));
          }
        }
      }
    });
  }
});

describe('casts between f32 and f64', () => {
  it('widen exactly and narrow with round-to-nearest, like a Float32Array store', () => {
    const rng = new Random(5);
    for (const n of AWKWARD_SIZES) {
      const x64 = randomArray(rng, n, 'f64', 'mixed') as Float64Array;
      const want32 = Float32Array.from(x64);
      const [got32, back64] = withWorkspace((ws) => {
        const p64 = ws.copyIn(x64), p32 = ws.f32(n), q64 = ws.f64(n);
        kernels().castF64ToF32(p64.ptr, p32.ptr, n);
        kernels().castF32ToF64(p32.ptr, q64.ptr, n);
        return [p32.read(), q64.read()];
      });
      expect(Array.from(got32)).toEqual(Array.from(want32));
      expect(Array.from(back64)).toEqual(Array.from(want32));
    }
  });
});

describe('sumXLogX', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} sums x log x with 0 log 0 = 0, like its twin`, () => {
      const rng = new Random(6);
      for (const n of AWKWARD_SIZES) {
        const x = dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
        rng.fillUniform(x);
        for (let i = 0; i < n; i += 3) x[i] = 0;
        if (n > 4) x[1] = 1;
        if (n > 5) x[2] = 1e-300;
        const want = ref.sumXLogX(x, n);
        const got = withWorkspace((ws) => typed('sumXLogX', dtype)(ws.copyIn(x).ptr, n));
        expect(Number.isFinite(got)).toBe(true);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(8 * n * eps(dtype) * (Math.abs(want) + 1e-300));
      }
    });
  }
});

describe('projectLogProb', () => {
  for (const dtype of DTYPES) {
    for (const tri of [0, 1, 2]) {
      it(`${dtype}, ${['general', 'upper', 'lower'][tri]} P_k: matches the twin for awkward D, K and row counts`, () => {
        const rng = new Random(7 + tri);
        for (const D of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17]) {
          for (const K of [1, 3]) {
            for (const rows of [1, 3, 4, 6, 9]) {
              const x = randomArray(rng, rows * D, dtype);
              const P = randomArray(rng, D * K * D + 16, dtype);
              // Zero the triangle the hint says is zero, in every block.
              for (let p = 0; p < D; p++) for (let k = 0; k < K; k++) for (let j = 0; j < D; j++) {
                if ((tri === 1 && p > j) || (tri === 2 && p < j)) P[p * K * D + k * D + j] = 0;
              }
              P.fill(NaN, D * K * D); // padding is read but must not leak into the result
              const c = randomArray(rng, K * D + 16, dtype);
              c.fill(NaN, K * D);
              const bias = randomArray(rng, K, dtype);
              const want = dtype === 'f32' ? new Float32Array(rows * K) : new Float64Array(rows * K);
              ref.projectLogProb(x, P, c, bias, want, rows, K, D, tri);
              const got = withWorkspace((ws) => {
                const out = ws.alloc(dtype, rows * K);
                typed('projectLogProb', dtype)(ws.copyIn(x).ptr, ws.copyIn(P).ptr, ws.copyIn(c).ptr, ws.copyIn(bias).ptr, out.ptr, rows, K, D, tri);
                return out.read();
              });
              const scale = Array.from(want, (w) => Math.abs(w) + D * D);
              expectClose(got, want, 8 * D * eps(dtype), 0, scale);
            }
          }
        }
      });
    }
  }
});

describe('scatterBlock', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} accumulates the lower triangles of every component's weighted scatter like its twin`, () => {
      const rng = new Random(9);
      for (const D of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17]) {
        for (const K of [1, 3]) {
          for (const rows of [1, 2, 5, 33]) {
            const x = randomArray(rng, rows * D, dtype);
            const resp = rng.fillUniform(dtype === 'f32' ? new Float32Array(rows * K) : new Float64Array(rows * K));
            const centres = randomArray(rng, K * D, dtype);
            const s0 = randomArray(rng, K * D * D, dtype);
            const want = s0.slice();
            ref.scatterBlock(x, resp, centres, want, null, rows, K, D);
            const got = withWorkspace((ws) => {
              const s = ws.copyIn(s0);
              const z = ws.alloc(dtype, rows * (D + 8));
              typed('scatterBlock', dtype)(ws.copyIn(x).ptr, ws.copyIn(resp).ptr, ws.copyIn(centres).ptr, s.ptr, z.ptr, rows, K, D);
              return s.read();
            });
            for (let k = 0; k < K; k++) for (let i = 0; i < D; i++) for (let j = 0; j <= i; j++) {
              const at = k * D * D + i * D + j;
              expect(Math.abs(got[at] - want[at])).toBeLessThanOrEqual(8 * (rows + 2) * eps(dtype) * (Math.abs(want[at]) + rows * 10));
            }
          }
        }
      }
    });
  }
});
