// Sparse coding: batched lasso encoders (cd, fista, ista) — wasm against the plain-TypeScript
// run of the same algorithm, and against scikit-learn's lasso_cd / lasso_lars on the same
// problem (regenerated bit-identically in Python from the seed) — and MiniBatchDictionaryLearning
// on the digits against scikit-learn's, per epoch. All measured in one run.
import { fileURLToPath } from 'node:url';
import { MiniBatchDictionaryLearning, sparseEncode } from '../../dist/index.js';
import { loadDigits } from '../../dist/datasets.js';
import { problem } from '../../scripts/fixtures/sparse_problem.mjs';
import { runPython, sklearnUnavailable } from '../peers/python.mjs';

const PEER = fileURLToPath(new URL('../peers/sparse_sklearn.py', import.meta.url));
const TOL = 1e-6;

/** The workload: 64 features, 256 unit-norm atoms, α = 0.2·median max|Dx| (~5% non-zeros). */
export function encodeWorkload(n) {
  const spec = { seed: 1, n, atoms: 256, features: 64, k: 5, noise: 0.15 };
  const { X, D } = problem(spec);
  const { atoms: A, features: F } = spec;
  const peak = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < A; a++) {
      let s = 0;
      for (let j = 0; j < F; j++) s += X[i * F + j] * D[a * F + j];
      peak[i] = Math.max(peak[i], Math.abs(s));
    }
  }
  const sorted = Array.from(peak).sort((a, b) => a - b);
  return { spec, X: { data: X, rows: n, cols: F }, D: { data: D, rows: A, cols: F }, alpha: 0.2 * sorted[n >> 1] };
}

/** Best wall-clock seconds of `reps` calls after one warm-up call (which lets V8 tier up the wasm). */
function best(fn, reps) {
  fn();
  let t = Infinity, out;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    out = fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return { seconds: t, out };
}

const rowsOf = (X, n) => ({ data: X.data.subarray(0, n * X.cols), rows: n, cols: X.cols });
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;

/** Runs the encode and mini-batch workloads; `quick` shrinks them. Async only to load the digits. */
export async function runSparseSuite({ quick = false } = {}) {
  const rows = [];
  const N = quick ? 2000 : 10_000;
  const w = encodeWorkload(N);
  const { X, D, alpha } = w;
  // Signals per run: the full set where a run takes well under a second, a prefix otherwise.
  const plan = [
    { algorithm: 'cd', dtype: 'f64', engine: 'wasm', n: N },
    { algorithm: 'cd', dtype: 'f32', engine: 'wasm', n: N },
    { algorithm: 'cd', dtype: 'f64', engine: 'reference', n: Math.min(N, 2000) },
    { algorithm: 'fista', dtype: 'f64', engine: 'wasm', n: Math.min(N, 1000) },
    { algorithm: 'fista', dtype: 'f32', engine: 'wasm', n: Math.min(N, 1000) },
    { algorithm: 'fista', dtype: 'f64', engine: 'reference', n: 50 },
    { algorithm: 'ista', dtype: 'f64', engine: 'wasm', n: 100 },
    { algorithm: 'ista', dtype: 'f64', engine: 'reference', n: 10 },
  ];
  for (const p of plan) {
    const x = rowsOf(X, p.n);
    const data = p.dtype === 'f32' ? { ...x, data: Float32Array.from(x.data) } : x;
    const tol = p.dtype === 'f32' ? 1e-5 : TOL;
    const reps = p.engine === 'reference' ? 2 : 3;
    const { seconds, out } = best(() => sparseEncode(data, D, { alpha, algorithm: p.algorithm, tol, engine: p.engine }), reps);
    let nnz = 0;
    for (const v of out.codes.data) if (v !== 0) nnz++;
    rows.push({
      case: 'encode', impl: p.engine === 'wasm' ? `elbo-${p.dtype}` : 'elbo-ts', algorithm: p.algorithm, signals: p.n, tol, seconds,
      perSignal: seconds / p.n, meanObjective: mean(out.objective), nonzeros: nnz / out.codes.data.length,
      meanIter: mean(Array.from(out.nIter)), converged: out.converged,
    });
  }
  const why = sklearnUnavailable();
  if (why) console.log(`sparse: scikit-learn peers skipped: ${why}`);
  else {
    const peer = runPython(PEER, ['encode', JSON.stringify(w.spec), String(alpha), String(TOL), quick ? '1' : '2', String(quick ? 200 : 1000)]);
    for (const [name, r] of Object.entries(peer)) {
      rows.push({ case: 'encode', impl: `sklearn-1t`, algorithm: name, signals: r.signals, tol: name === 'lasso_cd' ? TOL : null, seconds: r.seconds,
        perSignal: r.seconds / r.signals, meanObjective: r.meanObjective, nonzeros: r.nonzeroFraction });
    }
  }
  rows.push(...minibatchRows(quick, why, await digitsOrNull()));
  return rows;
}

function minibatchRows(quick, why, digits) {
  const out = [];
  const epochs = quick ? 1 : 3;
  if (!digits) return out;
  const opts = { nComponents: 100, alpha: 1, batchSize: 256, maxIter: epochs, tol: 0, fitAlgorithm: 'cd', seed: 0 };
  for (const dtype of ['f64', 'f32']) {
    const X = dtype === 'f32' ? { ...digits, data: Float32Array.from(digits.data) } : digits;
    const o = dtype === 'f32' ? { ...opts, transformTol: 1e-5 } : opts;
    const { seconds, out: mb } = best(() => new MiniBatchDictionaryLearning(o).fit(X), 1);
    out.push({ case: 'minibatch digits', impl: `elbo-${dtype}`, epochs, seconds: seconds / epochs, error: mb.objectiveHistory[mb.objectiveHistory.length - 1] });
  }
  if (!why) {
    const r = runPython(PEER, ['minibatch', String(epochs)]);
    out.push({ case: 'minibatch digits', impl: 'sklearn-1t', epochs, seconds: r.secondsPerEpoch });
  }
  return out;
}

/** The digits shipped in data/ (UCI, CC BY 4.0; the same data as sklearn's load_digits), or null. */
async function digitsOrNull() {
  try {
    return (await loadDigits()).X;
  } catch (err) {
    console.log(`sparse: digits not available, MiniBatchDictionaryLearning benchmark skipped (${err.message})`);
    return null;
  }
}
