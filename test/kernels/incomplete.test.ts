// The kernels of rows with missing entries against their twins (src/reference/incomplete.ts),
// which compute the same in the direct form of EM for incomplete data: so these tests check the
// kernel's identity Pᵀ (x̂ − μ) = z + P_m,:ᵀ x̂_m as well as its arithmetic.
import { describe, expect, it } from 'vitest';
import { kernels, Random, wasmMemory, withWorkspace, type Workspace } from '../../src/index.js';
import * as ref from '../../src/reference/index.js';
import { expectClose } from '../helpers.js';

const EPS = 2 ** -52;

interface Problem {
  rows: number; K: number; D: number; shared: number;
  x: Float64Array; mu: Float64Array; pAll: Float64Array; lambda: Float64Array; proj: Float64Array; c: Float64Array;
  logW: Float64Array; logDetP: Float64Array; misStart: Int32Array; misIdx: Int32Array; condSize: number;
}

/**
 * Rows with random missing entries (some rows complete, some with nothing observed, runs of rows
 * with the same pattern), upper-triangular precision factors with positive diagonals (as the
 * M-step makes them; lower ones for odd K), and the kernel's projections y = x̃·P_all, c_k = P_kᵀ μ_k.
 */
function problem(rng: Random, rows: number, K: number, D: number, shared: number): Problem {
  const C = shared ? 1 : K;
  const ld = shared ? D : K * D;
  const pAll = new Float64Array(D * ld), lambda = new Float64Array(C * D * D), logDetP = new Float64Array(K);
  for (let c = 0; c < C; c++) {
    const P = new Float64Array(D * D);
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        const inside = K % 2 === 0 ? j >= i : j <= i;
        P[i * D + j] = i === j ? 0.5 + rng.random() : inside ? 0.3 * rng.normal() : 0;
      }
    }
    let ldp = 0;
    for (let i = 0; i < D; i++) ldp += Math.log(P[i * D + i]);
    for (let k = 0; k < K; k++) if (shared || k === c) logDetP[k] = ldp;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) pAll[i * ld + c * D + j] = P[i * D + j];
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
      let s = 0;
      for (let t = 0; t < D; t++) s += P[i * D + t] * P[j * D + t];
      lambda[c * D * D + i * D + j] = s;
    }
  }
  const mu = Float64Array.from({ length: K * D }, () => 2 * rng.normal());
  const logW = Float64Array.from({ length: K }, () => Math.log(0.1 + rng.random()));
  const x = new Float64Array(rows * D);
  const starts = [0], idx: number[] = [];
  let last: number[] = [];
  for (let n = 0; n < rows; n++) {
    let mis: number[];
    const kind = rng.random();
    if (n > 0 && kind < 0.25) mis = last; // the pattern of the row before
    else if (kind < 0.35) mis = [];
    else if (kind < 0.4) mis = Array.from({ length: D }, (_, d) => d);
    else mis = Array.from({ length: D }, (_, d) => d).filter(() => rng.random() < 0.3);
    for (let d = 0; d < D; d++) x[n * D + d] = mis.includes(d) ? 0 : 3 * rng.normal();
    idx.push(...mis);
    starts.push(idx.length);
    last = mis;
  }
  const misStart = Int32Array.from(starts), misIdx = Int32Array.from(idx);
  let condSize = 0;
  for (let n = 0; n < rows; n++) condSize += K * (misStart[n + 1] - misStart[n]) ** 2;
  const proj = new Float64Array(rows * ld), c = new Float64Array(K * D);
  for (let n = 0; n < rows; n++) for (let j = 0; j < ld; j++) for (let i = 0; i < D; i++) proj[n * ld + j] += x[n * D + i] * pAll[i * ld + j];
  for (let k = 0; k < K; k++) for (let j = 0; j < D; j++) for (let i = 0; i < D; i++) c[k * D + j] += mu[k * D + i] * pAll[i * ld + (shared ? 0 : k * D) + j];
  return { rows, K, D, shared, x, mu, pAll, lambda, proj, c, logW, logDetP, misStart, misIdx, condSize };
}

function i32In(ws: Workspace, a: Int32Array): number {
  const b = ws.f32(Math.max(1, a.length));
  new Int32Array(wasmMemory().buffer, b.ptr, a.length).set(a);
  return b.ptr;
}

