// Direct implementations used as oracles by the HMM tests: densities from their formulas, and
// every quantity of a short sequence by enumerating all K^T state paths.
import { Random } from '../../src/index.js';

export type CovType = 'full' | 'tied' | 'diag' | 'spherical';

/** Σ_k as a dense D × D matrix, from GaussianMixture's layout. */
export function denseCov(cov: ArrayLike<number>, type: CovType, k: number, D: number): number[][] {
  return Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => {
    if (type === 'full') return cov[k * D * D + i * D + j];
    if (type === 'tied') return cov[i * D + j];
    if (i !== j) return 0;
    return type === 'diag' ? cov[k * D + i] : cov[k];
  }));
}

/** log N(x | μ, Σ) by Gaussian elimination (no Cholesky: an independent route). */
export function logNormal(x: ArrayLike<number>, mu: ArrayLike<number>, S: number[][]): number {
  const D = x.length;
  const A = S.map((r, i) => [...r, x[i] - mu[i]]);
  let logDet = 0;
  for (let c = 0; c < D; c++) {
    logDet += Math.log(A[c][c]);
    for (let r = c + 1; r < D; r++) {
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= D; j++) A[r][j] -= f * A[c][j];
    }
  }
  const y = new Array(D).fill(0);
  for (let r = D - 1; r >= 0; r--) {
    let s = A[r][D];
    for (let j = r + 1; j < D; j++) s -= A[r][j] * y[j];
    y[r] = s / A[r][r];
  }
  let q = 0;
  for (let i = 0; i < D; i++) q += (x[i] - mu[i]) * y[i];
  return -0.5 * (D * Math.log(2 * Math.PI) + logDet + q);
}

/** Everything about one sequence by summing over all K^T paths. */
export function enumerate(logB: number[][], pi: ArrayLike<number>, A: ArrayLike<number>, K: number) {
  const T = logB.length;
  const paths = K ** T;
  const joint: number[] = [];
  let best = -Infinity, bestPath: number[] = [];
  for (let p = 0; p < paths; p++) {
    const z: number[] = [];
    for (let t = 0, r = p; t < T; t++, r = Math.floor(r / K)) z.push(r % K);
    let lp = Math.log(pi[z[0]]) + logB[0][z[0]];
    for (let t = 1; t < T; t++) lp += Math.log(A[z[t - 1] * K + z[t]]) + logB[t][z[t]];
    joint.push(lp);
    if (lp > best) { best = lp; bestPath = z; }
  }
  const m = Math.max(...joint);
  const logP = m + Math.log(joint.reduce((s, v) => s + Math.exp(v - m), 0));
  const post = Array.from({ length: T * K }, () => 0);
  const xi = Array.from({ length: K * K }, () => 0);
  for (let p = 0; p < paths; p++) {
    const w = Math.exp(joint[p] - logP);
    for (let t = 0, r = p, prev = -1; t < T; t++, r = Math.floor(r / K)) {
      post[t * K + (r % K)] += w;
      if (prev >= 0) xi[prev * K + (r % K)] += w;
      prev = r % K;
    }
  }
  return { logP, post, xi, best, bestPath };
}

/** A random probability vector / row-stochastic matrix, entries bounded away from 0. */
export function stochastic(rng: Random, rows: number, K: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    const r = Array.from({ length: K }, () => rng.random() + 0.05);
    const s = r.reduce((a, b) => a + b, 0);
    out.push(...r.map((v) => v / s));
  }
  return out;
}

/** Random positive-definite covariances in GaussianMixture's layout. */
export function randomCovars(rng: Random, type: CovType, K: number, D: number): number[] {
  if (type === 'diag') return Array.from({ length: K * D }, () => 0.3 + rng.random());
  if (type === 'spherical') return Array.from({ length: K }, () => 0.3 + rng.random());
  const one = () => {
    const M = Array.from({ length: D * D }, () => rng.normal());
    const S: number[] = [];
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
      let s = i === j ? 0.5 : 0;
      for (let t = 0; t < D; t++) s += 0.3 * M[i * D + t] * M[j * D + t];
      S.push(s);
    }
    return S;
  };
  return type === 'tied' ? one() : Array.from({ length: K }, one).flat();
}

/** A sequence from an HMM with well-separated means (i·3 along every axis for state i). */
export function sampleSequence(rng: Random, T: number, K: number, D: number, A: number[], noise = 1): number[][] {
  const X: number[][] = [];
  let z = rng.int(K);
  for (let t = 0; t < T; t++) {
    if (t > 0) z = rng.categorical(A.slice(z * K, z * K + K));
    X.push(Array.from({ length: D }, (_, d) => 3 * z + d * 0.5 + noise * rng.normal()));
  }
  return X;
}
