/**
 * Plain-TypeScript twins of assembly/incomplete.ts (rows with missing entries), in the direct
 * form of EM for incomplete data: per row and component, d = x_o − μ_o, v = Λ_mm⁻¹ Λ_mo d by two
 * triangular solves, the residual e = (d, −v) and its Mahalanobis term ‖Pᵀ e‖², S = Λ_mm⁻¹ column
 * by column. The twin of incompleteLogProb reads x and mu where the kernel reads its projections
 * y = x·P_all and c_k = P_kᵀ μ_k (proj, c and the scratch g are not read): a test of the two
 * checks the kernel's identity Pᵀ (x̂ − μ) = z + P_m,:ᵀ x̂_m as well as its arithmetic.
 */
import { cholesky, trsvLower, trsvLowerT } from './linalg.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * out[n,k] = log w_k N(x_o | μ_k,o, Σ_k,oo) (log w_k when nothing is observed); xhat at
 * (k·rows + n)·D the row completed by its conditional mean under k (μ_k when nothing is
 * observed); cond: S = Λ_k,mm⁻¹ (lower triangle, upper 0) at K·Σ_{n' < n} Dm_n'² + k·Dm²;
 * halfLogDetS[n,k] = ½ log |S|. Returns 0, or n + 1 for the first row whose Λ_k,mm is not
 * positive definite.
 */
export function incompleteLogProb(proj: Float64Array, pAll: Float64Array, c: Float64Array, mu: Float64Array, lambda: Float64Array,
  logW: Float64Array, logDetP: Float64Array, misStart: Int32Array, misIdx: Int32Array, x: Float64Array, out: Float64Array,
  xhat: Float64Array, cond: Float64Array, halfLogDetS: Float64Array, g: Float64Array, rows: number, K: number, D: number, shared: number): number {
  void proj, c, g;
  const ld = shared ? D : K * D;
  let condOff = 0;
  for (let n = 0; n < rows; n++) {
    const mis = Array.from(misIdx.subarray(misStart[n], misStart[n + 1]));
    const missing = new Set(mis);
    const obs = Array.from({ length: D }, (_, d) => d).filter((d) => !missing.has(d));
    const Dm = mis.length, Do = obs.length;
    for (let k = 0; k < K; k++) {
      const ck = shared ? 0 : k;
      const P = (i: number, j: number) => pAll[i * ld + ck * D + j];
      const L = (i: number, j: number) => lambda[ck * D * D + i * D + j];
      const e = new Float64Array(D);
      for (const d of obs) e[d] = x[n * D + d] - mu[k * D + d];
      const S = new Float64Array(Dm * Dm);
      let h = 0;
      if (Dm > 0) {
        const A = new Float64Array(Dm * Dm);
        for (let a = 0; a < Dm; a++) for (let b = 0; b <= a; b++) A[a * Dm + b] = L(mis[a], mis[b]);
        if (cholesky(A, Dm) !== 0) return n + 1;
        for (let a = 0; a < Dm; a++) h -= Math.log(A[a * Dm + a]);
        const v = new Float64Array(Dm);
        for (let a = 0; a < Dm; a++) for (const d of obs) v[a] += L(mis[a], d) * e[d];
        trsvLower(A, v, Dm);
        trsvLowerT(A, v, Dm);
        for (let a = 0; a < Dm; a++) e[mis[a]] = -v[a];
        for (let b = 0; b < Dm; b++) {
          const col = new Float64Array(Dm);
          col[b] = 1;
          trsvLower(A, col, Dm);
          trsvLowerT(A, col, Dm);
          for (let a = b; a < Dm; a++) S[a * Dm + b] = col[a];
        }
      }
      let q = 0;
      for (let j = 0; j < D; j++) {
        let t = 0;
        for (let i = 0; i < D; i++) t += e[i] * P(i, j);
        q += t * t;
      }
      out[n * K + k] = Do === 0 ? logW[k] : logW[k] + logDetP[k] - Do * HALF_LOG_2PI + h - 0.5 * q;
      halfLogDetS[n * K + k] = h;
      cond.set(S, condOff + k * Dm * Dm);
      const o = (k * rows + n) * D;
      for (let d = 0; d < D; d++) xhat[o + d] = missing.has(d) ? mu[k * D + d] + e[d] : x[n * D + d];
    }
    condOff += K * Dm * Dm;
  }
  return 0;
}

/**
 * Adds per component k: sumResp[k] += Σ ρ, sumX[k] += Σ ρ x̂_nk, the lower triangle of
 * scatter[k] += Σ ρ [(x̂_nk − c_k)(x̂_nk − c_k)ᵀ + S_nk on the missing block], ρ = w_n r_nk
 * (w null: ρ = r). Returns Σ ρ (log r − ½ Dm (1 + log 2π) − ½ log |S_nk|) over ρ ≠ 0 when
 * entropy ≠ 0, else 0 (z and rho, the kernel's scratch, are not used).
 */
export function incompleteScatter(xhat: Float64Array, resp: Float64Array, w: Float64Array | null, centres: Float64Array, cond: Float64Array,
  misStart: Int32Array, misIdx: Int32Array, halfLogDetS: Float64Array, sumResp: Float64Array, sumX: Float64Array, scatter: Float64Array,
  z: Float64Array, rho: Float64Array, rows: number, K: number, D: number, entropy: number): number {
  void z, rho;
  let ent = 0;
  for (let k = 0; k < K; k++) {
    let condOff = 0;
    for (let n = 0; n < rows; n++) {
      const mis = misIdx.subarray(misStart[n], misStart[n + 1]);
      const Dm = mis.length;
      const r = resp[n * K + k];
      const p = w ? w[n] * r : r;
      sumResp[k] += p;
      const o = (k * rows + n) * D;
      for (let a = 0; a < D; a++) {
        sumX[k * D + a] += p * xhat[o + a];
        const da = xhat[o + a] - centres[k * D + a];
        for (let b = 0; b <= a; b++) scatter[k * D * D + a * D + b] += p * da * (xhat[o + b] - centres[k * D + b]);
      }
      const S = condOff + k * Dm * Dm;
      for (let a = 0; a < Dm; a++) for (let b = 0; b <= a; b++) scatter[k * D * D + mis[a] * D + mis[b]] += p * cond[S + a * Dm + b];
      if (entropy && p !== 0) ent += p * (Math.log(r) - (Dm > 0 ? 0.5 * Dm * (1 + 2 * HALF_LOG_2PI) + halfLogDetS[n * K + k] : 0));
      condOff += K * Dm * Dm;
    }
  }
  return ent;
}

/**
 * Diag and spherical: out[n,k] = log w_k − ½ Σ_{d observed} (log 2π + log σ²_kd + (x_d − μ_kd)²/σ²_kd)
 * (log w_k when nothing is observed), x̂_nk (μ_kd at the missing entries) at (k·rows + n)·D,
 * halfLogDetS[n,k] = ½ Σ_{d missing} log σ²_kd; σ² = 1/precT and log σ² from logVarT (D × ldk).
 */
export function incompleteDiagLogProb(x: Float64Array, meansT: Float64Array, precT: Float64Array, logVarT: Float64Array, logW: Float64Array,
  misStart: Int32Array, misIdx: Int32Array, out: Float64Array, xhat: Float64Array, halfLogDetS: Float64Array, acc: Float64Array,
  rows: number, K: number, D: number, ldk: number): void {
  void acc;
  for (let n = 0; n < rows; n++) {
    const missing = new Set(misIdx.subarray(misStart[n], misStart[n + 1]));
    for (let k = 0; k < K; k++) {
      let q = 0, logDetObs = 0, logDetMis = 0;
      for (let d = 0; d < D; d++) {
        const t = x[n * D + d] - meansT[d * ldk + k];
        if (missing.has(d)) logDetMis += logVarT[d * ldk + k];
        else {
          q += t * t * precT[d * ldk + k];
          logDetObs += logVarT[d * ldk + k];
        }
        xhat[(k * rows + n) * D + d] = missing.has(d) ? meansT[d * ldk + k] : x[n * D + d];
      }
      const Do = D - missing.size;
      out[n * K + k] = Do === 0 ? logW[k] : logW[k] - Do * HALF_LOG_2PI - 0.5 * logDetObs - 0.5 * q;
      halfLogDetS[n * K + k] = 0.5 * logDetMis;
    }
  }
}

/**
 * Diag and spherical: adds per component k sumResp[k] += Σ ρ, s1[k,d] += Σ ρ (x̂_nkd − c_kd),
 * s2[k,d] += Σ ρ ((x̂_nkd − c_kd)² + [d missing] σ²_kd), ρ = w_n r_nk (w null: ρ = r). Returns
 * Σ ρ (log r − ½ Dm (1 + log 2π) − ½ log |S_nk|) over ρ ≠ 0 when entropy ≠ 0, else 0.
 */
export function incompleteDiagScatter(xhat: Float64Array, resp: Float64Array, w: Float64Array | null, centres: Float64Array, variance: Float64Array,
  misStart: Int32Array, misIdx: Int32Array, halfLogDetS: Float64Array, sumResp: Float64Array, s1: Float64Array, s2: Float64Array,
  rho: Float64Array, rows: number, K: number, D: number, entropy: number): number {
  void rho;
  let ent = 0;
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < rows; n++) {
      const missing = new Set(misIdx.subarray(misStart[n], misStart[n + 1]));
      const r = resp[n * K + k];
      const p = w ? w[n] * r : r;
      sumResp[k] += p;
      for (let d = 0; d < D; d++) {
        const t = xhat[(k * rows + n) * D + d] - centres[k * D + d];
        s1[k * D + d] += p * t;
        s2[k * D + d] += p * (t * t + (missing.has(d) ? variance[k * D + d] : 0));
      }
      if (entropy && p !== 0) ent += p * (Math.log(r) - (missing.size > 0 ? 0.5 * missing.size * (1 + 2 * HALF_LOG_2PI) + halfLogDetS[n * K + k] : 0));
    }
  }
  return ent;
}

