import { describe, expect, it } from 'vitest';
import { kernels, Random, wasmMemory, withWorkspace } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { expectClose, randomArray } from '../helpers.js';
import { expectSamePass, type PassResult } from './kmeans-helpers.js';

/** Shapes that cross the GEMM's micro-tile, the SIMD remainders and the 32-column mask words: rows, K, D. */
const SHAPES: [number, number, number][] = [[1, 1, 1], [5, 3, 2], [17, 7, 3], [64, 8, 16], [65, 9, 17], [257, 16, 5], [300, 40, 6]];

function labelsView(ptr: number, n: number): Int32Array {
  return new Int32Array(wasmMemory().buffer, ptr, n);
}

function rowNorms(x: Float64Array, D: number): Float64Array {
  const n = new Float64Array(x.length / D);
  ref.rowSqNorms(x, n, 0, n.length, D);
  return n;
}

/** One pass in wasm from the given labels: the screened pass, or kmeansLloydPassF64 with exact distances. */
function wasmPass(kind: 'screened' | 'plain', x: Float64Array, c: Float64Array, w: Float64Array | null, before: Int32Array, K: number, D: number, withDist = true): PassResult {
  const rows = before.length, k = kernels();
  return withWorkspace((ws) => {
    const px = ws.copyIn(x), pxs = ws.f32(rows * D), pn = ws.copyIn(rowNorms(x, D)), pc = ws.copyIn(c), pw = w ? ws.copyIn(w).ptr : 0;
    const pl = ws.f32(rows), pd = ws.f64(rows).set(new Float64Array(rows)), ps = ws.f64(K * D).set(new Float64Array(K * D));
    const pcn = ws.f64(K).set(new Float64Array(K)), po = ws.f64(3).set([0, 0, 0]);
    labelsView(pl.ptr, rows).set(before);
    if (kind === 'screened') {
      const Kp = ref.paddedK(K, true), cts = ws.f32((D + 1) * Kp), norms = ws.f64(K), gs = ws.f32(256 * Kp);
      k.castF64ToF32(px.ptr, pxs.ptr, rows * D);
      k.packCentresScreenedF64(pc.ptr, cts.ptr, norms.ptr, K, D);
      k.kmeansScreenedPassF64(px.ptr, pxs.ptr, pn.ptr, pc.ptr, cts.ptr, norms.ptr, gs.ptr, pw, pl.ptr, withDist ? pd.ptr : 0, ps.ptr, pcn.ptr, po.ptr, 0, rows, K, D, 0);
    } else {
      const Kp = ref.paddedK(K, false), ct = ws.f64((D + 1) * Kp), g = ws.f64(256 * Kp);
      k.packCentresF64(pc.ptr, ct.ptr, K, D);
      k.kmeansLloydPassF64(px.ptr, 0, pc.ptr, ct.ptr, g.ptr, pw, pl.ptr, pd.ptr, ps.ptr, pcn.ptr, po.ptr, 0, rows, K, D);
    }
    return { labels: labelsView(pl.ptr, rows).slice(), dist: pd.readF64(), sums: ps.readF64(), counts: pcn.readF64(), out: po.readF64() };
  });
}

/** The screened pass's twin from the given labels. */
function twinPass(x: Float64Array, c: Float64Array, w: Float64Array | null, before: Int32Array, K: number, D: number): PassResult {
  const rows = before.length, Kp = ref.paddedK(K, true);
  const cts = new Float32Array((D + 1) * Kp), norms = new Float64Array(K);
  ref.packCentresScreened(c, cts, norms, K, D);
  const r: PassResult = { labels: before.slice(), dist: new Float64Array(rows), sums: new Float64Array(K * D), counts: new Float64Array(K), out: new Float64Array(3) };
  ref.kmeansScreenedPass(x, Float32Array.from(x), rowNorms(x, D), c, cts, norms, new Float32Array(Kp), w, r.labels, r.dist, r.sums, r.counts, r.out, 0, rows, K, D);
  return r;
}

