// The kernels of assembly/learned.ts against their twins in src/reference/learned.ts: bit for
// bit in f64 (the same operations in the same order), within a few f32 ulps in f32 (the twin
// computes in f64 and rounds on store).
import { describe, expect, it } from 'vitest';
import { Random, typed, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { AWKWARD_SIZES, randomArray } from '../helpers.js';

const DTYPES: DType[] = ['f64', 'f32'];
/** Relative tolerance of the f32 kernels against the f64 twin (a few f32 ulps). */
const F32_TOL = 1e-6;

function expectClose(got: FloatArray, want: FloatArray, dtype: DType): void {
  expect(got.length).toBe(want.length);
  if (dtype === 'f64') {
    expect(Array.from(got)).toEqual(Array.from(want));
    return;
  }
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(F32_TOL * Math.max(1, Math.abs(want[i])));
}

/** Non-negative thresholds around the typical |b|, so that some entries pass and some do not. */
function thresholds(rng: Random, A: number, dtype: DType): FloatArray {
  const t = randomArray(rng, A, dtype);
  for (let i = 0; i < A; i++) t[i] = Math.abs(t[i]) * 0.8;
  return t;
}

describe('listaShrink', () => {
  for (const dtype of DTYPES) {
    for (const positive of [0, 1]) {
      it(`${dtype}${positive ? ' (positive)' : ''} applies a per-column soft threshold exactly as its twin, at awkward widths`, () => {
        const rng = new Random(7);
        for (const A of AWKWARD_SIZES) {
          const rows = 3;
          const b = randomArray(rng, rows * A, dtype);
          const theta = thresholds(rng, A, dtype);
          const got = withWorkspace((ws) => {
            const pb = ws.copyIn(b), pt = ws.copyIn(theta), pz = ws.alloc(dtype, rows * A);
            typed('listaShrink', dtype)(pb.ptr, pz.ptr, pt.ptr, rows, A, positive);
            return pz.read();
          });
          const want = b.slice().fill(0);
          ref.listaShrink(b, want, theta, rows, A, positive);
          expectClose(got, want, dtype);
          // The map itself: a soft threshold per column.
          for (let i = 0; i < rows * A; i++) {
            const t = theta[i % A], v = b[i];
            const s = positive ? Math.max(v - t, 0) : Math.sign(v) * Math.max(Math.abs(v) - t, 0);
            expect(Math.abs(got[i] - s)).toBeLessThanOrEqual(dtype === 'f64' ? 0 : F32_TOL * Math.max(1, Math.abs(s)));
          }
        }
      });
    }
  }
});

describe('listaShrinkBackward', () => {
  for (const dtype of DTYPES) {
    for (const positive of [0, 1]) {
      it(`${dtype}${positive ? ' (positive)' : ''} passes the gradient where the threshold passes and accumulates −sign(b)·g into gθ, as its twin`, () => {
        const rng = new Random(8);
        for (const A of AWKWARD_SIZES) {
          const rows = 5;
          const b = randomArray(rng, rows * A, dtype);
          const gz = randomArray(rng, rows * A, dtype);
          const theta = thresholds(rng, A, dtype);
          const g0 = randomArray(rng, A, dtype);
          const [gb, gt] = withWorkspace((ws) => {
            const pb = ws.copyIn(b), pg = ws.copyIn(gz), pt = ws.copyIn(theta), pgt = ws.copyIn(g0), pgb = ws.alloc(dtype, rows * A);
            typed('listaShrinkBackward', dtype)(pb.ptr, pg.ptr, pgb.ptr, pt.ptr, pgt.ptr, rows, A, positive);
            return [pgb.read(), pgt.read()];
          });
          const wantGb = b.slice().fill(0), wantGt = g0.slice();
          ref.listaShrinkBackward(b, gz, wantGb, theta, wantGt, rows, A, positive);
          expectClose(gb, wantGb, dtype);
          expectClose(gt, wantGt, dtype);
          for (let i = 0; i < rows * A; i++) {
            const pass = positive ? b[i] > theta[i % A] : Math.abs(b[i]) > theta[i % A];
            expect(gb[i]).toBe(pass ? gz[i] : 0);
          }
        }
      });
    }
  }
});

describe('codeErrorGrad', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} returns Σ(z − h)² and stores scale·(z − h), as its twin`, () => {
      const rng = new Random(9);
      for (const n of AWKWARD_SIZES) {
        const z = randomArray(rng, n, dtype), h = randomArray(rng, n, dtype);
        const [sum, g] = withWorkspace((ws) => {
          const pz = ws.copyIn(z), ph = ws.copyIn(h), pg = ws.alloc(dtype, n);
          const s = typed('codeErrorGrad', dtype)(pz.ptr, ph.ptr, pg.ptr, n, 0.25);
          return [s, pg.read()] as const;
        });
        const want = z.slice();
        const wantSum = ref.codeErrorGrad(z, h, want, n, 0.25);
        expectClose(g, want, dtype);
        expect(Math.abs(sum - wantSum)).toBeLessThanOrEqual((dtype === 'f64' ? 1e-14 : F32_TOL) * Math.max(1, wantSum));
      }
    });
  }
});

describe('adamStep', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} updates parameters and both moments as its twin`, () => {
      const rng = new Random(10);
      for (const n of AWKWARD_SIZES) {
        const p = randomArray(rng, n, dtype), g = randomArray(rng, n, dtype), m = randomArray(rng, n, dtype);
        const v = randomArray(rng, n, dtype);
        for (let i = 0; i < n; i++) v[i] = Math.abs(v[i]);
        const args = [0.01, 0.9, 0.999, 1e-8, 1 - 0.9 ** 3, 1 - 0.999 ** 3] as const;
        const got = withWorkspace((ws) => {
          const pp = ws.copyIn(p), pg = ws.copyIn(g), pm = ws.copyIn(m), pv = ws.copyIn(v);
          typed('adamStep', dtype)(pp.ptr, pg.ptr, pm.ptr, pv.ptr, n, ...args);
          return [pp.read(), pm.read(), pv.read()];
        });
        const [wp, wm, wv] = [p.slice(), m.slice(), v.slice()];
        ref.adamStep(wp, g, wm, wv, n, ...args);
        expectClose(got[0], wp, dtype);
        expectClose(got[1], wm, dtype);
        expectClose(got[2], wv, dtype);
      }
    });
  }
  it('moves each parameter against its gradient by about the learning rate on the first step', () => {
    const p = new Float64Array([1, 1, 1]), g = new Float64Array([3, -0.001, 0]);
    ref.adamStep(p, g, new Float64Array(3), new Float64Array(3), 3, 0.1, 0.9, 0.999, 1e-8, 0.1, 0.001);
    expect(p[0]).toBeCloseTo(0.9, 6);
    expect(p[1]).toBeCloseTo(1.1, 4);
    expect(p[2]).toBe(1);
  });
});

