import { describe, expect, it } from 'vitest';
import { Random, typed, wasmMemory, withWorkspace, type DType, type FloatArray } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { centreBounds } from '../../src/kmeans/bounds.js';
import { eps, expectClose, randomArray } from '../helpers.js';
import { expectSamePass, type PassResult } from './kmeans-helpers.js';

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

/** Packs K centres with the twin, for both sides. */
function packed(dtype: DType, c: FloatArray, K: number, D: number): FloatArray {
  const ct = make(dtype, (D + 1) * ref.paddedK(K, dtype === 'f32'));
  ref.packCentres(c, ct, K, D);
  return ct;
}

/** kmeansLloydPass in wasm over rows [start, end), starting from the given labels. */
function wasmLloydPass(dtype: DType, x: FloatArray, c: FloatArray, w: Float64Array | null, labels: Int32Array, start: number, end: number, K: number, D: number, withSums = true, xNorms: Float64Array | null = null): PassResult & { ct: FloatArray } {
  const rows = labels.length, Kp = ref.paddedK(K, dtype === 'f32');
  return withWorkspace((ws) => {
    const px = ws.copyIn(x), pc = ws.copyIn(c), pct = ws.alloc(dtype, (D + 1) * Kp), g = ws.alloc(dtype, 256 * Kp);
    const pl = ws.f32(rows), pd = ws.f64(rows).set(new Float64Array(rows)), pw = w ? ws.copyIn(w).ptr : 0;
    const ps = ws.f64(K * D).set(new Float64Array(K * D)), pcn = ws.f64(K).set(new Float64Array(K)), po = ws.f64(2).set([0, 0]);
    const pn = xNorms ? ws.copyIn(xNorms) : null;
    labelsView(pl.ptr, rows).set(labels);
    typed('packCentres', dtype)(pc.ptr, pct.ptr, K, D);
    typed('kmeansLloydPass', dtype)(px.ptr, pn ? pn.ptr : 0, pc.ptr, pct.ptr, g.ptr, pw, pl.ptr, pd.ptr, withSums ? ps.ptr : 0, withSums ? pcn.ptr : 0, po.ptr, start, end, K, D);
    return { ct: pct.read(), labels: labelsView(pl.ptr, rows).slice(), dist: pd.readF64(), sums: ps.readF64(), counts: pcn.readF64(), out: po.readF64() };
  });
}

