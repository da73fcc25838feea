/**
 * Plain-TypeScript twins of assembly/kmeans.ts: same names and argument order, typed arrays in
 * place of pointers and `null` for "no weights" (and for "no sums"). Computed in f64 (JS
 * numbers); values the kernels hold in the element type of X are rounded to it, as they are.
 */
import type { FloatArray } from '../runtime/matrix.js';

/** Rows per block of the pass kernels (assembly/kmeans/distance.ts BLOCK_ROWS). */
export const KMEANS_BLOCK_ROWS = 256;

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

/** g[i·Kp + k] = ‖c_k‖² − 2 x_i·c_k for row i of x (offset xo), rounded to the element type of ct. */
function expandedRow(x: FloatArray, xo: number, ct: FloatArray, g: FloatArray, go: number, K: number, D: number): void {
  const Kp = paddedK(K, ct instanceof Float32Array), r = rounder(ct);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += x[xo + j] * ct[j * Kp + k];
    g[go + k] = r(ct[D * Kp + k] - 2 * r(s));
  }
}

/** sums[k] += w_i·x_i, counts[k] += w_i. */
function addRow(x: FloatArray, xo: number, wi: number, k: number, sums: Float64Array, counts: Float64Array, D: number): void {
  counts[k] += wi;
  for (let j = 0; j < D; j++) sums[k * D + j] += wi * x[xo + j];
}

/**
 * Lloyd's pass over rows [start, end): labels[i] = the first k of the smallest expanded
 * distance, minDist[i] = ‖x_i − c_label‖² computed directly (xNorms null) or as
 * max(0, ‖x_i‖² + that expanded distance), sums/counts (when not null) +=
 * the weighted rows per label, out += [Σ w_i·minDist_i, number of changed labels].
 */
export function kmeansLloydPass(
  x: FloatArray, xNorms: Float64Array | null, c: FloatArray, ct: FloatArray, g: FloatArray, w: Float64Array | null,
  labels: Int32Array, minDist: Float64Array, sums: Float64Array | null, counts: Float64Array | null,
  out: Float64Array, start: number, end: number, K: number, D: number,
): void {
  let inertia = 0, changed = 0;
  for (let r0 = start; r0 < end; r0 += KMEANS_BLOCK_ROWS) {
    let block = 0;
    for (let i = r0; i < Math.min(r0 + KMEANS_BLOCK_ROWS, end); i++) {
      expandedRow(x, i * D, ct, g, 0, K, D);
      let best = Infinity, arg = 0;
      for (let k = 0; k < K; k++) if (g[k] < best) { best = g[k]; arg = k; }
      if (labels[i] !== arg) changed++;
      labels[i] = arg;
      minDist[i] = xNorms ? Math.max(0, xNorms[i] + best) : sqDist(x, i * D, c, arg * D, D);
      const wi = w ? w[i] : 1;
      block += wi * minDist[i];
      if (sums && counts) addRow(x, i * D, wi, arg, sums, counts, D);
    }
    inertia += block;
  }
  out[0] += inertia;
  out[1] += changed;
}

/** packCentres for the f32 screen: cts (f32) = Cᵀ and f64 norms rounded (padding 0, +∞); norms (f64) = ‖c_k‖². */
export function packCentresScreened(c: Float64Array, cts: Float32Array, norms: Float64Array, K: number, D: number): void {
  const Kp = paddedK(K, true);
  for (let d = 0; d < D; d++) for (let k = 0; k < Kp; k++) cts[d * Kp + k] = k < K ? c[k * D + d] : 0;
  for (let k = 0; k < Kp; k++) {
    if (k < K) {
      let s = 0;
      for (let j = 0; j < D; j++) s += c[k * D + j] * c[k * D + j];
      norms[k] = s;
      cts[D * Kp + k] = s;
    } else cts[D * Kp + k] = Infinity;
  }
}

/** The smallest f32 not below t: t rounded to nearest, moved up one ulp if that fell below. */
function f32AtLeast(t: number): number {
  const f = Math.fround(t);
  if (f >= t) return f;
  const bits = new Uint32Array(Float32Array.of(f).buffer);
  bits[0] += f >= 0 ? 1 : -1;
  return new Float32Array(bits.buffer)[0];
}

/**
 * kmeansLloydPass on f64 data with exact distances, the labels screened in f32 (see
 * assembly/kmeans/screen.ts for the bound): the f32 values ‖c̃_k‖² − 2x̃·c̃_k computed as the
 * f32 GEMM does (each product and sum rounded to f32, which Math.fround reproduces exactly);
 * the columns within 2E of the smallest are candidates, E = 2(D + 6)·2⁻²⁴·(‖x‖² + max‖c‖²)
 * + D·2⁻¹³⁰; one candidate is the label, several are compared by ‖c_k‖² − 2x·c_k in f64 (the
 * first smallest). out (f64[3]) += [inertia, changed labels, rows decided by exact values];
 * minDist null skips the distances and the inertia.
 */
