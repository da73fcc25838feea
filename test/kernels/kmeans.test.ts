import { describe, expect, it } from 'vitest';
import { Random, typed, wasmMemory, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { eps, expectClose, randomArray } from '../helpers.js';

const DTYPES: DType[] = ['f64', 'f32'];
/** Shapes that cross the GEMM's micro-tile and SIMD remainders: rows, K, D. */
const SHAPES: [number, number, number][] = [[1, 1, 1], [5, 3, 2], [17, 7, 3], [64, 8, 16], [65, 9, 17], [257, 16, 5]];

function labelsView(ptr: number, n: number): Int32Array {
  return new Int32Array(wasmMemory().buffer, ptr, n);
}

function make(dtype: DType, n: number): FloatArray {
  return dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
}

function weights(rng: Random, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.random() * 3);
}

describe('kmeansAssign', () => {
  for (const dtype of DTYPES) {
    for (const weighted of [false, true]) {
      it(`${dtype}${weighted ? ', weighted' : ''}: labels, exact distances and inertia match the twin`, () => {
        const rng = new Random(11);
        for (const [rows, K, D] of SHAPES) {
          const x = randomArray(rng, rows * D, dtype);
          const c = randomArray(rng, K * D, dtype);
          const w = weighted ? weights(rng, rows) : null;
          const Kp = ref.paddedK(K, dtype === 'f32');
          const ct = make(dtype, (D + 1) * Kp);
          ref.packCentres(c, ct, K, D);
          const wantLabels = new Int32Array(rows), wantDist = new Float64Array(rows);
          const wantInertia = ref.kmeansAssign(x, c, ct, make(dtype, rows * Kp), w, wantLabels, wantDist, rows, K, D);
          const got = withWorkspace((ws) => {
            const px = ws.copyIn(x), pc = ws.copyIn(c), pct = ws.alloc(dtype, (D + 1) * Kp), g = ws.alloc(dtype, rows * Kp);
            const pl = ws.f32(rows), pd = ws.f64(rows), pw = w ? ws.copyIn(w).ptr : 0;
            typed('packCentres', dtype)(pc.ptr, pct.ptr, K, D);
            const inertia = typed('kmeansAssign', dtype)(px.ptr, pc.ptr, pct.ptr, g.ptr, pw, pl.ptr, pd.ptr, rows, K, D);
            return { inertia, ct: pct.read(), labels: labelsView(pl.ptr, rows).slice(), dist: pd.read() };
          });
          // The transposed centres are copies; the norms are sums, equal to rounding.
          expect(Array.from(got.ct.subarray(0, D * Kp))).toEqual(Array.from(ct.subarray(0, D * Kp)));
          expectClose(got.ct.subarray(D * Kp, D * Kp + K), ct.subarray(D * Kp, D * Kp + K), 4 * D * eps(dtype));
          expect(Array.from(got.ct.subarray(D * Kp + K))).toEqual(new Array(Kp - K).fill(Infinity));
          expect(Array.from(got.labels)).toEqual(Array.from(wantLabels));
          expectClose(got.dist, wantDist, 4 * D * eps(dtype));
          expect(Math.abs(got.inertia - wantInertia)).toBeLessThanOrEqual(4 * D * eps(dtype) * wantInertia);
        }
      });
    }
  }

  it('gives a tie to the lowest index', () => {
    // Two identical centres and a third farther away: every row is equally near 0 and 1.
    const x = new Float64Array([0.5, 0.5, -1, 2]);
    const c = new Float64Array([1, 1, 1, 1, 9, 9]);
    const labels = withWorkspace((ws) => {
      const pc = ws.copyIn(c), pct = ws.f64(12), pl = ws.f32(2);
      typed('packCentres', 'f64')(pc.ptr, pct.ptr, 3, 2);
      typed('kmeansAssign', 'f64')(ws.copyIn(x).ptr, pc.ptr, pct.ptr, ws.f64(8).ptr, 0, pl.ptr, ws.f64(2).ptr, 2, 3, 2);
      return labelsView(pl.ptr, 2).slice();
    });
    expect(Array.from(labels)).toEqual([0, 0]);
  });

  it('reports distances without cancellation for data far from the origin', () => {
    // ‖x‖² ≈ 2e16 swamps the distance 0.02 in the expanded form; the direct sum keeps it.
    const x = new Float64Array([1e8 + 0.1, 1e8 + 0.1]);
    const c = new Float64Array([1e8, 1e8]);
    const dist = withWorkspace((ws) => {
      const pc = ws.copyIn(c), pct = ws.f64(12), pd = ws.f64(1);
      typed('packCentres', 'f64')(pc.ptr, pct.ptr, 1, 2);
      typed('kmeansAssign', 'f64')(ws.copyIn(x).ptr, pc.ptr, pct.ptr, ws.f64(4).ptr, 0, ws.f32(1).ptr, pd.ptr, 1, 1, 2);
      return pd.read()[0];
    });
    expect(dist).toBeCloseTo(0.02, 6);
  });
});

