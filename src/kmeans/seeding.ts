/** Initial centres: greedy k-means++ (scikit-learn's _kmeans_plusplus) or K distinct random rows. */
import type { Random } from '../runtime/random.js';
import type { KMeansData } from './data.js';

/**
 * For each u in `targets`, the first row i whose running sum Σ_{j≤i} w_j·p_j reaches u (numpy's
 * searchsorted on the cumulative sum, as scikit-learn draws its candidates; rows past the end,
 * from rounding, clip to the last row). One pass over the rows for all targets, no N-sized array.
 */
function drawRows(p: Float64Array, w: Float64Array | null, targets: Float64Array): Int32Array {
  const m = targets.length, n = p.length;
  const order = Array.from({ length: m }, (_, j) => j).sort((a, b) => targets[a] - targets[b]);
  const out = new Int32Array(m).fill(n - 1);
  let j = 0, s = 0;
  for (let i = 0; i < n && j < m; i++) {
    s += w ? w[i] * p[i] : p[i];
    while (j < m && s >= targets[order[j]]) out[order[j++]] = i;
  }
  return out;
}

/**
 * Row indices of K seeds by greedy k-means++ (Arthur & Vassilvitskii 2007; 2 + ⌊ln K⌋ local
 * trials, as scikit-learn): the first seed is a row drawn ∝ its weight; each next one is the
 * best, by the potential Σ w_i min_seed ‖x_i − seed‖², of `trials` rows drawn ∝ w_i·D(x_i)².
 * The distances to the candidates are the kernels' work (kmeansppPotentials, updateClosest).
 */
export function kmeansPlusPlus(data: KMeansData, K: number, rng: Random): Int32Array {
  const n = data.rows, w = data.weights;
  const trials = 2 + Math.floor(Math.log(K));
  const seeds = new Int32Array(K);
  seeds[0] = w ? drawRows(new Float64Array(n).fill(1), w, Float64Array.of(rng.random() * totalOf(w)))[0] : rng.int(n);
  let pot = data.startClosest(seeds[0]);
  for (let k = 1; k < K; k++) {
    const targets = new Float64Array(trials);
    for (let t = 0; t < trials; t++) targets[t] = rng.random() * pot;
    const candidates = drawRows(data.closest(), w, targets);
    const pots = data.potentials(candidates);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    seeds[k] = candidates[best];
    pot = data.takeCandidate(best, seeds[k]);
  }
  return seeds;
}

function totalOf(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i];
  return s;
}

/** K distinct rows chosen uniformly (scikit-learn's init='random'). */
export function randomRows(n: number, K: number, rng: Random): Int32Array {
  return rng.permutation(n).slice(0, K);
}

/** The centres (K × D, f64) at the given rows of the data. */
export function centresAtRows(data: KMeansData, rows: Int32Array): Float64Array {
  const D = data.cols, out = new Float64Array(rows.length * D);
  rows.forEach((r, k) => out.set(data.row(r), k * D));
  return out;
}
