import { describe, expect, it } from 'vitest';
import { kernels, Random, wasmMemory, withWorkspace } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { expectClose } from '../helpers.js';

/** A random row-stochastic K × K matrix (or vector when rows = 1). */
function stochastic(rng: Random, rows: number, K: number): Float64Array {
  const a = new Float64Array(rows * K);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += (a[i * K + j] = rng.random() + 0.01);
    for (let j = 0; j < K; j++) a[i * K + j] /= s;
  }
  return a;
}

function logEmissions(rng: Random, N: number, K: number, spread: number): Float64Array {
  return Float64Array.from({ length: N * K }, () => spread * rng.normal() - 3);
}

/** offsets[s]: the first row of sequence s (nSeq + 1 prefix sums of the lengths). */
function offsetsOf(lengths: Int32Array): Int32Array {
  const o = new Int32Array(lengths.length + 1);
  for (let s = 0; s < lengths.length; s++) o[s + 1] = o[s] + lengths[s];
  return o;
}

/**
 * Runs the whole wasm pass and returns every buffer the kernels wrote. `ranges` splits the
 * sequences into consecutive ranges [s0, s1) (default one range of all), each a separate call of
 * the recursions, as the thread pool's blocks are; each range's transition counts and returned
 * totals are kept apart.
 */
function wasmPass(logB: Float64Array, lengths: Int32Array, pi: Float64Array, A: Float64Array, K: number, ranges: [number, number][] = [[0, lengths.length]]) {
  const N = logB.length / K, nSeq = lengths.length, R = ranges.length;
  return withWorkspace((ws) => {
    const k = kernels();
    const lb = ws.copyIn(logB), b = ws.f64(N * K), m = ws.f64(N), alpha = ws.f64(N * K), scale = ws.f64(N);
    const beta = ws.f64(N * K), post = ws.f64(N * K), xi = ws.f64(R * K * K).set(new Float64Array(R * K * K)), u = ws.f64(K);
    const slp = ws.f64(nSeq), off = ws.f32(nSeq + 1), p = ws.copyIn(pi), a = ws.copyIn(A);
    new Int32Array(wasmMemory().buffer, off.ptr, nSeq + 1).set(offsetsOf(lengths));
    k.emissionScale(lb.ptr, b.ptr, m.ptr, N, K);
    const delta = ws.f64(2 * K), back = ws.f32(N * K), path = ws.f32(N), vlp = ws.f64(nSeq);
    const ls = ws.copyIn(pi.map(Math.log)), lt = ws.copyIn(A.map(Math.log));
    const totals: number[] = [], vts: number[] = [];
    ranges.forEach(([s0, s1], r) => {
      totals.push(k.forwardScaled(b.ptr, m.ptr, off.ptr, s0, s1, p.ptr, a.ptr, alpha.ptr, scale.ptr, slp.ptr, K));
      k.backwardScaled(b.ptr, off.ptr, s0, s1, a.ptr, scale.ptr, beta.ptr, u.ptr, K);
      k.transitionCounts(alpha.ptr, beta.ptr, b.ptr, scale.ptr, off.ptr, s0, s1, a.ptr, xi.ptr + r * K * K * 8, u.ptr, K);
      vts.push(k.viterbi(lb.ptr, off.ptr, s0, s1, ls.ptr, lt.ptr, delta.ptr, back.ptr, path.ptr, vlp.ptr, K));
    });
    k.posteriors(alpha.ptr, beta.ptr, post.ptr, N, K);
    return {
      total: totals[0], totals, b: b.readF64(), m: m.readF64(), alpha: alpha.readF64(), scale: scale.readF64(), beta: beta.readF64(),
      post: post.readF64(), xi: xi.readF64(), slp: slp.readF64(), vt: vts[0], vts, vlp: vlp.readF64(),
      path: new Int32Array(wasmMemory().buffer, path.ptr, N).slice(),
    };
  });
}

/** The twins' pass, over the same ranges of sequences as wasmPass. */
function referencePass(logB: Float64Array, lengths: Int32Array, pi: Float64Array, A: Float64Array, K: number, ranges: [number, number][] = [[0, lengths.length]]) {
  const N = logB.length / K, nSeq = lengths.length, off = offsetsOf(lengths), R = ranges.length;
  const b = new Float64Array(N * K), m = new Float64Array(N), alpha = new Float64Array(N * K), scale = new Float64Array(N);
  const beta = new Float64Array(N * K), post = new Float64Array(N * K), xi = new Float64Array(R * K * K), u = new Float64Array(K), slp = new Float64Array(nSeq);
  const path = new Int32Array(N), vlp = new Float64Array(nSeq), back = new Int32Array(N * K);
  ref.emissionScale(logB, b, m, N, K);
  const totals: number[] = [], vts: number[] = [];
  ranges.forEach(([s0, s1], r) => {
    totals.push(ref.forwardScaled(b, m, off, s0, s1, pi, A, alpha, scale, slp, K));
    ref.backwardScaled(b, off, s0, s1, A, scale, beta, u, K);
    ref.transitionCounts(alpha, beta, b, scale, off, s0, s1, A, xi.subarray(r * K * K, (r + 1) * K * K), u, K);
    vts.push(ref.viterbi(logB, off, s0, s1, pi.map(Math.log), A.map(Math.log), new Float64Array(2 * K), back, path, vlp, K));
  });
  ref.posteriors(alpha, beta, post, N, K);
  return { total: totals[0], totals, b, m, alpha, scale, beta, post, xi, slp, vt: vts[0], vts, vlp, path };
}

