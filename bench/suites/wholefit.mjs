// Whole fits, timed as a user meets them (issue 19): from calling fit to its return, with the
// time spent initialising (k-means) reported apart. GaussianMixture and BayesianGaussianMixture
// at default options (nComponents K, full covariances, seed 0), KMeans (k-means++, nInit 1), and
// scikit-learn's same fits on one thread when it is installed. Data: 16 columns, 100k rows, with
// 16 or 3 true clusters (K = 16 both times: users often choose K above the data's clusters).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BayesianGaussianMixture, GaussianMixture, KMeans, Random } from '../../dist/index.js';
import { runPython, sklearnUnavailable } from '../peers/python.mjs';

export const WHOLEFIT_DATA = [
  { N: 100_000, D: 16, clusters: 16, K: 16 },
  { N: 100_000, D: 16, clusters: 3, K: 16 },
];

/**
 * The data sets with every initial parameter given (weightsInit, meansInit and
 * precisionsInit): elbo then skips its k-means start, which scikit-learn runs all the same and
 * overrides. 1M rows take about a minute with scikit-learn.
 */
export const WHOLEFIT_GIVEN = [
  { N: 100_000, D: 16, clusters: 3, K: 16, maxIter: 3 },
  { N: 1_000_000, D: 16, clusters: 3, K: 16, maxIter: 4 },
];

/** The given initial parameters: equal weights, K rows of X (seeded) as means, unit precisions. */
export function givenInits(X, K) {
  const D = X.cols;
  const rows = new Random(7).permutation(X.rows).slice(0, K);
  const means = new Float64Array(K * D);
  rows.forEach((r, k) => means.set(X.data.subarray(r * D, r * D + D), k * D));
  const precisions = new Float64Array(K * D * D);
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) precisions[k * D * D + d * D + d] = 1;
  return { weights: new Float64Array(K).fill(1 / K), means, precisions };
}

/** The data set's name in results: rows and true clusters, e.g. '100k-3true'. */
export const dataId = (w) => `${w.N / 1000}k-${w.clusters}true`;

/** The data sets at full size, or with N divided by `scale` (--quick: 10). */
export const wholeFitData = (quick) => WHOLEFIT_DATA.map((w) => ({ ...w, N: quick ? w.N / 10 : w.N }));

/** Seeded rows from `clusters` Gaussian clusters (centres N(0, 4²), spreads 0.5 to 1.1). */
export function clusteredData({ N, D, clusters }, seed = 1) {
  const rng = new Random(seed);
  const centres = rng.fillNormal(new Float64Array(clusters * D), 0, 4);
  const X = new Float64Array(N * D);
  for (let n = 0; n < N; n++) {
    const k = rng.int(clusters);
    const sd = 0.5 + (k % 3) * 0.3;
    for (let d = 0; d < D; d++) X[n * D + d] = centres[k * D + d] + sd * rng.normal();
  }
  return { data: X, rows: N, cols: D };
}

/** A whole mixture fit: seconds, init seconds, seconds per iteration after the first. */
function mixtureFit(Model, X, K, extra = {}) {
  const stamps = [];
  let initSeconds = 0;
  const t0 = performance.now();
  const m = new Model({ nComponents: K, seed: 0, ...extra, onWarning: () => {}, onIteration: (i) => { stamps.push(performance.now()); initSeconds = i.initSeconds; } }).fit(X);
  const seconds = (performance.now() - t0) / 1000;
  const perIter = stamps.length > 1 ? (stamps[stamps.length - 1] - stamps[0]) / 1000 / (stamps.length - 1) : NaN;
  return { seconds, initSeconds, secondsPerIteration: perIter, nIter: m.nIter, converged: m.converged, lowerBound: m.lowerBound };
}

/**
 * A whole KMeans fit as a user meets it, without a callback: with `onIteration` every Lloyd pass
 * also computes the inertia it reports (exact distances, a second read of every row), which a fit
 * without one skips, as scikit-learn's iterations do. The init seconds come from a second, equal
 * fit with the callback.
 */
