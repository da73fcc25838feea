/**
 * Plain-TypeScript twins of assembly/kmeans.ts: same names and argument order, typed arrays in
 * place of pointers and `null` for "no weights". Computed in f64 (JS numbers); outputs in the
 * element type of X are rounded once on store.
 */
import type { FloatArray } from '../runtime/matrix.js';

function sqDist(a: FloatArray, ao: number, b: FloatArray, bo: number, D: number): number {
  let s = 0;
  for (let j = 0; j < D; j++) {
    const d = a[ao + j] - b[bo + j];
    s += d * d;
  }
  return s;
}

/** K rounded up to the kernels' micro-tile width: 4 columns of f64, 8 of f32. */
export function paddedK(K: number, f32: boolean): number {
  const nr = f32 ? 8 : 4;
  return Math.ceil(K / nr) * nr;
}

/** The element type's rounding: what storing into `like` does to a number. */
function rounder(like: FloatArray): (v: number) => number {
  return like instanceof Float32Array ? Math.fround : (v) => v;
}

/** ct ((D + 1) × Kp): rows 0…D−1 = Cᵀ zero-padded, row D = ‖c_k‖² (padding +∞); Kp from the element type of ct. */
export function packCentres(c: FloatArray, ct: FloatArray, K: number, D: number): void {
  const Kp = paddedK(K, ct instanceof Float32Array);
  for (let d = 0; d < D; d++) for (let k = 0; k < Kp; k++) ct[d * Kp + k] = k < K ? c[k * D + d] : 0;
  for (let k = 0; k < Kp; k++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += c[k * D + j] * c[k * D + j];
    ct[D * Kp + k] = k < K ? s : Infinity;
  }
}

/**
 * g (rows × Kp) = ‖c_k‖² − 2 x_i·c_k, rounded to the element type (as the kernel computes it);
 * labels[i] = the first k of the smallest, minDist[i] = ‖x_i − c_label‖² computed directly;
 * returns Σ w_i·minDist[i].
 */
export function kmeansAssign(
  x: FloatArray, c: FloatArray, ct: FloatArray, g: FloatArray, w: Float64Array | null,
  labels: Int32Array, minDist: Float64Array, rows: number, K: number, D: number,
): number {
  const Kp = paddedK(K, ct instanceof Float32Array), r = rounder(ct);
  let inertia = 0;
  for (let i = 0; i < rows; i++) {
    let best = Infinity, arg = 0;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += x[i * D + j] * ct[j * Kp + k];
      g[i * Kp + k] = r(ct[D * Kp + k] - 2 * r(s));
      if (g[i * Kp + k] < best) { best = g[i * Kp + k]; arg = k; }
    }
    labels[i] = arg;
    minDist[i] = sqDist(x, i * D, c, arg * D, D);
    inertia += (w ? w[i] : 1) * minDist[i];
  }
  return inertia;
}

/** sums[labels[i]] += w_i·x_i, counts[labels[i]] += w_i. */
export function kmeansScatter(x: FloatArray, labels: Int32Array, w: Float64Array | null, sums: Float64Array, counts: Float64Array, rows: number, D: number): void {
  for (let i = 0; i < rows; i++) {
    const k = labels[i], wi = w ? w[i] : 1;
    counts[k] += wi;
    for (let j = 0; j < D; j++) sums[k * D + j] += wi * x[i * D + j];
  }
}

/** out[i,k] = max(0, ‖x_i‖² + ‖c_k‖² − 2 x_i·c_k), from the packed centres; g (rows × Kp) is scratch. */
export function sqDistances(x: FloatArray, ct: FloatArray, g: FloatArray, out: FloatArray, rows: number, K: number, D: number): void {
  const Kp = paddedK(K, ct instanceof Float32Array);
  for (let i = 0; i < rows; i++) {
    let xn = 0;
    for (let j = 0; j < D; j++) xn += x[i * D + j] * x[i * D + j];
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += x[i * D + j] * ct[j * Kp + k];
      g[i * Kp + k] = ct[D * Kp + k] - 2 * s;
      out[i * K + k] = Math.max(0, xn + g[i * Kp + k]);
    }
  }
}

/** pots[t] += Σ_i w_i·min(closest_i, ‖x_i − cand_t‖²). */
export function kmeansppPotentials(x: FloatArray, cand: FloatArray, closest: Float64Array, w: Float64Array | null, pots: Float64Array, rows: number, trials: number, D: number): void {
  for (let t = 0; t < trials; t++) {
    let pot = 0;
    for (let i = 0; i < rows; i++) pot += (w ? w[i] : 1) * Math.min(closest[i], sqDist(x, i * D, cand, t * D, D));
    pots[t] += pot;
  }
}

/** closest_i = min(closest_i, ‖x_i − c‖²); returns Σ w_i·closest_i. */
export function updateClosest(x: FloatArray, c: FloatArray, closest: Float64Array, w: Float64Array | null, rows: number, D: number): number {
  let pot = 0;
  for (let i = 0; i < rows; i++) {
    closest[i] = Math.min(closest[i], sqDist(x, i * D, c, 0, D));
    pot += (w ? w[i] : 1) * closest[i];
  }
  return pot;
}
