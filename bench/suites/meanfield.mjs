// Mean-field benchmarks: binary sparse coding inference (wasm sweeps against the TS reference of
// the same algorithm, in the same run), and exact enumeration against mean-field as n grows.
// The long cases are timed by wall clock over a few runs (benchmark.js would repeat them for
// tens of seconds); the reference engine runs on the first rows only (its cost is linear in
// the rows), so both rates are per signal.
import { BinarySparseCoding, BoltzmannMachine, Random } from '../../dist/index.js';
import { wall } from '../lib.mjs';

export function bscModel(m, n, seed) {
  const rng = new Random(seed);
  const W = rng.fillNormal(new Float64Array(m * n), 0, 0.3);
  return new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b: new Float64Array(n).fill(-2), beta: new Float64Array(m).fill(4) });
}

function firstRows(V, rows) {
  return { data: V.data.subarray(0, rows * V.cols), rows, cols: V.cols };
}

/** BSC inference: N signals, m = 64, n = 128, 50 sweeps, sequential and parallel. */
function inferenceCases(quick) {
  const m = 64, n = 128, sweeps = 50;
  const N = quick ? 2000 : 10_000;
  const nRef = quick ? 200 : 1000;
  const model = bscModel(m, n, 1);
  const V = model.sample(N, 2).V;
  const Vref = firstRows(V, nRef);
  const out = [];
  for (const schedule of ['sequential', 'parallel']) {
    const opts = { schedule, maxIter: sweeps, tol: 0 };
    const w = wall(() => model.infer(V, opts), quick ? 1 : 2);
    const t = wall(() => model.infer(Vref, { ...opts, engine: 'reference' }), 1);
    const flops = 2 * n * n * sweeps; // per signal: the coupling products of one sweep
    out.push({ case: 'bsc infer', schedule, impl: 'wasm', N, m, n, sweeps, seconds: w, signalsPerSecond: N / w, gflops: (flops * N) / w / 1e9 });
    out.push({ case: 'bsc infer', schedule, impl: 'ts', N: nRef, m, n, sweeps, seconds: t, signalsPerSecond: nRef / t, gflops: (flops * nRef) / t / 1e9 });
  }
  return out;
}

/**
 * Exact enumeration against mean-field as n grows, for one signal of a binary sparse coding
 * model (m = 32) and for a fully connected Boltzmann machine: 2ⁿ states against n² per sweep.
 */
function scalingCases(quick) {
  const sizes = quick ? [8, 12, 16, 20] : [8, 12, 16, 20, 22, 24];
  const out = [];
  for (const n of sizes) {
    const model = bscModel(32, n, n);
    const V = model.sample(1, 3).V;
    const exact = wall(() => model.exactLogLikelihood(V), n >= 22 ? 1 : 2);
    let mf;
    const tMf = wall(() => { mf = model.infer(V, { maxIter: 200, tol: 1e-10 }); }, 3);
    const logp = model.exactLogLikelihood(V)[0];
    out.push({ case: 'bsc exact vs mean-field', n, states: 2 ** n, exactSeconds: exact, meanFieldSeconds: tMf, sweeps: mf.nIter, gap: logp - mf.elbo[0], ratio: exact / tMf });
    const rng = new Random(n);
    const W = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) W[i * n + j] = W[j * n + i] = 0.3 * rng.normal();
    const bm = new BoltzmannMachine({ W: { data: W, rows: n, cols: n }, b: rng.fillNormal(new Float64Array(n)) });
    const exactBm = wall(() => bm.exactLogPartition(), n >= 22 ? 1 : 2);
    let r;
    const tBm = wall(() => { r = bm.meanField(undefined, { tol: 1e-10 }); }, 3);
    out.push({ case: 'boltzmann exact vs mean-field', n, states: 2 ** n, exactSeconds: exactBm, meanFieldSeconds: tBm, sweeps: r.nIter, gap: bm.exactLogPartition() - r.lowerBound, ratio: exactBm / tBm });
  }
  return out;
}

export function runMeanfieldSuite({ quick = false } = {}) {
  return [...inferenceCases(quick), ...scalingCases(quick)];
}
