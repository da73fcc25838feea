// Threads: the same computation at 1 and 2 threads in one run (init({ threads }) between them),
// for the three workloads of the threads issue, exact enumeration, a large GEMM, KMeans, a
// GaussianMixture's k-means start, a partialFit stream of 1,000-row batches, a fit with missing values (rare patterns) and a GaussianHMM's
// Baum-Welch on many sequences. Each is timed by wall clock, alternating the
// thread counts (1, 2, 1, 2, ...) so that a change in the machine's load hits both alike, and
// the best run of each count is kept. The bytes of each result are compared across the counts:
// a speed-up that changed the answer would be no speed-up.
import { BinarySparseCoding, GaussianHMM, GaussianMixture, KMeans, Random, Workspace, dispose, gemm, init, sparseEncode } from '../../dist/index.js';
import { baumWelchWorkload } from './hmm.mjs';
import { gmmProblem } from './mixture.mjs';

const COUNTS = [1, 2];

function gmmCase(quick) {
  const N = quick ? 10_000 : 100_000, D = 16, K = 16, iterations = 5;
  const rng = new Random(1);
  const data = new Float64Array(N * D);
  for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) data[i * D + d] = rng.normal() + 3 * (((i % K) * 7 + d) % 5);
  const X = { data, rows: N, cols: D };
  // Every initial parameter given (K rows of the data as means, equal weights, unit precisions):
  // the timing is EM itself, neither k-means nor drawing random responsibilities.
  const start = {
    weightsInit: new Float64Array(K).fill(1 / K),
    meansInit: { data: data.slice(0, K * D), rows: K, cols: D },
    precisionsInit: Float64Array.from({ length: K * D * D }, (_, i) => (Math.floor(i / D) % D === i % D ? 1 : 0)),
  };
  const run = () => new GaussianMixture({ nComponents: K, covarianceType: 'full', ...start, maxIter: iterations, tol: 0, onWarning: () => {} }).fit(X);
  return { workload: `GaussianMixture full, N=${N}, D=${D}, K=${K}, ${iterations} EM iterations`, run, bytes: (gm) => [gm.lowerBound, ...gm.means.data] };
}

function sparseCase(quick) {
  const N = quick ? 1000 : 10_000, F = 64, A = 256;
  const rng = new Random(2);
  const dict = rng.fillNormal(new Float64Array(A * F));
  for (let a = 0; a < A; a++) {
    let s = 0;
    for (let f = 0; f < F; f++) s += dict[a * F + f] ** 2;
    for (let f = 0; f < F; f++) dict[a * F + f] /= Math.sqrt(s);
  }
  const X = { data: rng.fillNormal(new Float64Array(N * F)), rows: N, cols: F };
  const D = { data: dict, rows: A, cols: F };
  const run = () => sparseEncode(X, D, { alpha: 1, algorithm: 'cd', onWarning: () => {} });
  return { workload: `sparseEncode cd, ${N} signals, ${A} atoms, ${F} features`, run, bytes: (r) => r.codes.data };
}

function bscCase(quick) {
  const N = quick ? 1000 : 10_000, m = 64, n = 128, sweeps = 50;
  const rng = new Random(3);
  const W = rng.fillNormal(new Float64Array(m * n), 0, 0.3);
  const model = new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b: new Float64Array(n).fill(-2), beta: new Float64Array(m).fill(4) });
  const V = model.sample(N, 2).V;
  const run = () => model.infer(V, { schedule: 'sequential', maxIter: sweeps, tol: 0 });
  return { workload: `BinarySparseCoding infer, sequential, N=${N}, m=${m}, n=${n}, ${sweeps} sweeps`, run, bytes: (r) => r.hHat.data };
}

function enumerationCase(quick) {
  const n = quick ? 16 : 20, m = 16, N = 16;
  const rng = new Random(4);
  const W = rng.fillNormal(new Float64Array(m * n), 0, 0.5);
  const model = new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b: new Float64Array(n).fill(-1), beta: new Float64Array(m).fill(2) });
  const V = model.sample(N, 5).V;
  const run = () => model.exactPosterior(V);
  return { workload: `BinarySparseCoding exactPosterior, ${N} signals, m=${m}, n=${n} latents (2^${n} states)`, run, bytes: (r) => [...r.logLikelihood, ...r.marginals.data] };
}

