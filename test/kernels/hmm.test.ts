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

/** Runs the whole wasm pass and returns every buffer the kernels wrote. */
function wasmPass(logB: Float64Array, lengths: Int32Array, pi: Float64Array, A: Float64Array, K: number) {
  const N = logB.length / K, nSeq = lengths.length;
  return withWorkspace((ws) => {
    const k = kernels();
    const lb = ws.copyIn(logB), b = ws.f64(N * K), m = ws.f64(N), alpha = ws.f64(N * K), scale = ws.f64(N);
    const beta = ws.f64(N * K), post = ws.f64(N * K), xi = ws.f64(K * K).set(new Float64Array(K * K)), u = ws.f64(K);
    const slp = ws.f64(nSeq), len = ws.f32(nSeq), p = ws.copyIn(pi), a = ws.copyIn(A);
    new Int32Array(wasmMemory().buffer, len.ptr, nSeq).set(lengths);
    k.emissionScale(lb.ptr, b.ptr, m.ptr, N, K);
    const total = k.forwardScaled(b.ptr, m.ptr, len.ptr, nSeq, p.ptr, a.ptr, alpha.ptr, scale.ptr, slp.ptr, K);
    k.backwardScaled(b.ptr, len.ptr, nSeq, a.ptr, scale.ptr, beta.ptr, u.ptr, K);
    k.posteriors(alpha.ptr, beta.ptr, post.ptr, N, K);
    k.transitionCounts(alpha.ptr, beta.ptr, b.ptr, scale.ptr, len.ptr, nSeq, a.ptr, xi.ptr, u.ptr, K);
    const delta = ws.f64(2 * K), back = ws.f32(N * K), path = ws.f32(N), vlp = ws.f64(nSeq);
    const vt = k.viterbi(lb.ptr, len.ptr, nSeq, ws.copyIn(pi.map(Math.log)).ptr, ws.copyIn(A.map(Math.log)).ptr, delta.ptr, back.ptr, path.ptr, vlp.ptr, K);
    return {
      total, b: b.readF64(), m: m.readF64(), alpha: alpha.readF64(), scale: scale.readF64(), beta: beta.readF64(),
      post: post.readF64(), xi: xi.readF64(), slp: slp.readF64(), vt, vlp: vlp.readF64(),
      path: new Int32Array(wasmMemory().buffer, path.ptr, N).slice(),
    };
  });
}

function referencePass(logB: Float64Array, lengths: Int32Array, pi: Float64Array, A: Float64Array, K: number) {
  const N = logB.length / K, nSeq = lengths.length;
  const b = new Float64Array(N * K), m = new Float64Array(N), alpha = new Float64Array(N * K), scale = new Float64Array(N);
  const beta = new Float64Array(N * K), post = new Float64Array(N * K), xi = new Float64Array(K * K), u = new Float64Array(K), slp = new Float64Array(nSeq);
  ref.emissionScale(logB, b, m, N, K);
  const total = ref.forwardScaled(b, m, lengths, nSeq, pi, A, alpha, scale, slp, K);
  ref.backwardScaled(b, lengths, nSeq, A, scale, beta, u, K);
  ref.posteriors(alpha, beta, post, N, K);
  ref.transitionCounts(alpha, beta, b, scale, lengths, nSeq, A, xi, u, K);
  const path = new Int32Array(N), vlp = new Float64Array(nSeq);
  const vt = ref.viterbi(logB, lengths, nSeq, pi.map(Math.log), A.map(Math.log), new Float64Array(2 * K), new Int32Array(N * K), path, vlp, K);
  return { total, b, m, alpha, scale, beta, post, xi, slp, vt, vlp, path };
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
