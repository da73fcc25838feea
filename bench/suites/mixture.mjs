// GaussianMixture EM: seconds per iteration for the wasm engine (f64 and f32 data), the
// plain-TypeScript reference engine and scikit-learn (one BLAS thread, when installed), all
// from the same explicit initialisation, measured in one run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BayesianGaussianMixture, GaussianMixture, Random } from '../../dist/index.js';
import { runPython, sklearnUnavailable } from '../peers/python.mjs';

export const GMM_WORKLOADS = [
  { id: 'gmm-full-100k', N: 100_000, D: 16, K: 16, covarianceType: 'full' },
  { id: 'gmm-diag-1m', N: 1_000_000, D: 8, K: 8, covarianceType: 'diag' },
];

/** Seeded data from K Gaussian clusters, and an explicit init shared by every peer. */
export function gmmProblem({ N, D, K, covarianceType }, seed = 1) {
  const rng = new Random(seed);
  const centres = rng.fillNormal(new Float64Array(K * D), 0, 4);
  const X = new Float64Array(N * D);
  for (let n = 0; n < N; n++) {
    const k = n % K;
    for (let d = 0; d < D; d++) X[n * D + d] = centres[k * D + d] + (0.5 + (k % 3) * 0.3) * rng.normal();
  }
  const weights = new Float64Array(K).fill(1 / K);
  const means = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    const row = rng.int(N);
    for (let d = 0; d < D; d++) means[k * D + d] = X[row * D + d];
  }
  const size = { full: K * D * D, tied: D * D, diag: K * D, spherical: K }[covarianceType];
  const precisions = new Float64Array(size);
  if (covarianceType === 'full' || covarianceType === 'tied') {
    for (let c = 0; c < size / (D * D); c++) for (let d = 0; d < D; d++) precisions[c * D * D + d * D + d] = 0.2;
  } else precisions.fill(0.2);
  return { X: { data: X, rows: N, cols: D }, weights, means, precisions };
}

/**
 * Seconds per EM iteration: the time between the first and the last onIteration callback of a
 * fit with 1 + iters iterations, divided by iters (setup and the first iteration excluded).
 * Best of two fits, as the machine is shared.
 */
function secondsPerIteration(w, p, data, engine, iters) {
  let best = Infinity, gm;
  for (let rep = 0; rep < 2; rep++) {
    const stamps = [];
    gm = new GaussianMixture({
      nComponents: w.K, covarianceType: w.covarianceType, tol: 0, maxIter: 1 + iters, engine, onWarning: () => {},
      weightsInit: p.weights, meansInit: { data: p.means, rows: w.K, cols: w.D }, precisionsInit: p.precisions,
      onIteration: () => { stamps.push(performance.now()); },
    }).fit(data);
    best = Math.min(best, (stamps[stamps.length - 1] - stamps[0]) / 1000 / iters);
  }
  return { seconds: best, lowerBound: gm.lowerBound, iterations: 1 + iters };
}