/**
 * Rows within a few ulps of equidistant from two centres (a and b of c): the midpoint plus a
 * small random offset orthogonal to b − a (so that a and b stay the nearest, mostly), plus t·(b − a) for t of 0 and a few multiples of 2⁻⁵²
 * (the f64 expanded values then differ by about ‖b − a‖²·4t, at their own rounding's scale).
 */
function nearTies(rng: Random, c: Float64Array, a: number, b: number, rows: number, D: number): Float64Array {
  const x = new Float64Array(rows * D);
  const diff = Array.from({ length: D }, (_, d) => c[b * D + d] - c[a * D + d]);
  const dd = diff.reduce((s, v) => s + v * v, 0);
  for (let i = 0; i < rows; i++) {
    const r = Array.from({ length: D }, () => 0.02 * rng.normal());
    const along = r.reduce((s, v, d) => s + v * diff[d], 0) / dd;
    const t = [0, 1, -1, 3, -3, 16, -16, 1e3][i % 8] * 2 ** -52;
    for (let d = 0; d < D; d++) x[i * D + d] = (c[a * D + d] + c[b * D + d]) / 2 + r[d] - along * diff[d] + t * diff[d];
  }
  return x;
}

describe('packCentresScreenedF64', () => {
  it('rounds the centres to f32 and keeps the f64 norms that packCentresF64 computes', () => {
    const rng = new Random(3), K = 9, D = 7, Kp = ref.paddedK(K, true), Kp64 = ref.paddedK(K, false);
    const c = randomArray(rng, K * D, 'f64') as Float64Array;
    const { cts, norms, ct } = withWorkspace((ws) => {
      const pc = ws.copyIn(c), pcts = ws.f32((D + 1) * Kp), pn = ws.f64(K), pct = ws.f64((D + 1) * Kp64);
      kernels().packCentresScreenedF64(pc.ptr, pcts.ptr, pn.ptr, K, D);
      kernels().packCentresF64(pc.ptr, pct.ptr, K, D);
      return { cts: pcts.read() as Float32Array, norms: pn.readF64(), ct: pct.readF64() };
    });
    const want = new Float32Array((D + 1) * Kp), wantNorms = new Float64Array(K);
    ref.packCentresScreened(c, want, wantNorms, K, D);
    expect(Array.from(cts.subarray(0, D * Kp))).toEqual(Array.from(want.subarray(0, D * Kp)));
    expect(Array.from(norms)).toEqual(Array.from(ct.subarray(D * Kp64, D * Kp64 + K)));
    expectClose(norms, wantNorms, 4 * D * 2 ** -53);
    expect(Array.from(cts.subarray(D * Kp, D * Kp + K))).toEqual(Array.from(norms, Math.fround));
    expect(Array.from(cts.subarray(D * Kp + K))).toEqual(new Array(Kp - K).fill(Infinity));
  });
});