/** The kernel on a problem: its return value and outputs. */
function runLogProb(p: Problem) {
  const { rows, K, D } = p;
  return withWorkspace((ws) => {
    const out = ws.f64(rows * K), xhat = ws.f64(K * rows * D), cond = ws.f64(Math.max(1, p.condSize)), hl = ws.f64(rows * K);
    const status = kernels().incompleteLogProbF64(ws.copyIn(p.proj).ptr, ws.copyIn(p.pAll).ptr, ws.copyIn(p.c).ptr, ws.copyIn(p.mu).ptr,
      ws.copyIn(p.lambda).ptr, ws.copyIn(p.logW).ptr, ws.copyIn(p.logDetP).ptr, i32In(ws, p.misStart), i32In(ws, p.misIdx),
      ws.copyIn(p.x).ptr, out.ptr, xhat.ptr, cond.ptr, hl.ptr, ws.f64((K + 3) * D).ptr, rows, K, D, p.shared);
    return { status, out: out.readF64(), xhat: xhat.readF64(), cond: cond.readF64().subarray(0, p.condSize), hl: hl.readF64() };
  });
}

function twinLogProb(p: Problem) {
  const { rows, K, D } = p;
  const out = new Float64Array(rows * K), xhat = new Float64Array(K * rows * D), cond = new Float64Array(p.condSize), hl = new Float64Array(rows * K);
  const status = ref.incompleteLogProb(p.proj, p.pAll, p.c, p.mu, p.lambda, p.logW, p.logDetP, p.misStart, p.misIdx, p.x, out, xhat, cond, hl,
    new Float64Array(2 * D), rows, K, D, p.shared);
  return { status, out, xhat, cond, hl };
}

const CASES: [number, number][] = [[1, 1], [2, 3], [3, 2], [5, 4], [8, 3], [17, 2], [33, 5]];

/** Responsibilities (rows × K, each row summing to 1, one zero in most rows) and, when weighted, row weights (some 0). */
function respAndWeights(rng: Random, rows: number, K: number, weighted: boolean): { resp: Float64Array; w: Float64Array | null } {
  const resp = new Float64Array(rows * K);
  for (let n = 0; n < rows; n++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += resp[n * K + k] = k === n % (K + 1) ? 0 : rng.random();
    for (let k = 0; k < K; k++) resp[n * K + k] = s > 0 ? resp[n * K + k] / s : 1 / K;
  }
  const w = weighted ? Float64Array.from({ length: rows }, (_, n) => (n % 5 === 3 ? 0 : 2 * rng.random())) : null;
  return { resp, w };
}

describe('incompleteLogProb', () => {
  for (const shared of [0, 1]) {
    it(`${shared ? 'tied' : 'full'}: log-densities of the observed entries, completed rows and conditional covariances like its twin`, () => {
      const rng = new Random(21 + shared);
      for (const [D, K] of CASES) {
        for (const rows of [1, 4, 23]) {
          const p = problem(rng, rows, K, D, shared);
          const got = runLogProb(p), want = twinLogProb(p);
          expect(got.status).toBe(0);
          expect(want.status).toBe(0);
          // The data, means and factors are O(1) and well conditioned: each output is a sum of
          // O(D²) terms of size up to ~(3·D)² (the squared projections, the mean of the
          // missing entries), so D³ ulps of that bound the difference of the two orders of summation.
          const tol = 16 * D ** 3 * EPS;
          expectClose(got.out, want.out, tol, 0, Array.from(want.out, (v) => Math.abs(v) + 10 * D * D));
          expectClose(got.xhat, want.xhat, tol, 0, Array.from(want.xhat, (v) => Math.abs(v) + 10 * D));
          expectClose(got.cond, want.cond, tol, 0, Array.from(want.cond, (v) => Math.abs(v) + 1));
          expectClose(got.hl, want.hl, tol, 0, Array.from(want.hl, (v) => Math.abs(v) + 1));
        }
      }
    });
  }

  it('gives log w_k, and μ_k as the completed row, to a row with nothing observed', () => {
    const p = problem(new Random(5), 1, 3, 4, 0);
    p.misStart = Int32Array.of(0, 4);
    p.misIdx = Int32Array.of(0, 1, 2, 3);
    p.x.fill(0);
    p.proj.fill(0);
    p.condSize = 3 * 16;
    const got = runLogProb(p);
    expect(Array.from(got.out)).toEqual(Array.from(p.logW));
    expect(Array.from(got.xhat)).toEqual(Array.from(p.mu));
  });

  it('reports the first row whose Λ_mm is not positive definite, as its twin does', () => {
    const p = problem(new Random(9), 12, 2, 5, 0);
    // Row 7 misses feature 2, whose precision becomes negative in component 1.
    const rows = Array.from({ length: 12 }, (_, n) => (n === 7 ? [2] : n > 7 ? [2, 4] : []));
    p.misStart = Int32Array.from([0, ...rows.map((_, n) => rows.slice(0, n + 1).flat().length)]);
    p.misIdx = Int32Array.from(rows.flat());
    p.condSize = rows.reduce((s, r) => s + 2 * r.length ** 2, 0);
    p.lambda[25 + 2 * 5 + 2] = -1;
    expect(runLogProb(p).status).toBe(8);
    expect(twinLogProb(p).status).toBe(8);
  });
});