/**
 * Tied: gram += Σ_n [Σ_k ρ_nk (x̂_nk x̂_nkᵀ + S_n on the missing block) − w_n x̃_n x̃_nᵀ] (both
 * triangles; S_n from cond's slot of component 0), sumResp[k] += Σ ρ, sumX[k] += Σ ρ x̂_nk
 * (ρ = w_n r_nk, w null: ρ = r). Returns the entropy as incompleteScatter.
 */
export function incompleteTiedGram(x: Float64Array, xhat: Float64Array, resp: Float64Array, w: Float64Array | null, cond: Float64Array,
  misStart: Int32Array, misIdx: Int32Array, halfLogDetS: Float64Array, sumResp: Float64Array, sumX: Float64Array, gram: Float64Array,
  rho: Float64Array, rows: number, K: number, D: number, entropy: number): number {
  void rho;
  let ent = 0, condOff = 0;
  for (let n = 0; n < rows; n++) {
    const mis = misIdx.subarray(misStart[n], misStart[n + 1]);
    const Dm = mis.length;
    const wn = w ? w[n] : 1;
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) gram[a * D + b] -= wn * x[n * D + a] * x[n * D + b];
    for (let a = 0; a < Dm; a++) {
      for (let b = 0; b < Dm; b++) {
        const s = a >= b ? cond[condOff + a * Dm + b] : cond[condOff + b * Dm + a];
        gram[mis[a] * D + mis[b]] += wn * s;
      }
    }
    for (let k = 0; k < K; k++) {
      const r = resp[n * K + k];
      const p = w ? w[n] * r : r;
      sumResp[k] += p;
      const o = (k * rows + n) * D;
      for (let a = 0; a < D; a++) {
        sumX[k * D + a] += p * xhat[o + a];
        for (let b = 0; b < D; b++) gram[a * D + b] += p * xhat[o + a] * xhat[o + b];
      }
      if (entropy && p !== 0) ent += p * (Math.log(r) - (Dm > 0 ? 0.5 * Dm * (1 + 2 * HALF_LOG_2PI) + halfLogDetS[n * K + k] : 0));
    }
    condOff += K * Dm * Dm;
  }
  return ent;
}
