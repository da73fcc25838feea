// The workloads of `npm run bench:peers` (issue 8): seeded problems generated once in Node and
// given to every peer (in process, to Python through raw little-endian files, to Chromium over
// HTTP), and the shared f64 evaluation of sparse codes.
import { Random } from '../../dist/index.js';
import { sparseObjective } from './elbo-runs.mjs';
import { GMM_WORKLOADS, gmmProblem } from '../suites/mixture.mjs';
import { bscModel } from '../suites/meanfield.mjs';
import { encodeWorkload } from '../suites/sparse.mjs';

export { GMM_WORKLOADS, gmmProblem, sparseObjective };

/** Workload 1: square GEMM, C = A·B. */
export const GEMM_SIZES = [256, 1000];

/** Seeded A and B (n × n) in f64 and the same values rounded to f32. */
export function gemmProblem(n) {
  const rng = new Random(n);
  const a = rng.fillNormal(new Float64Array(n * n)), b = rng.fillNormal(new Float64Array(n * n));
  return { n, a, b, a32: Float32Array.from(a), b32: Float32Array.from(b) };
}

/**
 * Workload 4: the sparse suite's problem (bench/suites/sparse.mjs encodeWorkload: 10,000 signals
 * of 64 features, each 5 of 256 unit-norm atoms plus noise) with α = 0.6 × that suite's α
 * (= 0.12 · median over signals of max_a |d_a·x|), which gives 10.1 % non-zeros at the optimum.
 * Each peer is timed to a mean objective within relTol of the best any peer reached.
 */
export const SPARSE = { id: 'sparse-encode-10k', N: 10_000, alphaScale: 0.6, relTol: 1e-6 };

export function sparseProblem(N = SPARSE.N) {
  const w = encodeWorkload(N);
  return { X: w.X.data, D: w.D.data, N, A: w.D.rows, F: w.D.cols, alpha: SPARSE.alphaScale * w.alpha, spec: w.spec };
}

/** Workload 5: binary sparse coding mean-field inference, N = 10,000, m = 64, n = 128, 50 sweeps. */
export const BSC = { id: 'bsc-meanfield-10k', N: 10_000, m: 64, n: 128, sweeps: 50, damping: 0.5 };

/** The model and data of bench/suites/meanfield.mjs (W ~ N(0, 0.3²), b = −2, β = 4). */
export function bscProblem(N = BSC.N) {
  const { m, n } = BSC;
  const model = bscModel(m, n, 1);
  const V = model.sample(N, 2).V;
  return { model, V, W: model.W.data, b: model.b, beta: model.beta, N, m, n };
}

/** Mean mean-field bound per row at posterior means H (N × n), in f64 by the model. */
export function bscBound(p, H) {
  const bound = p.model.elbo(p.V, { data: H instanceof Float64Array ? H : Float64Array.from(H), rows: p.N, cols: p.n });
  let s = 0;
  for (const v of bound) s += v;
  return s / p.N;
}
