import { describe, expect, it } from 'vitest';
import { FactorialHMM, GaussianHMM, Random, ValueError } from '../../src/index.js';
import { pseudoInverse } from '../../src/hmm/factorial-math.js';
import { logNormal, stochastic } from './util.js';

/** A factorial HMM with random parameters, and data drawn from it. */
function randomModel(M: number, K: number, D: number, T: number, seed: number, options = {}) {
  const rng = new Random(seed);
  const J = M * K;
  const W = Array.from({ length: D * J }, () => 1.5 * rng.normal());
  const C = Array.from({ length: D * D }, (_, i) => (i % (D + 1) === 0 ? 0.6 + 0.3 * rng.random() : 0));
  const startProb = stochastic(rng, M, K), transMat = stochastic(rng, M * K, K);
  const f = new FactorialHMM({ nChains: M, nStates: K, ...options }).setParams({ weights: { data: Float64Array.from(W), rows: D, cols: J }, covariance: C, startProb, transMat });
  const X = Array.from({ length: T }, () => Array.from({ length: D }, () => 2 * rng.normal()));
  return { f, X, W, C, startProb, transMat };
}

/** log p(Y, S) for every joint path S (each a list of per-chain state sequences), by enumeration. */
function enumerateJoint(M: number, K: number, D: number, X: number[][], W: number[], C: number[], pi: number[], P: number[]) {
  const T = X.length, S = K ** M, J = M * K;
  const Cm = Array.from({ length: D }, (_, i) => C.slice(i * D, (i + 1) * D));
  const out: { states: number[][]; logJoint: number }[] = [];
  for (let code = 0; code < S ** T; code++) {
    const states = Array.from({ length: M }, () => new Array<number>(T));
    for (let t = 0, r = code; t < T; t++, r = Math.floor(r / S)) for (let m = 0; m < M; m++) states[m][t] = Math.floor((r % S) / K ** m) % K;
    let lp = 0;
    for (let m = 0; m < M; m++) {
      lp += Math.log(pi[m * K + states[m][0]]);
      for (let t = 1; t < T; t++) lp += Math.log(P[m * K * K + states[m][t - 1] * K + states[m][t]]);
    }
    for (let t = 0; t < T; t++) {
      const mu = Array.from({ length: D }, (_, d) => states.reduce((s, sm, m) => s + W[d * J + m * K + sm[t]], 0));
      lp += logNormal(X[t], mu, Cm);
    }
    out.push({ states, logJoint: lp });
  }
  return out;
}

function logSumExp(v: number[]): number {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
}

