/**
 * The factorial HMM's math (Ghahramani & Jordan 1997): M chains of K states whose one-hot states
 * s_t^(m) set the mean Σ_m W^(m) s_t^(m) of a Gaussian with shared covariance C. Exact inference
 * over the K^M joint states (a dense joint chain, through the same forward-backward kernels),
 * structured mean-field (each chain an HMM given the others' expectations: GJ eq. 12), the
 * evidence lower bound in closed form, and the M-step from expected statistics (GJ appendix A).
 */
import { ValueError } from '../runtime/errors.js';
import type { Matrix } from '../runtime/matrix.js';
import { precisionCholeskyFromCovariance, precisionsFromCholesky } from '../mixture/gaussian.js';
import type { Buffer } from '../runtime/memory.js';
import { forwardBackward, type ChainEngine } from './chain.js';
import { GaussianLogDensity, gaussianLogDensitiesReference } from './emission-gaussian.js';

const LOG_2PI = Math.log(2 * Math.PI);
/** Eigenvalues below this fraction of the largest count as zero in the pseudo-inverse. */
const PINV_RTOL = 1e-10;

/** Parameters: W (D × M·K, column m·K + k is W^(m)'s column k), C (D × D), π^(m) (M × K), P^(m) (M × K × K). */
export interface FactorialParams {
  M: number;
  K: number;
  D: number;
  W: Float64Array;
  C: Float64Array;
  startProb: Float64Array;
  transMat: Float64Array;
}

/** Expected sufficient statistics of an E-step (exact or variational). */
export interface FactorialStats {
  n: number;
  sumYY: Float64Array;
  sumYS: Float64Array;
  sumSS: Float64Array;
  start: Float64Array;
  trans: Float64Array;
}

/** C⁻¹ and log det C, with an error naming C when it is not positive definite. */
export function precisionOf(C: Float64Array, D: number): { Lambda: Float64Array; logDet: number } {
  let P: Float64Array;
  try {
    P = precisionCholeskyFromCovariance(C, 'tied', 1, D);
  } catch {
    throw new ValueError('the covariance C is not positive definite: increase minCovar or check the data for constant features');
  }
  let logDetP = 0;
  for (let i = 0; i < D; i++) logDetP += Math.log(Math.abs(P[i * D + i]));
  return { Lambda: precisionsFromCholesky(P, 'tied', 1, D), logDet: -2 * logDetP };
}

/** G = WᵀΛW (MK × MK) and ΛW (D × MK). */
function gram(p: FactorialParams, Lambda: Float64Array): { G: Float64Array; LW: Float64Array } {
  const { D, M, K, W } = p;
  const J = M * K;
  const LW = new Float64Array(D * J), G = new Float64Array(J * J);
  for (let i = 0; i < D; i++) for (let j = 0; j < J; j++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += Lambda[i * D + d] * W[d * J + j];
    LW[i * J + j] = s;
  }
  for (let a = 0; a < J; a++) for (let b = 0; b < J; b++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += W[d * J + a] * LW[d * J + b];
    G[a * J + b] = s;
  }
  return { G, LW };
}

/** The state of structured mean-field: each chain's marginals ⟨s_t^(m)⟩ (N × K), log-potentials and log Z. */
export interface MeanField {
  marginals: Float64Array[];
  logH: Float64Array[];
  logZ: Float64Array;
  transitionCounts: Float64Array[];
}

/** Uniform marginals: the start of mean-field on new data. */
export function uniformMeanField(M: number, K: number, N: number): MeanField {
  return {
    marginals: Array.from({ length: M }, () => new Float64Array(N * K).fill(1 / K)),
    logH: Array.from({ length: M }, () => new Float64Array(N * K)),
    logZ: new Float64Array(M),
    transitionCounts: Array.from({ length: M }, () => new Float64Array(K * K)),
  };
}

/**
 * One structured mean-field sweep, chain by chain, each update the exact optimum of q_m given the
 * other chains (so the bound never decreases). GJ eq. 12: log h_t^(m) = W^(m)ᵀΛ(y_t − Σ_{l≠m}
 * W^(l)⟨s_t^(l)⟩) − ½ diag(W^(m)ᵀΛW^(m)); then ⟨s^(m)⟩ by forward-backward with emission
 * log-potentials log h^(m). Returns the bound after the sweep.
 */