describe('kmeansScreenedPassF64', () => {
  for (const weighted of [false, true]) {
    it(`${weighted ? 'weighted: ' : ''}gives the labels, exact distances, sums, counts and inertia of the f64 pass, to the last bit`, () => {
      const rng = new Random(21);
      for (const [rows, K, D] of SHAPES) {
        const x = randomArray(rng, rows * D, 'f64') as Float64Array, c = randomArray(rng, K * D, 'f64') as Float64Array;
        const w = weighted ? Float64Array.from({ length: rows }, () => rng.random() * 3) : null;
        const before = Int32Array.from({ length: rows }, () => rng.int(K + 1) - 1);
        const got = wasmPass('screened', x, c, w, before, K, D);
        expectSamePass(got, wasmPass('plain', x, c, w, before, K, D));
      }
    });
  }

  it('matches its twin: labels, distances, sums, inertia, and which rows needed exact values', () => {
    const rng = new Random(22);
    for (const [rows, K, D] of SHAPES) {
      const x = randomArray(rng, rows * D, 'f64') as Float64Array, c = randomArray(rng, K * D, 'f64') as Float64Array;
      const before = Int32Array.from({ length: rows }, () => rng.int(K + 1) - 1);
      const got = wasmPass('screened', x, c, null, before, K, D), want = twinPass(x, c, null, before, K, D);
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expectClose(got.dist, want.dist, 4 * D * 2 ** -53, 1e-300);
      expectClose(got.sums, want.sums, 1e-13, 1e-13 * rows);
      expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
      expect(got.out[1]).toBe(want.out[1]);
      expect(got.out[2]).toBe(want.out[2]);
    }
  });

  it('decides rows equidistant from two centres up to a few ulps as the exact f64 values do (ties to the lower index)', () => {
    const rng = new Random(23);
    for (const [K, D] of [[2, 2], [5, 4], [16, 16], [40, 3]] as [number, number][]) {
      const c = randomArray(rng, K * D, 'f64') as Float64Array;
      const rows = 400;
      // Near-ties between several pairs of centres, both orders, and one exact tie of identical centres.
      const x = new Float64Array(rows * D);
      for (let p = 0; p < 4; p++) {
        // a and its nearest other centre: their midpoint is then rarely nearer a third one.
        const a = rng.int(K);
        let b = -1, bd = Infinity;
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += (c[k * D + d] - c[a * D + d]) ** 2;
          if (k !== a && s < bd) { bd = s; b = k; }
        }
        x.set(nearTies(rng, c, Math.min(a, b), Math.max(a, b), rows / 4, D), (p * rows / 4) * D);
      }
      const fresh = new Int32Array(rows).fill(-1);
      const plain = wasmPass('plain', x, c, null, fresh, K, D);
      const screened = wasmPass('screened', x, c, null, fresh, K, D);
      expectSamePass(screened, plain);
      // The f32 values cannot separate these rows: the exact values decided them.
      expect(screened.out[2]).toBeGreaterThan(rows / 4);
      // Kept labels go through the previous-label check too: the same answer from the old labels.
      const again = wasmPass('screened', x, c, null, plain.labels, K, D);
      expectSamePass(again, { ...plain, out: Float64Array.of(plain.out[0], 0, 0) });
      // The twins agree with each other (their norms are summed in another order than the
      // kernels', so at these ties they may differ from the wasm labels).
      const twin = twinPass(x, c, null, fresh, K, D);
      const Kp = ref.paddedK(K, false), ct = new Float64Array((D + 1) * Kp);
      ref.packCentres(c, ct, K, D);
      const twinPlain = fresh.slice();
      ref.kmeansLloydPass(x, null, c, ct, new Float64Array(Kp), null, twinPlain, new Float64Array(rows), null, null, new Float64Array(2), 0, rows, K, D);
      expect(Array.from(twin.labels)).toEqual(Array.from(twinPlain));
    }
    // Identical centres: every row ties exactly, and the lowest index wins.
    const c = new Float64Array([1, 2, 1, 2, 9, 9]), x = new Float64Array([0.5, 0.5, 3, 1, 1, 2]);
    expect(Array.from(wasmPass('screened', x, c, null, new Int32Array(3).fill(1), 3, 2).labels)).toEqual([0, 0, 0]);
  });

  it('falls back to exact values for all centres where f32 would overflow, with the f64 pass\'s labels', () => {
    const rng = new Random(24), rows = 300, K = 6, D = 5;
    // ‖x‖² ≈ 1e32 > 2¹⁰⁰: f32 products would overflow.
    const x = Float64Array.from(randomArray(rng, rows * D, 'f64'), (v) => v * 1e16);
    const c = Float64Array.from(randomArray(rng, K * D, 'f64'), (v) => v * 1e16);
    const fresh = new Int32Array(rows).fill(-1);
    const screened = wasmPass('screened', x, c, null, fresh, K, D);
    expectSamePass(screened, wasmPass('plain', x, c, null, fresh, K, D));
    expect(screened.out[2]).toBe(rows);
    expect(twinPass(x, c, null, fresh, K, D).out[2]).toBe(rows);
  });

  it('settles nearly every row of well-separated data in f32', () => {
    const rng = new Random(25), rows = 2000, K = 8, D = 6;
    const c = randomArray(rng, K * D, 'f64') as Float64Array;
    const x = new Float64Array(rows * D);
    for (let i = 0; i < rows; i++) for (let d = 0; d < D; d++) x[i * D + d] = c[(i % K) * D + d] * 10 + 0.3 * rng.normal();
    const screened = wasmPass('screened', x, Float64Array.from(c, (v) => v * 10), null, new Int32Array(rows).fill(-1), K, D);
    expect(screened.out[2]).toBeLessThan(rows / 100);
  });

  it('skips the distances and the inertia without a distance buffer, with the same labels and sums', () => {
    const rng = new Random(26), rows = 700, K = 7, D = 6;
    const x = randomArray(rng, rows * D, 'f64') as Float64Array, c = randomArray(rng, K * D, 'f64') as Float64Array;
    const fresh = new Int32Array(rows).fill(-1);
    const full = wasmPass('screened', x, c, null, fresh, K, D);
    const lean = wasmPass('screened', x, c, null, fresh, K, D, false);
    expect(Array.from(lean.labels)).toEqual(Array.from(full.labels));
    expect(Array.from(lean.sums)).toEqual(Array.from(full.sums));
    expect(Array.from(lean.counts)).toEqual(Array.from(full.counts));
    expect(lean.out[0]).toBe(0);
    expect(Array.from(lean.dist).every((v) => v === 0)).toBe(true);
    expect(lean.out[1]).toBe(full.out[1]);
  });
});

