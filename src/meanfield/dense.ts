/** Small dense linear algebra in plain TypeScript for the n × n and m × n model parameters. */
import { ValueError } from '../runtime/errors.js';

/** Lower Cholesky factor of a symmetric positive definite n × n matrix (a copy); null if not PD. */
export function cholesky(A: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** The Cholesky factor, or a ValueError naming `what` when the matrix is not positive definite. */
export function choleskyOrThrow(A: ArrayLike<number>, n: number, what: string): Float64Array {
  const L = cholesky(A, n);
  if (!L) throw new ValueError(`${what} is not positive definite`);
  return L;
}

/** Solves L Lᵀ x = b in place (L lower, n × n). */
export function cholSolve(L: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * b[k];
    b[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[k];
    b[i] = s / L[i * n + i];
  }
  return b;
}

/** (L Lᵀ)⁻¹ as a dense n × n matrix. */
export function cholInverse(L: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    cholSolve(L, e, n);
    for (let i = 0; i < n; i++) inv[i * n + j] = e[i];
  }
  return inv;
}

/** log det(L Lᵀ) = 2 Σ log L_ii. */
export function cholLogDet(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]);
  return 2 * s;
}

/**
 * X = B S⁻¹ for an m × n B and a symmetric positive semi-definite n × n S (the M-step solve
 * W = Σ v E[h]ᵀ (Σ E[hhᵀ])⁻¹). A latent unit that is never on makes S singular: a ridge of
 * 1e-10·trace/n, then growing, is added until the factorisation succeeds.
 */
export function solveRight(B: Float64Array, S: Float64Array, m: number, n: number): Float64Array {
  let L = cholesky(S, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += S[i * n + i];
  let ridge = 1e-10 * (trace / n || 1);
  while (!L) {
    const R = Float64Array.from(S);
    for (let i = 0; i < n; i++) R[i * n + i] += ridge;
    L = cholesky(R, n);
    ridge *= 10;
  }
  const X = new Float64Array(m * n);
  const row = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) row[i] = B[k * n + i];
    cholSolve(L, row, n);
    X.set(row, k * n);
  }
  return X;
}

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

export const LOG_2PI = Math.log(2 * Math.PI);
