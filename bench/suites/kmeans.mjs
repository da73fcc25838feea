// KMeans with and without Hamerly's bounds (algorithm 'elkan' against 'lloyd'): the same fit
// (identical labels, centres and iterations), timed over shapes from few features and centres
// (where the distance GEMM is cheap) to many, on clustered data with k-means++ starts. Each fit
// is the best of 2 after a warm-up, wall and CPU seconds (on a shared machine the CPU time is
// the steadier one).
import { KMeans } from '../../dist/index.js';
import { clusteredData } from './wholefit.mjs';

/** rows, features D, centres K, true clusters. */
export const KMEANS_SHAPES = [
  [50_000, 2, 16, 3], [50_000, 2, 64, 16], [50_000, 8, 16, 3], [50_000, 16, 16, 3],
  [50_000, 16, 16, 16], [50_000, 16, 64, 16], [50_000, 64, 16, 3],
];

function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function bestOf(fn, runs = 2) {
  fn();
  let best = null;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now(), c0 = cpuNow();
    const r = fn();
    const t = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0, r };
    if (!best || t.cpuSeconds < best.cpuSeconds) best = t;
  }
  return best;
}

/** One row per shape: seconds of both algorithms and the iterations they took (equal by design). */
export function runKMeansSuite({ quick = false } = {}) {
  return KMEANS_SHAPES.map(([N, D, K, clusters]) => {
    const n = quick ? N / 10 : N;
    const X = clusteredData({ N: n, D, clusters });
    const fit = (algorithm) => bestOf(() => new KMeans({ nClusters: K, seed: 0, algorithm, onWarning: () => {} }).fit(X));
    const lloyd = fit('lloyd'), elkan = fit('elkan');
    if (lloyd.r.nIter !== elkan.r.nIter || lloyd.r.inertia !== elkan.r.inertia) throw new Error(`lloyd and elkan differ at D=${D} K=${K}`);
    return {
      N: n, D, K, trueClusters: clusters, nIter: lloyd.r.nIter,
      lloydSeconds: lloyd.seconds, lloydCpuSeconds: lloyd.cpuSeconds, elkanSeconds: elkan.seconds, elkanCpuSeconds: elkan.cpuSeconds,
      cpuSpeedup: lloyd.cpuSeconds / elkan.cpuSeconds,
    };
  });
}