describe('hmm kernels against their twins', () => {
  for (const K of [1, 2, 3, 5, 8, 9]) {
    it(`K = ${K}: forward, backward, posteriors, transition counts and Viterbi agree over a batch of sequences`, () => {
      const rng = new Random(11 + K);
      const lengths = Int32Array.from([1, 2, 7, 33, 64]);
      const N = lengths.reduce((a, b) => a + b, 0);
      const logB = logEmissions(rng, N, K, 4);
      const pi = stochastic(rng, 1, K), A = stochastic(rng, K, K);
      const w = wasmPass(logB, lengths, pi, A, K), r = referencePass(logB, lengths, pi, A, K);
      const tol = 64 * 2 ** -52;
      expectClose(w.m, r.m, 0);
      expectClose(w.b, r.b, 4 * 2 ** -52, 1e-300);
      for (const key of ['alpha', 'scale', 'beta', 'post', 'xi', 'slp'] as const) expectClose(w[key], r[key], tol, 1e-300);
      expect(w.total).toBeCloseTo(r.total, 9);
      expect(Array.from(w.path)).toEqual(Array.from(r.path));
      expectClose(w.vlp, r.vlp, tol);
      expect(w.vt).toBeCloseTo(r.vt, 9);
    });
  }

  it('gives, over ranges of sequences, the rows and per-sequence values of one call over all, and per range the sums of its sequences', () => {
    const K = 5;
    const rng = new Random(3);
    const lengths = Int32Array.from([4, 1, 9, 2, 30, 7, 1, 12]);
    const N = lengths.reduce((a, b) => a + b, 0);
    const logB = logEmissions(rng, N, K, 4);
    const pi = stochastic(rng, 1, K), A = stochastic(rng, K, K);
    const ranges: [number, number][] = [[0, 1], [1, 4], [4, 5], [5, 8]];
    const whole = wasmPass(logB, lengths, pi, A, K), split = wasmPass(logB, lengths, pi, A, K, ranges);
    for (const key of ['alpha', 'scale', 'beta', 'post', 'slp', 'vlp', 'path'] as const) expect(Array.from(split[key]), key).toEqual(Array.from(whole[key]));
    // The twins take the same ranges: the same rows and values as their pass over all, and per range close to the kernels'.
    const refWhole = referencePass(logB, lengths, pi, A, K), refSplit = referencePass(logB, lengths, pi, A, K, ranges);
    for (const key of ['alpha', 'scale', 'beta', 'post', 'slp', 'vlp', 'path'] as const) expect(Array.from(refSplit[key]), key).toEqual(Array.from(refWhole[key]));
    expectClose(refSplit.xi, split.xi, 64 * 2 ** -52, 1e-300);
    expectClose(refSplit.totals, split.totals, 64 * 2 ** -52);
    expectClose(refSplit.vts, split.vts, 64 * 2 ** -52);
    ranges.forEach(([s0, s1], r) => {
      // Each range's totals and counts are those of its sequences alone (a pass over just them).
      let lp = 0, vlp = 0;
      for (let s = s0; s < s1; s++) { lp += whole.slp[s]; vlp += whole.vlp[s]; }
      expect(split.totals[r]).toBe(lp);
      expect(split.vts[r]).toBe(vlp);
      const rows = [lengths.slice(0, s0).reduce((a, b) => a + b, 0), lengths.slice(0, s1).reduce((a, b) => a + b, 0)];
      const alone = wasmPass(logB.slice(rows[0] * K, rows[1] * K), lengths.slice(s0, s1), pi, A, K);
      expect(Array.from(split.xi.subarray(r * K * K, (r + 1) * K * K))).toEqual(Array.from(alone.xi));
    });
  });

  it('keeps the forward pass finite on a 1e6-step sequence (the scaling prevents underflow)', () => {
    const K = 3, N = 1_000_000;
    const rng = new Random(5);
    const logB = logEmissions(rng, N, K, 2);
    const pi = stochastic(rng, 1, K), A = stochastic(rng, K, K);
    const w = wasmPass(logB, Int32Array.of(N), pi, A, K);
    expect(Number.isFinite(w.total)).toBe(true);
    // Every step contributes about −3 nats or less: the total is far below the f64 range of p itself.
    expect(w.total).toBeLessThan(-1e6);
    let s = 0;
    for (let k = 0; k < K; k++) s += w.post[(N - 1) * K + k];
    expect(s).toBeCloseTo(1, 12);
    expect(w.vt).toBeLessThanOrEqual(w.total);
  });
});
