/** Plain-TypeScript twins of assembly/sparse.ts. */
import type { FloatArray } from '../runtime/matrix.js';
import { cholesky, trsvLower, trsvLowerT } from './linalg.js';

/** y_i = sign(x_i)·max(|x_i| − t, 0). */
export function softThreshold(x: FloatArray, y: FloatArray, n: number, t: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.sign(x[i]) * Math.max(Math.abs(x[i]) - t, 0);
}

/** y_i = max(x_i − t, 0). */
export function softThresholdNonneg(x: FloatArray, y: FloatArray, n: number, t: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.max(x[i] - t, 0);
}

// Lasso solvers: twins of assembly/sparse.ts's lassoCD, proxGrad, fistaMomentum and
// dictionaryUpdate, the same algorithms line for line (computed in JS numbers, rounded on store
// for Float32Array buffers). See assembly/sparse.ts for the mathematics.

/** The scalar soft threshold. */
function shrink(z: number, t: number, nonneg: boolean): number {
  if (z > t) return z - t;
  if (!nonneg && z < -t) return z + t;
  return 0;
}

/** Objective and duality gap of row h (offset ho) given c and either g = c − Gh or q = Gh. */
function gapOf(h: FloatArray, ho: number, c: FloatArray, co: number, gq: FloatArray, go: number, n: number, x2: number,
  alpha: number, nonneg: boolean, fromQ: boolean, gap: Float64Array, obj: Float64Array, r: number): void {
  let hc = 0, hg = 0, l1 = 0, gmax = 0;
  for (let a = 0; a < n; a++) {
    const ha = h[ho + a], ca = c[co + a];
    const ga = fromQ ? ca - gq[go + a] : gq[go + a];
    hc += ha * ca;
    hg += ha * ga;
    l1 += Math.abs(ha);
    gmax = Math.max(gmax, nonneg ? ga : Math.abs(ga));
  }
  const r2 = x2 - hc - hg;
  const s = gmax > alpha ? alpha / gmax : 1;
  obj[r] = 0.5 * r2 + alpha * l1;
  gap[r] = 0.5 * r2 * (1 + s * s) + alpha * l1 - s * (x2 - hc);
}

/** See assembly/sparse.ts: the cold-start sweep visits |g_a| > STRONG·max|g|. */
const STRONG = 0.5;

/** From h = 0, CD updates of the coordinates with |g_a| > STRONG·max|g| only (not a pass). */
function strongSweep(gram: FloatArray, g: FloatArray, h: FloatArray, ro: number, invDiag: FloatArray, A: number, alpha: number, nonneg: boolean): void {
  let gmax = 0;
  for (let a = 0; a < A; a++) gmax = Math.max(gmax, Math.abs(g[a]));
  const tau = g instanceof Float32Array ? Math.fround(STRONG * gmax) : STRONG * gmax;
  if (!(tau > alpha)) return;
  for (let a = 0; a < A; a++) {
    if (!(nonneg ? g[a] > tau : Math.abs(g[a]) > tau)) continue;
    h[ro + a] = shrink(g[a], alpha, nonneg) * invDiag[a];
    const hn = h[ro + a];
    for (let j = 0; j < A; j++) g[j] -= hn * gram[a * A + j];
  }
}

/** See assembly/sparse.ts: sign-stable CD passes before each Newton step. */
const NEWTON_AFTER = 1;
const NEWTON_NONE = 0;
const NEWTON_PARTIAL = 1;
const NEWTON_FULL = 2;

/** The feature-sign Newton step on the packed active set: towards G_PP x = c_P − α·sign(h_P), up to the first sign change. */
function newtonStep(Gs: FloatArray, gs: FloatArray, hs: FloatArray, cs: FloatArray, rhs: FloatArray, M: FloatArray, k: number, alpha: number): number {
  const nz: number[] = [];
  for (let i = 0; i < k; i++) if (hs[i] !== 0) nz.push(i);
  const m = nz.length;
  if (m === 0) return NEWTON_NONE;
  for (let p = 0; p < m; p++) {
    const i = nz[p];
    rhs[p] = cs[i] - (hs[i] > 0 ? alpha : -alpha);
    for (let q = 0; q <= p; q++) M[p * m + q] = Gs[i * k + nz[q]];
  }
  const Mm = M.subarray(0, m * m);
  if (cholesky(Mm, m) !== 0) return NEWTON_NONE;
  trsvLower(Mm, rhs, m);
  trsvLowerT(Mm, rhs, m);
  const f32 = hs instanceof Float32Array;
  const round = (v: number) => (f32 ? Math.fround(v) : v);
  let t = 1;
  let first = -1;
  for (let p = 0; p < m; p++) {
    const hi = hs[nz[p]], x = rhs[p];
    if (!(x * hi > 0)) {
      const tp = round(hi / (hi - x));
      if (tp < t) { t = tp; first = p; }
    }
  }
  for (let p = 0; p < m; p++) {
    const i = nz[p];
    const hi = hs[i];
    const hn = p === first ? 0 : t === 1 ? rhs[p] : round(hi + round(t * round(rhs[p] - hi)));
    const d = hi - hn;
    if (d !== 0) for (let j = 0; j < k; j++) gs[j] += d * Gs[i * k + j];
    hs[i] = hn;
  }
  return first < 0 ? NEWTON_FULL : NEWTON_PARTIAL;
}