/** Runs the EM workloads; `quick` shrinks N by 10 and skips the slow reference engine at full size. */
export function runMixtureSuite({ quick = false } = {}) {
  const rows = [];
  const noSklearn = sklearnUnavailable();
  if (noSklearn) console.log(`scikit-learn peer skipped: ${noSklearn}`);
  for (const base of GMM_WORKLOADS) {
    const w = quick ? { ...base, N: base.N / 10 } : base;
    const p = gmmProblem(w);
    const X32 = { data: Float32Array.from(p.X.data), rows: w.N, cols: w.D };
    rows.push({ workload: w.id, peer: 'elbo-f64', ...w, ...secondsPerIteration(w, p, p.X, 'wasm', 5) });
    rows.push({ workload: w.id, peer: 'elbo-f32', ...w, ...secondsPerIteration(w, p, X32, 'wasm', 5) });
    rows.push({ workload: w.id, peer: 'elbo-ts', ...w, ...secondsPerIteration(w, p, p.X, 'reference', 1) });
    if (!noSklearn) {
      const dir = mkdtempSync(join(tmpdir(), 'elbo-gmm-'));
      try {
        writeFileSync(join(dir, 'X.f64'), Buffer.from(p.X.data.buffer));
        writeFileSync(join(dir, 'weights.f64'), Buffer.from(p.weights.buffer));
        writeFileSync(join(dir, 'means.f64'), Buffer.from(p.means.buffer));
        writeFileSync(join(dir, 'precisions.f64'), Buffer.from(p.precisions.buffer));
        writeFileSync(join(dir, 'meta.json'), JSON.stringify({ N: w.N, D: w.D, K: w.K, covariance_type: w.covarianceType }));
        const script = fileURLToPath(new URL('../peers/gmm_sklearn.py', import.meta.url));
        for (const threads of [1, 2]) {
          const r = runPython(script, [dir, '5'], { threads });
          rows.push({ workload: w.id, peer: `sklearn-${threads}t`, ...w, seconds: r.secondsPerIteration, lowerBound: r.lowerBound, iterations: r.iterations, versions: { sklearn: r.sklearn, numpy: r.numpy }, blas: r.blas });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return rows;
}

export const BGMM_WORKLOADS = [
  { id: 'bgmm-full-100k', N: 100_000, D: 16, K: 16, covarianceType: 'full', weightConcentrationPriorType: 'dirichlet_process' },
];

/** One-hot responsibilities: each row to the nearest of the problem's initial means (shared by every peer). */
function nearestMeanResponsibilities({ N, D, K }, p) {
  const resp = new Float64Array(N * K);
  for (let n = 0; n < N; n++) {
    let best = Infinity, arg = 0;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (p.X.data[n * D + d] - p.means[k * D + d]) ** 2;
      if (s < best) { best = s; arg = k; }
    }
    resp[n * K + arg] = 1;
  }
  return resp;
}

/** Seconds per VI iteration, timed as secondsPerIteration does for EM. */
function bgmmSecondsPerIteration(w, data, resp, engine, iters) {
  let best = Infinity, bgm;
  for (let rep = 0; rep < 2; rep++) {
    const stamps = [];
    bgm = new BayesianGaussianMixture({
      nComponents: w.K, covarianceType: w.covarianceType, weightConcentrationPriorType: w.weightConcentrationPriorType,
      tol: 0, maxIter: 1 + iters, engine, onWarning: () => {}, initResponsibilities: { data: resp, rows: w.N, cols: w.K },
      onIteration: () => { stamps.push(performance.now()); },
    }).fit(data);
    best = Math.min(best, (stamps[stamps.length - 1] - stamps[0]) / 1000 / iters);
  }
  return { seconds: best, lowerBound: bgm.lowerBound, iterations: 1 + iters };
}

/**
 * BayesianGaussianMixture (mean-field VI): seconds per iteration for the wasm engine (f64, f32),
 * the TS reference engine and scikit-learn on one thread, from the same responsibilities.
 * `quick` shrinks N by 10.
 */
export function runBayesianMixtureSuite({ quick = false } = {}) {
  const rows = [];
  const noSklearn = sklearnUnavailable();
  if (noSklearn) console.log(`scikit-learn peer skipped: ${noSklearn}`);
  for (const base of BGMM_WORKLOADS) {
    const w = quick ? { ...base, N: base.N / 10 } : base;
    const p = gmmProblem(w);
    const resp = nearestMeanResponsibilities(w, p);
    const X32 = { data: Float32Array.from(p.X.data), rows: w.N, cols: w.D };
    rows.push({ workload: w.id, peer: 'elbo-f64', ...w, ...bgmmSecondsPerIteration(w, p.X, resp, 'wasm', 5) });
    rows.push({ workload: w.id, peer: 'elbo-f32', ...w, ...bgmmSecondsPerIteration(w, X32, resp, 'wasm', 5) });
    rows.push({ workload: w.id, peer: 'elbo-ts', ...w, ...bgmmSecondsPerIteration(w, p.X, resp, 'reference', 1) });
    if (!noSklearn) {
      const dir = mkdtempSync(join(tmpdir(), 'elbo-bgmm-'));
      try {
        writeFileSync(join(dir, 'X.f64'), Buffer.from(p.X.data.buffer));
        writeFileSync(join(dir, 'resp.f64'), Buffer.from(resp.buffer));
        writeFileSync(join(dir, 'meta.json'), JSON.stringify({
          N: w.N, D: w.D, K: w.K, covariance_type: w.covarianceType, weight_concentration_prior_type: w.weightConcentrationPriorType,
        }));
        const script = fileURLToPath(new URL('../peers/bgmm_sklearn.py', import.meta.url));
        const r = runPython(script, [dir, '5'], { threads: 1 });
        rows.push({ workload: w.id, peer: 'sklearn-1t', ...w, seconds: r.secondsPerIteration, lowerBound: r.lowerBound, iterations: r.iterations, versions: { sklearn: r.sklearn, numpy: r.numpy }, blas: r.blas });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return rows;
}
