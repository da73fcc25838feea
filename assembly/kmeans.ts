// k-means kernels (KERNELS.md's rule: GEMM-shaped work over fixed blocks of rows, block-sized
// temporaries, f64 accumulation). Lloyd's assignment step is one GEMM of a block of rows
// against all K centres (G = X·Cᵀ), ‖x − c_k‖² = ‖x‖² − 2 x·c_k + ‖c_k‖², with ‖x‖² dropped for the argmin
// (it is the same for every k), as scikit-learn's lloyd_iter_chunked_dense does. The centre
// update is a weighted scatter-add; k-means++ seeding scores its candidates here too.
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

/** Columns of the packed centres: K rounded up to a whole micro-tile (4 f64 or 8 f32). */
@inline function paddedK<T>(K: i32): i32 {
  const nr = 2 * (16 / sizeof<T>());
  return (K + nr - 1) / nr * nr;
}

/**
 * Packs the K centres (K × D) for the distance GEMM: ct is (D + 1) × Kp (Kp = K rounded up to 4
 * f64 / 8 f32 columns): rows 0…D−1 hold Cᵀ (padding 0) and row D holds ‖c_k‖² in T (padding
 * +∞, so a padding column never wins an argmin).
 */
@inline
function packCentres<T>(c: usize, ct: usize, K: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  const Kp = paddedK<T>(K);
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < Kp; k++) {
      store<T>(ct + (<usize>d * <usize>Kp + <usize>k) * sz, k < K ? load<T>(c + (<usize>k * <usize>D + <usize>d) * sz) : <T>0);
    }
  }
  const norms = ct + <usize>D * <usize>Kp * sz;
  for (let k = 0; k < Kp; k++) {
    const ck = c + <usize>k * <usize>D * sz;
    store<T>(norms + <usize>k * sz, k < K ? <T>dot<T>(ck, ck, D) : <T>Infinity);
  }
}

/**
 * v (rows × Kp) = ‖c_k‖² − 2 x_i·c_k for a block of rows, from the packed centres ct: the
 * squared distances less ‖x_i‖², which is all an argmin over k needs. k-means has few features
 * and centres (D, K in the tens), so both operands fit in L1 and GEMM's packing would cost more
 * than it saves: this is its register-blocked micro-kernel (4 rows × 2 vectors of columns)
 * reading X in place, with the norms folded into the store, and a 1-row loop for the last rows.
 */
@inline
function distanceGemm<T>(x: usize, ct: usize, v: usize, rows: i32, K: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  const Kp = paddedK<T>(K);
  const nr = 2 * (16 / sizeof<T>());
  const ldx = <usize>D * sz, ldc = <usize>Kp * sz;
  const norms = ct + <usize>D * ldc;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const x0 = x + <usize>i * ldx;
    const v0 = v + <usize>i * ldc;
    for (let j = 0; j < Kp; j += nr) {
      const z = v128.splat<T>(0);
      let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
      let bp = ct + <usize>j * sz;
      let ap = x0;
      for (let p = 0; p < D; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let a = v128.splat<T>(load<T>(ap));
        c00 = v128.add<T>(c00, v128.mul<T>(a, b0));
        c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
        a = v128.splat<T>(load<T>(ap + ldx));
        c10 = v128.add<T>(c10, v128.mul<T>(a, b0));
        c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
        a = v128.splat<T>(load<T>(ap + 2 * ldx));
        c20 = v128.add<T>(c20, v128.mul<T>(a, b0));
        c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
        a = v128.splat<T>(load<T>(ap + 3 * ldx));
        c30 = v128.add<T>(c30, v128.mul<T>(a, b0));
        c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
        ap += sz;
        bp += ldc;
      }
      const n0 = v128.load(norms + <usize>j * sz), n1 = v128.load(norms + <usize>j * sz, 16);
      const o = v0 + <usize>j * sz;
      v128.store(o, v128.sub<T>(n0, v128.add<T>(c00, c00))); v128.store(o, v128.sub<T>(n1, v128.add<T>(c01, c01)), 16);
      v128.store(o + ldc, v128.sub<T>(n0, v128.add<T>(c10, c10))); v128.store(o + ldc, v128.sub<T>(n1, v128.add<T>(c11, c11)), 16);
      v128.store(o + 2 * ldc, v128.sub<T>(n0, v128.add<T>(c20, c20))); v128.store(o + 2 * ldc, v128.sub<T>(n1, v128.add<T>(c21, c21)), 16);
      v128.store(o + 3 * ldc, v128.sub<T>(n0, v128.add<T>(c30, c30))); v128.store(o + 3 * ldc, v128.sub<T>(n1, v128.add<T>(c31, c31)), 16);
    }
  }
  for (; i < rows; i++) {
    const xi = x + <usize>i * ldx;
    const vi = v + <usize>i * ldc;
    for (let j = 0; j < Kp; j += nr) {
      let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0);
      let bp = ct + <usize>j * sz;
      for (let p = 0; p < D; p++) {
        const a = v128.splat<T>(load<T>(xi + <usize>p * sz));
        c0 = v128.add<T>(c0, v128.mul<T>(a, v128.load(bp)));
        c1 = v128.add<T>(c1, v128.mul<T>(a, v128.load(bp, 16)));
        bp += ldc;
      }
      const nj = norms + <usize>j * sz;
      v128.store(vi + <usize>j * sz, v128.sub<T>(v128.load(nj), v128.add<T>(c0, c0)));
      v128.store(vi + <usize>j * sz, v128.sub<T>(v128.load(nj, 16), v128.add<T>(c1, c1)), 16);
    }
  }
}