function gemmCase(quick) {
  const n = quick ? 400 : 1000;
  const rng = new Random(5);
  const A = rng.fillNormal(new Float64Array(n * n)), B = rng.fillNormal(new Float64Array(n * n));
  // The operands go into wasm memory once per init: the timed call is the product alone.
  const prepare = () => {
    const ws = new Workspace();
    const a = ws.copyIn(A), b = ws.copyIn(B), c = ws.f64(n * n);
    const run = () => {
      gemm('NN', 'f64', a.ptr, b.ptr, c.ptr, n, n, n, 0);
      return c;
    };
    return { run, release: () => ws.release() };
  };
  return { workload: `GEMM f64 ${n}×${n}×${n} (NN)`, prepare, bytes: (c) => c.readF64() };
}

/** Rows around K centres on a grid of spacing 3 in every dimension, unit noise: overlapping clusters. */
function gridBlobs(rng, N, D, K) {
  const data = new Float64Array(N * D);
  for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) data[i * D + d] = rng.normal() + 3 * (((i % K) * 7 + d) % 5);
  return { data, rows: N, cols: D };
}

function kmeansCase(quick) {
  const N = quick ? 20_000 : 200_000, D = 16, K = 16, iterations = 20;
  const rng = new Random(4);
  const X = gridBlobs(rng, N, D, K);
  // Given initial centres (K rows of the data) and tol = 0: the timing is Lloyd's passes, a
  // fixed number of them (the clusters overlap, so labels keep changing; nIter is in the bytes).
  const init = { data: X.data.slice(0, K * D), rows: K, cols: D };
  const run = () => new KMeans({ nClusters: K, init, maxIter: iterations, tol: 0, algorithm: 'lloyd', onWarning: () => {} }).fit(X);
  return { workload: `KMeans lloyd, N=${N}, D=${D}, K=${K}, ${iterations} iterations from given centres`, run, bytes: (km) => [km.nIter, km.inertia, ...km.clusterCenters.data, ...km.labels] };
}

function mixtureInitCase(quick) {
  const N = quick ? 10_000 : 100_000, D = 16, K = 16;
  const rng = new Random(5);
  const X = gridBlobs(rng, N, D, 3);
  // Default options but one EM iteration: the time is mostly the k-means start (k-means++ and
  // Lloyd to convergence), with K larger than the data's 3 clusters, as users often choose.
  const run = () => new GaussianMixture({ nComponents: K, covarianceType: 'full', maxIter: 1, seed: 0, onWarning: () => {} }).fit(X);
  return { workload: `GaussianMixture k-means start + 1 EM iteration, N=${N}, D=${D}, K=${K}, 3 true clusters`, run, bytes: (gm) => [gm.lowerBound, ...gm.means.data] };
}

function partialFitCase(quick) {
  const N = quick ? 20_000 : 100_000, D = 8, K = 8, batch = 1000;
  const X = gridBlobs(new Random(6), N, D, K);
  // One pass of a stream of small batches: each batch's jobs are short (a few hundred
  // microseconds on one thread), so the pool's cost of starting a job weighs here.
  const run = () => {
    const gm = new GaussianMixture({ nComponents: K, covarianceType: 'full', seed: 0 });
    for (let s = 0; s < N; s += batch) gm.partialFit({ data: X.data.subarray(s * D, (s + batch) * D), rows: batch, cols: D });
    return gm;
  };
  return { workload: `GaussianMixture partialFit, ${N / batch} batches of ${batch} rows, D=${D}, K=${K}, full`, run, bytes: (gm) => [gm.lowerBound, ...gm.means.data] };
}