export function meanFieldSweep(p: FactorialParams, X: Matrix, lengths: Int32Array, q: MeanField, engine: ChainEngine): number {
  const { D, M, K } = p;
  const J = M * K, N = X.rows;
  const { Lambda, logDet } = precisionOf(p.C, D);
  const { G, LW } = gram(p, Lambda);
  const R = residuals(p, X, q);
  for (let m = 0; m < M; m++) {
    const logH = q.logH[m], sm = q.marginals[m];
    for (let t = 0; t < N; t++) {
      for (let k = 0; k < K; k++) {
        // (R_t + W^(m)⟨s^(m)⟩)ᵀ ΛW^(m)_k: the residual without chain m's own contribution.
        let s = 0;
        for (let d = 0; d < D; d++) {
          let own = 0;
          for (let c = 0; c < K; c++) own += p.W[d * J + m * K + c] * sm[t * K + c];
          s += (R[t * D + d] + own) * LW[d * J + m * K + k];
        }
        logH[t * K + k] = s - 0.5 * G[(m * K + k) * J + m * K + k];
      }
    }
    const fb = forwardBackward({
      logB: logH, lengths, startProb: p.startProb.subarray(m * K, (m + 1) * K), transMat: p.transMat.subarray(m * K * K, (m + 1) * K * K), K,
    }, { posteriors: true, transitionCounts: true }, engine);
    const next = fb.posteriors as Float64Array;
    for (let t = 0; t < N; t++) for (let d = 0; d < D; d++) {
      let delta = 0;
      for (let c = 0; c < K; c++) delta += p.W[d * J + m * K + c] * (next[t * K + c] - sm[t * K + c]);
      R[t * D + d] -= delta;
    }
    sm.set(next);
    q.logZ[m] = fb.logProb;
    q.transitionCounts[m] = fb.transitionCounts as Float64Array;
  }
  return boundOf(p, X, q, Lambda, logDet, G, R);
}

/** R_t = y_t − Σ_m W^(m)⟨s_t^(m)⟩ (N × D). */
function residuals(p: FactorialParams, X: Matrix, q: MeanField): Float64Array {
  const { D, M, K } = p;
  const J = M * K, N = X.rows;
  const R = Float64Array.from(X.data);
  for (let t = 0; t < N; t++) for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) {
    const s = q.marginals[m][t * K + k];
    if (s !== 0) for (let d = 0; d < D; d++) R[t * D + d] -= p.W[d * J + m * K + k] * s;
  }
  return R;
}

/**
 * The bound L(q) = E_q[log p(Y, S)] + H(q). With q_m an HMM of potentials h^(m), the prior terms
 * of E_q log p cancel those of −E_q log q_m, leaving
 * L = Σ_m (log Z_m − Σ_t ⟨s_t^(m)⟩·log h_t^(m)) + Σ_t E_q[log N(y_t | Σ_m W^(m)s_t^(m), C)],
 * E_q[…] = −½(D log 2π + log|C| + R_tᵀΛR_t + Σ_m Σ_k ⟨s_k⟩G_kk − ⟨s⟩ᵀG⟨s⟩) per chain-block G of WᵀΛW.
 */
function boundOf(p: FactorialParams, X: Matrix, q: MeanField, Lambda: Float64Array, logDet: number, G: Float64Array, R: Float64Array): number {
  const { D, M, K } = p;
  const J = M * K, N = X.rows;
  let bound = 0;
  for (let m = 0; m < M; m++) {
    bound += q.logZ[m];
    const s = q.marginals[m], h = q.logH[m];
    for (let i = 0; i < N * K; i++) if (s[i] !== 0) bound -= s[i] * h[i];
  }
  for (let t = 0; t < N; t++) {
    let quad = 0;
    for (let i = 0; i < D; i++) {
      let v = 0;
      for (let j = 0; j < D; j++) v += Lambda[i * D + j] * R[t * D + j];
      quad += R[t * D + i] * v;
    }
    for (let m = 0; m < M; m++) {
      const s = q.marginals[m];
      for (let a = 0; a < K; a++) {
        const sa = s[t * K + a];
        quad += sa * G[(m * K + a) * J + m * K + a];
        for (let b = 0; b < K; b++) quad -= sa * s[t * K + b] * G[(m * K + a) * J + m * K + b];
      }
    }
    bound += -0.5 * (D * LOG_2PI + logDet + quad);
  }
  return bound;
}