/**
 * Coordinate descent with active sets and KKT scans for `rows` signals on the Gram matrix
 * (gram A×A, c and h rows×A; x2, gap, obj, iters per row), and Newton steps on sign-stable
 * supports. work: 2A² + 11A elements.
 */
export function lassoCD(gram: FloatArray, c: FloatArray, h: FloatArray, x2: Float64Array, gap: Float64Array, obj: Float64Array,
  iters: Float64Array, work: FloatArray, rows: number, A: number, alpha: number, tol: number, maxIter: number, positive: number): void {
  const nonneg = positive !== 0;
  const g = work.subarray(0, A);
  const hs = work.subarray(A, 2 * A);
  const h0 = work.subarray(2 * A, 3 * A);
  const gs = work.subarray(3 * A, 4 * A);
  const act = new Int32Array(A);
  const cs = work.subarray(4 * A, 5 * A);
  const inv = work.subarray(5 * A, 6 * A);
  const rhs = work.subarray(6 * A, 7 * A);
  const Gs = work.subarray(9 * A, 9 * A + A * A);
  const M = work.subarray(9 * A + A * A, 9 * A + 2 * A * A);
  const invDiag = work.subarray(10 * A + 2 * A * A, 11 * A + 2 * A * A);
  for (let a = 0; a < A; a++) invDiag[a] = 1 / gram[a * A + a];
  for (let r = 0; r < rows; r++) {
    const ro = r * A;
    const xx = x2[r];
    const tolGap = tol * xx;
    for (let a = 0; a < A; a++) g[a] = c[ro + a];
    let cold = true;
    for (let a = 0; a < A; a++) {
      const ha = h[ro + a];
      if (ha !== 0) {
        for (let j = 0; j < A; j++) g[j] -= ha * gram[a * A + j];
        cold = false;
      }
    }
    if (cold) strongSweep(gram, g, h, ro, invDiag, A, alpha, nonneg);
    let k = 0;
    for (let a = 0; a < A; a++) {
      const gaa = gram[a * A + a];
      const ha = h[ro + a];
      h[ro + a] = shrink(g[a] + gaa * ha, alpha, nonneg) * invDiag[a];
      const hn = h[ro + a];
      if (hn !== ha) for (let j = 0; j < A; j++) g[j] += (ha - hn) * gram[a * A + j];
      if (hn !== 0) act[k++] = a;
    }
    let it = 1;
    gapOf(h, ro, c, ro, g, 0, A, xx, alpha, nonneg, false, gap, obj, r);
    while (!(gap[r] <= tolGap) && it < maxIter && k > 0) {
      for (let i = 0; i < k; i++) {
        hs[i] = h0[i] = h[ro + act[i]];
        gs[i] = g[act[i]];
        cs[i] = c[ro + act[i]];
        inv[i] = invDiag[act[i]];
        for (let j = 0; j < k; j++) Gs[i * k + j] = gram[act[i] * A + act[j]];
      }
      let stable = 0;
      for (;;) {
        let maxW = 0;
        let flips = 0;
        for (let i = 0; i < k; i++) {
          const gii = Gs[i * k + i];
          const hi = hs[i];
          hs[i] = shrink(gs[i] + gii * hi, alpha, nonneg) * inv[i];
          const hn = hs[i];
          if (hn !== hi) {
            const d = hi - hn;
            for (let j = 0; j < k; j++) gs[j] += d * Gs[i * k + j];
            maxW = Math.max(maxW, gii * d * d);
            if ((hn > 0) !== (hi > 0) || (hn < 0) !== (hi < 0)) flips++;
          }
        }
        it++;
        if (maxW === 0 || it >= maxIter) break;
        gapOf(hs, 0, cs, 0, gs, 0, k, xx, alpha, nonneg, false, gap, obj, r);
        if (gap[r] <= tolGap) break;
        stable = flips === 0 ? stable + 1 : 0;
        if (stable >= NEWTON_AFTER) {
          stable = 0;
          let step = NEWTON_PARTIAL;
          while (step === NEWTON_PARTIAL && it < maxIter) {
            step = newtonStep(Gs, gs, hs, cs, rhs, M, k, alpha);
            if (step !== NEWTON_NONE) it++;
          }
          if (step !== NEWTON_NONE) {
            gapOf(hs, 0, cs, 0, gs, 0, k, xx, alpha, nonneg, false, gap, obj, r);
            if (gap[r] <= tolGap || it >= maxIter) break;
          }
        }
      }
      for (let i = 0; i < k; i++) {
        const d = h0[i] - hs[i];
        if (d !== 0) for (let j = 0; j < A; j++) g[j] += d * gram[act[i] * A + j];
        h[ro + act[i]] = hs[i];
      }
      gapOf(h, ro, c, ro, g, 0, A, xx, alpha, nonneg, false, gap, obj, r);
      if (gap[r] <= tolGap || it >= maxIter) break;
      k = 0;
      for (let a = 0; a < A; a++) {
        if (h[ro + a] !== 0 || (nonneg ? g[a] > alpha : Math.abs(g[a]) > alpha)) act[k++] = a;
      }
    }
    iters[r] = it;
  }
}