function missingCase(quick) {
  const N = quick ? 5_000 : 20_000, D = 32, K = 8, iterations = 5;
  const p = gmmProblem({ N, D, K, covarianceType: 'full' }, 3);
  const rng = new Random(4);
  // 10 % of the entries NaN: at D = 32 almost every incomplete row has a missingness pattern of
  // its own, so the rows go to the rare-pattern kernels, in blocks fixed by the data.
  const X = { ...p.X, data: p.X.data.map((v) => (rng.random() < 0.1 ? NaN : v)) };
  const run = () => new GaussianMixture({
    nComponents: K, covarianceType: 'full', missing: 'marginalize', maxIter: iterations, tol: 0, onWarning: () => {},
    weightsInit: p.weights, meansInit: { data: p.means, rows: K, cols: D }, precisionsInit: p.precisions,
  }).fit(X);
  return {
    workload: `GaussianMixture with 10 % NaN (marginalize), N=${N}, D=${D}, K=${K}, full, ${iterations} EM iterations from given parameters`, run,
    bytes: (gm) => [...gm.lowerBoundHistory, ...gm.means.data, ...gm.covariances],
  };
}

function hmmCase(quick) {
  const nSeq = quick ? 20 : 200, T = 500, D = 8, K = 8, iterations = 5;
  const w = baumWelchWorkload({ nSeq, T, K, D, seed: 7 });
  // Every initial parameter given (π, A, means near the true ones, variances 1.5) and tol = 0:
  // the timing is a fixed number of Baum-Welch iterations, the sequences' recursions in blocks of
  // whole sequences and the emission densities in blocks of rows.
  const run = () => new GaussianHMM({ nComponents: K, covarianceType: 'diag', ...w.start, nIter: iterations, tol: 0, onWarning: () => {} }).fit(w.X, { lengths: w.lengths });
  return {
    workload: `GaussianHMM diag, ${nSeq} sequences of ${T} rows, D=${D}, K=${K}, ${iterations} Baum-Welch iterations from given parameters`, run,
    bytes: (m) => [...m.lowerBoundHistory, ...m.means.data, ...m.covars, ...m.transMat.data],
  };
}

/**
 * Seconds of one call of the workload's `run` (or of the `run` its `prepare` returns after init,
 * released after timing) under `threads` threads (after one warm-up call), the CPU seconds the
 * process spent in it (every thread's: process.cpuUsage counts worker threads too; CPU / wall is
 * the share of the machine the call actually got), and the bytes of its result.
 */
async function timeWith(threads, workload) {
  dispose();
  const setup = await init({ threads });
  if (setup.threads !== threads) throw new Error(`init({ threads: ${threads} }) set up ${JSON.stringify(setup)}`);
  const { run, release } = workload.prepare ? workload.prepare() : { run: workload.run, release: () => {} };
  try {
    let result = run();
    const c = process.cpuUsage();
    const t = performance.now();
    result = run();
    const seconds = (performance.now() - t) / 1e3;
    const cpu = process.cpuUsage(c);
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes: Buffer.from(Float64Array.from(workload.bytes(result)).buffer).toString('base64') };
  } finally {
    release();
  }
}

/** `workloads`: words (case-insensitive); only the workloads whose name contains one of them run. */
export async function runThreadsSuite({ quick = false, rounds = quick ? 1 : 3, workloads = null } = {}) {
  const rows = [];
  const cases = [gmmCase, sparseCase, bscCase, enumerationCase, gemmCase, kmeansCase, mixtureInitCase, partialFitCase, missingCase, hmmCase].map((make) => make(quick));
  const chosen = workloads ? cases.filter((c) => workloads.some((w) => c.workload.toLowerCase().includes(w.toLowerCase()))) : cases;
  for (const c of chosen) {
    const best = new Map(COUNTS.map((t) => [t, Infinity]));
    const cpuOfBest = new Map();
    const bytes = new Map();
    for (let r = 0; r < rounds; r++) {
      for (const t of COUNTS) {
        const { seconds, cpuSeconds, bytes: b } = await timeWith(t, c);
        if (seconds < best.get(t)) cpuOfBest.set(t, cpuSeconds);
        best.set(t, Math.min(best.get(t), seconds));
        bytes.set(t, b);
      }
    }
    const sameBytes = new Set(bytes.values()).size === 1;
    for (const t of COUNTS) {
      const cpuSeconds = cpuOfBest.get(t);
      rows.push({ workload: c.workload, threads: t, seconds: best.get(t), cpuSeconds, coresUsed: cpuSeconds / best.get(t), speedup: best.get(1) / best.get(t), sameBytes });
    }
  }
  dispose();
  await init({ threads: 1 });
  return rows;
}
