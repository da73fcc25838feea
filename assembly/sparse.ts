// Sparse coding (MAP inference under a Laplace prior). For now: the soft-threshold operators,
// the proximal maps of t‖·‖₁ and of t‖·‖₁ restricted to h ≥ 0. In place allowed (y == x).
// t ≥ 0 is the caller's responsibility.

import { shrinkV } from './sparse/shrink';

@inline
function softThreshold<T>(x: usize, y: usize, n: i32, t: T, nonneg: bool): void {
  const L = 16 / sizeof<T>();
  const tv = v128.splat<T>(t);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    v128.store(y + o, shrinkV<T>(v128.load(x + o), tv, nonneg));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(y + o, v128.extract_lane<T>(shrinkV<T>(v128.splat<T>(load<T>(x + o)), tv, nonneg), 0));
  }
}

export function softThresholdF64(x: usize, y: usize, n: i32, t: f64): void { softThreshold<f64>(x, y, n, t, false); }
export function softThresholdF32(x: usize, y: usize, n: i32, t: f32): void { softThreshold<f32>(x, y, n, t, false); }
export function softThresholdNonnegF64(x: usize, y: usize, n: i32, t: f64): void { softThreshold<f64>(x, y, n, t, true); }
export function softThresholdNonnegF32(x: usize, y: usize, n: i32, t: f32): void { softThreshold<f32>(x, y, n, t, true); }

// ---------------------------------------------------------------------------------------------
// Lasso solvers. Per signal x (one row): min_h ½‖x − hD‖² + α‖h‖₁ (and h ≥ 0 when `positive`),
// posed on the Gram matrix G = DDᵀ (A×A, symmetric, positive diagonal) and the correlations
// c = Dx (one row of C = XDᵀ), so that no kernel touches D or x again:
//   ‖x − hD‖² = ‖x‖² − 2h·c + hᵀGh,   and   D(x − hD) = c − Gh =: g (the correlation vector).
// Per-row scalars (‖x‖², gaps, objectives, momenta, iteration counts) are f64 for both types;
// vectors are T. Scalar arguments cross the boundary as f64.

import { axpy } from './linalg/vector';
import { gemvT } from './linalg/gemv';
import { cholesky, trsvLower, trsvLowerT } from './linalg/cholesky';
import { FORM_NN, gemm } from './linalg/gemm';

/** The scalar soft threshold in T: S_t(z) = sign(z)·max(|z| − t, 0), or max(z − t, 0) if nonneg. */
@inline
function shrink<T>(z: T, t: T, nonneg: bool): T {
  if (z > t) return z - t;
  if (!nonneg && z < -t) return z + t;
  return <T>0;
}

/**
 * Objective P(h) = ½‖x − hD‖² + α‖h‖₁ and duality gap of one row, stored at gapOut / objOut.
 * `fromQ`: the vector at gq is q = Gh (then g = c − q), otherwise it is g itself.
 * The dual point θ = s·r, r = x − hD, s = min(1, α/‖Dr‖∞) is feasible (|d_a·θ| ≤ α; for h ≥ 0
 * only d_a·θ ≤ α, so the max of g, not of |g|), and with x·r = ‖x‖² − h·c and
 * ‖r‖² = ‖x‖² − h·c − h·g:   gap = P(h) − (x·θ − ½‖θ‖²) = ½‖r‖²(1 + s²) + α‖h‖₁ − s·x·r ≥ 0.
 * The same formula as scikit-learn's enet_coordinate_descent_gram, so the stopping rules agree.
 */
@inline
function gapOf<T>(h: usize, c: usize, gq: usize, n: i32, x2: f64, alpha: f64, nonneg: bool, fromQ: bool, gapOut: usize, objOut: usize): void {
  // Two elements per step as f64x2 (f32 promoted), so f32 data still sums in f64.
  const sz = sizeof<T>();
  const z = f64x2.splat(0);
  let vhc = z, vhg = z, vl1 = z, vmax = z;
  let a = 0;
  for (; a + 2 <= n; a += 2) {
    const o = <usize>a * sz;
    const hv = load2<T>(h + o);
    const cv = load2<T>(c + o);
    const gv = fromQ ? f64x2.sub(cv, load2<T>(gq + o)) : load2<T>(gq + o);
    vhc = f64x2.add(vhc, f64x2.mul(hv, cv));
    vhg = f64x2.add(vhg, f64x2.mul(hv, gv));
    vl1 = f64x2.add(vl1, f64x2.abs(hv));
    vmax = f64x2.max(vmax, nonneg ? gv : f64x2.abs(gv));
  }
  let hc = f64x2.extract_lane(vhc, 0) + f64x2.extract_lane(vhc, 1);
  let hg = f64x2.extract_lane(vhg, 0) + f64x2.extract_lane(vhg, 1);
  let l1 = f64x2.extract_lane(vl1, 0) + f64x2.extract_lane(vl1, 1);
  let gmax = max(f64x2.extract_lane(vmax, 0), f64x2.extract_lane(vmax, 1));
  for (; a < n; a++) {
    const o = <usize>a * sz;
    const ha = <f64>load<T>(h + o);
    const ca = <f64>load<T>(c + o);
    const ga = fromQ ? ca - <f64>load<T>(gq + o) : <f64>load<T>(gq + o);
    hc += ha * ca;
    hg += ha * ga;
    l1 += abs(ha);
    gmax = max(gmax, nonneg ? ga : abs(ga));
  }
  const r2 = x2 - hc - hg;
  const s = gmax > alpha ? alpha / gmax : 1.0;
  store<f64>(objOut, 0.5 * r2 + alpha * l1);
  store<f64>(gapOut, 0.5 * r2 * (1 + s * s) + alpha * l1 - s * (x2 - hc));
}

