// Learned approximate inference: LISTA's code error against ISTA after k iterations (held-out
// signals, optimal lasso codes as the truth) with the time of each, and the sweeps BscEncoder
// saves BinarySparseCoding's mean-field inference. Times are wall clock (best of a few runs),
// on a machine that may be shared with other work: compare ratios within one run.
import { BinarySparseCoding, BscEncoder, LISTA, MiniBatchDictionaryLearning, Random, sparseEncode } from '../../dist/index.js';
import { wall } from '../lib.mjs';
import { loadDigits } from '../../dist/datasets.js';

/**
 * CPU seconds (user + system of this process) of the cheapest of `runs` calls of `fn`, after one
 * warm-up call. On a machine shared with other work the wall clock of a computation of a few
 * milliseconds mostly measures the other work (time slices lost to it); the CPU time this process
 * spent does not, so the time ratios of the goal are taken from it (wall times are kept beside).
 */
function cpu(fn, runs) {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / 1e6);
  }
  return best;
}

function mse(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

function rowsOf(X, start, end) {
  return { data: X.data.slice(start * X.cols, end * X.cols), rows: end - start, cols: X.cols };
}

/** A known dictionary of A unit-norm atoms in F features, signals with k non-zero codes. */
function syntheticProblem(N, A, F, k, seed) {
  const rng = new Random(seed);
  const D = new Float64Array(A * F);
  for (let a = 0; a < A; a++) {
    let s = 0;
    for (let f = 0; f < F; f++) s += (D[a * F + f] = rng.normal()) ** 2;
    for (let f = 0; f < F; f++) D[a * F + f] /= Math.sqrt(s);
  }
  const X = new Float64Array(N * F);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < k; j++) {
      const a = rng.int(A), h = rng.normal();
      for (let f = 0; f < F; f++) X[n * F + f] += h * D[a * F + f];
    }
    for (let f = 0; f < F; f++) X[n * F + f] += 0.01 * rng.normal();
  }
  return { D: { data: D, rows: A, cols: F }, X: { data: X, rows: N, cols: F } };
}

/** Digits scaled to [0, 1], a 64-atom dictionary learned on the training rows. */
async function digitsProblem(nTrain) {
  const { X } = await loadDigits();
  const data = Float64Array.from(X.data, (v) => v / 16);
  const all = { data, rows: X.rows, cols: X.cols };
  const dl = new MiniBatchDictionaryLearning({ nComponents: 64, alpha: 0.1, seed: 1, batchSize: 256, maxIter: 20, onWarning: () => {} }).fit(rowsOf(all, 0, nTrain));
  return { D: dl.components, X: all };
}

/** LISTA-T against ISTA-k on one problem. */
function listaCase(name, D, Xtrain, Xtest, alpha, o) {
  const optimal = sparseEncode(Xtest, D, { alpha, tol: 1e-10, maxIter: 10000, onWarning: () => {} }).codes.data;
  const t0 = performance.now();
  const lista = new LISTA({ dictionary: D, alpha, nLayers: 3, seed: 1, epochs: o.epochs, learningRate: o.learningRate, batchSize: 64, onWarning: () => {} }).fit(Xtrain);
  const trainSeconds = (performance.now() - t0) / 1e3;
  const rows = [];
  const listaCodes = lista.transform(Xtest).data;
  rows.push({ problem: name, method: 'LISTA-3', k: 3, mse: mse(listaCodes, optimal), seconds: wall(() => lista.transform(Xtest), 7), cpuSeconds: cpu(() => lista.transform(Xtest), 15), trainSeconds, epochs: o.epochs, nTrain: Xtrain.rows, nTest: Xtest.rows });
  const untrained = new LISTA({ dictionary: D, alpha, nLayers: 3 });
  rows.push({ problem: name, method: 'LISTA-3 untrained (= ISTA-3)', k: 3, mse: mse(untrained.transform(Xtest).data, optimal), seconds: wall(() => untrained.transform(Xtest), 3), cpuSeconds: cpu(() => untrained.transform(Xtest), 5) });
  for (let k = 1; k <= 30; k++) {
    const opts = { alpha, algorithm: 'ista', maxIter: k, tol: 0 };
    const codes = sparseEncode(Xtest, D, opts).codes.data;
    const key = k <= 3 || k === 30;
    rows.push({ problem: name, method: 'ISTA', k, mse: mse(codes, optimal), seconds: wall(() => sparseEncode(Xtest, D, opts), key ? 7 : 2), cpuSeconds: cpu(() => sparseEncode(Xtest, D, opts), key ? 15 : 3) });
  }
  return rows;
}