describe('FactorialHMM', () => {
  it('computes the exact log-likelihood of the joint chain as enumeration does (to 1e-10)', () => {
    const M = 2, K = 2, D = 2;
    const { f, X, W, C, startProb, transMat } = randomModel(M, K, D, 4, 1);
    const paths = enumerateJoint(M, K, D, X, W, C, startProb, transMat);
    expect(Math.abs(f.exactLogLikelihood(X) - logSumExp(paths.map((p) => p.logJoint)))).toBeLessThan(1e-10);
  });

  for (const [M, K] of [[2, 2], [3, 2], [2, 3]]) {
    it(`keeps the ELBO below log p and log p − ELBO equal to KL(q ‖ p) by enumeration (M = ${M}, K = ${K})`, () => {
      const D = 2, T = 3;
      const { f, X, W, C, startProb, transMat } = randomModel(M, K, D, T, 10 * M + K);
      const paths = enumerateJoint(M, K, D, X, W, C, startProb, transMat);
      const logP = logSumExp(paths.map((p) => p.logJoint));
      const inf = f.infer(X);
      const elbo = inf.logProb;
      expect(elbo).toBeLessThanOrEqual(logP + 1e-10);
      // log q(S) = Σ_m [log π + Σ log P + Σ_t log h_t(s_t) − log Z_m], Z_m by enumerating chain m.
      const h = inf.logPotentials!.map((m) => m.data);
      const chainLogZ = h.map((hm, m) => {
        const terms: number[] = [];
        for (let code = 0; code < K ** T; code++) {
          const s = Array.from({ length: T }, (_, t) => Math.floor(code / K ** t) % K);
          let lp = Math.log(startProb[m * K + s[0]]) + hm[s[0]];
          for (let t = 1; t < T; t++) lp += Math.log(transMat[m * K * K + s[t - 1] * K + s[t]]) + hm[t * K + s[t]];
          terms.push(lp);
        }
        return logSumExp(terms);
      });
      let kl = 0;
      for (const p of paths) {
        let logQ = 0;
        p.states.forEach((s, m) => {
          logQ += Math.log(startProb[m * K + s[0]]) + h[m][s[0]] - chainLogZ[m];
          for (let t = 1; t < T; t++) logQ += Math.log(transMat[m * K * K + s[t - 1] * K + s[t]]) + h[m][t * K + s[t]];
        });
        kl += Math.exp(logQ) * (logQ - (p.logJoint - logP));
      }
      expect(kl).toBeGreaterThanOrEqual(-1e-12);
      expect(Math.abs(logP - elbo - kl)).toBeLessThan(1e-9);
    });
  }

  it('never decreases the bound over mean-field sweeps', () => {
    const { f, X } = randomModel(4, 3, 3, 40, 7, { sweepTol: 0, maxSweeps: 15 });
    const sweeps = f.elboSweeps(X);
    expect(sweeps.length).toBe(15);
    for (let i = 1; i < sweeps.length; i++) expect(sweeps[i]).toBeGreaterThanOrEqual(sweeps[i - 1] - 1e-9 * Math.abs(sweeps[i - 1]));
    expect(sweeps[sweeps.length - 1]).toBeLessThanOrEqual(f.exactLogLikelihood(X) + 1e-9);
  });

  for (const inference of ['structured', 'exact'] as const) {
    it(`never decreases the bound over ${inference === 'exact' ? 'exact' : 'variational'} EM (minCovar = 0: the exact M-step)`, () => {
      const truth = randomModel(3, 2, 3, 1, 3).f;
      const rng = new Random(9);
      // Data from the model itself: chains switching slowly, means Σ_m W^(m) s^(m).
      const W = truth.weights;
      const states = [0, 0, 0];
      const X = Array.from({ length: 200 }, () => {
        for (let m = 0; m < 3; m++) if (rng.random() < 0.1) states[m] = 1 - states[m];
        return Array.from({ length: 3 }, (_, d) => states.reduce((s, sm, m) => s + W.data[d * 6 + m * 2 + sm], 0) + 0.5 * rng.normal());
      });
      const f = new FactorialHMM({ nChains: 3, nStates: 2, inference, nIter: 25, tol: 0, minCovar: 0, seed: 4, onWarning: () => {} }).fit(X);
      const h = f.lowerBoundHistory;
      expect(h.length).toBe(25);
      for (let i = 1; i < h.length; i++) expect(h[i]).toBeGreaterThanOrEqual(h[i - 1] - 1e-8 * Math.abs(h[i - 1]));
      expect(f.elbo(X)).toBeLessThanOrEqual(f.exactLogLikelihood(X) + 1e-9);
    });
  }

  it('is exact with one chain: ELBO = log p = the GaussianHMM (tied) score', () => {
    const K = 3, D = 2;
    const { f, X, W, C, startProb, transMat } = randomModel(1, K, D, 30, 5);
    const logP = f.exactLogLikelihood(X);
    expect(Math.abs(f.elbo(X) - logP)).toBeLessThan(1e-9 * Math.abs(logP));
    const means = Array.from({ length: K }, (_, k) => Array.from({ length: D }, (_, d) => W[d * K + k]));
    const hmm = new GaussianHMM({ nComponents: K, covarianceType: 'tied', startProbInit: startProb, transMatInit: transMat, meansInit: means, covarsInit: C, nIter: 0 }).fit(X);
    expect(Math.abs(hmm.score(X) - logP)).toBeLessThan(1e-9 * Math.abs(logP));
    const exact = f.infer(X, { method: 'exact' }).marginals[0].data, mf = f.infer(X).marginals[0].data;
    for (let i = 0; i < exact.length; i++) expect(Math.abs(exact[i] - mf[i])).toBeLessThan(1e-9);
  });

  it('gives the same results on the reference engine', () => {
    const a = randomModel(2, 3, 2, 25, 6).f, b = randomModel(2, 3, 2, 25, 6, { engine: 'reference' });
    expect(b.f.elbo(b.X)).toBeCloseTo(a.elbo(b.X), 9);
    expect(b.f.exactLogLikelihood(b.X)).toBeCloseTo(a.exactLogLikelihood(b.X), 9);
  });

  it('computes a Moore-Penrose pseudo-inverse (A A⁺ A = A for a singular A)', () => {
    const rng = new Random(2);
    const B = Array.from({ length: 12 }, () => rng.normal());
    const n = 4;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let r = 0; r < 3; r++) A[i * n + j] += B[i * 3 + r] * B[j * 3 + r];
    const P = pseudoInverse(A, n);
    const mul = (x: Float64Array, y: Float64Array) => { const o = new Float64Array(n * n); for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) o[i * n + j] += x[i * n + k] * y[k * n + j]; return o; };
    const back = mul(mul(A, P), A);
    for (let i = 0; i < n * n; i++) expect(back[i]).toBeCloseTo(A[i], 9);
  });

  it('refuses exact inference beyond 4096 joint states and bad parameters, naming them', () => {
    expect(() => new FactorialHMM({ nChains: 7, nStates: 4, inference: 'exact' })).toThrow(/nStates\^nChains ≤ 4096 .* 4\^7 = 16384/);
    const { f, X } = randomModel(2, 2, 2, 5, 1);
    expect(() => f.exactLogLikelihood([[1, 2, 3]])).toThrow(/X must have 2 columns/);
    expect(() => new FactorialHMM({ nChains: 2, nStates: 2 }).setParams({ weights: { data: new Float64Array(8), rows: 2, cols: 4 }, covariance: [1, 0, 0, 1], startProb: [0.5, 0.5, 0.5, 0.6], transMat: new Array(8).fill(0.5) })).toThrow(ValueError);
    expect(() => new FactorialHMM({ nChains: 2, nStates: 2 }).setParams({ weights: { data: new Float64Array(8), rows: 2, cols: 4 }, covariance: [1, 2, 2, 1], startProb: [0.5, 0.5, 0.5, 0.5], transMat: new Array(8).fill(0.5) })).toThrow(/covariance C is not positive definite/);
    expect(() => f.infer(X, { lengths: [2, 2] })).toThrow(/lengths must sum/);
  });
});