export function kmeansScreenedPass(
  x: Float64Array, xs: Float32Array, xNorms: Float64Array, c: Float64Array, cts: Float32Array, norms: Float64Array, gs: Float32Array,
  w: Float64Array | null, labels: Int32Array, minDist: Float64Array | null, sums: Float64Array | null, counts: Float64Array | null,
  out: Float64Array, start: number, end: number, K: number, D: number, incremental = false,
): void {
  const f = Math.fround, Kp = paddedK(K, true);
  let M = 0;
  for (let k = 0; k < K; k++) M = Math.max(M, norms[k]);
  const rel = 2 * (D + 6) * 2 ** -24, abs = D * 2 ** -130;
  let inertia = 0, changed = 0, resolved = 0;
  for (let r0 = start; r0 < end; r0 += KMEANS_BLOCK_ROWS) {
    let block = 0;
    for (let i = r0; i < Math.min(r0 + KMEANS_BLOCK_ROWS, end); i++) {
      let m = Infinity;
      for (let k = 0; k < Kp; k++) {
        let s = 0;
        for (let p = 0; p < D; p++) s = f(s + f(xs[i * D + p] * cts[p * Kp + k]));
        gs[k] = f(cts[D * Kp + k] - f(s + s));
        if (gs[k] < m) m = gs[k];
      }
      const S = xNorms[i] + M;
      let thr = Infinity, count = 0, arg = 0;
      if (D <= 160000 && S <= 2 ** 100) {
        thr = f32AtLeast(m + 2 * (rel * S + abs));
        for (let k = Kp - 1; k >= 0; k--) if (gs[k] <= thr) { count++; arg = k; }
      }
      if (count !== 1) {
        let best = Infinity;
        arg = 0;
        for (let k = 0; k < K; k++) {
          if (count !== 0 && !(gs[k] <= thr)) continue;
          let s = 0;
          for (let p = 0; p < D; p++) s += x[i * D + p] * c[k * D + p];
          const v = norms[k] - (s + s);
          if (v < best) { best = v; arg = k; }
        }
        resolved++;
      }
      const prev = labels[i];
      if (prev !== arg) changed++;
      labels[i] = arg;
      const wi = w ? w[i] : 1;
      if (minDist) {
        minDist[i] = sqDist(x, i * D, c, arg * D, D);
        block += wi * minDist[i];
      }
      if (sums && counts && (!incremental || prev !== arg)) {
        addRow(x, i * D, wi, arg, sums, counts, D);
        // Incremental: the row leaves the cluster it was summed in.
        if (incremental && prev >= 0 && prev < K) addRow(x, i * D, -wi, prev, sums, counts, D);
      }
    }
    inertia += block;
  }
  out[0] += inertia;
  out[1] += changed;
  out[2] += resolved;
}

/** Relative slack on the bound arithmetic (assembly/kmeans/hamerly.ts BOUND_SLACK). */
const BOUND_SLACK = 1e-12;

/**
 * Lloyd's pass with Hamerly's bounds over rows [start, end) (see assembly/kmeans/hamerly.ts
 * for the bounds and the margin that keeps the labels those of kmeansLloydPass); out is f64[3],
 * its third value += the rows whose distances were computed.
 */
