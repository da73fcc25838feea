/** Initial centres: greedy k-means++ (scikit-learn's _kmeans_plusplus) or K distinct random rows. */
import type { Random } from '../runtime/random.js';
import type { KMeansData } from './data.js';

/**
 * Index of the first entry of the running sum of `p` that reaches u (numpy's searchsorted on
 * the cumulative sum, clipped to the last row as scikit-learn does for rounding overshoot).
 */
function searchCumulative(cumulative: Float64Array, u: number): number {
  let lo = 0, hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Running sums of w_i·p_i (w = 1 without weights), accumulated in f64 in row order. */
function cumulativeWeighted(p: Float64Array, w: Float64Array | null): Float64Array {
  const out = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) out[i] = s += (w ? w[i] : 1) * p[i];
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
  seeds[0] = w ? searchCumulative(cumulativeWeighted(new Float64Array(n).fill(1), w), rng.random() * totalOf(w)) : rng.int(n);
  let pot = data.startClosest(seeds[0]);
  for (let k = 1; k < K; k++) {
    const cumulative = cumulativeWeighted(data.closest(), w);
    const candidates = new Int32Array(trials);
    for (let t = 0; t < trials; t++) candidates[t] = searchCumulative(cumulative, rng.random() * pot);
    const pots = data.potentials(candidates);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    seeds[k] = candidates[best];
    pot = data.addSeed(seeds[k]);
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
