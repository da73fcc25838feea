/** Plain-TypeScript twins of assembly/sparse.ts. */
import type { FloatArray } from '../runtime/matrix.js';

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

/** See assembly/sparse.ts: the settling fraction of an active-set phase. */
const SETTLE = 0.25;

/**
 * Coordinate descent with active sets for `rows` signals on the Gram matrix (gram A×A, c and h
 * rows×A; x2, gap, obj, iters per row). work: A² + 5A elements.
 */
export function lassoCD(gram: FloatArray, c: FloatArray, h: FloatArray, x2: Float64Array, gap: Float64Array, obj: Float64Array,
  iters: Float64Array, work: FloatArray, rows: number, A: number, alpha: number, tol: number, maxIter: number, positive: number): void {
  const nonneg = positive !== 0;
  const g = work.subarray(0, A);
  const hs = work.subarray(A, 2 * A);
  const h0 = work.subarray(2 * A, 3 * A);
  const gs = work.subarray(3 * A, 4 * A);
  const act = new Int32Array(A);
  const Gs = work.subarray(5 * A, 5 * A + A * A);
  for (let r = 0; r < rows; r++) {
    const ro = r * A;
    const xx = x2[r];
    const tolGap = tol * xx;
    for (let a = 0; a < A; a++) g[a] = c[ro + a];
    for (let a = 0; a < A; a++) {
      const ha = h[ro + a];
      if (ha !== 0) for (let j = 0; j < A; j++) g[j] -= ha * gram[a * A + j];
    }
    let it = 0;
    for (;;) {
      let k = 0;
      for (let a = 0; a < A; a++) {
        const gaa = gram[a * A + a];
        const ha = h[ro + a];
        h[ro + a] = shrink(g[a] + gaa * ha, alpha, nonneg) / gaa;
        const hn = h[ro + a];
        if (hn !== ha) for (let j = 0; j < A; j++) g[j] += (ha - hn) * gram[a * A + j];
        if (hn !== 0) act[k++] = a;
      }
      it++;
      gapOf(h, ro, c, ro, g, 0, A, xx, alpha, nonneg, false, gap, obj, r);
      if (gap[r] <= tolGap || it >= maxIter || k === 0) break;
      for (let i = 0; i < k; i++) {
        hs[i] = h0[i] = h[ro + act[i]];
        gs[i] = g[act[i]];
        for (let j = 0; j < k; j++) Gs[i * k + j] = gram[act[i] * A + act[j]];
      }
      for (;;) {
        let maxW = 0;
        for (let i = 0; i < k; i++) {
          const gii = Gs[i * k + i];
          const hi = hs[i];
          hs[i] = shrink(gs[i] + gii * hi, alpha, nonneg) / gii;
          const hn = hs[i];
          if (hn !== hi) {
            const d = hi - hn;
            for (let j = 0; j < k; j++) gs[j] += d * Gs[i * k + j];
            maxW = Math.max(maxW, gii * d * d);
          }
        }
        it++;
        if (maxW === 0 || maxW * k <= SETTLE * tolGap || it >= maxIter) break;
      }
      for (let i = 0; i < k; i++) {
        const d = h0[i] - hs[i];
        if (d !== 0) for (let j = 0; j < A; j++) g[j] += d * gram[act[i] * A + j];
        h[ro + act[i]] = hs[i];
      }
      if (it >= maxIter) {
        gapOf(h, ro, c, ro, g, 0, A, xx, alpha, nonneg, false, gap, obj, r);
        break;
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