/** Per row, the first sweep count k ≤ K at which the bound is within 1e-6 of `target` (K + 1 if none). */
function sweepsToReach(model, V, target, init, K) {
  const first = new Int32Array(V.rows).fill(K + 1);
  for (let k = 1; k <= K; k++) {
    const { elbo } = model.infer(V, { init, maxIter: k, tol: 0 });
    for (let r = 0; r < V.rows; r++) if (first[r] > K && elbo[r] >= target[r] - 1e-6) first[r] = k;
  }
  return first;
}

/** A 32 × 32 BinarySparseCoding model with b = −2, β = 4 and W of the given scale, training and held-out signals. */
function bscProblem(quick, scale, nTrain) {
  const m = 32, n = 32;
  const rng = new Random(3);
  const W = rng.fillNormal(new Float64Array(m * n), 0, scale);
  const model = new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b: new Float64Array(n).fill(-2), beta: new Float64Array(m).fill(4) });
  const Vtrain = model.sample(nTrain ?? (quick ? 2000 : 16000), 4).V, Vtest = model.sample(500, 5).V;
  const cold = model.infer(Vtest, { maxIter: 2000, tol: 1e-12 });
  return { m, n, model, Vtrain, Vtest, cold, K: 100, rate: finalContraction(model, Vtest, n) };
}

/**
 * Per signal, how fast the cold start's sweeps contract near its fixed point: the largest ratio
 * of successive max |Δĥ| once they are below 1e-5 (and above 1e-12, where rounding takes over),
 * over 200 sweeps. Near 1, a start has to be very close to save sweeps (sweeps ≈ log(tol/ε₀)/log ρ).
 */
function finalContraction(model, V, n) {
  const rate = new Float64Array(V.rows), last = new Float64Array(V.rows).fill(NaN);
  let init, prev = null;
  for (let k = 1; k <= 200; k++) {
    const h = model.infer(V, { init, maxIter: 1, tol: 0 }).hHat;
    if (prev) {
      for (let r = 0; r < V.rows; r++) {
        let d = 0;
        for (let j = 0; j < n; j++) d = Math.max(d, Math.abs(h.data[r * n + j] - prev[r * n + j]));
        if (d < 1e-5 && d > 1e-12 && last[r] > 0) rate[r] = Math.max(rate[r], d / last[r]);
        last[r] = d;
      }
    }
    prev = h.data;
    init = h;
  }
  return rate;
}

/** Signals grouped by their cold start's contraction near the fixed point: how many, and the mean sweeps of each start. */
function byContraction(rate, cold, encoder) {
  return [[0, 0.2], [0.2, 0.5], [0.5, 1.01]].map(([lo, hi]) => {
    const rows = Array.from(rate.keys()).filter((r) => rate[r] >= lo && rate[r] < hi);
    return { lo, hi, rows: rows.length, cold: mean(rows.map((r) => cold[r])), encoder: mean(rows.map((r) => encoder[r])) };
  });
}

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

/**
 * CPU seconds of one sequential sweep over the held-out signals: the difference between 41 sweeps
 * and 1, over 40, so that the call's own setup (copying V in, the bound), which every call pays
 * whatever its start, is not counted as sweeping.
 */
function sweepCpu(p) {
  return (cpu(() => p.model.infer(p.Vtest, { maxIter: 41, tol: 0 }), 7) - cpu(() => p.model.infer(p.Vtest, { maxIter: 1, tol: 0 }), 7)) / 40;
}