describe('kmeansLloydPass', () => {
  for (const dtype of DTYPES) {
    for (const weighted of [false, true]) {
      it(`${dtype}${weighted ? ', weighted' : ''}: labels, exact distances, sums, inertia and changed labels match the twin`, () => {
        const rng = new Random(11);
        for (const [rows, K, D] of [...SHAPES, [600, 5, 4] as [number, number, number]]) {
          const x = randomArray(rng, rows * D, dtype);
          const c = randomArray(rng, K * D, dtype);
          const w = weighted ? weights(rng, rows) : null;
          const before = Int32Array.from({ length: rows }, () => rng.int(K + 1) - 1);
          const ct = packed(dtype, c, K, D), Kp = ref.paddedK(K, dtype === 'f32');
          const want: PassResult = { labels: before.slice(), dist: new Float64Array(rows), sums: new Float64Array(K * D), counts: new Float64Array(K), out: new Float64Array(2) };
          ref.kmeansLloydPass(x, null, c, ct, make(dtype, Kp), w, want.labels, want.dist, want.sums, want.counts, want.out, 0, rows, K, D);
          const got = wasmLloydPass(dtype, x, c, w, before, 0, rows, K, D);
          // The transposed centres are copies; the norms are sums, equal to rounding.
          expect(Array.from(got.ct.subarray(0, D * Kp))).toEqual(Array.from(ct.subarray(0, D * Kp)));
          expectClose(got.ct.subarray(D * Kp, D * Kp + K), ct.subarray(D * Kp, D * Kp + K), 4 * D * eps(dtype));
          expect(Array.from(got.ct.subarray(D * Kp + K))).toEqual(new Array(Kp - K).fill(Infinity));
          expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
          expectClose(got.dist, want.dist, 4 * D * eps(dtype));
          expectClose(got.sums, want.sums, 1e-13, 1e-13 * rows);
          expectClose(got.counts, want.counts, 1e-13);
          expect(Math.abs(got.out[0] - want.out[0])).toBeLessThanOrEqual(4 * D * eps(dtype) * want.out[0]);
          expect(got.out[1]).toBe(want.out[1]);
          expect(want.out[1]).toBe(Array.from(before).filter((l, i) => l !== want.labels[i]).length);
        }
      });
    }
  }

  it('passes over a range of rows only, and leaves sums alone when given none', () => {
    const rng = new Random(15), rows = 700, K = 6, D = 5;
    const x = randomArray(rng, rows * D, 'f64'), c = randomArray(rng, K * D, 'f64');
    const before = new Int32Array(rows).fill(-1);
    const whole = wasmLloydPass('f64', x, c, null, before, 0, rows, K, D);
    const part = wasmLloydPass('f64', x, c, null, before, 256, 600, K, D);
    expect(Array.from(part.labels.subarray(256, 600))).toEqual(Array.from(whole.labels.subarray(256, 600)));
    expect(Array.from(part.labels.subarray(0, 256)).every((l) => l === -1)).toBe(true);
    expect(Array.from(part.labels.subarray(600)).every((l) => l === -1)).toBe(true);
    expect(part.out[1]).toBe(344);
    const none = wasmLloydPass('f64', x, c, null, before, 0, rows, K, D, false);
    expect(Array.from(none.sums).every((v) => v === 0)).toBe(true);
    expect(Array.from(none.labels)).toEqual(Array.from(whole.labels));
  });

  for (const dtype of DTYPES) {
    it(`${dtype}: with the rows' norms, takes the distances from the expanded form, the same labels and sums, as the twin`, () => {
      const rng = new Random(18), rows = 700, K = 7, D = 6;
      const x = randomArray(rng, rows * D, dtype), c = randomArray(rng, K * D, dtype);
      const xNorms = new Float64Array(rows);
      ref.rowSqNorms(x, xNorms, 0, rows, D);
      const before = new Int32Array(rows).fill(-1);
      const exact = wasmLloydPass(dtype, x, c, null, before, 0, rows, K, D);
      const fast = wasmLloydPass(dtype, x, c, null, before, 0, rows, K, D, true, xNorms);
      const twin = { labels: before.slice(), dist: new Float64Array(rows), out: new Float64Array(2) };
      ref.kmeansLloydPass(x, xNorms, c, packed(dtype, c, K, D), make(dtype, ref.paddedK(K, dtype === 'f32')), null, twin.labels, twin.dist, null, null, twin.out, 0, rows, K, D);
      expect(Array.from(fast.labels)).toEqual(Array.from(exact.labels));
      expect(Array.from(fast.sums)).toEqual(Array.from(exact.sums));
      // Cancellation: the error is relative to ‖x‖² + ‖c‖² (≤ 2D here), not to the distance.
      expectClose(fast.dist, exact.dist, 0, 16 * D * eps(dtype) * 2 * D);
      expectClose(fast.dist, twin.dist, 0, 16 * D * eps(dtype) * 2 * D);
      expect(Math.min(...fast.dist)).toBeGreaterThanOrEqual(0);
    });
  }

  it('gives a tie to the lowest index', () => {
    // Two identical centres and a third farther away: every row is equally near 0 and 1.
    const x = new Float64Array([0.5, 0.5, -1, 2]);
    const c = new Float64Array([1, 1, 1, 1, 9, 9]);
    const got = wasmLloydPass('f64', x, c, null, new Int32Array(2).fill(-1), 0, 2, 3, 2);
    expect(Array.from(got.labels)).toEqual([0, 0]);
  });

  it('reports distances without cancellation for data far from the origin', () => {
    // ‖x‖² ≈ 2e16 swamps the distance 0.02 in the expanded form; the direct sum keeps it.
    const x = new Float64Array([1e8 + 0.1, 1e8 + 0.1]);
    const c = new Float64Array([1e8, 1e8]);
    const got = wasmLloydPass('f64', x, c, null, new Int32Array(1).fill(-1), 0, 1, 1, 2);
    expect(got.dist[0]).toBeCloseTo(0.02, 6);
  });
});