export function kmeansHamerlyPass(
  x: FloatArray, xNorms: Float64Array, c: FloatArray, ct: FloatArray, g: FloatArray, w: Float64Array | null,
  labels: Int32Array, minDist: Float64Array, lower: Float64Array, shifts: Float64Array, half: Float64Array, maxNorm: number,
  sums: Float64Array | null, counts: Float64Array | null, out: Float64Array, start: number, end: number, K: number, D: number,
  incremental = false,
): void {
  const epsT = ct instanceof Float32Array ? 2 ** -24 : 2 ** -53;
  const eScale = 2 * (D + 2) * epsT;
  let iMax = -1, max1 = 0, max2 = 0;
  for (let k = 0; k < K; k++) {
    if (shifts[k] > max1) { max2 = max1; max1 = shifts[k]; iMax = k; } else if (shifts[k] > max2) max2 = shifts[k];
  }
  let inertia = 0, changed = 0, scanned = 0;
  for (let r0 = start; r0 < end; r0 += KMEANS_BLOCK_ROWS) {
    const stop = Math.min(r0 + KMEANS_BLOCK_ROWS, end);
    for (let i = r0; i < stop; i++) {
      const a = labels[i], E = eScale * (xNorms[i] + 2 * maxNorm);
      if (a >= 0) {
        const d = sqDist(x, i * D, c, a * D, D);
        minDist[i] = d;
        lower[i] = (lower[i] - (a === iMax ? max2 : max1) * (1 + BOUND_SLACK)) * (1 - BOUND_SLACK);
        const L = Math.max(lower[i], 2 * half[a] - Math.sqrt(d) * (1 + BOUND_SLACK));
        if (L > 0 && d + 4 * E < L * L * (1 - BOUND_SLACK)) continue;
      }
      expandedRow(x, i * D, ct, g, 0, K, D);
      scanned++;
      let best = Infinity, second = Infinity, arg = 0;
      for (let k = 0; k < K; k++) {
        if (g[k] < best) { second = best; best = g[k]; arg = k; } else if (g[k] < second) second = g[k];
      }
      const prev = labels[i];
      if (prev !== arg) {
        changed++;
        // Incremental: the row moves between the sums as it changes label (in row order).
        if (incremental && sums && counts) {
          const wi = w ? w[i] : 1;
          addRow(x, i * D, wi, arg, sums, counts, D);
          if (prev >= 0 && prev < K) addRow(x, i * D, -wi, prev, sums, counts, D);
        }
      }
      labels[i] = arg;
      minDist[i] = sqDist(x, i * D, c, arg * D, D);
      const l2 = second + xNorms[i] - E;
      lower[i] = l2 > 0 ? Math.sqrt(l2) * (1 - BOUND_SLACK) : 0;
    }
    let block = 0;
    for (let i = r0; i < stop; i++) {
      const wi = w ? w[i] : 1;
      block += wi * minDist[i];
      if (sums && counts && !incremental) addRow(x, i * D, wi, labels[i], sums, counts, D);
    }
    inertia += block;
  }
  out[0] += inertia;
  out[1] += changed;
  out[2] += scanned;
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

/** xNorms[i] = ‖x_i‖² for rows [start, end). */
export function rowSqNorms(x: FloatArray, xNorms: Float64Array, start: number, end: number, D: number): void {
  for (let i = start; i < end; i++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += x[i * D + j] * x[i * D + j];
    xNorms[i] = s;
  }
}

/**
 * pots[t] += Σ_i w_i·min(closest_i, max(0, ‖x_i‖² + ‖cand_t‖² − 2 x_i·cand_t)), candidates packed
 * in cct; with candMin, candMin[t·rows + i] = that min (see assembly/kmeans/seeding.ts).
 */
export function kmeansppPotentials(
  x: FloatArray, xNorms: Float64Array, cct: FloatArray, g: FloatArray, closest: Float64Array, w: Float64Array | null,
  pots: Float64Array, start: number, end: number, trials: number, D: number, candMin: Float64Array | null = null, rows = 0,
): void {
  for (let r0 = start; r0 < end; r0 += KMEANS_BLOCK_ROWS) {
    const stop = Math.min(r0 + KMEANS_BLOCK_ROWS, end), block = new Float64Array(trials);
    for (let i = r0; i < stop; i++) {
      expandedRow(x, i * D, cct, g, 0, trials, D);
      for (let t = 0; t < trials; t++) {
        const m = Math.min(closest[i], Math.max(0, xNorms[i] + g[t]));
        if (candMin) candMin[t * rows + i] = m;
        block[t] += (w ? w[i] : 1) * m;
      }
    }
    for (let t = 0; t < trials; t++) pots[t] += block[t];
  }
}

/** closest_i = min(closest_i, ‖x_i − c‖²) for rows [start, end); returns Σ w_i·closest_i. */
export function updateClosest(x: FloatArray, c: FloatArray, closest: Float64Array, w: Float64Array | null, start: number, end: number, D: number): number {
  let pot = 0;
  for (let r0 = start; r0 < end; r0 += KMEANS_BLOCK_ROWS) {
    let block = 0;
    for (let i = r0; i < Math.min(r0 + KMEANS_BLOCK_ROWS, end); i++) {
      closest[i] = Math.min(closest[i], sqDist(x, i * D, c, 0, D));
      block += (w ? w[i] : 1) * closest[i];
    }
    pot += block;
  }
  return pot;
}

/** Centres x in place on its column means (into mean); returns Σ (x − mean)² (see assembly/kmeans/seeding.ts). */
export function centreColumns(x: FloatArray, mean: Float64Array, rows: number, D: number): number {
  const r = rounder(x);
  mean.fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < D; j++) mean[j] += x[i * D + j];
  for (let j = 0; j < D; j++) mean[j] /= rows;
  let ss = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < D; j++) {
      const d = x[i * D + j] - mean[j];
      ss += d * d;
      x[i * D + j] -= r(mean[j]);
    }
  }
  return ss;
}