/** Expected statistics under the mean-field q (chains independent: ⟨s^(m)s^(l)ᵀ⟩ = ⟨s^(m)⟩⟨s^(l)⟩ᵀ, m ≠ l). */
export function meanFieldStats(p: FactorialParams, X: Matrix, lengths: Int32Array, q: MeanField): FactorialStats {
  const { M, K } = p;
  const N = X.rows;
  const S = new Float64Array(N * M * K);
  for (let t = 0; t < N; t++) for (let m = 0; m < M; m++) S.set(q.marginals[m].subarray(t * K, (t + 1) * K), (t * M + m) * K);
  const stats = baseStats(p, X, lengths, S);
  for (let t = 0; t < N; t++) for (let m = 0; m < M; m++) for (let l = 0; l < M; l++) {
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) {
      const i = m * K + a, j = l * K + b;
      stats.sumSS[i * M * K + j] += m === l ? (a === b ? S[(t * M + m) * K + a] : 0) : S[(t * M + m) * K + a] * S[(t * M + l) * K + b];
    }
  }
  for (let m = 0; m < M; m++) stats.trans.set(q.transitionCounts[m], m * K * K);
  return stats;
}

/** n, Σyyᵀ, Σy⟨S⟩ᵀ and the start counts from per-row expectations S (N × MK); sumSS and trans are the caller's. */
function baseStats(p: FactorialParams, X: Matrix, lengths: Int32Array, S: Float64Array): FactorialStats {
  const { D, M, K } = p;
  const J = M * K, N = X.rows;
  const sumYY = new Float64Array(D * D), sumYS = new Float64Array(D * J), start = new Float64Array(M * K);
  for (let t = 0; t < N; t++) for (let i = 0; i < D; i++) {
    const yi = X.data[t * D + i];
    for (let j = 0; j < D; j++) sumYY[i * D + j] += yi * X.data[t * D + j];
    for (let j = 0; j < J; j++) sumYS[i * J + j] += yi * S[t * J + j];
  }
  let t0 = 0;
  for (const T of lengths) {
    for (let j = 0; j < J; j++) start[j] += S[t0 * J + j];
    t0 += T;
  }
  return { n: N, sumYY, sumYS, sumSS: new Float64Array(J * J), start, trans: new Float64Array(M * K * K) };
}

/** The joint chain over K^M states (chain 0 the fastest digit): π = Π_m π^(m), A = ⊗ P^(m), means Σ_m W^(m)_{:, j_m}. */
function jointChain(p: FactorialParams) {
  const { D, M, K } = p;
  const J = M * K, S = K ** M;
  const digit = (j: number, m: number) => Math.floor(j / K ** m) % K;
  const startProb = new Float64Array(S).fill(1), transMat = new Float64Array(S * S).fill(1), means = new Float64Array(S * D);
  for (let i = 0; i < S; i++) {
    for (let m = 0; m < M; m++) {
      startProb[i] *= p.startProb[m * K + digit(i, m)];
      for (let d = 0; d < D; d++) means[i * D + d] += p.W[d * J + m * K + digit(i, m)];
    }
    for (let j = 0; j < S; j++) for (let m = 0; m < M; m++) transMat[i * S + j] *= p.transMat[m * K * K + digit(i, m) * K + digit(j, m)];
  }
  return { S, digit, startProb, transMat, means };
}

/**
 * Exact inference over the K^M joint states: log p(Y), each chain's exact marginals (N × K per
 * chain) and, with `withStats`, the exact expected statistics for EM.
 */