describe('kmeansHamerlyPass', () => {
  /** Runs Lloyd's iterations twice, plain and bounded, in one engine (twins or wasm); returns both histories. */
  function bothPasses(engine: 'twin' | 'wasm', dtype: DType, x: FloatArray, K: number, D: number, iters: number): { plain: PassResult[]; bounded: PassResult[] } {
    const rows = x.length / D;
    const run = (bounded: boolean): PassResult[] => {
      const hist: PassResult[] = [];
      let c = Float64Array.from(x.subarray(0, K * D));
      let prev: Float64Array | null = null;
      const labels = new Int32Array(rows).fill(-1), dist = new Float64Array(rows), lower = new Float64Array(rows), xNorms = new Float64Array(rows);
      ref.rowSqNorms(x, xNorms, 0, rows, D);
      for (let t = 0; t < iters; t++) {
        const cT = dtype === 'f32' ? Float32Array.from(c) : c;
        const ct = packed(dtype, cT, K, D), g = make(dtype, 256 * ref.paddedK(K, dtype === 'f32'));
        const r: PassResult = { labels, dist, sums: new Float64Array(K * D), counts: new Float64Array(K), out: new Float64Array(3) };
        if (!bounded && engine === 'twin') ref.kmeansLloydPass(x, null, cT, ct, g, null, labels, dist, r.sums, r.counts, r.out, 0, rows, K, D);
        else if (!bounded) {
          const got = wasmLloydPass(dtype, x, cT, null, labels, 0, rows, K, D);
          labels.set(got.labels); dist.set(got.dist); r.sums.set(got.sums); r.counts.set(got.counts); r.out.set(got.out);
        } else {
          const b = centreBounds(Float64Array.from(cT), prev && Float64Array.from(dtype === 'f32' ? Float32Array.from(prev) : prev), K, D);
          if (engine === 'twin') ref.kmeansHamerlyPass(x, xNorms, cT, ct, g, null, labels, dist, lower, b.shifts, b.half, b.maxNorm, r.sums, r.counts, r.out, 0, rows, K, D);
          else {
            withWorkspace((ws) => {
              const px = ws.copyIn(x), pn = ws.copyIn(xNorms), pc = ws.copyIn(cT), pct = ws.copyIn(ct), pg = ws.alloc(dtype, 256 * ref.paddedK(K, dtype === 'f32'));
              const pxs = ws.alloc(dtype, 256 * D), pidx = ws.f32(256), pl = ws.f32(rows), pd = ws.copyIn(dist), plo = ws.copyIn(lower);
              const psh = ws.copyIn(b.shifts), phf = ws.copyIn(b.half), ps = ws.copyIn(r.sums), pcn = ws.copyIn(r.counts), po = ws.copyIn(r.out);
              labelsView(pl.ptr, rows).set(labels);
              typed('kmeansHamerlyPass', dtype)(px.ptr, pn.ptr, pc.ptr, pct.ptr, pg.ptr, pxs.ptr, pidx.ptr, 0, pl.ptr, pd.ptr, plo.ptr, psh.ptr, phf.ptr, b.maxNorm, ps.ptr, pcn.ptr, po.ptr, 0, rows, K, D, 0);
              labels.set(labelsView(pl.ptr, rows)); dist.set(pd.readF64()); lower.set(plo.readF64());
              r.sums.set(ps.readF64()); r.counts.set(pcn.readF64()); r.out.set(po.readF64());
            });
          }
        }
        hist.push({ ...r, labels: labels.slice(), dist: dist.slice() });
        prev = c;
        c = Float64Array.from(c, (v, i) => (r.counts[Math.floor(i / D)] > 0 ? r.sums[i] / r.counts[Math.floor(i / D)] : v));
      }
      return hist;
    };
    return { plain: run(false), bounded: run(true) };
  }

  for (const engine of ['twin', 'wasm'] as const) {
    for (const dtype of DTYPES) {
      it(`${engine}, ${dtype}: the same labels, distances, sums and inertia as Lloyd's pass, iteration after iteration`, () => {
        const rng = new Random(16);
        for (const [rows, K, D] of [[700, 9, 3], [300, 4, 17], [520, 1, 2], [64, 16, 8]] as [number, number, number][]) {
          // Clustered rows (so that the bounds prune), shifted off the origin.
          const x = make(dtype, rows * D);
          for (let i = 0; i < rows; i++) for (let d = 0; d < D; d++) x[i * D + d] = 3 + (i % 5) * 4 + rng.normal();
          const { plain, bounded } = bothPasses(engine, dtype, x, K, D, 8);
          plain.forEach((p, t) => expectSamePass(bounded[t], p));
          // The first pass scans every row; later ones settle most rows by their bounds.
          expect(bounded[0].out[2]).toBe(rows);
          if (K > 1) expect(bounded[bounded.length - 1].out[2]).toBeLessThan(rows / 2);
        }
      });
    }
  }

  it('gives a tie to the lowest index even when the bounds would keep the old label', () => {
    // Row 0 sits exactly between centres 0 and 1 and is labelled 1: a tie must go to 0.
    const x = new Float64Array([0, 0, 5, 5]), c = new Float64Array([-1, 0, 1, 0]);
    const ct = packed('f64', c, 2, 2), b = centreBounds(c, null, 2, 2);
    const labels = Int32Array.of(1, 1), lower = Float64Array.of(1, 1), xNorms = new Float64Array(2);
    ref.rowSqNorms(x, xNorms, 0, 2, 2);
    const out = new Float64Array(3);
    ref.kmeansHamerlyPass(x, xNorms, c, ct, new Float64Array(256 * 4), null, labels, new Float64Array(2), lower, b.shifts, b.half, b.maxNorm, null, null, out, 0, 2, 2, 2);
    expect(labels[0]).toBe(0);
  });
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
      it(`${dtype}${weighted ? ', weighted' : ''}: row norms, candidate potentials and closest-distance updates match the twins`, () => {
        const rng = new Random(14);
        for (const [rows, trials, D] of SHAPES) {
          const x = randomArray(rng, rows * D, dtype);
          const cand = randomArray(rng, trials * D, dtype);
          const closest = Float64Array.from({ length: rows }, () => rng.random() * 2 * D);
          const w = weighted ? weights(rng, rows) : null;
          const xNorms = new Float64Array(rows);
          ref.rowSqNorms(x, xNorms, 0, rows, D);
          const cct = packed(dtype, cand, trials, D), Tp = ref.paddedK(trials, dtype === 'f32');
          const wantPots = new Float64Array(trials).fill(0.5);
          const wantMin = new Float64Array(trials * rows);
          ref.kmeansppPotentials(x, xNorms, cct, make(dtype, Tp), closest, w, wantPots, 0, rows, trials, D, wantMin, rows);
          const wantClosest = closest.slice();
          const wantPot = ref.updateClosest(x, cand.subarray(0, D) as FloatArray, wantClosest, w, 0, rows, D);
          const got = withWorkspace((ws) => {
            const px = ws.copyIn(x), pc = ws.copyIn(cand), pcl = ws.copyIn(closest), pw = w ? ws.copyIn(w).ptr : 0;
            const pn = ws.f64(rows), pct = ws.alloc(dtype, (D + 1) * Tp), pg = ws.alloc(dtype, 256 * Tp);
            typed('rowSqNorms', dtype)(px.ptr, pn.ptr, 0, rows, D);
            typed('packCentres', dtype)(pc.ptr, pct.ptr, trials, D);
            const pp = ws.f64(trials).set(new Float64Array(trials).fill(0.5)), pm = ws.f64(trials * rows);
            typed('kmeansppPotentials', dtype)(px.ptr, pn.ptr, pct.ptr, pg.ptr, pcl.ptr, pw, pp.ptr, 0, rows, trials, D, pm.ptr, rows);
            const candMin = pm.readF64();
            const pot = typed('updateClosest', dtype)(px.ptr, pc.ptr, pcl.ptr, pw, 0, rows, D);
            return { norms: pn.readF64(), pots: pp.readF64(), pot, closest: pcl.readF64(), candMin };
          });
          // Each candidate's min(closest, distance) per row, as summed into its potential.
          expectClose(got.candMin, wantMin, 8 * D * eps(dtype), 8 * D * eps(dtype) * 4 * D);
          for (let t = 0; t < trials; t++) {
            let sum = 0.5;
            for (let i = 0; i < rows; i++) {
              expect(got.candMin[t * rows + i]).toBeLessThanOrEqual(closest[i]);
              sum += (w ? w[i] : 1) * got.candMin[t * rows + i];
            }
            expect(Math.abs(sum - got.pots[t])).toBeLessThanOrEqual(1e-12 * sum);
          }
          expectClose(got.norms, xNorms, 4 * D * eps(dtype));
          // The expanded distances cancel: their error is relative to ‖x‖² + ‖c‖².
          expectClose(got.pots, wantPots, 8 * D * eps(dtype), 8 * D * eps(dtype) * 4 * D * rows);
          expectClose(got.closest, wantClosest, 4 * D * eps(dtype));
          expect(Math.abs(got.pot - wantPot)).toBeLessThanOrEqual(4 * D * eps(dtype) * wantPot);
        }
      });
    }
  }
});

describe('centreColumns', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: centres the columns in place and returns the sum of squares about the means, as the twin`, () => {
      const rng = new Random(17);
      for (const [rows, , D] of SHAPES) {
        const x = randomArray(rng, rows * D, dtype).map((v) => v + 1e3) as FloatArray;
        const want = x.slice() as FloatArray, wantMean = new Float64Array(D);
        const wantSs = ref.centreColumns(want, wantMean, rows, D);
        const got = withWorkspace((ws) => {
          const px = ws.copyIn(x), pm = ws.f64(D);
          const ss = typed('centreColumns', dtype)(px.ptr, pm.ptr, rows, D);
          return { ss, x: px.read(), mean: pm.readF64() };
        });
        // The same operations in the same order: equal bit for bit.
        expect(Array.from(got.mean)).toEqual(Array.from(wantMean));
        expect(Array.from(got.x)).toEqual(Array.from(want));
        expect(got.ss).toBe(wantSs);
        for (let j = 0; j < D; j++) {
          let s = 0;
          for (let i = 0; i < rows; i++) s += got.x[i * D + j];
          expect(Math.abs(s / rows)).toBeLessThan(1e3 * rows * eps(dtype));
        }
      }
    });
  }
});
