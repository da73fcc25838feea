/**
 * Binary sparse coding (Goodfellow et al. §19.4.1) as family math: p(h_i = 1) = σ(b_i),
 * p(v | h) = N(v; Wh, diag(β)⁻¹), W m × n. With h binary (h_i² = h_i),
 *
 *   log p(v, h) = c(v) + aᵀh + ½hᵀJh,  a = b + WᵀβV − ½ diag(C), J = −offdiag(C), C = WᵀβW,
 *   c(v) = −Σ_i softplus(b_i) − ½ Σ_k β_k v_k² + ½ Σ_k log β_k − (m/2) log 2π,
 *
 * the binary quadratic form of quadratic.ts.
 */
import { LOG_2PI, softplus, solveRight } from './dense.js';

export interface BscParams {
  /** m × n, row-major. */
  W: Float64Array;
  b: Float64Array;
  beta: Float64Array;
  m: number;
  n: number;
}

/** βW (m × n), the coupling J = −offdiag(WᵀβW) (n × n) and the bias shift b − ½ diag(WᵀβW). */
export function couplings(p: BscParams): { betaW: Float64Array; J: Float64Array; bias: Float64Array } {
  const { W, b, beta, m, n } = p;
  const betaW = new Float64Array(m * n);
  for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) betaW[k * n + i] = beta[k] * W[k * n + i];
  const J = new Float64Array(n * n);
  const bias = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let c = 0;
      for (let k = 0; k < m; k++) c += W[k * n + i] * betaW[k * n + j];
      if (i === j) bias[i] -= 0.5 * c;
      else J[i * n + j] = J[j * n + i] = -c;
    }
  }
  return { betaW, J, bias };
}

/** c(v) per row: the part of log p(v, h) that does not depend on h. */
export function rowConstants(p: BscParams, V: ArrayLike<number>, rows: number): Float64Array {
  const { b, beta, m, n } = p;
  let c0 = -0.5 * m * LOG_2PI;
  for (let i = 0; i < n; i++) c0 -= softplus(b[i]);
  for (let k = 0; k < m; k++) c0 += 0.5 * Math.log(beta[k]);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += beta[k] * V[r * m + k] ** 2;
    out[r] = c0 - 0.5 * s;
  }
  return out;
}

/** log p(v, h) from the definition (not the quadratic form), for one row of V and a binary h. */
export function logJointRow(p: BscParams, v: ArrayLike<number>, vOff: number, h: ArrayLike<number>, hOff: number): number {
  const { W, b, beta, m, n } = p;
  let s = -0.5 * m * LOG_2PI;
  for (let i = 0; i < n; i++) s += h[hOff + i] === 1 ? -softplus(-b[i]) : -softplus(b[i]);
  for (let k = 0; k < m; k++) {
    let wh = 0;
    for (let i = 0; i < n; i++) wh += W[k * n + i] * h[hOff + i];
    s += 0.5 * Math.log(beta[k]) - 0.5 * beta[k] * (v[vOff + k] - wh) ** 2;
  }
  return s;
}

/** The sufficient statistics of a mean-field E-step over N rows. */
export interface BscStats {
  N: number;
  /** Σ_r ĥ_r (n). */
  sumH: Float64Array;
  /** Σ_r ĥ_r ĥ_rᵀ (n × n). */
  HtH: Float64Array;
  /** Σ_r v_r ĥ_rᵀ (m × n). */
  VtH: Float64Array;
  /** Σ_r v_rk² (m). */
  sumV2: Float64Array;
}

/** Smallest prior probability the M-step sets (b = logit of it): keeps b finite. */
const MIN_PRIOR = 1e-10;
/** Smallest noise variance β⁻¹ the M-step sets, relative to the mean of v_k². */
const MIN_VARIANCE = 1e-10;

/**
 * The closed-form M-step from E_q[h] = ĥ and E_q[hhᵀ] = ĥĥᵀ + diag(ĥ(1 − ĥ)):
 * σ(b_i) = mean ĥ_i; W = (Σ v ĥᵀ)(Σ E[hhᵀ])⁻¹; β_k⁻¹ = mean of v_k² − W_k·(Σ v_k ĥ)/N (which is
 * E_q[(v_k − W_k h)²] averaged, at the new W).
 */
export function mStep(s: BscStats, m: number, n: number): BscParams {
  const { N, sumH, HtH, VtH, sumV2 } = s;
  const S = Float64Array.from(HtH);
  for (let i = 0; i < n; i++) S[i * n + i] += sumH[i] - HtH[i * n + i]; // Σ ĥ(1 − ĥ) = Σ ĥ − Σ ĥ²
  const W = solveRight(VtH, S, m, n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(sumH[i] / N, MIN_PRIOR), 1 - MIN_PRIOR);
    b[i] = Math.log(p) - Math.log1p(-p);
  }
  const beta = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let wv = 0;
    for (let i = 0; i < n; i++) wv += W[k * n + i] * VtH[k * n + i];
    const floor = MIN_VARIANCE * (sumV2[k] / N || 1);
    beta[k] = 1 / Math.max((sumV2[k] - wv) / N, floor);
  }
  return { W, b, beta, m, n };
}