export function exactInference(p: FactorialParams, X: Matrix, lengths: Int32Array, engine: ChainEngine, withStats: boolean) {
  const { D, M, K } = p;
  const N = X.rows;
  const { S, digit, startProb, transMat, means } = jointChain(p);
  const emission = { means: { data: means, rows: S, cols: D }, covariances: p.C, precisionsCholesky: precisionCholeskyFromCovariance(p.C, 'tied', 1, D) };
  const chain = (logB: Float64Array | Buffer) => forwardBackward({ logB, lengths, startProb, transMat, K: S }, { posteriors: true, transitionCounts: withStats }, engine);
  let fb: ReturnType<typeof chain>;
  if (engine === 'reference') fb = chain(gaussianLogDensitiesReference(X, 'tied', emission));
  else {
    // The densities stay in the density's wasm memory until the recursions have read them.
    const dens = new GaussianLogDensity(X, 'tied', S);
    try { fb = chain(dens.logDensities(emission)); } finally { dens.release(); }
  }
  const post = fb.posteriors as Float64Array;
  const marginals = Array.from({ length: M }, () => new Float64Array(N * K));
  for (let t = 0; t < N; t++) for (let j = 0; j < S; j++) for (let m = 0; m < M; m++) marginals[m][t * K + digit(j, m)] += post[t * S + j];
  if (!withStats) return { logProb: fb.logProb, marginals, stats: null };
  const J = M * K;
  const Srow = new Float64Array(N * J);
  for (let t = 0; t < N; t++) for (let m = 0; m < M; m++) Srow.set(marginals[m].subarray(t * K, (t + 1) * K), t * J + m * K);
  const stats = baseStats(p, X, lengths, Srow);
  for (let t = 0; t < N; t++) for (let j = 0; j < S; j++) {
    const g = post[t * S + j];
    if (g === 0) continue;
    for (let m = 0; m < M; m++) for (let l = 0; l < M; l++) stats.sumSS[(m * K + digit(j, m)) * J + l * K + digit(j, l)] += g;
  }
  const xi = fb.transitionCounts as Float64Array;
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) for (let m = 0; m < M; m++) stats.trans[m * K * K + digit(i, m) * K + digit(j, m)] += xi[i * S + j];
  return { logProb: fb.logProb, marginals, stats };
}

/**
 * The M-step (GJ appendix A): W = Σ y⟨S⟩ᵀ (Σ⟨SSᵀ⟩)⁺, C = (Σ yyᵀ − W Σ⟨S⟩yᵀ)/n + minCovar·I,
 * π^(m) and P^(m) from the start and transition counts (a row without counts keeps its values).
 */
export function factorialMStep(p: FactorialParams, s: FactorialStats, minCovar: number, letters: string): FactorialParams {
  const { D, M, K } = p;
  const J = M * K;
  let W = p.W, C = p.C, startProb = p.startProb, transMat = p.transMat;
  if (letters.includes('w')) {
    const pinv = pseudoInverse(s.sumSS, J);
    W = new Float64Array(D * J);
    for (let d = 0; d < D; d++) for (let j = 0; j < J; j++) {
      let v = 0;
      for (let i = 0; i < J; i++) v += s.sumYS[d * J + i] * pinv[i * J + j];
      W[d * J + j] = v;
    }
  }
  if (letters.includes('c')) {
    C = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let j = 0; j <= i; j++) {
      // Symmetrised: W Σ⟨S⟩yᵀ is symmetric only at the exact optimum of W.
      let wy = 0;
      for (let a = 0; a < J; a++) wy += 0.5 * (W[i * J + a] * s.sumYS[j * J + a] + W[j * J + a] * s.sumYS[i * J + a]);
      const v = (s.sumYY[i * D + j] - wy) / s.n + (i === j ? minCovar : 0);
      C[i * D + j] = v;
      C[j * D + i] = v;
    }
  }
  if (letters.includes('s')) {
    startProb = new Float64Array(M * K);
    for (let m = 0; m < M; m++) {
      let tot = 0;
      for (let k = 0; k < K; k++) tot += s.start[m * K + k];
      for (let k = 0; k < K; k++) startProb[m * K + k] = s.start[m * K + k] / tot;
    }
  }
  if (letters.includes('t')) {
    transMat = new Float64Array(M * K * K);
    for (let r = 0; r < M * K; r++) {
      let tot = 0;
      for (let k = 0; k < K; k++) tot += s.trans[r * K + k];
      for (let k = 0; k < K; k++) transMat[r * K + k] = tot > 0 ? s.trans[r * K + k] / tot : p.transMat[r * K + k];
    }
  }
  return { ...p, W, C, startProb, transMat };
}

/** Moore-Penrose pseudo-inverse of a symmetric n × n matrix by cyclic Jacobi eigendecomposition. */
export function pseudoInverse(A: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(A), V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p * n + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) {
        const akp = a[k * n + p], akq = a[k * n + q];
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) {
        const apk = a[p * n + k], aqk = a[q * n + k];
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < n; k++) {
        const vkp = V[k * n + p], vkq = V[k * n + q];
        V[k * n + p] = c * vkp - s * vkq;
        V[k * n + q] = s * vkp + c * vkq;
      }
    }
  }
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(a[i * n + i]));
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const e = a[k * n + k];
    if (Math.abs(e) <= PINV_RTOL * max) continue;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += (V[i * n + k] * V[j * n + k]) / e;
  }
  return out;
}