describe('incompleteScatter', () => {
  for (const weighted of [false, true]) {
    it(`${weighted ? 'weighted' : 'unweighted'} rows: Σρ, Σρ x̂ and the scatters about the centres plus ρ S, and the entropy, like its twin`, () => {
      const rng = new Random(31 + Number(weighted));
      for (const [D, K] of CASES) {
        for (const rows of [1, 4, 23]) {
          const p = problem(rng, rows, K, D, 0);
          const e = twinLogProb(p);
          const { resp, w } = respAndWeights(rng, rows, K, weighted);
          const centres = Float64Array.from({ length: K * D }, () => rng.normal());
          const sr0 = Float64Array.from({ length: K }, () => rng.random()), sx0 = Float64Array.from({ length: K * D }, () => rng.normal());
          const ss0 = Float64Array.from({ length: K * D * D }, () => rng.normal());
          const want = { sr: sr0.slice(), sx: sx0.slice(), ss: ss0.slice(), ent: 0 };
          want.ent = ref.incompleteScatter(e.xhat, resp, w, centres, e.cond, p.misStart, p.misIdx, e.hl, want.sr, want.sx, want.ss,
            new Float64Array(0), new Float64Array(0), rows, K, D, 1);
          const got = withWorkspace((ws) => {
            const sr = ws.copyIn(sr0), sx = ws.copyIn(sx0), ss = ws.copyIn(ss0);
            const ent = kernels().incompleteScatterF64(ws.copyIn(e.xhat).ptr, ws.copyIn(resp).ptr, w ? ws.copyIn(w).ptr : 0, ws.copyIn(centres).ptr,
              ws.copyIn(e.cond.length ? e.cond : new Float64Array(1)).ptr, i32In(ws, p.misStart), i32In(ws, p.misIdx), ws.copyIn(e.hl).ptr,
              sr.ptr, sx.ptr, ss.ptr, ws.f64(rows * 4 * Math.ceil(D / 4)).ptr, ws.f64(rows).ptr, rows, K, D, 1);
            return { sr: sr.readF64(), sx: sx.readF64(), ss: ss.readF64(), ent };
          });
          // Sums over rows of terms up to ~D² (completed rows about the centres, O(√D) each): rows + D ulps of rows·D².
          const tol = 16 * (rows + D) * EPS;
          const scale = D * D * (rows + 1);
          expectClose(got.sr, want.sr, tol, 0, Array.from(want.sr, () => scale));
          expectClose(got.sx, want.sx, tol, 0, Array.from(want.sx, () => scale));
          const lower = (s: Float64Array) => Array.from(s).filter((_, i) => i % D <= Math.floor(i / D) % D);
          expectClose(lower(got.ss), lower(want.ss), tol, 0, lower(want.ss).map(() => scale));
          expect(Math.abs(got.ent - want.ent)).toBeLessThanOrEqual(tol * (Math.abs(want.ent) + rows * K * D));
          expect(Number.isFinite(got.ent)).toBe(true);
        }
      }
    });
  }

  it('returns 0 and adds nothing to the entropy without the flag', () => {
    const p = problem(new Random(3), 3, 2, 3, 0);
    const e = twinLogProb(p);
    const got = withWorkspace((ws) => kernels().incompleteScatterF64(ws.copyIn(e.xhat).ptr, ws.copyIn(new Float64Array(6).fill(0.5)).ptr, 0,
      ws.f64(6).set(new Float64Array(6)).ptr, ws.copyIn(e.cond.length ? e.cond : new Float64Array(1)).ptr, i32In(ws, p.misStart), i32In(ws, p.misIdx),
      ws.copyIn(e.hl).ptr, ws.f64(2).set([0, 0]).ptr, ws.f64(6).set(new Float64Array(6)).ptr, ws.f64(18).set(new Float64Array(18)).ptr,
      ws.f64(12).ptr, ws.f64(3).ptr, 3, 2, 3, 0));
    expect(got).toBe(0);
  });
});

