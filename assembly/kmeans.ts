// k-means kernels (KERNELS.md's rule: GEMM-shaped work over fixed blocks of rows, block-sized
// temporaries, f64 accumulation). Lloyd's assignment step is one NT-GEMM of a block of rows
// against all K centres, ‖x − c_k‖² = ‖x‖² − 2 x·c_k + ‖c_k‖², with ‖x‖² dropped for the argmin
// (it is the same for every k), as scikit-learn's lloyd_iter_chunked_dense does. The centre
// update is a weighted scatter-add; k-means++ seeding scores its candidates here too.
import { FORM_NT, gemm } from './linalg/gemm';
import { dot } from './linalg/vector';
import { hsum } from './simd';

/** ‖a − b‖² over D elements, T lanes, returned in f64: exact up to rounding, no cancellation. */
@inline
function sqDist<T>(a: usize, b: usize, D: i32): f64 {
  const lanes = 16 / sizeof<T>();
  const sz = <usize>sizeof<T>();
  let acc0 = v128.splat<T>(0);
  let acc1 = v128.splat<T>(0);
  let j = 0;
  for (; j + 2 * lanes <= D; j += 2 * lanes) {
    const o = <usize>j * sz;
    const d0 = v128.sub<T>(v128.load(a + o), v128.load(b + o));
    const d1 = v128.sub<T>(v128.load(a + o, 16), v128.load(b + o, 16));
    acc0 = v128.add<T>(acc0, v128.mul<T>(d0, d0));
    acc1 = v128.add<T>(acc1, v128.mul<T>(d1, d1));
  }
  for (; j + lanes <= D; j += lanes) {
    const o = <usize>j * sz;
    const d0 = v128.sub<T>(v128.load(a + o), v128.load(b + o));
    acc0 = v128.add<T>(acc0, v128.mul<T>(d0, d0));
  }
  let s = hsum<T>(v128.add<T>(acc0, acc1));
  for (; j < D; j++) {
    const o = <usize>j * sz;
    const d = <f64>load<T>(a + o) - <f64>load<T>(b + o);
    s += d * d;
  }
  return s;
}

/** The weight of row i: 1 when there are no weights (w = 0, a null pointer). */
@inline
function weightAt(w: usize, i: i32): f64 {
  return w == 0 ? 1.0 : load<f64>(w + (<usize>i << 3));
}

/** out[k] (f64) = ‖c_k‖² for the K rows of c (K × D). */
@inline
function centreSqNorms<T>(c: usize, out: usize, K: i32, D: i32): void {
  for (let k = 0; k < K; k++) {
    const ck = c + <usize>k * <usize>D * sizeof<T>();
    store<f64>(out + (<usize>k << 3), dot<T>(ck, ck, D));
  }
}

/**
 * Lloyd's assignment for a block of rows: labels[i] = argmin_k ‖x_i − c_k‖² and
 * minDist[i] = that squared distance; returns Σ_i w_i·minDist[i] (the block's inertia).
 *
 * The argmin compares ‖c_k‖² − 2 x_i·c_k (g = X·Cᵀ, one GEMM into the rows × K scratch),
 * strictly, so ties go to the lowest index (scikit-learn's rule). That expanded form cancels
 * when ‖x‖ is large against the distances (callers centre X, as scikit-learn does, to keep it
 * small), so it only chooses the label: minDist is then recomputed as the direct sum of squared
 * differences to the chosen centre, which has no cancellation, so inertia and the distances
 * that empty-cluster relocation ranks are exact to rounding.
 */
@inline
function kmeansAssign<T>(x: usize, c: usize, cNorms: usize, g: usize, w: usize, labels: usize, minDist: usize, rows: i32, K: i32, D: i32): f64 {
  const sz = <usize>sizeof<T>();
  gemm<T>(FORM_NT, x, c, g, rows, K, D, <T>0);
  let inertia = 0.0;
  for (let i = 0; i < rows; i++) {
    const gi = g + <usize>i * <usize>K * sz;
    let best = load<f64>(cNorms) - 2.0 * <f64>load<T>(gi);
    let arg = 0;
    for (let k = 1; k < K; k++) {
      const v = load<f64>(cNorms + (<usize>k << 3)) - 2.0 * <f64>load<T>(gi + <usize>k * sz);
      if (v < best) { best = v; arg = k; }
    }
    const d = sqDist<T>(x + <usize>i * <usize>D * sz, c + <usize>arg * <usize>D * sz, D);
    store<i32>(labels + (<usize>i << 2), arg);
    store<f64>(minDist + (<usize>i << 3), d);
    inertia += weightAt(w, i) * d;
  }
  return inertia;
}

/**
 * The M-step's statistics for a block of rows: sums[labels[i]] += w_i·x_i (K × D, f64) and
 * counts[labels[i]] += w_i (K, f64). Accumulated in f64 whatever T is.
 */
@inline
function kmeansScatter<T>(x: usize, labels: usize, w: usize, sums: usize, counts: usize, rows: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < rows; i++) {
    const k = load<i32>(labels + (<usize>i << 2));
    const wi = weightAt(w, i);
    const ck = counts + (<usize>k << 3);
    store<f64>(ck, load<f64>(ck) + wi);
    const xi = x + <usize>i * <usize>D * sz;
    const sk = sums + <usize>k * <usize>D * 8;
    let j = 0;
    if (sizeof<T>() == 8) {
      const wv = f64x2.splat(wi);
      for (; j + 2 <= D; j += 2) {
        const o = <usize>j << 3;
        v128.store(sk + o, f64x2.add(v128.load(sk + o), f64x2.mul(wv, v128.load(xi + o))));
      }
    }
    for (; j < D; j++) {
      const o = <usize>j << 3;
      store<f64>(sk + o, load<f64>(sk + o) + wi * <f64>load<T>(xi + <usize>j * sz));
    }
  }
}