/** Z = S_thr(Y − step·(QY − C)) over n elements (thr = α·step). */
export function proxGrad(y: FloatArray, qy: FloatArray, c: FloatArray, z: FloatArray, n: number, step: number, thr: number, positive: number): void {
  for (let i = 0; i < n; i++) z[i] = shrink(y[i] - step * (qy[i] - c[i]), thr, positive !== 0);
}

/**
 * Per row: objective and gap of Z (Q = ZG), FISTA momentum with adaptive restart (or β = 0 for
 * ISTA), Y = Z + β(Z − Zprev), QY = Q + β(Q − Qprev).
 */
export function fistaMomentum(z: FloatArray, zPrev: FloatArray, q: FloatArray, qPrev: FloatArray, c: FloatArray, y: FloatArray,
  qy: FloatArray, x2: Float64Array, t: Float64Array, obj: Float64Array, gap: Float64Array, rows: number, A: number, alpha: number,
  momentum: number, positive: number): void {
  const f32 = z instanceof Float32Array;
  for (let r = 0; r < rows; r++) {
    const ro = r * A;
    const before = obj[r];
    gapOf(z, ro, c, ro, q, ro, A, x2[r], alpha, positive !== 0, true, gap, obj, r);
    let beta = 0;
    if (momentum !== 0) {
      if (obj[r] > before) t[r] = 1;
      else {
        const tn = 0.5 * (1 + Math.sqrt(1 + 4 * t[r] * t[r]));
        beta = (t[r] - 1) / tn;
        t[r] = tn;
      }
    }
    if (f32) beta = Math.fround(beta);
    for (let a = 0; a < A; a++) {
      const zi = z[ro + a], qi = q[ro + a];
      y[ro + a] = beta === 0 ? zi : zi + beta * (zi - zPrev[ro + a]);
      qy[ro + a] = beta === 0 ? qi : qi + beta * (qi - qPrev[ro + a]);
    }
  }
}

/** See assembly/sparse.ts: A_kk at or below this marks an unused atom. */
const UNUSED_ATOM = 1e-6;

/**
 * One block-coordinate pass over the atoms of V (K×F) for the surrogate with A (K×K) and
 * Bt (K×F): V_k ← proj_{‖·‖≤1}(clip(V_k + (Bt_k − A_k·V)/A_kk)); norms[k] = ‖V_k‖ or −1 (unused).
 */
export function dictionaryUpdate(v: FloatArray, a: FloatArray, bt: FloatArray, norms: Float64Array, work: FloatArray, K: number,
  F: number, positive: number): void {
  for (let k = 0; k < K; k++) {
    const akk = a[k * K + k];
    if (!(akk > UNUSED_ATOM)) { norms[k] = -1; continue; }
    for (let j = 0; j < F; j++) {
      let s = 0;
      for (let i = 0; i < K; i++) s += a[k * K + i] * v[i * F + j];
      work[j] = s;
    }
    let nn = 0;
    for (let j = 0; j < F; j++) {
      let x = v[k * F + j] + (bt[k * F + j] - work[j]) / akk;
      if (positive !== 0 && x < 0) x = 0;
      v[k * F + j] = x;
      nn += v[k * F + j] * v[k * F + j];
    }
    let norm = Math.sqrt(nn);
    if (norm > 1) {
      for (let j = 0; j < F; j++) v[k * F + j] /= norm;
      norm = 1;
    }
    norms[k] = norm;
  }
}