function kmeansFit(X, K, init) {
  const options = { nClusters: K, seed: 0, onWarning: () => {}, ...(init ? { init } : {}) };
  const t0 = performance.now();
  const km = new KMeans(options).fit(X);
  const seconds = (performance.now() - t0) / 1000;
  let initSeconds = 0;
  new KMeans({ ...options, onIteration: (i) => { initSeconds = i.initSeconds; } }).fit(X);
  return { seconds, initSeconds, nIter: km.nIter, inertia: km.inertia };
}

/** Writes X (and files) for a Python peer and runs `fn(dir)`. */
export function withDataFiles(X, extra, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'elbo-wholefit-'));
  try {
    writeFileSync(join(dir, 'X.f64'), Buffer.from(X.data.buffer, X.data.byteOffset, X.data.byteLength));
    for (const [name, a] of Object.entries(extra)) writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ N: X.rows, D: X.cols }));
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const WHOLEFIT_SKLEARN = fileURLToPath(new URL('../peers/wholefit_sklearn.py', import.meta.url));

/**
 * Runs the whole-fit workloads. `scale` divides N (the --quick flag passes 10); `models` picks
 * among gmm, bgmm, kmeans, and given (GaussianMixture with every initial parameter given, on
 * WHOLEFIT_GIVEN).
 */
export function runWholeFitSuite({ quick = false, models = ['gmm', 'bgmm', 'kmeans', 'given'], python = true } = {}) {
  const rows = [];
  const noSklearn = python ? sklearnUnavailable() : 'disabled';
  if (noSklearn && python) console.log(`scikit-learn peer skipped: ${noSklearn}`);
  if (models.includes('given')) {
    for (const w of WHOLEFIT_GIVEN.map((g) => ({ ...g, N: quick ? g.N / 10 : g.N }))) {
      const X = clusteredData(w);
      const p = givenInits(X, w.K);
      const id = `gmm-given-${dataId(w)}`;
      const row = (peer, r) => rows.push({ workload: id, model: 'gmm-given', data: dataId(w), peer, N: w.N, D: w.D, K: w.K, trueClusters: w.clusters, maxIter: w.maxIter, ...r });
      row('elbo-f64', mixtureFit(GaussianMixture, X, w.K, {
        maxIter: w.maxIter, weightsInit: p.weights, meansInit: { data: p.means, rows: w.K, cols: w.D }, precisionsInit: p.precisions,
      }));
      if (!noSklearn) {
        const files = { 'weights.f64': p.weights, 'means.f64': p.means, 'precisions.f64': p.precisions };
        row('sklearn-1t', withDataFiles(X, files, (dir) => runPython(WHOLEFIT_SKLEARN, [dir, 'gmm-given', String(w.K), String(w.maxIter)], { threads: 1 })));
      }
    }
  }
  for (const w of wholeFitData(quick)) {
    const X = clusteredData(w);
    const X32 = { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols };
    const row = (model, peer, r) => rows.push({ workload: `${model}-${dataId(w)}`, model, data: dataId(w), peer, N: w.N, D: w.D, K: w.K, trueClusters: w.clusters, ...r });
    const sk = (model) => noSklearn ? null : withDataFiles(X, {}, (dir) => runPython(WHOLEFIT_SKLEARN, [dir, model, String(w.K)], { threads: 1 }));
    if (models.includes('gmm')) {
      row('gmm', 'elbo-f64', mixtureFit(GaussianMixture, X, w.K));
      row('gmm', 'elbo-f32', mixtureFit(GaussianMixture, X32, w.K));
      const r = sk('gmm');
      if (r) row('gmm', 'sklearn-1t', r);
    }
    if (models.includes('bgmm')) {
      row('bgmm', 'elbo-f64', mixtureFit(BayesianGaussianMixture, X, w.K));
      const r = sk('bgmm');
      if (r) row('bgmm', 'sklearn-1t', r);
    }
    if (models.includes('kmeans')) {
      row('kmeans', 'elbo-f64', kmeansFit(X, w.K));
      row('kmeans', 'elbo-f32', kmeansFit(X32, w.K));
      const r = sk('kmeans');
      if (r) row('kmeans', 'sklearn-1t', r);
    }
  }
  return rows;
}
