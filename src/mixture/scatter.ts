/**
 * Centred scatters from accumulations about other points, and when to trust them. The engines
 * accumulate in one pass about fixed centres c (the E-step's means) or, for tied, about the
 * origin; the scatter about the new means m follows from an exact identity,
 * Σ r (x − m)(x − m)ᵀ = Σ r (x − c)(x − c)ᵀ − n (m − c)(m − c)ᵀ, whose subtraction loses
 * log2(first term / result) bits. Each function says whether the loss stayed below
 * CANCELLATION_LIMIT; if not, the engine recomputes the scatter directly about m.
 */
import { CANCELLATION_LIMIT } from './engine.js';

/** m_k = Σ r x / Σ r per component (0 for an empty component), K × D. */
export function componentMeans(sumX: Float64Array, sumResp: Float64Array, D: number): Float64Array {
  return sumX.map((v, i) => {
    const n = sumResp[Math.floor(i / D)];
    return n > 0 ? v / n : 0;
  });
}

/**
 * Full: S holds the lower triangles of Σ r (x − c_k)(x − c_k)ᵀ (K·D·D); shifts them in place to
 * the means sumX_k / n_k (every quantity in the engine's frame) and mirrors them.
 */
export function shiftFullScatter(S: Float64Array, sumResp: Float64Array, sumX: Float64Array, c: Float64Array, K: number, D: number): { exact: boolean } {
  let exact = true;
  for (let k = 0; k < K; k++) {
    const n = sumResp[k], o = k * D * D;
    for (let i = 0; i < D; i++) {
      const di = n > 0 ? sumX[k * D + i] / n - c[k * D + i] : 0;
      for (let j = 0; j <= i; j++) {
        const dj = n > 0 ? sumX[k * D + j] / n - c[k * D + j] : 0;
        const v = S[o + i * D + j] - n * di * dj;
        if (i === j && S[o + i * D + i] > CANCELLATION_LIMIT * v) exact = false;
        S[o + i * D + j] = v;
        S[o + j * D + i] = v;
      }
    }
  }
  return { exact };
}

/**
 * Diag and spherical: from s1 = Σ r (x − c) and s2 = Σ r (x − c)² (K × D), Σ r (x − o) =
 * s1 + n·c and the scatter about the mean, s2 − s1²/n.
 */
export function shiftDiagScatter(s1: Float64Array, s2: Float64Array, sumResp: Float64Array, c: Float64Array, K: number, D: number): { sumX: Float64Array; sumXX: Float64Array; exact: boolean } {
  const sumX = new Float64Array(K * D), sumXX = new Float64Array(K * D);
  let exact = true;
  for (let k = 0; k < K; k++) {
    const n = sumResp[k];
    for (let d = 0; d < D; d++) {
      const i = k * D + d;
      sumX[i] = s1[i] + n * c[i];
      sumXX[i] = n > 0 ? Math.max(0, s2[i] - (s1[i] * s1[i]) / n) : 0;
      if (s2[i] > CANCELLATION_LIMIT * sumXX[i]) exact = false;
    }
  }
  return { sumX, sumXX, exact };
}

/**
 * Tied: Σ_k Σ_n r_nk (x − m_k)(x − m_k)ᵀ = Σ_n x xᵀ − Σ_k (Σ r x)(Σ r x)ᵀ / n_k from the Gram
 * matrix G (D × D) of the centred data, exact while the means are not far apart against the
 * spread (judged on the traces).
 */
export function tiedScatterFromGram(G: Float64Array, sumResp: Float64Array, sumX: Float64Array, K: number, D: number): { sumXX: Float64Array; exact: boolean } {
  const W = G.slice();
  let traceG = 0, traceW = 0;
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      let m2 = 0;
      for (let k = 0; k < K; k++) if (sumResp[k] > 0) m2 += (sumX[k * D + i] * sumX[k * D + j]) / sumResp[k];
      W[i * D + j] -= m2;
    }
    traceG += G[i * D + i];
    traceW += W[i * D + i];
  }
  return { sumXX: W, exact: traceG <= CANCELLATION_LIMIT * traceW };
}