/** CPU seconds per call of fn, from the cheapest of 7 runs of `reps` calls (one call is too short for the clock). */
function cpuPerCall(fn, reps) {
  return cpu(() => { for (let i = 0; i < reps; i++) fn(); }, 7) / reps;
}

/**
 * The cold start's convergence: per sweep k, the median over signals of the ELBO gap to the
 * converged bound, and the median of gap_{k+1} / gap_k over signals whose gap_k lies in
 * [1e-10, 1e-2] (the per-sweep contraction of the gap; ρ² for an error contracting by ρ).
 */
function coldConvergence(p) {
  const gaps = [];
  let init;
  for (let k = 1; k <= 12; k++) {
    const r = p.model.infer(p.Vtest, { init, maxIter: 1, tol: 0 });
    init = r.hHat;
    gaps.push(Array.from(r.elbo, (e, i) => p.cold.elbo[i] - e));
  }
  const contraction = [];
  for (let k = 0; k + 1 < gaps.length; k++) {
    const ratios = [];
    for (let i = 0; i < p.Vtest.rows; i++) if (gaps[k][i] >= 1e-10 && gaps[k][i] <= 1e-2) ratios.push(Math.max(0, gaps[k + 1][i]) / gaps[k][i]);
    contraction.push(ratios.length >= 20 ? median(ratios) : null);
  }
  return { medianGap: gaps.map(median), contraction };
}

/**
 * Starts at known distances from the cold start's fixed point: its converged ĥ with seeded
 * Gaussian noise of scale s added to the logits. Their sweeps (the same count as the encoder's)
 * show how close a start must be to halve the cold start's: the root mean squared distance in ĥ,
 * the median ELBO gap at the start, and the mean sweeps.
 */
function noisyStarts(p, coldCount) {
  const rng = new Random(9);
  const h = p.cold.hHat.data;
  return [0.03, 0.1, 0.3, 1].map((s) => {
    const q = new Float64Array(h.length);
    for (let i = 0; i < h.length; i++) {
      const u = Math.min(36, Math.max(-36, Math.log(h[i]) - Math.log1p(-h[i]))) + s * rng.normal();
      q[i] = 1 / (1 + Math.exp(-u));
    }
    const start = { data: q, rows: p.Vtest.rows, cols: p.n };
    const gap = p.model.elbo(p.Vtest, start).map((e, i) => p.cold.elbo[i] - e);
    const c = sweepsToReach(p.model, p.Vtest, p.cold.elbo, start, p.K);
    return { logitNoise: s, rmse: Math.sqrt(mse(q, h)), medianStartGap: median(Array.from(gap)), sweeps: mean(c), ratio: mean(c) / coldCount };
  });
}

/**
 * The encoder of nLayers layers (sequential or parallel) against the cold start (prior means) on problem p: the mean
 * over held-out signals of the sweeps each start needs to reach the cold start's converged ELBO
 * within 1e-6 (the same sequential sweeps and the same criterion on both sides), over all signals
 * (one that never reaches it within K counts K + 1) and over the signals both reach; how many end
 * at another fixed point; the encoder's CPU time against one sweep's, and the work of both
 * counted in sweeps (the encoder's CPU time as sweeps, plus its sweeps); and the sweeps from the
 * same encoder before training (its layers are then plain undamped sweeps from ĥ = 0), which is
 * what training adds to. `seed` is the encoder's (its mini-batch shuffle).
 */