/** Diag parameters in the kernels' transposed layout (D × ldk, padding 0) and the variances (K × D). */
function diagProblem(rng: Random, rows: number, K: number, D: number) {
  const p = problem(rng, rows, K, D, 0);
  const ldk = 2 * Math.ceil(K / 2);
  const meansT = new Float64Array(D * ldk), precT = new Float64Array(D * ldk), logVarT = new Float64Array(D * ldk), variance = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    for (let d = 0; d < D; d++) {
      const v = 0.2 + 2 * rng.random();
      variance[k * D + d] = v;
      meansT[d * ldk + k] = p.mu[k * D + d];
      precT[d * ldk + k] = 1 / v;
      logVarT[d * ldk + k] = Math.log(v);
    }
  }
  const logW = new Float64Array(ldk);
  logW.set(p.logW);
  return { ...p, ldk, meansT, precT, logVarT, variance, logW };
}

describe('incompleteDiagLogProb', () => {
  it('log-densities of the observed entries and completed rows like its twin', () => {
    const rng = new Random(41);
    for (const [D, K] of CASES) {
      for (const rows of [1, 4, 23]) {
        const p = diagProblem(rng, rows, K, D);
        const out = new Float64Array(rows * K), xhat = new Float64Array(K * rows * D), hl = new Float64Array(rows * K);
        ref.incompleteDiagLogProb(p.x, p.meansT, p.precT, p.logVarT, p.logW, p.misStart, p.misIdx, out, xhat, hl, new Float64Array(0), rows, K, D, p.ldk);
        const got = withWorkspace((ws) => {
          const o = ws.f64(rows * K), xh = ws.f64(K * rows * D), h = ws.f64(rows * K);
          kernels().incompleteDiagLogProbF64(ws.copyIn(p.x).ptr, ws.copyIn(p.meansT).ptr, ws.copyIn(p.precT).ptr, ws.copyIn(p.logVarT).ptr, ws.copyIn(p.logW).ptr,
            i32In(ws, p.misStart), i32In(ws, p.misIdx), o.ptr, xh.ptr, h.ptr, ws.f64(3 * p.ldk).ptr, rows, K, D, p.ldk);
          return { out: o.readF64(), xhat: xh.readF64(), hl: h.readF64() };
        });
        // Sums of D terms, most of them O(1) (|x − μ| ≈ 3.6, σ² ≥ 0.2): D ulps of |out| + 4·D.
        expectClose(got.out, out, 4 * D * EPS, 0, Array.from(out, (v) => Math.abs(v) + 4 * D));
        expect(Array.from(got.xhat)).toEqual(Array.from(xhat)); // copies, no arithmetic
        expectClose(got.hl, hl, 4 * D * EPS, 0, Array.from(hl, () => 2 * D));
      }
    }
  });
});