/**
 * out[i,k] (T) = max(0, ‖x_i‖² + ‖c_k‖² − 2 x_i·c_k): all squared distances of a block of rows
 * to K centres (one GEMM). The clamp at 0 keeps a cancelled distance from going negative, as
 * scikit-learn's euclidean_distances does; `transform` takes square roots of these.
 */
@inline
function sqDistances<T>(x: usize, c: usize, cNorms: usize, out: usize, rows: i32, K: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  gemm<T>(FORM_NT, x, c, out, rows, K, D, <T>0);
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * <usize>D * sz;
    const xn = dot<T>(xi, xi, D);
    const oi = out + <usize>i * <usize>K * sz;
    for (let k = 0; k < K; k++) {
      const o = <usize>k * sz;
      const v = xn + load<f64>(cNorms + (<usize>k << 3)) - 2.0 * <f64>load<T>(oi + o);
      store<T>(oi + o, <T>(v > 0 ? v : 0));
    }
  }
}

/**
 * k-means++ scoring of `trials` candidate centres (rows of cand, trials × D) on a block of rows:
 * pots[t] += Σ_i w_i·min(closest_i, ‖x_i − cand_t‖²), the potential the seeding would have if
 * candidate t were chosen. closest (f64) holds each row's squared distance to its nearest seed.
 */
@inline
function kmeansppPotentials<T>(x: usize, cand: usize, closest: usize, w: usize, pots: usize, rows: i32, trials: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  for (let t = 0; t < trials; t++) {
    const ct = cand + <usize>t * <usize>D * sz;
    let pot = 0.0;
    for (let i = 0; i < rows; i++) {
      const d = sqDist<T>(x + <usize>i * <usize>D * sz, ct, D);
      const c = load<f64>(closest + (<usize>i << 3));
      pot += weightAt(w, i) * (d < c ? d : c);
    }
    const pt = pots + (<usize>t << 3);
    store<f64>(pt, load<f64>(pt) + pot);
  }
}

/** closest_i = min(closest_i, ‖x_i − c‖²) for a new seed c (D); returns Σ_i w_i·closest_i. */
@inline
function updateClosest<T>(x: usize, c: usize, closest: usize, w: usize, rows: i32, D: i32): f64 {
  const sz = <usize>sizeof<T>();
  let pot = 0.0;
  for (let i = 0; i < rows; i++) {
    const d = sqDist<T>(x + <usize>i * <usize>D * sz, c, D);
    const p = closest + (<usize>i << 3);
    const m = d < load<f64>(p) ? d : load<f64>(p);
    store<f64>(p, m);
    pot += weightAt(w, i) * m;
  }
  return pot;
}

export function centreSqNormsF64(c: usize, out: usize, K: i32, D: i32): void { centreSqNorms<f64>(c, out, K, D); }
export function centreSqNormsF32(c: usize, out: usize, K: i32, D: i32): void { centreSqNorms<f32>(c, out, K, D); }

export function kmeansAssignF64(x: usize, c: usize, cNorms: usize, g: usize, w: usize, labels: usize, minDist: usize, rows: i32, K: i32, D: i32): f64 {
  return kmeansAssign<f64>(x, c, cNorms, g, w, labels, minDist, rows, K, D);
}
export function kmeansAssignF32(x: usize, c: usize, cNorms: usize, g: usize, w: usize, labels: usize, minDist: usize, rows: i32, K: i32, D: i32): f64 {
  return kmeansAssign<f32>(x, c, cNorms, g, w, labels, minDist, rows, K, D);
}

export function kmeansScatterF64(x: usize, labels: usize, w: usize, sums: usize, counts: usize, rows: i32, D: i32): void {
  kmeansScatter<f64>(x, labels, w, sums, counts, rows, D);
}
export function kmeansScatterF32(x: usize, labels: usize, w: usize, sums: usize, counts: usize, rows: i32, D: i32): void {
  kmeansScatter<f32>(x, labels, w, sums, counts, rows, D);
}

export function sqDistancesF64(x: usize, c: usize, cNorms: usize, out: usize, rows: i32, K: i32, D: i32): void {
  sqDistances<f64>(x, c, cNorms, out, rows, K, D);
}
export function sqDistancesF32(x: usize, c: usize, cNorms: usize, out: usize, rows: i32, K: i32, D: i32): void {
  sqDistances<f32>(x, c, cNorms, out, rows, K, D);
}

export function kmeansppPotentialsF64(x: usize, cand: usize, closest: usize, w: usize, pots: usize, rows: i32, trials: i32, D: i32): void {
  kmeansppPotentials<f64>(x, cand, closest, w, pots, rows, trials, D);
}
export function kmeansppPotentialsF32(x: usize, cand: usize, closest: usize, w: usize, pots: usize, rows: i32, trials: i32, D: i32): void {
  kmeansppPotentials<f32>(x, cand, closest, w, pots, rows, trials, D);
}

export function updateClosestF64(x: usize, c: usize, closest: usize, w: usize, rows: i32, D: i32): f64 {
  return updateClosest<f64>(x, c, closest, w, rows, D);
}
export function updateClosestF32(x: usize, c: usize, closest: usize, w: usize, rows: i32, D: i32): f64 {
  return updateClosest<f32>(x, c, closest, w, rows, D);
}