describe('kmeansScatter', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: weighted sums and counts per label match the twin`, () => {
      const rng = new Random(12);
      for (const [rows, K, D] of SHAPES) {
        const x = randomArray(rng, rows * D, dtype);
        const labels = Int32Array.from({ length: rows }, () => rng.int(K));
        const w = weights(rng, rows);
        const sums = randomArray(rng, K * D, 'f64') as Float64Array, counts = new Float64Array(K).fill(1);
        const wantSums = sums.slice(), wantCounts = counts.slice();
        ref.kmeansScatter(x, labels, w, wantSums, wantCounts, rows, D);
        const got = withWorkspace((ws) => {
          const pl = ws.f32(rows);
          labelsView(pl.ptr, rows).set(labels);
          const ps = ws.copyIn(sums), pc = ws.copyIn(counts);
          typed('kmeansScatter', dtype)(ws.copyIn(x).ptr, pl.ptr, ws.copyIn(w).ptr, ps.ptr, pc.ptr, rows, D);
          return { sums: ps.read(), counts: pc.read() };
        });
        expectClose(got.sums, wantSums, 1e-13, 1e-13 * rows);
        expectClose(got.counts, wantCounts, 1e-13);
      }
    });
  }
});

describe('sqDistances', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: all squared distances, clamped at 0, match the twin`, () => {
      const rng = new Random(13);
      for (const [rows, K, D] of SHAPES) {
        const x = randomArray(rng, rows * D, dtype);
        const c = randomArray(rng, K * D, dtype);
        const Kp = ref.paddedK(K, dtype === 'f32');
        const ct = make(dtype, (D + 1) * Kp);
        ref.packCentres(c, ct, K, D);
        const want = make(dtype, rows * K);
        ref.sqDistances(x, ct, make(dtype, rows * Kp), want, rows, K, D);
        const got = withWorkspace((ws) => {
          const out = ws.alloc(dtype, rows * K);
          typed('sqDistances', dtype)(ws.copyIn(x).ptr, ws.copyIn(ct).ptr, ws.alloc(dtype, rows * Kp).ptr, out.ptr, rows, K, D);
          return out.read();
        });
        // Cancellation: the error is relative to ‖x‖² + ‖c‖², not to the distance.
        const scale = Array.from(want, (_, i) => 4 * D + Math.abs(want[i]));
        expectClose(got, want, 8 * D * eps(dtype), 0, scale);
        expect(Math.min(...got)).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('never returns a negative distance for a row equal to a centre', () => {
    const x = new Float64Array([0.1, 0.7, 1e3 / 3]);
    const got = withWorkspace((ws) => {
      const pc = ws.copyIn(x), pct = ws.f64(16), out = ws.f64(1);
      typed('packCentres', 'f64')(pc.ptr, pct.ptr, 1, 3);
      typed('sqDistances', 'f64')(ws.copyIn(x).ptr, pct.ptr, ws.f64(4).ptr, out.ptr, 1, 1, 3);
      return out.read()[0];
    });
    expect(got).toBeGreaterThanOrEqual(0);
    expect(got).toBeLessThan(1e-9);
  });
});

describe('k-means++ scoring', () => {
  for (const dtype of DTYPES) {
    for (const weighted of [false, true]) {
      it(`${dtype}${weighted ? ', weighted' : ''}: candidate potentials and closest-distance updates match the twins`, () => {
        const rng = new Random(14);
        for (const [rows, trials, D] of SHAPES) {
          const x = randomArray(rng, rows * D, dtype);
          const cand = randomArray(rng, trials * D, dtype);
          const closest = Float64Array.from({ length: rows }, () => rng.random() * 2 * D);
          const w = weighted ? weights(rng, rows) : null;
          const wantPots = new Float64Array(trials).fill(0.5);
          ref.kmeansppPotentials(x, cand, closest, w, wantPots, rows, trials, D);
          const wantClosest = closest.slice();
          const wantPot = ref.updateClosest(x, cand.subarray(0, D) as FloatArray, wantClosest, w, rows, D);
          const got = withWorkspace((ws) => {
            const px = ws.copyIn(x), pc = ws.copyIn(cand), pcl = ws.copyIn(closest), pw = w ? ws.copyIn(w).ptr : 0;
            const pp = ws.f64(trials).set(new Float64Array(trials).fill(0.5));
            typed('kmeansppPotentials', dtype)(px.ptr, pc.ptr, pcl.ptr, pw, pp.ptr, rows, trials, D);
            const pot = typed('updateClosest', dtype)(px.ptr, pc.ptr, pcl.ptr, pw, rows, D);
            return { pots: pp.read(), pot, closest: pcl.read() };
          });
          expectClose(got.pots, wantPots, 4 * D * eps(dtype));
          expectClose(got.closest, wantClosest, 4 * D * eps(dtype));
          expect(Math.abs(got.pot - wantPot)).toBeLessThanOrEqual(4 * D * eps(dtype) * wantPot);
        }
      });
    }
  }
});