function bscCase(quick, p, scale, nLayers, schedule, coldCount, perSweep, seed = 1) {
  const { model, Vtrain, Vtest, cold, K } = p;
  const epochs = quick ? 10 : 30;
  const untrained = mean(sweepsToReach(model, Vtest, cold.elbo, new BscEncoder(model, { nLayers, schedule }), K));
  const t0 = performance.now();
  const encoder = new BscEncoder(model, { seed, epochs, nLayers, schedule }).fit(Vtrain);
  const trainSeconds = (performance.now() - t0) / 1e3;
  const warm = model.infer(Vtest, { init: encoder, maxIter: 2000, tol: 1e-12 });
  const c = coldCount, e = sweepsToReach(model, Vtest, cold.elbo, encoder, K);
  // Rows where both starts reach the cold start's bound (the encoder may land on another fixed point).
  const both = Array.from(c.keys()).filter((r) => c[r] <= K && e[r] <= K);
  const other = Array.from(warm.elbo.keys()).filter((r) => Math.abs(warm.elbo[r] - cold.elbo[r]) > 1e-6);
  // How good the guess is: its root mean squared distance to the cold start's converged ĥ, beside
  // that of 1, 2 and 4 sequential sweeps from the prior; its median ELBO gap; how binary the converged ĥ are.
  const rmse = (h) => Math.sqrt(mse(h, cold.hHat.data));
  const guess = encoder.predict(Vtest);
  const guessRmse = rmse(guess.data);
  const guessGap = median(Array.from(model.elbo(Vtest, guess), (x, i) => cold.elbo[i] - x));
  const sweepRmse = [1, 2, 4].map((k) => rmse(model.infer(Vtest, { maxIter: k, tol: 0 }).hHat.data));
  const nearBinary = cold.hHat.data.filter((h) => h < 0.01 || h > 0.99).length / cold.hHat.data.length;
  const predictCpuSeconds = cpuPerCall(() => encoder.predict(Vtest), 20);
  return {
    scale, nLayers, schedule, untrainedSweeps: untrained, m: p.m, n: p.n, nTrain: Vtrain.rows, nTest: Vtest.rows, epochs, trainSeconds, coldSweeps: mean(c), encoderSweeps: mean(e),
    coldSweepsReached: mean(both.map((r) => c[r])), encoderSweepsReached: mean(both.map((r) => e[r])),
    coldUnreached: c.filter((v) => v > K).length, encoderUnreached: e.filter((v) => v > K).length,
    guessRmse, guessMedianGap: guessGap, sweepRmse, nearBinary, otherFixedPoint: other.length, otherHigher: other.filter((r) => warm.elbo[r] > cold.elbo[r]).length,
    predictCpuSeconds, sweepCpuSeconds: perSweep, workRatio: (predictCpuSeconds / perSweep + mean(e)) / mean(c),
    byContraction: byContraction(p.rate, c, e),
  };
}

/** Runs the learned-inference suite. */
export async function runLearnedSuite({ quick = false, bscTrain, bscSeed = 1 } = {}) {
  const rows = [];
  const syn = syntheticProblem((quick ? 2000 : 8000) + 1000, 64, 32, 3, 1);
  const nSyn = syn.X.rows - 1000;
  rows.push(...listaCase('synthetic 64 atoms × 32 features', syn.D, rowsOf(syn.X, 0, nSyn), rowsOf(syn.X, nSyn, syn.X.rows), 0.1, { epochs: quick ? 10 : 40, learningRate: 1e-3 }));
  const nDig = 1400;
  const dig = await digitsProblem(nDig);
  rows.push(...listaCase('digits 64 atoms × 64 pixels', dig.D, rowsOf(dig.X, 0, nDig), rowsOf(dig.X, nDig, dig.X.rows), 0.1, { epochs: quick ? 20 : 100, learningRate: 1e-3 }));
  // Couplings of scale 0.3 (strong: several fixed points for some signals) and 0.15 (weak);
  // encoders of 1 up to 5 sequential layers (4 is the default), and of 4 parallel ones (the
  // default before sequential layers).
  const bsc = [], bscCold = [];
  for (const scale of [0.3, 0.15]) {
    const p = bscProblem(quick, scale, bscTrain);
    const c = sweepsToReach(p.model, p.Vtest, p.cold.elbo, undefined, p.K);
    const perSweep = sweepCpu(p);
    bscCold.push({ scale, coldSweeps: mean(c), sweepCpuSeconds: perSweep, ...coldConvergence(p), noisyStarts: noisyStarts(p, mean(c)) });
    for (const nLayers of [1, 3, 4, 5]) bsc.push(bscCase(quick, p, scale, nLayers, 'sequential', c, perSweep, bscSeed));
    bsc.push(bscCase(quick, p, scale, 4, 'parallel', c, perSweep, bscSeed));
  }
  return { lista: rows, bsc, bscCold };
}
