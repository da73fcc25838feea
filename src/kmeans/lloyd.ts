/**
 * Lloyd's algorithm, as scikit-learn's _kmeans_single_lloyd: assign every row to its nearest
 * centre while summing the rows per cluster, move empty clusters to the rows farthest from
 * their centres, average, and stop on strict convergence (labels unchanged) or when the total
 * squared centre shift is at most tol; then one last assignment so labels match the centres.
 */
import type { ClusterSums, KMeansData } from './data.js';

/** What one Lloyd run reports after each iteration. */
export interface LloydStep {
  /** 1-based iteration. */
  iteration: number;
  /** Σ w_i ‖x_i − c_label‖² under the centres this iteration started from. */
  inertia: number;
  /** Σ_k ‖c_k(new) − c_k(old)‖². */
  centerShift: number;
}

/** The result of one Lloyd run, in the data's shifted coordinates. */
export interface LloydResult {
  centres: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
  /** True when the callback returned false. */
  stopped: boolean;
}

/**
 * scikit-learn's _relocate_empty_clusters_dense: each cluster with zero weight takes, in order,
 * one of the rows farthest from their assigned centres (largest first, ties by lower index),
 * whose weighted values leave their old cluster's sums. Labels are left as they are.
 */
export function relocateEmptyClusters(data: KMeansData, centres: Float64Array, stats: ClusterSums, K: number): void {
  const empty: number[] = [];
  for (let k = 0; k < K; k++) if (stats.counts[k] === 0) empty.push(k);
  if (empty.length === 0) return;
  // The ranking needs exact distances (the iterations' may come from the expanded form): one
  // more pass with the same centres, which finds the same labels.
  data.assign(centres, K);
  const dist = data.minDistances(), labels = data.labels(), D = data.cols;
  const far = farthestRows(dist, empty.length);
  empty.forEach((k, j) => {
    const i = far[j], wi = data.weights ? data.weights[i] : 1, old = labels[i], xi = data.row(i);
    for (let d = 0; d < D; d++) {
      stats.sums[old * D + d] -= xi[d] * wi;
      stats.sums[k * D + d] = xi[d] * wi;
    }
    stats.counts[k] = wi;
    stats.counts[old] -= wi;
  });
}

/** Indices of the m largest values, largest first, ties to the lower index. */
function farthestRows(dist: Float64Array, m: number): number[] {
  const out: number[] = [];
  const taken = new Uint8Array(dist.length);
  for (let j = 0; j < m && j < dist.length; j++) {
    let best = -1;
    for (let i = 0; i < dist.length; i++) if (!taken[i] && (best < 0 || dist[i] > dist[best])) best = i;
    taken[best] = 1;
    out.push(best);
  }
  return out;
}

/** Centres = sums / counts; a cluster of zero weight keeps its sums, as scikit-learn's _average_centers. */
function averageCentres(stats: ClusterSums, K: number, D: number, round: (v: number) => number): Float64Array {
  const c = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    const a = stats.counts[k] > 0 ? 1 / stats.counts[k] : 1;
    for (let d = 0; d < D; d++) c[k * D + d] = round(stats.sums[k * D + d] * a);
  }
  return c;
}

/**
 * One Lloyd run from `start` (K × D, shifted coordinates). tol is absolute (scikit-learn's
 * tol × mean feature variance). `bounded` runs each assignment with Hamerly's bounds (the same
 * labels, fewer distances). `onStep` returning false stops the run.
 */
export function lloyd(data: KMeansData, start: Float64Array, K: number, maxIter: number, tol: number, onStep?: (s: LloydStep) => boolean | void, bounded = false): LloydResult {
  const D = data.cols;
  // f32 fits hold their centres in f32, as scikit-learn does for float32 X.
  const round = data.dtype === 'f32' ? Math.fround : (v: number) => v;
  let centres: Float64Array = Float64Array.from(start, round);
  let previous: Float64Array | null = null;
  // The iterations take the distances the argmin computed (exact ones need a second pass over
  // each row); the reported result takes exact ones. Bounded passes compute exact ones anyway.
  const assign = (into?: ClusterSums, exact = false) => (bounded ? data.assignBounded(centres, previous, K, into) : data.assign(centres, K, into, exact));
  // Without a callback nothing reads an iteration's inertia (scikit-learn's iterations compute
  // none either): the passes then keep only labels and sums.
  const iterate = (into: ClusterSums) => {
    if (onStep || bounded) return assign(into);
    data.assignLabels(centres, K, into);
    return NaN;
  };
  // Labels start at −1, so the first pass counts every row as changed (scikit-learn's labels_old).
  data.resetLabels();
  let converged = false, stopped = false, nIter = 0;
  for (let it = 1; it <= maxIter; it++) {
    const stats = { sums: new Float64Array(K * D), counts: new Float64Array(K) };
    const inertia = iterate(stats);
    const unchanged = data.changed() === 0;
    relocateEmptyClusters(data, centres, stats, K);
    const next = averageCentres(stats, K, D, round);
    let shift = 0;
    for (let i = 0; i < next.length; i++) shift += (next[i] - centres[i]) ** 2;
    previous = centres;
    centres = next;
    nIter = it;
    if (onStep?.({ iteration: it, inertia, centerShift: shift }) === false) stopped = true;
    // scikit-learn's order: strict convergence (labels equal to the last pass's) first.
    if (unchanged) { converged = true; break; }
    if (shift <= tol) { converged = true; break; }
    if (stopped) break;
  }
  // The labels of the last assignment belong to the centres before the update; one more
  // assignment makes them (and the inertia) those of the returned centres. After strict
  // convergence the centres did not move, so this reproduces the same labels.
  const inertia = assign(undefined, true);
  return { centres, labels: data.labels(), inertia, nIter, converged, stopped };
}
