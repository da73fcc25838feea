import { describe, expect, it } from 'vitest';
import { kernels, Random, typed, withWorkspace, type DType } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, MAGNITUDES, randomArray, eps, expectClose } from '../helpers.js';
import { DTYPES, abs, zerosOf } from './linalg-util.js';

describe('dot', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} matches the reference twin on ${magnitude} inputs of awkward sizes`, () => {
        const rng = new Random(1);
        for (const n of AWKWARD_SIZES) {
          const x = randomArray(rng, n, dtype, magnitude);
          const y = randomArray(rng, n, dtype, 'normal');
          withWorkspace((ws) => {
            const px = ws.copyIn(x);
            const py = ws.copyIn(y);
            const got = typed('dot', dtype)(px.ptr, py.ptr, n);
            const want = ref.dot(x, y, n);
            // Error bound of a summation: n·eps·Σ|x_i y_i|.
            let absSum = 0;
            for (let i = 0; i < n; i++) absSum += Math.abs(x[i] * y[i]);
            expect(Math.abs(got - want)).toBeLessThanOrEqual(n * eps(dtype) * absSum);
          });
        }
      });
    }
  }
  it('returns 0 for n = 0', () => {
    expect(kernels().dotF64(0, 0, 0)).toBe(0);
  });
});

describe('axpy and scale', () => {
  for (const dtype of DTYPES) {
    for (const magnitude of MAGNITUDES) {
      it(`${dtype} axpy adds alpha·x to y like the twin on ${magnitude} x of awkward sizes, leaving y[n:] alone`, () => {
        const rng = new Random(2);
        for (const n of AWKWARD_SIZES) {
          const x = randomArray(rng, n, dtype, magnitude);
          const y = randomArray(rng, n + 1, dtype);
          const alpha = -0.3;
          const want = y.slice();
          ref.axpy(n, alpha, x, want);
          const got = withWorkspace((ws) => {
            const py = ws.copyIn(y);
            typed('axpy', dtype)(n, alpha, ws.copyIn(x).ptr, py.ptr);
            return py.read();
          });
          // One product and one sum per element; alpha itself is rounded to the element type.
          const scale = Array.from(want, (_, i) => Math.abs(alpha * (x[i] ?? 0)) + Math.abs(y[i]));
          expectClose(got, want, 3 * eps(dtype), 0, scale);
          expect(got[n]).toBe(y[n]);
        }
      });

      it(`${dtype} scale multiplies x by alpha like the twin on ${magnitude} inputs of awkward sizes`, () => {
        const rng = new Random(3);
        for (const n of AWKWARD_SIZES) {
          const x = randomArray(rng, n, dtype, magnitude);
          const alpha = 1.7;
          const want = x.slice();
          ref.scale(n, alpha, want);
          const got = withWorkspace((ws) => {
            const px = ws.copyIn(x);
            typed('scale', dtype)(n, alpha, px.ptr);
            return px.read();
          });
          expectClose(got, want, 2 * eps(dtype));
        }
      });
    }
  }
});

/** Runs gemv or gemvT in wasm and as the twin; the bound is (dot length + 2)·eps·(|A||x| + |beta·y|). */
function checkGemv(rng: Random, name: 'gemv' | 'gemvT', dtype: DType, m: number, n: number, beta: number, magnitude: (typeof MAGNITUDES)[number]): void {
  const [xLen, yLen] = name === 'gemv' ? [n, m] : [m, n];
  const a = randomArray(rng, m * n, dtype, magnitude);
  const x = randomArray(rng, xLen, dtype);
  const y = beta === 0 ? zerosOf(dtype, yLen).fill(NaN) : randomArray(rng, yLen, dtype);
  const want = y.slice();
  ref[name](a, x, want, m, n, beta);
  const scale = abs(y);
  ref[name](abs(a), abs(x), scale, m, n, Math.abs(beta));
  const got = withWorkspace((ws) => {
    const py = ws.copyIn(y);
    typed(name, dtype)(ws.copyIn(a).ptr, ws.copyIn(x).ptr, py.ptr, m, n, beta);
    return py.read();
  });
  expectClose(got, want, (xLen + 2) * eps(dtype), 0, scale);
}

describe('gemv and gemvT', () => {
  for (const name of ['gemv', 'gemvT'] as const) {
    for (const dtype of DTYPES) {
      it(`${name} ${dtype} matches the twin for every awkward m × n, beta 0 (over NaN), 1 and 0.5`, () => {
        const rng = new Random(4);
        for (const m of AWKWARD_SIZES) for (const n of AWKWARD_SIZES) {
          for (const beta of [0, 1, 0.5]) checkGemv(rng, name, dtype, m, n, beta, 'normal');
        }
      });
      it(`${name} ${dtype} matches the twin on every magnitude class`, () => {
        const rng = new Random(5);
        for (const magnitude of MAGNITUDES) {
          checkGemv(rng, name, dtype, 65, 17, 0.5, magnitude);
          checkGemv(rng, name, dtype, 7, 257, 0, magnitude);
        }
      });
    }
  }
});

describe('transpose', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} moves A[i][j] to out[j][i] exactly for every awkward m × n`, () => {
      const rng = new Random(6);
      for (const m of AWKWARD_SIZES) for (const n of AWKWARD_SIZES) {
        const a = randomArray(rng, m * n, dtype, 'mixed');
        const want = zerosOf(dtype, m * n);
        ref.transpose(a, want, m, n);
        const got = withWorkspace((ws) => {
          const out = ws.alloc(dtype, m * n);
          typed('transpose', dtype)(ws.copyIn(a).ptr, out.ptr, m, n);
          return out.read();
        });
        expect(got).toEqual(want);
      }
    });
  }
});