/**
 * The first index of the smallest of the Kp values at v (Kp a multiple of 2 vectors): a SIMD
 * minimum, then a scan for the first entry equal to it — the lowest index on ties, as a strict
 * `<` scan would give.
 */
@inline
function argminRow<T>(v: usize, Kp: i32): i32 {
  const lanes = 16 / sizeof<T>();
  let m = v128.load(v);
  for (let j = lanes; j < Kp; j += lanes) m = v128.min<T>(m, v128.load(v + <usize>j * sizeof<T>()));
  let best: T;
  if (sizeof<T>() == 8) {
    best = min<T>(v128.extract_lane<T>(m, 0), v128.extract_lane<T>(m, 1));
  } else {
    best = min<T>(min<T>(v128.extract_lane<T>(m, 0), v128.extract_lane<T>(m, 1)), min<T>(v128.extract_lane<T>(m, 2), v128.extract_lane<T>(m, 3)));
  }
  // Bounded: a NaN (overflowed distances) matches nothing and leaves label 0.
  let k = 0;
  while (k < Kp && load<T>(v + <usize>k * sizeof<T>()) != best) k++;
  if (k >= Kp) k = 0;
  return k;
}

/**
 * Lloyd's assignment for a block of rows: labels[i] = argmin_k ‖x_i − c_k‖² and
 * minDist[i] = that squared distance; returns Σ_i w_i·minDist[i] (the block's inertia).
 *
 * The argmin compares ‖c_k‖² − 2 x_i·c_k in T (one GEMM into the rows × Kp scratch g, as
 * scikit-learn computes it in the data's precision), and ties go to the lowest index
 * (scikit-learn's rule). That expanded form cancels
 * when ‖x‖ is large against the distances (callers centre X, as scikit-learn does, to keep it
 * small), so it only chooses the label: minDist is then recomputed as the direct sum of squared
 * differences to the chosen centre, which has no cancellation, so inertia and the distances
 * that empty-cluster relocation ranks are exact to rounding.
 */
@inline
function kmeansAssign<T>(x: usize, c: usize, ct: usize, g: usize, w: usize, labels: usize, minDist: usize, rows: i32, K: i32, D: i32): f64 {
  const sz = <usize>sizeof<T>();
  const Kp = paddedK<T>(K);
  distanceGemm<T>(x, ct, g, rows, K, D);
  let inertia = 0.0;
  for (let i = 0; i < rows; i++) {
    const arg = argminRow<T>(g + <usize>i * <usize>Kp * sz, Kp);
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
 * out[i,k] (T, rows × K) = max(0, ‖x_i‖² + ‖c_k‖² − 2 x_i·c_k): all squared distances of a
 * block of rows to K centres (one GEMM into the rows × Kp scratch g, then ‖x_i‖² added). The clamp at 0 keeps a cancelled distance from going negative, as
 * scikit-learn's euclidean_distances does; `transform` takes square roots of these.
 */
@inline
function sqDistances<T>(x: usize, ct: usize, g: usize, out: usize, rows: i32, K: i32, D: i32): void {
  const sz = <usize>sizeof<T>();
  const Kp = paddedK<T>(K);
  distanceGemm<T>(x, ct, g, rows, K, D);
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * <usize>D * sz;
    const xn = dot<T>(xi, xi, D);
    const gi = g + <usize>i * <usize>Kp * sz;
    const oi = out + <usize>i * <usize>K * sz;
    for (let k = 0; k < K; k++) {
      const v = xn + <f64>load<T>(gi + <usize>k * sz);
      store<T>(oi + <usize>k * sz, <T>(v > 0 ? v : 0));
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

export function packCentresF64(c: usize, ct: usize, K: i32, D: i32): void { packCentres<f64>(c, ct, K, D); }
export function packCentresF32(c: usize, ct: usize, K: i32, D: i32): void { packCentres<f32>(c, ct, K, D); }

export function kmeansAssignF64(x: usize, c: usize, ct: usize, g: usize, w: usize, labels: usize, minDist: usize, rows: i32, K: i32, D: i32): f64 {
  return kmeansAssign<f64>(x, c, ct, g, w, labels, minDist, rows, K, D);
}
export function kmeansAssignF32(x: usize, c: usize, ct: usize, g: usize, w: usize, labels: usize, minDist: usize, rows: i32, K: i32, D: i32): f64 {
  return kmeansAssign<f32>(x, c, ct, g, w, labels, minDist, rows, K, D);
}

export function kmeansScatterF64(x: usize, labels: usize, w: usize, sums: usize, counts: usize, rows: i32, D: i32): void {
  kmeansScatter<f64>(x, labels, w, sums, counts, rows, D);
}
export function kmeansScatterF32(x: usize, labels: usize, w: usize, sums: usize, counts: usize, rows: i32, D: i32): void {
  kmeansScatter<f32>(x, labels, w, sums, counts, rows, D);
}

export function sqDistancesF64(x: usize, ct: usize, g: usize, out: usize, rows: i32, K: i32, D: i32): void {
  sqDistances<f64>(x, ct, g, out, rows, K, D);
}
export function sqDistancesF32(x: usize, ct: usize, g: usize, out: usize, rows: i32, K: i32, D: i32): void {
  sqDistances<f32>(x, ct, g, out, rows, K, D);
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