describe('incremental passes (kmeansScreenedPassF64 and kmeansHamerlyPassF64 with incremental = 1)', () => {
  /** Σ x and the count per label (−1 rows left out), in row order: the sums a pass starts from. */
  function sumsOf(x: Float64Array, labels: Int32Array, K: number, D: number) {
    const sums = new Float64Array(K * D), counts = new Float64Array(K);
    labels.forEach((k, i) => {
      if (k < 0) return;
      counts[k]++;
      for (let d = 0; d < D; d++) sums[k * D + d] += x[i * D + d];
    });
    return { sums, counts };
  }

  /** One pass in wasm from the given labels and the sums of those labels: 'screened' or 'hamerly' (every row scanned), incremental or not. */
  function passFrom(kind: 'screened' | 'hamerly', x: Float64Array, c: Float64Array, before: Int32Array, K: number, D: number, incremental: boolean): PassResult {
    const rows = before.length, k = kernels(), start = sumsOf(x, before, K, D);
    return withWorkspace((ws) => {
      const px = ws.copyIn(x), pn = ws.copyIn(rowNorms(x, D)), pc = ws.copyIn(c);
      const pl = ws.f32(rows), pd = ws.f64(rows).set(new Float64Array(rows));
      // Incremental passes start from the sums of `before`; the others from zeros.
      const ps = ws.f64(K * D).set(incremental ? start.sums : new Float64Array(K * D)), pcn = ws.f64(K).set(incremental ? start.counts : new Float64Array(K));
      const po = ws.f64(3).set([0, 0, 0]);
      labelsView(pl.ptr, rows).set(before);
      if (kind === 'screened') {
        const Kp = ref.paddedK(K, true), pxs = ws.f32(rows * D), cts = ws.f32((D + 1) * Kp), norms = ws.f64(K), gs = ws.f32(256 * Kp);
        k.castF64ToF32(px.ptr, pxs.ptr, rows * D);
        k.packCentresScreenedF64(pc.ptr, cts.ptr, norms.ptr, K, D);
        k.kmeansScreenedPassF64(px.ptr, pxs.ptr, pn.ptr, pc.ptr, cts.ptr, norms.ptr, gs.ptr, 0, pl.ptr, pd.ptr, ps.ptr, pcn.ptr, po.ptr, 0, rows, K, D, incremental ? 1 : 0);
      } else {
        // Zero shifts, half-distances and lower bounds: no bound settles a row, every row is scanned.
        const Kp = ref.paddedK(K, false), ct = ws.f64((D + 1) * Kp), g = ws.f64(256 * Kp), xs = ws.f64(256 * D), idx = ws.f32(256);
        const lower = ws.f64(rows).set(new Float64Array(rows)), zeros = ws.f64(K).set(new Float64Array(K));
        k.packCentresF64(pc.ptr, ct.ptr, K, D);
        k.kmeansHamerlyPassF64(px.ptr, pn.ptr, pc.ptr, ct.ptr, g.ptr, xs.ptr, idx.ptr, 0, pl.ptr, pd.ptr, lower.ptr, zeros.ptr, zeros.ptr, 0, ps.ptr, pcn.ptr, po.ptr, 0, rows, K, D, incremental ? 1 : 0);
      }
      return { labels: labelsView(pl.ptr, rows).slice(), dist: pd.readF64(), sums: ps.readF64(), counts: pcn.readF64(), out: po.readF64() };
    });
  }

  /** The screened twin, incremental, from the sums of `before`. */
  function twinFrom(x: Float64Array, c: Float64Array, before: Int32Array, K: number, D: number): PassResult {
    const rows = before.length, Kp = ref.paddedK(K, true), start = sumsOf(x, before, K, D);
    const cts = new Float32Array((D + 1) * Kp), norms = new Float64Array(K);
    ref.packCentresScreened(c, cts, norms, K, D);
    const r: PassResult = { labels: before.slice(), dist: new Float64Array(rows), sums: start.sums, counts: start.counts, out: new Float64Array(3) };
    ref.kmeansScreenedPass(x, Float32Array.from(x), rowNorms(x, D), c, cts, norms, new Float32Array(Kp), null, r.labels, r.dist, r.sums, r.counts, r.out, 0, rows, K, D, true);
    return r;
  }

  it('end with the sums and counts of the new labels, as a pass that sums every row, moving only the rows that change', () => {
    const rng = new Random(31);
    for (const [rows, K, D] of SHAPES) {
      const x = randomArray(rng, rows * D, 'f64') as Float64Array, c = randomArray(rng, K * D, 'f64') as Float64Array;
      // Labels of the pass before: mostly the nearest centres (a fresh pass's), some moved, some −1.
      const nearest = passFrom('screened', x, c, new Int32Array(rows).fill(-1), K, D, false).labels;
      const before = Int32Array.from(nearest, (k, i) => (i % 7 === 3 ? -1 : i % 5 === 1 ? (k + 1) % K : k));
      for (const kind of ['screened', 'hamerly'] as const) {
        const got = passFrom(kind, x, c, before, K, D, true), fresh = passFrom(kind, x, c, before, K, D, false);
        expect(Array.from(got.labels)).toEqual(Array.from(fresh.labels));
        expect(Array.from(got.dist)).toEqual(Array.from(fresh.dist));
        expect(Array.from(got.counts)).toEqual(Array.from(fresh.counts));
        expectClose(got.sums, fresh.sums, 1e-13, 1e-13 * rows);
        expect(got.out[1]).toBe(fresh.out[1]);
        // A row that keeps its label adds nothing: from the labels it ends with, the sums stay as they are.
        const again = passFrom(kind, x, c, got.labels, K, D, true);
        expect(again.out[1]).toBe(0);
        expect(Array.from(again.sums)).toEqual(Array.from(sumsOf(x, got.labels, K, D).sums));
      }
      // The plain and the bounded pass move the same rows in the same order: the same bits.
      expect(Array.from(passFrom('hamerly', x, c, before, K, D, true).sums)).toEqual(Array.from(passFrom('screened', x, c, before, K, D, true).sums));
    }
  });

  it('match the twin to the last bit', () => {
    const rng = new Random(32);
    for (const [rows, K, D] of SHAPES) {
      const x = randomArray(rng, rows * D, 'f64') as Float64Array, c = randomArray(rng, K * D, 'f64') as Float64Array;
      const before = Int32Array.from({ length: rows }, () => rng.int(K + 1) - 1);
      const got = passFrom('screened', x, c, before, K, D, true), want = twinFrom(x, c, before, K, D);
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expect(Array.from(got.sums)).toEqual(Array.from(want.sums));
      expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
      expect(got.out[1]).toBe(want.out[1]);
    }
  });
});
