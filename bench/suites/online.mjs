// Sample weights and online EM: seconds per row of a weighted and an unweighted EM iteration, and
// of GaussianMixture.partialFit over 1,000-row batches, all on the same data in one run; plus how
// close one pass of partialFit ends to the batch fit (the mean log-likelihood on the whole data).
import { GaussianMixture, Random } from '../../dist/index.js';
import { gmmProblem } from './mixture.mjs';

export const ONLINE_WORKLOAD = { id: 'online-full-100k', N: 100_000, D: 8, K: 8, covarianceType: 'full' };

/** Best of two: seconds per EM iteration per row (between the first and the last onIteration callback). */
function fitSecondsPerRow(w, p, sampleWeight, iters) {
  let best = Infinity;
  for (let rep = 0; rep < 2; rep++) {
    const stamps = [];
    new GaussianMixture({
      nComponents: w.K, covarianceType: w.covarianceType, tol: 0, maxIter: 1 + iters, onWarning: () => {},
      weightsInit: p.weights, meansInit: { data: p.means, rows: w.K, cols: w.D }, precisionsInit: p.precisions,
      onIteration: () => { stamps.push(performance.now()); },
    }).fit(p.X, { sampleWeight });
    best = Math.min(best, (stamps[stamps.length - 1] - stamps[0]) / 1000 / iters / w.N);
  }
  return best;
}

/** One pass of partialFit over batches of `batch` rows: seconds per row (best of two) and the model. */
function partialFitSecondsPerRow(w, p, batch) {
  let best = Infinity, gm;
  for (let rep = 0; rep < 2; rep++) {
    gm = new GaussianMixture({ nComponents: w.K, covarianceType: w.covarianceType, seed: 1 });
    gm.partialFit(slice(p.X, 0, batch));
    const t0 = performance.now();
    for (let s = batch; s < w.N; s += batch) gm.partialFit(slice(p.X, s, Math.min(w.N, s + batch)));
    best = Math.min(best, (performance.now() - t0) / 1000 / (w.N - batch));
  }
  return { seconds: best, gm };
}

function slice(X, start, end) {
  return { data: X.data.subarray(start * X.cols, end * X.cols), rows: end - start, cols: X.cols };
}

export function runOnlineSuite({ quick = false } = {}) {
  const w = { ...ONLINE_WORKLOAD, N: quick ? 20_000 : ONLINE_WORKLOAD.N };
  const p = gmmProblem(w, 3);
  const rng = new Random(2);
  const weights = Float64Array.from({ length: w.N }, () => rng.random() * 2);
  const iters = quick ? 3 : 5;
  const unweighted = fitSecondsPerRow(w, p, undefined, iters);
  const weighted = fitSecondsPerRow(w, p, weights, iters);
  const online = partialFitSecondsPerRow(w, p, 1000);
  const batch = new GaussianMixture({ nComponents: w.K, covarianceType: w.covarianceType, seed: 1, onWarning: () => {} }).fit(p.X);
  return [
    { workload: w.id, case: 'fit, one EM iteration', secondsPerRow: unweighted },
    { workload: w.id, case: 'fit with sampleWeight, one EM iteration', secondsPerRow: weighted },
    { workload: w.id, case: 'partialFit, 1,000-row batches', secondsPerRow: online.seconds, scoreGap: online.gm.score(p.X) - batch.score(p.X) },
  ];
}