describe('sigmoidBackward', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} multiplies the gradient by q(1 − q) exactly as its twin, at awkward lengths, in place too`, () => {
      const rng = new Random(17);
      for (const n of AWKWARD_SIZES) {
        const q = randomArray(rng, n, dtype).map((v) => 1 / (1 + Math.exp(-v)));
        const gq = randomArray(rng, n, dtype);
        const [got, inPlace] = withWorkspace((ws) => {
          const pq = ws.copyIn(q), pg = ws.copyIn(gq), pu = ws.alloc(dtype, n);
          typed('sigmoidBackward', dtype)(pq.ptr, pg.ptr, pu.ptr, n);
          const out = pu.read();
          typed('sigmoidBackward', dtype)(pq.ptr, pg.ptr, pg.ptr, n);
          return [out, pg.read()];
        });
        const want = gq.slice().fill(0);
        ref.sigmoidBackward(q, gq, want, n);
        expectClose(got, want, dtype);
        expectClose(inPlace, want, dtype);
        for (let i = 0; i < n; i++) expect(Math.abs(want[i] - gq[i] * q[i] * (1 - q[i]))).toBeLessThanOrEqual((dtype === 'f64' ? 1e-15 : F32_TOL) * Math.max(1, Math.abs(want[i])));
      }
    });
  }
});

describe('encoderSweepBackward', () => {
  for (const dtype of DTYPES) {
    it(`${dtype} backpropagates through a sequential mean-field layer as its twin (accumulating into gJ), for several rows and widths`, () => {
      const rng = new Random(19);
      for (const [rows, n] of [[1, 1], [3, 2], [5, 7], [9, 16], [2, 33]]) {
        const sig = (v: number) => 1 / (1 + Math.exp(-v));
        const y = randomArray(rng, rows * n, dtype).map(sig), x = randomArray(rng, rows * n, dtype).map(sig);
        const gy = randomArray(rng, rows * n, dtype), J = randomArray(rng, n * n, dtype);
        const gu0 = randomArray(rng, rows * n, dtype), gJ0 = randomArray(rng, n * n, dtype);
        const [gu, gx, gJ] = withWorkspace((ws) => {
          const py = ws.copyIn(y), px = ws.copyIn(x), pgy = ws.copyIn(gy), pJ = ws.copyIn(J), pgu = ws.copyIn(gu0), pgJ = ws.copyIn(gJ0);
          const pgx = ws.alloc(dtype, rows * n);
          typed('encoderSweepBackward', dtype)(py.ptr, px.ptr, pgy.ptr, pJ.ptr, pgu.ptr, pgx.ptr, pgJ.ptr, rows, n);
          return [pgu.read(), pgx.read(), pgJ.read()];
        });
        const wu = gu0.slice(), wx = gu0.slice().fill(0), wJ = gJ0.slice();
        ref.encoderSweepBackward(y, x, gy, J, wu, wx, wJ, rows, n);
        if (dtype === 'f64') {
          expect(Array.from(gu)).toEqual(Array.from(wu));
          expect(Array.from(gx)).toEqual(Array.from(wx));
          expect(Array.from(gJ)).toEqual(Array.from(wJ));
        } else {
          // f32 sums of up to n·rows terms against f64 ones: within f32 rounding of the largest value.
          for (const [g, w] of [[gu, wu], [gx, wx], [gJ, wJ]]) {
            const scale = Math.max(1, ...Array.from(w, Math.abs));
            for (let i = 0; i < w.length; i++) expect(Math.abs(g[i] - w[i])).toBeLessThanOrEqual(1e-5 * scale);
          }
        }
      }
    });
  }

  it('is the chain rule of the sequential layer: its gradients match central finite differences of a linear loss', () => {
    // Loss ℓ = Σ gy·y + Σ g0·u-direct: u_i = c_i + Σ_{j<i} J_ij y_j + Σ_{j≥i} J_ij x_j, y_i = σ(u_i).
    const rng = new Random(23);
    const rows = 2, n = 5;
    const x = Array.from({ length: rows * n }, () => rng.random());
    const c = Array.from({ length: rows * n }, () => rng.normal());
    const J = Float64Array.from({ length: n * n }, () => rng.normal());
    const gy = Float64Array.from({ length: rows * n }, () => rng.normal());
    const forward = (Jp: ArrayLike<number>, xp: ArrayLike<number>) => {
      const y = Float64Array.from(xp);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < n; i++) {
          let u = c[r * n + i];
          for (let j = 0; j < n; j++) u += Jp[i * n + j] * y[r * n + j];
          y[r * n + i] = 1 / (1 + Math.exp(-u));
        }
      }
      return y;
    };
    const loss = (Jp: ArrayLike<number>, xp: ArrayLike<number>) => forward(Jp, xp).reduce((s, v, i) => s + gy[i] * v, 0);
    const y = forward(J, x);
    const gu = new Float64Array(rows * n), gx = new Float64Array(rows * n), gJ = new Float64Array(n * n);
    ref.encoderSweepBackward(y, Float64Array.from(x), gy, J, gu, gx, gJ, rows, n);
    const h = 1e-6;
    for (let i = 0; i < n * n; i++) {
      const up = J.slice(), dn = J.slice();
      up[i] += h; dn[i] -= h;
      expect(Math.abs((loss(up, x) - loss(dn, x)) / (2 * h) - gJ[i])).toBeLessThanOrEqual(1e-7);
    }
    for (let i = 0; i < rows * n; i++) {
      const up = x.slice(), dn = x.slice();
      up[i] += h; dn[i] -= h;
      expect(Math.abs((loss(J, up) - loss(J, dn)) / (2 * h) - gx[i])).toBeLessThanOrEqual(1e-7);
    }
  });
});