describe('incompleteDiagScatter', () => {
  for (const weighted of [false, true]) {
    it(`${weighted ? 'weighted' : 'unweighted'} rows: Σρ and the moments about the centres plus ρ σ² at the missing entries, and the entropy, like its twin`, () => {
      const rng = new Random(51 + Number(weighted));
      for (const [D, K] of CASES) {
        for (const rows of [1, 4, 23, 300]) {
          const p = diagProblem(rng, rows, K, D);
          const out = new Float64Array(rows * K), xhat = new Float64Array(K * rows * D), hl = new Float64Array(rows * K);
          ref.incompleteDiagLogProb(p.x, p.meansT, p.precT, p.logVarT, p.logW, p.misStart, p.misIdx, out, xhat, hl, new Float64Array(0), rows, K, D, p.ldk);
          const { resp, w } = respAndWeights(rng, rows, K, weighted);
          const centres = Float64Array.from({ length: K * D }, () => rng.normal());
          const sr0 = Float64Array.from({ length: K }, () => rng.random()), a0 = Float64Array.from({ length: K * D }, () => rng.normal());
          const b0 = Float64Array.from({ length: K * D }, () => rng.random());
          const want = { sr: sr0.slice(), s1: a0.slice(), s2: b0.slice(), ent: 0 };
          want.ent = ref.incompleteDiagScatter(xhat, resp, w, centres, p.variance, p.misStart, p.misIdx, hl, want.sr, want.s1, want.s2, new Float64Array(0), rows, K, D, 1);
          const got = withWorkspace((ws) => {
            const sr = ws.copyIn(sr0), s1 = ws.copyIn(a0), s2 = ws.copyIn(b0);
            const ent = kernels().incompleteDiagScatterF64(ws.copyIn(xhat).ptr, ws.copyIn(resp).ptr, w ? ws.copyIn(w).ptr : 0, ws.copyIn(centres).ptr,
              ws.copyIn(p.variance).ptr, i32In(ws, p.misStart), i32In(ws, p.misIdx), ws.copyIn(hl).ptr, sr.ptr, s1.ptr, s2.ptr, ws.f64(rows).ptr, rows, K, D, 1);
            return { sr: sr.readF64(), s1: s1.readF64(), s2: s2.readF64(), ent };
          });
          // Sums over rows of terms mostly O(1) (|x̂ − c| ≈ 3.6, weights up to 2): rows ulps of 2·rows.
          const tol = 8 * (rows + 2) * EPS, scale = 2 * (rows + 1);
          expectClose(got.sr, want.sr, tol, 0, Array.from(want.sr, () => scale));
          expectClose(got.s1, want.s1, tol, 0, Array.from(want.s1, () => scale));
          expectClose(got.s2, want.s2, tol, 0, Array.from(want.s2, () => scale));
          expect(Math.abs(got.ent - want.ent)).toBeLessThanOrEqual(tol * (Math.abs(want.ent) + rows * K * D));
        }
      }
    });
  }
});

describe('incompleteTiedGram', () => {
  for (const weighted of [false, true]) {
    it(`${weighted ? 'weighted' : 'unweighted'} rows: what the missing entries add to the Gram matrix, Σρ, Σρ x̂ and the entropy, like its twin`, () => {
      const rng = new Random(61 + Number(weighted));
      for (const [D, K] of CASES) {
        for (const rows of [1, 4, 23]) {
          const p = problem(rng, rows, K, D, 1);
          const e = twinLogProb(p);
          const { resp, w } = respAndWeights(rng, rows, K, weighted);
          const sr0 = Float64Array.from({ length: K }, () => rng.random()), sx0 = Float64Array.from({ length: K * D }, () => rng.normal());
          const g0 = Float64Array.from({ length: D * D }, () => rng.normal());
          const want = { sr: sr0.slice(), sx: sx0.slice(), g: g0.slice(), ent: 0 };
          want.ent = ref.incompleteTiedGram(p.x, e.xhat, resp, w, e.cond, p.misStart, p.misIdx, e.hl, want.sr, want.sx, want.g, new Float64Array(0), rows, K, D, 1);
          const got = withWorkspace((ws) => {
            const sr = ws.copyIn(sr0), sx = ws.copyIn(sx0), g = ws.copyIn(g0);
            const ent = kernels().incompleteTiedGramF64(ws.copyIn(p.x).ptr, ws.copyIn(e.xhat).ptr, ws.copyIn(resp).ptr, w ? ws.copyIn(w).ptr : 0,
              ws.copyIn(e.cond.length ? e.cond : new Float64Array(1)).ptr, i32In(ws, p.misStart), i32In(ws, p.misIdx), ws.copyIn(e.hl).ptr,
              sr.ptr, sx.ptr, g.ptr, ws.f64(rows).ptr, rows, K, D, 1);
            return { sr: sr.readF64(), sx: sx.readF64(), g: g.readF64(), ent };
          });
          // The twin adds and takes off w x̃ x̃ᵀ (entries O(10) on average, the completed ones up to ~D²): rows + D ulps of rows·D².
          const tol = 16 * (rows + D) * EPS;
          const scale = D * D * (rows + 1);
          expectClose(got.sr, want.sr, tol, 0, Array.from(want.sr, () => scale));
          expectClose(got.sx, want.sx, tol, 0, Array.from(want.sx, () => scale));
          expectClose(got.g, want.g, tol, 0, Array.from(want.g, () => scale));
          expect(Math.abs(got.ent - want.ent)).toBeLessThanOrEqual(tol * (Math.abs(want.ent) + rows * K * D));
        }
      }
    });
  }
});
