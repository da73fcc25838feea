// KMeans peers at equal inertia: elbo (f64, f32), scikit-learn's KMeans (lloyd, n_init 1, one
// thread), and the npm packages skmeans and ml-kmeans (plain JS), all from the same initial
// centres (K distinct random rows) and run to their own convergence, so each reaches about the
// same local optimum; the seconds compared are the time to reach it, and the inertia of every
// result is recomputed here the same way (Σ‖x − c_label‖², f64) to show they are comparable.
import { kmeans as mlKmeans } from 'ml-kmeans';
import skmeans from 'skmeans';
import { KMeans, Random } from '../../dist/index.js';
import { clusteredData, dataId, wholeFitData, WHOLEFIT_SKLEARN, withDataFiles } from '../suites/wholefit.mjs';
import { runPython } from './python.mjs';

/** Σ_i ‖x_i − c_{label_i}‖² in f64, from any peer's labels and centres (rows of numbers). */
function inertiaOf(X, labels, centres) {
  const D = X.cols;
  let s = 0;
  for (let i = 0; i < X.rows; i++) {
    const c = centres[labels[i]];
    for (let d = 0; d < D; d++) s += (X.data[i * D + d] - c[d]) ** 2;
  }
  return s;
}

function rowsOf(data, rows, cols) {
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, i * cols + cols)));
}

function timed(fn) {
  const t0 = performance.now();
  const r = fn();
  return { seconds: (performance.now() - t0) / 1000, r };
}

/**
 * One row per peer and data set: seconds to convergence, iterations and inertia.
 * `quick` divides N by 10; `python` false skips scikit-learn.
 */
export function runKMeansPeers({ quick = false, python = true, log = () => {} } = {}) {
  const rows = [];
  for (const w of wholeFitData(quick)) {
    const X = clusteredData(w);
    const K = w.K, D = w.D;
    const picks = new Random(42).permutation(w.N).slice(0, K);
    const init = new Float64Array(K * D);
    picks.forEach((r, k) => init.set(X.data.subarray(r * D, r * D + D), k * D));
    const initRows = rowsOf(init, K, D);
    const add = (peer, seconds, nIter, labels, centres, extra = {}) => {
      const row = { workload: `kmeans-${dataId(w)}`, peer, dtype: peer === 'elbo-f32' ? 'f32' : 'f64', N: w.N, D, K, trueClusters: w.clusters, seconds, nIter, inertia: inertiaOf(X, labels, centres), ...extra };
      rows.push(row);
      log(`${row.workload} ${peer}: ${row.seconds.toFixed(3)} s, ${nIter} iterations, inertia ${row.inertia.toPrecision(8)}`);
    };
    for (const [peer, data] of [['elbo-f64', X], ['elbo-f32', { ...X, data: Float32Array.from(X.data) }]]) {
      const { seconds, r } = timed(() => new KMeans({ nClusters: K, init: { data: init, rows: K, cols: D }, onWarning: () => {} }).fit(data));
      add(peer, seconds, r.nIter, r.labels, rowsOf(r.clusterCenters.data, K, D));
    }
    if (python) {
      const r = withDataFiles(X, { 'init.f64': init }, (dir) => runPython(WHOLEFIT_SKLEARN, [dir, 'kmeans-init', String(K)], { threads: 1 }));
      rows.push({ workload: `kmeans-${dataId(w)}`, peer: 'sklearn-1t', dtype: 'f64', N: w.N, D, K, trueClusters: w.clusters, seconds: r.seconds, nIter: r.nIter, inertia: r.inertia, versions: { sklearn: r.sklearn, numpy: r.numpy } });
      log(`kmeans-${dataId(w)} sklearn-1t: ${r.seconds.toFixed(3)} s, ${r.nIter} iterations, inertia ${r.inertia.toPrecision(8)}`);
    }
    const data = rowsOf(X.data, w.N, D);
    {
      const { seconds, r } = timed(() => skmeans(data, K, initRows.map((c) => c.slice()), 300));
      add('skmeans', seconds, r.it, r.idxs, r.centroids);
    }
    {
      const { seconds, r } = timed(() => mlKmeans(data, K, { initialization: initRows.map((c) => c.slice()), maxIterations: 300 }));
      add('ml-kmeans', seconds, r.iterations, r.clusters, r.centroids);
    }
  }
  return rows;
}