describe('syrkWeighted', () => {
  /** Bound: n·eps relative to Σ_i |w_i z_ir z_ic| + |beta·S|, with z = x − mean. */
  function check(rng: Random, dtype: DType, n: number, d: number, centred: boolean, beta: number, magnitude: (typeof MAGNITUDES)[number]): void {
    const x = randomArray(rng, n * d, dtype, magnitude);
    const w = zerosOf(dtype, n);
    rng.fillUniform(w, 0, 2);
    const mean = centred ? randomArray(rng, d, dtype, magnitude) : null;
    // Only S's lower triangle is read (scaled by beta); the upper one is overwritten by the mirror.
    const s0 = beta === 0 ? zerosOf(dtype, d * d).fill(NaN) : randomArray(rng, d * d, dtype);
    const want = s0.slice();
    ref.syrkWeighted(x, w, mean, want, n, d, beta);
    const z = Float64Array.from(x, (v, i) => Math.abs(v - (mean ? mean[i % d] : 0)));
    const scale = beta === 0 ? new Float64Array(d * d) : abs(s0).map((v) => v * Math.abs(beta));
    ref.syrkWeighted(z, w, null, scale, n, d, 1);
    const got = withWorkspace((ws) => {
      const ps = ws.copyIn(s0);
      typed('syrkWeighted', dtype)(ws.copyIn(x).ptr, ws.copyIn(w).ptr, mean ? ws.copyIn(mean).ptr : 0, ps.ptr, n, d, beta);
      return ps.read();
    });
    expectClose(got, want, (n + 4) * eps(dtype), 0, scale);
    for (let r = 0; r < d; r++) for (let c = 0; c < r; c++) {
      if (!Object.is(got[r * d + c], got[c * d + r])) expect.fail(`S[${r}][${c}] = ${got[r * d + c]} but S[${c}][${r}] = ${got[c * d + r]}`);
    }
  }

  for (const dtype of DTYPES) {
    for (const centred of [true, false]) {
      const how = centred ? 'centred on a mean' : 'uncentred (mean pointer 0)';
      it(`${dtype} ${how}: matches the twin for awkward d and n, beta 0 (over NaN), 1, 0.5, exactly symmetric`, () => {
        const rng = new Random(7);
        for (const d of AWKWARD_SIZES) {
          for (const n of [1, 2, 3, 4, 5, 37]) {
            for (const beta of [0, 1, 0.5]) check(rng, dtype, n, d, centred, beta, 'normal');
          }
        }
      });
      it(`${dtype} ${how}: matches the twin on every magnitude class`, () => {
        const rng = new Random(8);
        for (const magnitude of MAGNITUDES) check(rng, dtype, 37, 17, centred, 0.5, magnitude);
      });
    }
  }

  it('centring on the weighted mean gives the covariance of a sample, without losing digits to a large offset', () => {
    // x_i = 1e8 + (−1, 0, +1) in both coordinates: the uncentred one-pass formula would cancel 1e16-sized terms.
    const x = new Float64Array([1e8 - 1, 1e8 - 1, 1e8, 1e8, 1e8 + 1, 1e8 + 1]);
    const w = new Float64Array([1 / 3, 1 / 3, 1 / 3]);
    const got = withWorkspace((ws) => {
      const s = ws.f64(4);
      kernels().syrkWeightedF64(ws.copyIn(x).ptr, ws.copyIn(w).ptr, ws.copyIn(new Float64Array([1e8, 1e8])).ptr, s.ptr, 3, 2, 0);
      return s.read();
    });
    expectClose(got, [2 / 3, 2 / 3, 2 / 3, 2 / 3], 4 * eps('f64'));
  });
});