/** Two consecutive T values at p as an f64x2 (f32 promoted exactly). */
@inline
function load2<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load(p);
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/**
 * Lanes of a T vector whose coordinate can be non-zero after an update: h_a ≠ 0, or h_a = 0
 * and |g_a| > α (g_a > α when nonneg). A coordinate outside this mask stays 0 and changes
 * nothing, so full passes and KKT scans skip whole vectors of them.
 */
@inline
function candidates<T>(g: v128, h: v128, al: v128, nonneg: bool): v128 {
  const viol = nonneg ? v128.gt<T>(g, al) : v128.gt<T>(v128.abs<T>(g), al);
  return v128.or(viol, v128.ne<T>(h, v128.splat<T>(0)));
}

/**
 * y += a0·x0 + a1·x1 + a2·x2 + a3·x3 over n elements, added in that order (so the result is that
 * of four axpys), with one load and store of y instead of four.
 */
@inline
function axpy4<T>(n: i32, a0: T, x0: usize, a1: T, x1: usize, a2: T, x2: usize, a3: T, x3: usize, y: usize): void {
  const L = 16 / sizeof<T>();
  const v0 = v128.splat<T>(a0), v1 = v128.splat<T>(a1), v2 = v128.splat<T>(a2), v3 = v128.splat<T>(a3);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    let acc = v128.add<T>(v128.load(y + o), v128.mul<T>(v0, v128.load(x0 + o)));
    acc = v128.add<T>(acc, v128.mul<T>(v1, v128.load(x1 + o)));
    acc = v128.add<T>(acc, v128.mul<T>(v2, v128.load(x2 + o)));
    v128.store(y + o, v128.add<T>(acc, v128.mul<T>(v3, v128.load(x3 + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(y + o, load<T>(y + o) + a0 * load<T>(x0 + o) + a1 * load<T>(x1 + o) + a2 * load<T>(x2 + o) + a3 * load<T>(x3 + o));
  }
}

/**
 * Coordinates visited by the cold-start sweep: |g_a| above this fraction of max_a |c_a|. The
 * atoms that explain most of x enter first and take their share of the residual, so the full
 * pass that follows activates far fewer coordinates that later return to zero (each of which
 * costs an axpy of length A, and a larger packed active set).
 */
const STRONG = 0.5;

/**
 * From h = 0: coordinate-descent updates of the coordinates with |g_a| > τ = STRONG·max|g|
 * (g_a > τ when nonneg), in index order, re-testing each against the current g. Not counted
 * as a pass. Nothing happens when τ ≤ α (every candidate is then visited by the full pass).
 */
@inline
function strongSweep<T>(gram: usize, g: usize, h: usize, invDiag: usize, A: i32, al: T, nonneg: bool): void {
  const sz = sizeof<T>();
  const L = 16 / sizeof<T>();
  const rowBytes = <usize>A * sz;
  let vmax = v128.splat<T>(0);
  let a = 0;
  for (; a + L <= A; a += L) vmax = v128.max<T>(vmax, v128.abs<T>(v128.load(g + <usize>a * sz)));
  let gmax = hmax<T>(vmax);
  for (; a < A; a++) gmax = max<T>(gmax, abs<T>(load<T>(g + <usize>a * sz)));
  const tau = <T>STRONG * gmax;
  if (!(tau > al)) return;
  const tv = v128.splat<T>(tau);
  for (let a0 = 0; a0 < A; a0 += L) {
    const a1 = min(a0 + L, A);
    if (a1 - a0 == L) {
      const gv = v128.load(g + <usize>a0 * sz);
      if (!v128.any_true(nonneg ? v128.gt<T>(gv, tv) : v128.gt<T>(v128.abs<T>(gv), tv))) continue;
    }
    for (let b = a0; b < a1; b++) {
      const o = <usize>b * sz;
      const gb = load<T>(g + o);
      if (!(nonneg ? gb > tau : abs<T>(gb) > tau)) continue;
      const hn = shrink<T>(gb, al, nonneg) * load<T>(invDiag + o); // h_b = 0, so z = g_b
      axpy<T>(A, -hn, gram + <usize>b * rowBytes, g);
      store<T>(h + o, hn);
    }
  }
}

/** The largest lane of a T vector. */
@inline
function hmax<T>(v: v128): T {
  if (sizeof<T>() == 8) return max<T>(v128.extract_lane<T>(v, 0), v128.extract_lane<T>(v, 1));
  return max<T>(max<T>(v128.extract_lane<T>(v, 0), v128.extract_lane<T>(v, 1)), max<T>(v128.extract_lane<T>(v, 2), v128.extract_lane<T>(v, 3)));
}

/** Sign-stable CD passes before each Newton step. */
const NEWTON_AFTER = 1;
/** What a Newton step did. */
const NEWTON_NONE = 0;
const NEWTON_PARTIAL = 1;
const NEWTON_FULL = 2;

/**
 * The Newton step of lassoCD on the packed active set (k coordinates, Gram Gs k×k), a
 * feature-sign step (Lee, Battle, Raina & Ng 2007): with P the non-zeros of hs and σ their
 * signs, x solves G_PP x = c_P − α·σ (Cholesky; M: the factor, rhs: x, nz: P as i32), the
 * minimiser of the objective with the signs held at σ. Along the segment from h_P to x the true
 * objective equals that smooth one until a coordinate crosses zero, so it falls all the way to
 * the first crossing: h_P moves to x if no sign flips, else to that crossing, the coordinate
 * that crosses set to exactly 0. The change is folded into gs. Returns NEWTON_FULL,
 * NEWTON_PARTIAL (stopped at a crossing) or NEWTON_NONE (P empty or G_PP singular: no change).
 */
@inline
function newtonStep<T>(Gs: usize, gs: usize, hs: usize, cs: usize, rhs: usize, nz: usize, M: usize, k: i32, alpha: T): i32 {
  const sz = sizeof<T>();
  const kb = <usize>k * sz;
  let m = 0;
  for (let i = 0; i < k; i++) {
    if (load<T>(hs + <usize>i * sz) != 0) { store<i32>(nz + (<usize>m << 2), i); m++; }
  }
  if (m == 0) return NEWTON_NONE;
  const mb = <usize>m * sz;
  for (let p = 0; p < m; p++) {
    const i = <usize>load<i32>(nz + (<usize>p << 2));
    const hi = load<T>(hs + i * sz);
    store<T>(rhs + <usize>p * sz, load<T>(cs + i * sz) - (hi > 0 ? alpha : -alpha));
    const src = Gs + i * kb;
    const dst = M + <usize>p * mb;
    for (let q = 0; q <= p; q++) store<T>(dst + <usize>q * sz, load<T>(src + <usize>load<i32>(nz + (<usize>q << 2)) * sz));
  }
  if (cholesky<T>(M, m) != 0) return NEWTON_NONE;
  trsvLower<T>(M, rhs, m);
  trsvLowerT<T>(M, rhs, m);
  // The step length: 1, or the fraction of the way at which the first coordinate reaches 0.
  let t: T = 1;
  let first = -1;
  for (let p = 0; p < m; p++) {
    const hi = load<T>(hs + <usize>load<i32>(nz + (<usize>p << 2)) * sz);
    const x = load<T>(rhs + <usize>p * sz);
    if (!(x * hi > 0)) {
      const tp = hi / (hi - x);
      if (tp < t) { t = tp; first = p; }
    }
  }
  for (let p = 0; p < m; p++) {
    const i = <usize>load<i32>(nz + (<usize>p << 2));
    const hi = load<T>(hs + i * sz);
    const hn = p == first ? <T>0 : (t == 1 ? load<T>(rhs + <usize>p * sz) : hi + t * (load<T>(rhs + <usize>p * sz) - hi));
    const d = hi - hn;
    if (d != 0) axpy<T>(k, d, Gs + i * kb, gs);
    store<T>(hs + i * sz, hn);
  }
  return first < 0 ? NEWTON_FULL : NEWTON_PARTIAL;
}

/**
 * Coordinate descent for `rows` signals, each to gap ≤ tol·‖x‖² or maxIter passes. h (rows×A)
 * holds the warm start on entry and the codes on exit. Per coordinate (KERNELS.md):
 * z = g_a + G_aa h_a, h_a ← S_α(z)/G_aa, and when h_a changes by δ, g ← g − δ·G[a,:] (G is
 * symmetric: a row is a column).
 *  0. From a cold start (h = 0), a sweep over the strongest correlations only (strongSweep).
 *  1. One full pass over all A coordinates; S = its non-zeros.
 *  2. Passes over S only, on packed copies of G[S,S], g[S], c[S] (cost |S|² per pass, not
 *     |S|·A), until the duality gap of the problem restricted to S is within tolerance — an
 *     O(|S|) check per pass. When no coordinate outside S violates |g_a| ≤ α, that gap is the
 *     full one, so a right active set converges in this one phase.
 *     Once the signs of h_S have held for NEWTON_AFTER passes, a Newton (feature-sign) step
 *     solves the stationarity conditions on the support directly, G_PP h_P = c_P − α·sign(h_P)
 *     (P = the non-zeros; Cholesky), and moves there or to the first sign change on the way:
 *     with the right signs it lands on the restricted optimum, skipping CD's slow linear tail
 *     on correlated atoms.
 *  3. Unpacking folds the net change of h_S into g (four rows of G per sweep of g); then the
 *     full duality gap (stop if ≤ tol·‖x‖²) and a KKT scan: S ← {a : h_a ≠ 0 or |g_a| > α};
 *     back to 2.
 * Divisions by G_aa are multiplications by 1/G_aa, computed once per call.
 * work: 2A² + 11A elements of T (g; packed h, h at the start of the phase, g, c, 1/G_aa, the
 * Newton right-hand side; the indices of S and P; diag G and its inverse; the packed Gram; the
 * Newton matrix).
 */
@inline
function lassoCD<T>(gram: usize, c: usize, h: usize, x2: usize, gap: usize, obj: usize, iters: usize, work: usize, rows: i32, A: i32, alpha: f64, tol: f64, maxIter: i32, nonneg: bool): void {
  const sz = sizeof<T>();
  const rowBytes = <usize>A * sz;
  const g = work;
  const hs = g + rowBytes;
  const h0 = hs + rowBytes;
  const gs = h0 + rowBytes;
  const cs = gs + rowBytes;
  const inv = cs + rowBytes;
  const rhs = inv + rowBytes;
  const act = rhs + rowBytes;
  const nz = act + rowBytes;
  const Gs = nz + rowBytes;
  const M = Gs + <usize>A * rowBytes;
  const diag = M + <usize>A * rowBytes;
  const invDiag = diag + rowBytes;
  const al = <T>alpha;
  const alv = v128.splat<T>(al);
  const L = 16 / sizeof<T>();
  for (let a = 0; a < A; a++) {
    const gaa = load<T>(gram + <usize>a * rowBytes + <usize>a * sz);
    store<T>(diag + <usize>a * sz, gaa);
    store<T>(invDiag + <usize>a * sz, <T>1 / gaa);
  }
  for (let r = 0; r < rows; r++) {
    const cr = c + <usize>r * rowBytes;
    const hr = h + <usize>r * rowBytes;
    const xx = load<f64>(x2 + (<usize>r << 3));
    const tolGap = tol * xx;
    const gapOut = gap + (<usize>r << 3);
    const objOut = obj + (<usize>r << 3);
    // g = c − G h (a warm start costs one axpy per non-zero)
    memory.copy(g, cr, rowBytes);
    let cold = true;
    for (let a = 0; a < A; a++) {
      const ha = load<T>(hr + <usize>a * sz);
      if (ha != 0) { axpy<T>(A, -ha, gram + <usize>a * rowBytes, g); cold = false; }
    }
    // 0. From a cold start, a sweep over the strongest correlations only.
    if (cold) strongSweep<T>(gram, g, hr, invDiag, A, al, nonneg);
    // 1. Full pass, a vector of coordinates at a time: vectors with no candidate are skipped.
    let k = 0;
    for (let a0 = 0; a0 < A; a0 += L) {
      const a1 = min(a0 + L, A);
      if (a1 - a0 == L && !v128.any_true(candidates<T>(v128.load(g + <usize>a0 * sz), v128.load(hr + <usize>a0 * sz), alv, nonneg))) continue;
      for (let a = a0; a < a1; a++) {
        const o = <usize>a * sz;
        const ha = load<T>(hr + o);
        const hn = shrink<T>(load<T>(g + o) + load<T>(diag + o) * ha, al, nonneg) * load<T>(invDiag + o);
        if (hn != ha) {
          axpy<T>(A, ha - hn, gram + <usize>a * rowBytes, g);
          store<T>(hr + o, hn);
        }
        if (hn != 0) { store<i32>(act + (<usize>k << 2), a); k++; }
      }
    }
    let it = 1;
    gapOf<T>(hr, cr, g, A, xx, alpha, nonneg, false, gapOut, objOut);
    while (!(load<f64>(gapOut) <= tolGap) && it < maxIter && k > 0) {
      // 2. Active-set phase on the packed G[S,S].
      const kb = <usize>k * sz;
      for (let i = 0; i < k; i++) {
        const ai = <usize>load<i32>(act + (<usize>i << 2));
        const hv = load<T>(hr + ai * sz);
        store<T>(hs + <usize>i * sz, hv);
        store<T>(h0 + <usize>i * sz, hv);
        store<T>(gs + <usize>i * sz, load<T>(g + ai * sz));
        store<T>(cs + <usize>i * sz, load<T>(cr + ai * sz));
        const src = gram + ai * rowBytes;
        store<T>(inv + <usize>i * sz, load<T>(invDiag + ai * sz));
        const dst = Gs + <usize>i * kb;
        for (let j = 0; j < k; j++) {
          store<T>(dst + <usize>j * sz, load<T>(src + <usize>load<i32>(act + (<usize>j << 2)) * sz));
        }
      }
      let stable = 0;
      while (true) {
        let maxW: f64 = 0;
        let flips = 0;
        for (let i = 0; i < k; i++) {
          const o = <usize>i * sz;
          const gi = Gs + <usize>i * kb;
          const gii = load<T>(gi + o);
          const hi = load<T>(hs + o);
          const hn = shrink<T>(load<T>(gs + o) + gii * hi, al, nonneg) * load<T>(inv + o);
          if (hn != hi) {
            const d = hi - hn;
            axpy<T>(k, d, gi, gs);
            store<T>(hs + o, hn);
            maxW = max(maxW, <f64>gii * <f64>d * <f64>d);
            if ((hn > 0) != (hi > 0) || (hn < 0) != (hi < 0)) flips++;
          }
        }
        it++;
        if (maxW == 0 || it >= maxIter) break;
        gapOf<T>(hs, cs, gs, k, xx, alpha, nonneg, false, gapOut, objOut);
        if (load<f64>(gapOut) <= tolGap) break;
        stable = flips == 0 ? stable + 1 : 0;
        if (stable >= NEWTON_AFTER) {
          stable = 0;
          // Feature-sign steps until one lands on its Newton point (each partial step zeroes a
          // coordinate, so at most |P| of them).
          let step = NEWTON_PARTIAL;
          while (step == NEWTON_PARTIAL && it < maxIter) {
            step = newtonStep<T>(Gs, gs, hs, cs, rhs, nz, M, k, al);
            if (step != NEWTON_NONE) it++;
          }
          if (step != NEWTON_NONE) {
            gapOf<T>(hs, cs, gs, k, xx, alpha, nonneg, false, gapOut, objOut);
            if (load<f64>(gapOut) <= tolGap || it >= maxIter) break;
          }
        }
      }
      // 3. Unpack, gap, KKT scan.
      let n4 = 0;
      let d0: T = 0, d1: T = 0, d2: T = 0;
      let p0: usize = 0, p1: usize = 0, p2: usize = 0;
      for (let i = 0; i < k; i++) {
        const o = <usize>i * sz;
        const ai = <usize>load<i32>(act + (<usize>i << 2));
        const hv = load<T>(hs + o);
        const d = load<T>(h0 + o) - hv;
        store<T>(hr + ai * sz, hv);
        if (d == 0) continue;
        const p = gram + ai * rowBytes;
        if (n4 == 0) { d0 = d; p0 = p; n4 = 1; }
        else if (n4 == 1) { d1 = d; p1 = p; n4 = 2; }
        else if (n4 == 2) { d2 = d; p2 = p; n4 = 3; }
        else { axpy4<T>(A, d0, p0, d1, p1, d2, p2, d, p, g); n4 = 0; }
      }
      if (n4 > 0) axpy<T>(A, d0, p0, g);
      if (n4 > 1) axpy<T>(A, d1, p1, g);
      if (n4 > 2) axpy<T>(A, d2, p2, g);
      gapOf<T>(hr, cr, g, A, xx, alpha, nonneg, false, gapOut, objOut);
      if (load<f64>(gapOut) <= tolGap || it >= maxIter) break;
      k = 0;
      for (let a0 = 0; a0 < A; a0 += L) {
        const a1 = min(a0 + L, A);
        if (a1 - a0 == L && !v128.any_true(candidates<T>(v128.load(g + <usize>a0 * sz), v128.load(hr + <usize>a0 * sz), alv, nonneg))) continue;
        for (let a = a0; a < a1; a++) {
          const o = <usize>a * sz;
          const ga = load<T>(g + o);
          if (load<T>(hr + o) != 0 || (nonneg ? ga > al : abs<T>(ga) > al)) { store<i32>(act + (<usize>k << 2), a); k++; }
        }
      }
    }
    store<f64>(iters + (<usize>r << 3), <f64>it);
  }
}

export function lassoCDF64(gram: usize, c: usize, h: usize, x2: usize, gap: usize, obj: usize, iters: usize, work: usize, rows: i32, A: i32, alpha: f64, tol: f64, maxIter: i32, positive: i32): void {
  if (positive) lassoCD<f64>(gram, c, h, x2, gap, obj, iters, work, rows, A, alpha, tol, maxIter, true);
  else lassoCD<f64>(gram, c, h, x2, gap, obj, iters, work, rows, A, alpha, tol, maxIter, false);
}
export function lassoCDF32(gram: usize, c: usize, h: usize, x2: usize, gap: usize, obj: usize, iters: usize, work: usize, rows: i32, A: i32, alpha: f64, tol: f64, maxIter: i32, positive: i32): void {
  if (positive) lassoCD<f32>(gram, c, h, x2, gap, obj, iters, work, rows, A, alpha, tol, maxIter, true);
  else lassoCD<f32>(gram, c, h, x2, gap, obj, iters, work, rows, A, alpha, tol, maxIter, false);
}

/**
 * The proximal gradient step of ISTA/FISTA over n = rows·A elements at once (rows are
 * contiguous and share the step): Z = S_thr(Y − step·(QY − C)), with QY = YG so that
 * QY − C is the gradient of ½‖x − yD‖² at Y. thr = α·step.
 */
@inline
function proxGrad<T>(y: usize, qy: usize, c: usize, z: usize, n: i32, step: T, thr: T, nonneg: bool): void {
  const L = 16 / sizeof<T>();
  const sv = v128.splat<T>(step);
  const tv = v128.splat<T>(thr);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    const grad = v128.sub<T>(v128.load(qy + o), v128.load(c + o));
    v128.store(z + o, shrinkV<T>(v128.sub<T>(v128.load(y + o), v128.mul<T>(sv, grad)), tv, nonneg));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    const v = v128.splat<T>(load<T>(y + o) - step * (load<T>(qy + o) - load<T>(c + o)));
    store<T>(z + o, v128.extract_lane<T>(shrinkV<T>(v, tv, nonneg), 0));
  }
}

export function proxGradF64(y: usize, qy: usize, c: usize, z: usize, n: i32, step: f64, thr: f64, positive: i32): void {
  if (positive) proxGrad<f64>(y, qy, c, z, n, step, thr, true);
  else proxGrad<f64>(y, qy, c, z, n, step, thr, false);
}
export function proxGradF32(y: usize, qy: usize, c: usize, z: usize, n: i32, step: f64, thr: f64, positive: i32): void {
  if (positive) proxGrad<f32>(y, qy, c, z, n, <f32>step, <f32>thr, true);
  else proxGrad<f32>(y, qy, c, z, n, <f32>step, <f32>thr, false);
}

/** out = u + β(u − v) over n elements; β = 0 is a copy. */
@inline
function extrapolate<T>(u: usize, v: usize, out: usize, n: i32, beta: T): void {
  if (beta == 0) { memory.copy(out, u, <usize>n * sizeof<T>()); return; }
  const L = 16 / sizeof<T>();
  const bv = v128.splat<T>(beta);
  let i = 0;
  for (; i <= n - L; i += L) {
    const o = <usize>i * sizeof<T>();
    const uv = v128.load(u + o);
    v128.store(out + o, v128.add<T>(uv, v128.mul<T>(bv, v128.sub<T>(uv, v128.load(v + o)))));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    const ui = load<T>(u + o);
    store<T>(out + o, ui + beta * (ui - load<T>(v + o)));
  }
}

/**
 * The rest of one ISTA/FISTA iteration, per row, after Z = proxGrad(…) and Q = ZG: the
 * objective and duality gap of Z (into obj, gap), then the next point Y = Z + β(Z − Zprev)
 * and its image QY = Q + β(Q − Qprev) (GEMM is linear, so YG needs no second product).
 * FISTA (momentum ≠ 0): t' = (1 + √(1 + 4t²))/2, β = (t − 1)/t', per row; adaptive restart
 * (O'Donoghue & Candès 2015) sets t = 1, β = 0 when the objective rose above the row's
 * previous one (obj holds it on entry; +∞ at the start). ISTA: β = 0 always.
 */
@inline
function fistaMomentum<T>(z: usize, zPrev: usize, q: usize, qPrev: usize, c: usize, y: usize, qy: usize, x2: usize, t: usize, obj: usize, gap: usize, rows: i32, A: i32, alpha: f64, momentum: bool, nonneg: bool): void {
  const rowBytes = <usize>A * sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const ro = <usize>r * rowBytes;
    const so = <usize>r << 3;
    const before = load<f64>(obj + so);
    gapOf<T>(z + ro, c + ro, q + ro, A, load<f64>(x2 + so), alpha, nonneg, true, gap + so, obj + so);
    let beta: f64 = 0;
    if (momentum) {
      const tk = load<f64>(t + so);
      if (load<f64>(obj + so) > before) {
        store<f64>(t + so, 1);
      } else {
        const tn = 0.5 * (1 + Math.sqrt(1 + 4 * tk * tk));
        beta = (tk - 1) / tn;
        store<f64>(t + so, tn);
      }
    }
    extrapolate<T>(z + ro, zPrev + ro, y + ro, A, <T>beta);
    extrapolate<T>(q + ro, qPrev + ro, qy + ro, A, <T>beta);
  }
}

export function fistaMomentumF64(z: usize, zPrev: usize, q: usize, qPrev: usize, c: usize, y: usize, qy: usize, x2: usize, t: usize, obj: usize, gap: usize, rows: i32, A: i32, alpha: f64, momentum: i32, positive: i32): void {
  if (positive) fistaMomentum<f64>(z, zPrev, q, qPrev, c, y, qy, x2, t, obj, gap, rows, A, alpha, momentum != 0, true);
  else fistaMomentum<f64>(z, zPrev, q, qPrev, c, y, qy, x2, t, obj, gap, rows, A, alpha, momentum != 0, false);
}
export function fistaMomentumF32(z: usize, zPrev: usize, q: usize, qPrev: usize, c: usize, y: usize, qy: usize, x2: usize, t: usize, obj: usize, gap: usize, rows: i32, A: i32, alpha: f64, momentum: i32, positive: i32): void {
  if (positive) fistaMomentum<f32>(z, zPrev, q, qPrev, c, y, qy, x2, t, obj, gap, rows, A, alpha, momentum != 0, true);
  else fistaMomentum<f32>(z, zPrev, q, qPrev, c, y, qy, x2, t, obj, gap, rows, A, alpha, momentum != 0, false);
}

/** A_kk at or below this marks atom k as unused (the threshold of SPAMS and scikit-learn). */
const UNUSED_ATOM: f64 = 1e-6;

/**
 * One block-coordinate pass over the atoms of V (K×F) for the surrogate
 * ½ tr(VᵀAV) − tr(VᵀBᵀ) of Mairal et al. (2009), with A = Σ hhᵀ (K×K) and Bt = Σ h xᵀ (K×F,
 * the transpose of their B): V_k ← V_k + (Bt_k − A_k·V)/A_kk, clipped at 0 when positive,
 * then projected on the ball ‖V_k‖ ≤ 1 — the exact minimiser over V_k, since the surrogate is
 * isotropic in V_k (Hessian A_kk·I). norms[k] receives ‖V_k‖ after the projection, or −1 for
 * an unused atom (A_kk ≤ 1e-6; V_k untouched), for the caller to renormalise or resample.
 * work: F elements of T.
 */
@inline
function dictionaryUpdate<T>(v: usize, a: usize, bt: usize, norms: usize, work: usize, K: i32, F: i32, nonneg: bool): void {
  const sz = sizeof<T>();
  const vRow = <usize>F * sz;
  for (let k = 0; k < K; k++) {
    const ak = a + <usize>k * <usize>K * sz;
    const akk = <f64>load<T>(ak + <usize>k * sz);
    if (!(akk > UNUSED_ATOM)) { store<f64>(norms + (<usize>k << 3), -1); continue; }
    gemvT<T>(v, ak, work, K, F, <T>0); // work = Vᵀ A_k = Σ_j A_kj V_j
    const vk = v + <usize>k * vRow;
    const bk = bt + <usize>k * vRow;
    const inv = <T>(1.0 / akk);
    let nn: f64 = 0;
    for (let j = 0; j < F; j++) {
      const o = <usize>j * sz;
      let x = load<T>(vk + o) + (load<T>(bk + o) - load<T>(work + o)) * inv;
      if (nonneg && x < 0) x = 0;
      store<T>(vk + o, x);
      nn += <f64>x * <f64>x;
    }
    let norm = Math.sqrt(nn);
    if (norm > 1) {
      const s = <T>(1.0 / norm);
      for (let j = 0; j < F; j++) store<T>(vk + <usize>j * sz, load<T>(vk + <usize>j * sz) * s);
      norm = 1;
    }
    store<f64>(norms + (<usize>k << 3), norm);
  }
}

export function dictionaryUpdateF64(v: usize, a: usize, bt: usize, norms: usize, work: usize, K: i32, F: i32, positive: i32): void {
  if (positive) dictionaryUpdate<f64>(v, a, bt, norms, work, K, F, true);
  else dictionaryUpdate<f64>(v, a, bt, norms, work, K, F, false);
}
export function dictionaryUpdateF32(v: usize, a: usize, bt: usize, norms: usize, work: usize, K: i32, F: i32, positive: i32): void {
  if (positive) dictionaryUpdate<f32>(v, a, bt, norms, work, K, F, true);
  else dictionaryUpdate<f32>(v, a, bt, norms, work, K, F, false);
}

/**
 * One block of rows solved by ISTA/FISTA from start to finish (the loop of src/sparse/encode.ts,
 * proxSolver, in one call), so that each block is one task of the thread pool. `c` (rows × A,
 * this thread's copy of X_b Dᵀ) is reordered in place; `codes` holds the warm start of the
 * block's rows and receives their solutions; gap, obj and iters (f64, one per row) receive each
 * row's duality gap, objective and iterations. A row leaves the active set (swap with the last
 * active row, so the GEMM always runs on contiguous rows) once its gap is ≤ tol·‖x‖² or after
 * maxIter steps. work: proxBlockWorkBytes(rows, A) bytes of this thread's scratch.
 */
@inline
function proxBlock<T>(gram: usize, c: usize, codes: usize, x2: usize, gapOut: usize, objOut: usize, itersOut: usize, work: usize, rows: i32, A: i32, step: f64, alpha: f64, tol: f64, maxIter: i32, momentum: bool, nonneg: bool): void {
  const rowB = <usize>A * sizeof<T>();
  const panel = <usize>rows * rowB;
  let z = work, zn = z + panel, q = zn + panel, qn = q + panel;
  const y = qn + panel, qy = y + panel;
  const xw = qy + panel, t = xw + (<usize>rows << 3), obj = t + (<usize>rows << 3), gap = obj + (<usize>rows << 3);
  const index = gap + (<usize>rows << 3);
  memory.copy(xw, x2, <usize>rows << 3);
  memory.copy(z, codes, panel);
  for (let r = 0; r < rows; r++) {
    store<i32>(index + (<usize>r << 2), r);
    store<f64>(t + (<usize>r << 3), 1);
    store<f64>(obj + (<usize>r << 3), Infinity);
  }
  gemm<T>(FORM_NN, z, gram, q, rows, A, A, <T>0);
  // Objective and gap of the starting point (Y = Z): a warm start at the solution costs nothing.
  fistaMomentum<T>(z, z, q, q, c, y, qy, xw, t, obj, gap, rows, A, alpha, momentum, nonneg);
  let it = 0;
  let active = rows;
  for (;;) {
    // Retire the rows that are done, from the last active one down.
    for (let r = active - 1; r >= 0; r--) {
      const so = <usize>r << 3;
      const g = load<f64>(gap + so);
      if (!(g <= tol * load<f64>(xw + so)) && it < maxIter) continue;
      const dst = <usize>load<i32>(index + (<usize>r << 2));
      memory.copy(codes + dst * rowB, z + <usize>r * rowB, rowB);
      store<f64>(gapOut + (dst << 3), g);
      store<f64>(objOut + (dst << 3), load<f64>(obj + so));
      store<f64>(itersOut + (dst << 3), <f64>it);
      const last = active - 1;
      if (r != last) {
        const ro = <usize>r * rowB, lo = <usize>last * rowB, sl = <usize>last << 3;
        memory.copy(z + ro, z + lo, rowB);
        memory.copy(q + ro, q + lo, rowB);
        memory.copy(y + ro, y + lo, rowB);
        memory.copy(qy + ro, qy + lo, rowB);
        memory.copy(c + ro, c + lo, rowB);
        store<f64>(xw + so, load<f64>(xw + sl));
        store<f64>(t + so, load<f64>(t + sl));
        store<f64>(obj + so, load<f64>(obj + sl));
        store<f64>(gap + so, load<f64>(gap + sl));
        store<i32>(index + (<usize>r << 2), load<i32>(index + (<usize>last << 2)));
      }
      active = last;
    }
    if (active == 0) return;
    proxGrad<T>(y, qy, c, zn, active * A, <T>step, <T>(alpha * step), nonneg);
    gemm<T>(FORM_NN, zn, gram, qn, active, A, A, <T>0);
    fistaMomentum<T>(zn, z, qn, q, c, y, qy, xw, t, obj, gap, active, A, alpha, momentum, nonneg);
    const sz = z; z = zn; zn = sz;
    const sq = q; q = qn; qn = sq;
    it++;
  }
}

/** Bytes of scratch proxBlock needs for `rows` rows of A atoms in element type T (f32: elementBytes 4). */
export function proxBlockWorkBytes(rows: i32, A: i32, elementBytes: i32): i32 {
  return (6 * rows * A * elementBytes + 4 * rows * 8 + rows * 4 + 15) & ~15;
}

export function proxBlockF64(gram: usize, c: usize, codes: usize, x2: usize, gap: usize, obj: usize, iters: usize, work: usize, rows: i32, A: i32, step: f64, alpha: f64, tol: f64, maxIter: i32, momentum: i32, positive: i32): void {
  if (positive) proxBlock<f64>(gram, c, codes, x2, gap, obj, iters, work, rows, A, step, alpha, tol, maxIter, momentum != 0, true);
  else proxBlock<f64>(gram, c, codes, x2, gap, obj, iters, work, rows, A, step, alpha, tol, maxIter, momentum != 0, false);
}
export function proxBlockF32(gram: usize, c: usize, codes: usize, x2: usize, gap: usize, obj: usize, iters: usize, work: usize, rows: i32, A: i32, step: f64, alpha: f64, tol: f64, maxIter: i32, momentum: i32, positive: i32): void {
  if (positive) proxBlock<f32>(gram, c, codes, x2, gap, obj, iters, work, rows, A, step, alpha, tol, maxIter, momentum != 0, true);
  else proxBlock<f32>(gram, c, codes, x2, gap, obj, iters, work, rows, A, step, alpha, tol, maxIter, momentum != 0, false);
}

// ---------------------------------------------------------------------------------------------
// The objective of given codes, from the residual (a sum of non-negative terms, never negative).

/**
 * ½‖x − hD‖² + α‖h‖₁ for `rows` rows into out (f64): R = X_b − H_b·D in `r` (rows × F scratch),
 * then per row the sums in f64 in index order. Its twin is the loop of residualObjective in
 * src/sparse/encode.ts (the reference engine), which sums in the same order.
 */
function residualObjectiveBlock<T>(x: usize, codes: usize, dict: usize, r: usize, out: usize, rows: i32, F: i32, A: i32, alpha: f64): void {
  memory.copy(r, x, <usize>rows * <usize>F * sizeof<T>());
  gemm<T>(FORM_NN, codes, dict, r, rows, F, A, <T>-1);
  for (let i = 0; i < rows; i++) {
    const ri = r + <usize>i * <usize>F * sizeof<T>(), hi = codes + <usize>i * <usize>A * sizeof<T>();
    let rr = 0.0, l1 = 0.0;
    for (let j = 0; j < F; j++) {
      const v = <f64>load<T>(ri + <usize>j * sizeof<T>());
      rr += v * v;
    }
    for (let a = 0; a < A; a++) l1 += Math.abs(<f64>load<T>(hi + <usize>a * sizeof<T>()));
    store<f64>(out + <usize>i * 8, 0.5 * rr + alpha * l1);
  }
}

export function residualObjectiveBlockF64(x: usize, codes: usize, dict: usize, r: usize, out: usize, rows: i32, F: i32, A: i32, alpha: f64): void {
  residualObjectiveBlock<f64>(x, codes, dict, r, out, rows, F, A, alpha);
}
export function residualObjectiveBlockF32(x: usize, codes: usize, dict: usize, r: usize, out: usize, rows: i32, F: i32, A: i32, alpha: f64): void {
  residualObjectiveBlock<f32>(x, codes, dict, r, out, rows, F, A, alpha);
}
