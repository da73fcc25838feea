/**
 * Initial responsibilities (scikit-learn's _initialize_parameters): hard assignments from
 * k-means, one-hot rows at k-means++ seeds or at random data points, or random soft assignments.
 */
import type { Matrix } from '../runtime/matrix.js';
import type { Random } from '../runtime/random.js';
import type { InitParams } from './types.js';

/** Lloyd iterations at most (scikit-learn's KMeans default). */
const KMEANS_MAX_ITER = 300;
/** Stop when the centres move less than this fraction of the mean feature variance (KMeans' tol). */
const KMEANS_TOL = 1e-4;

/** N × K responsibilities to start EM from. */
export function initialResponsibilities(X: Matrix, K: number, method: InitParams, rng: Random): Float64Array {
  const n = X.rows;
  const resp = new Float64Array(n * K);
  switch (method) {
    case 'kmeans': {
      const labels = kmeans(X, K, rng);
      for (let i = 0; i < n; i++) resp[i * K + labels[i]] = 1;
      break;
    }
    case 'k-means++': {
      const seeds = kmeansPlusPlus(X, K, rng);
      seeds.forEach((row, k) => (resp[row * K + k] = 1));
      break;
    }
    case 'random': {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += resp[i * K + k] = rng.random();
        for (let k = 0; k < K; k++) resp[i * K + k] /= s;
      }
      break;
    }
    case 'random_from_data': {
      const perm = rng.permutation(n);
      for (let k = 0; k < K; k++) resp[perm[k] * K + k] = 1;
      break;
    }
  }
  return resp;
}

function sqDist(X: Matrix, i: number, c: Float64Array, k: number): number {
  const D = X.cols;
  let s = 0;
  for (let d = 0; d < D; d++) {
    const t = X.data[i * D + d] - c[k * D + d];
    s += t * t;
  }
  return s;
}

/**
 * Row indices of K seeds chosen by greedy k-means++ (Arthur & Vassilvitskii 2007, with
 * 2 + ⌊ln K⌋ candidates per step as scikit-learn does): each seed is drawn with probability
 * proportional to the squared distance to the nearest seed so far, keeping the best candidate.
 */
export function kmeansPlusPlus(X: Matrix, K: number, rng: Random): Int32Array {
  const n = X.rows, D = X.cols;
  const trials = 2 + Math.floor(Math.log(K));
  const seeds = new Int32Array(K);
  const centres = new Float64Array(K * D);
  const setCentre = (k: number, row: number) => {
    seeds[k] = row;
    for (let d = 0; d < D; d++) centres[k * D + d] = X.data[row * D + d];
  };
  setCentre(0, rng.int(n));
  const closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i] = sqDist(X, i, centres, 0);
  const candidateDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let k = 1; k < K; k++) {
    let bestPot = Infinity, bestRow = -1;
    for (let t = 0; t < trials; t++) {
      // Draw a row with probability ∝ closest[i] (a uniform row when every distance is 0).
      let row = n - 1;
      if (pot > 0) {
        let u = rng.random() * pot;
        for (let i = 0; i < n; i++) {
          u -= closest[i];
          if (u < 0) { row = i; break; }
        }
      } else row = rng.int(n);
      let candPot = 0;
      for (let d = 0; d < D; d++) centres[k * D + d] = X.data[row * D + d];
      for (let i = 0; i < n; i++) candPot += candidateDist[i] = Math.min(closest[i], sqDist(X, i, centres, k));
      if (candPot < bestPot) {
        bestPot = candPot;
        bestRow = row;
        bestDist.set(candidateDist);
      }
    }
    setCentre(k, bestRow);
    closest.set(bestDist);
    pot = bestPot;
  }
  return seeds;
}

/** Labels from Lloyd's k-means started at k-means++ seeds; empty clusters take the farthest point. */
export function kmeans(X: Matrix, K: number, rng: Random): Int32Array {
  const n = X.rows, D = X.cols;
  const centres = new Float64Array(K * D);
  kmeansPlusPlus(X, K, rng).forEach((row, k) => {
    for (let d = 0; d < D; d++) centres[k * D + d] = X.data[row * D + d];
  });
  let meanVar = 0;
  for (let d = 0; d < D; d++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = X.data[i * D + d];
      s += v;
      s2 += v * v;
    }
    meanVar += s2 / n - (s / n) ** 2;
  }
  const tol = (KMEANS_TOL * meanVar) / D;
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const sums = new Float64Array(K * D);
  const counts = new Float64Array(K);
  for (let iter = 0; iter < KMEANS_MAX_ITER; iter++) {
    for (let i = 0; i < n; i++) {
      let best = Infinity, arg = 0;
      for (let k = 0; k < K; k++) {
        const dk = sqDist(X, i, centres, k);
        if (dk < best) { best = dk; arg = k; }
      }
      labels[i] = arg;
      dist[i] = best;
    }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let d = 0; d < D; d++) sums[labels[i] * D + d] += X.data[i * D + d];
    }
    for (let k = 0; k < K; k++) {
      if (counts[k] > 0) continue;
      // An empty cluster restarts at the point farthest from its centre.
      let far = 0;
      for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
      counts[labels[far]]--;
      for (let d = 0; d < D; d++) sums[labels[far] * D + d] -= X.data[far * D + d];
      labels[far] = k;
      dist[far] = 0;
      counts[k] = 1;
      for (let d = 0; d < D; d++) sums[k * D + d] = X.data[far * D + d];
    }
    let shift = 0;
    for (let k = 0; k < K; k++) {
      for (let d = 0; d < D; d++) {
        const c = sums[k * D + d] / counts[k];
        shift += (c - centres[k * D + d]) ** 2;
        centres[k * D + d] = c;
      }
    }
    if (shift <= tol) break;
  }
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let k = 0; k < K; k++) {
      const dk = sqDist(X, i, centres, k);
      if (dk < best) { best = dk; labels[i] = k; }
    }
  }
  return labels;
}
