// HMM benchmarks: one Baum-Welch iteration (100 sequences × 1,000 steps, K = 8, 4-D diagonal
// Gaussians, the same given start) on the wasm engine and on the plain-TypeScript reference of
// the same algorithm; and the factorial HMM's exact inference (K^M joint states) against
// structured mean-field (one forward-backward per chain per sweep) as the number of chains grows.
import { FactorialHMM, GaussianHMM, Random } from '../../dist/index.js';
import { wall as wallAfter } from '../lib.mjs';

/** Seconds of the fastest of `runs` calls, after two warm-ups (V8 tiers wasm up while it runs). */
const wall = (fn, runs = 2) => wallAfter(fn, runs, 2);

/** The Baum-Welch workload: sequences from a sticky 8-state HMM with 4-D Gaussian emissions, and a fixed start. */
export function baumWelchWorkload({ nSeq = 100, T = 1000, K = 8, D = 4, seed = 1 } = {}) {
  const rng = new Random(seed);
  const trueMeans = Array.from({ length: K }, () => Array.from({ length: D }, () => 4 * rng.normal()));
  const X = new Float64Array(nSeq * T * D);
  for (let s = 0, row = 0; s < nSeq; s++) {
    let z = rng.int(K);
    for (let t = 0; t < T; t++, row++) {
      if (t > 0 && rng.random() < 0.1) z = rng.int(K);
      for (let d = 0; d < D; d++) X[row * D + d] = trueMeans[z][d] + rng.normal();
    }
  }
  const transMat = Array.from({ length: K * K }, (_, i) => (Math.floor(i / K) === i % K ? 0.5 : 0.5 / (K - 1)));
  const start = {
    startProbInit: new Array(K).fill(1 / K), transMatInit: transMat,
    meansInit: trueMeans.map((m) => m.map((v) => v + 0.5 * rng.normal())), covarsInit: new Array(K * D).fill(1.5),
  };
  return { X: { data: X, rows: nSeq * T, cols: D }, lengths: new Array(nSeq).fill(T), K, D, start };
}

function baumWelchCases(quick) {
  const w = baumWelchWorkload(quick ? { nSeq: 20 } : {});
  const out = [];
  const iters = 3;
  for (const engine of ['wasm', 'reference']) {
    let model;
    const seconds = wall(() => {
      model = new GaussianHMM({ nComponents: w.K, ...w.start, nIter: iters, tol: 0, minCovar: 0, engine, onWarning: () => {} }).fit(w.X, { lengths: w.lengths });
    }, engine === 'wasm' ? 2 : 1) / iters;
    out.push({ case: 'baum-welch', impl: engine === 'wasm' ? 'elbo-wasm' : 'elbo-ts', sequences: w.lengths.length, steps: w.X.rows, K: w.K, D: w.D, seconds, logLik: model.lowerBoundHistory[iters - 1] });
  }
  return out;
}

/** A factorial HMM with M chains of K = 2 states, D = 4, and T steps drawn from it. */
function factorialModel(M, T, seed) {
  const K = 2, D = 4, J = M * K;
  const rng = new Random(seed);
  const W = rng.fillNormal(new Float64Array(D * J));
  const f = new FactorialHMM({ nChains: M, nStates: K, sweepTol: 1e-10 }).setParams({
    weights: { data: W, rows: D, cols: J }, covariance: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    startProb: new Array(J).fill(0.5), transMat: Array.from({ length: M }, () => [0.9, 0.1, 0.1, 0.9]).flat(),
  });
  const states = new Array(M).fill(0);
  const X = [];
  for (let t = 0; t < T; t++) {
    for (let m = 0; m < M; m++) if (rng.random() < 0.1) states[m] = 1 - states[m];
    X.push(Array.from({ length: D }, (_, d) => states.reduce((s, sm, m) => s + W[d * J + m * K + sm], 0) + rng.normal()));
  }
  return { f, X };
}

function factorialCases(quick) {
  const T = quick ? 100 : 200;
  const chains = quick ? [1, 2, 4, 6, 8] : [1, 2, 4, 6, 8, 10];
  const out = [];
  for (const M of chains) {
    const { f, X } = factorialModel(M, T, M);
    const exact = wall(() => f.exactLogLikelihood(X), M >= 8 ? 1 : 2);
    const mf = wall(() => f.elbo(X), 2);
    const sweeps = f.elboSweeps(X).length;
    out.push({ case: 'factorial', M, K: 2, T, jointStates: 2 ** M, exactSeconds: exact, meanFieldSeconds: mf, sweeps, gap: f.exactLogLikelihood(X) - f.elbo(X), ratio: exact / mf });
  }
  return out;
}

export function runHmmSuite({ quick = false } = {}) {
  return [...baumWelchCases(quick), ...factorialCases(quick)];
}
