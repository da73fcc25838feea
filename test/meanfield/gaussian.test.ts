import { describe, expect, it } from 'vitest';
import { LinearGaussian, Random } from '../../src/index.js';
import { expectClose } from '../helpers.js';
import { matrix } from './models.js';

function randomModel(seed: number, m: number, n: number): LinearGaussian {
  const rng = new Random(seed);
  return new LinearGaussian({
    W: matrix(rng.fillNormal(new Float64Array(m * n)), m, n),
    mean: rng.fillNormal(new Float64Array(m)),
    psi: Float64Array.from({ length: m }, () => 0.1 + rng.random()),
  });
}

/** Dense Cholesky-based log N(x; μ, Σ) computed from scratch (the test's own oracle). */
function logNormal(x: ArrayLike<number>, mu: ArrayLike<number>, S: Float64Array, d: number): number {
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = S[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] ** 2;
    L[j * d + j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let t = S[i * d + j];
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / L[j * d + j];
    }
  }
  const z = new Float64Array(d);
  let logDet = 0;
  for (let i = 0; i < d; i++) {
    let t = x[i] - mu[i];
    for (let k = 0; k < i; k++) t -= L[i * d + k] * z[k];
    z[i] = t / L[i * d + i];
    logDet += 2 * Math.log(L[i * d + i]);
  }
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet + z.reduce((s, v) => s + v * v, 0));
}

/** Inverse of a small SPD matrix by Gauss–Jordan. */
function inverse(A: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A), I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const p = M[c * n + c];
    for (let j = 0; j < n; j++) { M[c * n + j] /= p; I[c * n + j] /= p; }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r * n + c];
      for (let j = 0; j < n; j++) { M[r * n + j] -= f * M[c * n + j]; I[r * n + j] -= f * I[c * n + j]; }
    }
  }
  return I;
}

describe('LinearGaussian', () => {
  const cases: [number, number, number][] = [[1, 3, 1], [2, 5, 2], [3, 8, 4], [4, 6, 6]];

  it('logLikelihood is log N(v; μ, WWᵀ + Ψ)', () => {
    for (const [seed, m, n] of cases) {
      const lg = randomModel(seed, m, n);
      const { V } = lg.sample(4, seed);
      const W = lg.W.data, psi = lg.psi;
      const S = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
        for (let k = 0; k < n; k++) S[i * m + j] += W[i * n + k] * W[j * n + k];
        if (i === j) S[i * m + j] += psi[i];
      }
      const ll = lg.logLikelihood(V);
      for (let r = 0; r < 4; r++) expect(ll[r]).toBeCloseTo(logNormal(V.data.subarray(r * m, (r + 1) * m), lg.mean, S, m), 10);
    }
  });

  it('L ≤ log p(v), and log p(v) − L equals the closed-form KL(q ‖ p(h|v)) of the two Gaussians (to 1e-9)', () => {
    for (const [seed, m, n] of cases) {
      const lg = randomModel(seed, m, n);
      const { V } = lg.sample(5, seed + 1);
      const mf = lg.meanField(V);
      expect(mf.converged).toBe(true);
      const exact = lg.exactPosterior(V);
      const P = inverse(exact.covariance, n); // posterior precision Λ
      const ll = lg.logLikelihood(V);
      let logDetCov = Math.log(Math.abs(1)); // log det Σ_p = −log det Λ, from the covariance's Cholesky-free LU
      { const A = Float64Array.from(exact.covariance); for (let c = 0; c < n; c++) { logDetCov += Math.log(A[c * n + c]); for (let r = c + 1; r < n; r++) { const f = A[r * n + c] / A[c * n + c]; for (let j = c; j < n; j++) A[r * n + j] -= f * A[c * n + j]; } } }
      for (let r = 0; r < V.rows; r++) {
        expect(mf.elbo[r]).toBeLessThanOrEqual(ll[r] + 1e-12 * Math.abs(ll[r]));
        // KL(N(m, S) ‖ N(μ_p, Σ_p)) = ½[tr(Σ_p⁻¹S) + (μ_p − m)ᵀΣ_p⁻¹(μ_p − m) − n + log det Σ_p − log det S]
        let tr = 0, quad = 0, logDetS = 0;
        for (let i = 0; i < n; i++) {
          tr += P[i * n + i] * mf.variance[i];
          logDetS += Math.log(mf.variance[i]);
          for (let j = 0; j < n; j++) {
            quad += (exact.mean.data[r * n + i] - mf.mean.data[r * n + i]) * P[i * n + j] * (exact.mean.data[r * n + j] - mf.mean.data[r * n + j]);
          }
        }
        const kl = 0.5 * (tr + quad - n + logDetCov - logDetS);
        expect(Math.abs(ll[r] - mf.elbo[r] - kl)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ll[r])));
        expect(Math.abs(lg.kl(V)[r] - kl)).toBeLessThanOrEqual(1e-9 * Math.max(1, kl));
      }
    }
  });

  it('mean-field means equal the exact posterior means; its variances never exceed the exact marginal variances', () => {
    for (const [seed, m, n] of cases) {
      const lg = randomModel(seed, m, n);
      const { V } = lg.sample(6, seed + 2);
      const mf = lg.meanField(V);
      const exact = lg.exactPosterior(V);
      expectClose(mf.mean.data, exact.mean.data, 1e-9, 1e-10);
      for (let i = 0; i < n; i++) expect(mf.variance[i]).toBeLessThanOrEqual(exact.covariance[i * n + i] * (1 + 1e-12));
      if (n > 1) expect(lg.kl(V)[0]).toBeGreaterThan(0);
    }
  });

  it('mean-field is exact (KL = 0) for orthogonal columns of W with equal ψ', () => {
    const W = matrix([1, 1, 1, -1, 0, 0, 1, 0], 4, 2); // columns (1,1,0,1) and (1,−1,0,0): orthogonal
    const lg = new LinearGaussian({ W, mean: [0, 1, 2, 3], psi: [0.3, 0.3, 0.3, 0.3] });
    const { V } = lg.sample(5, 1);
    const kl = lg.kl(V);
    for (const v of kl) expect(Math.abs(v)).toBeLessThanOrEqual(1e-12);
    expectClose(lg.meanField(V).elbo, lg.logLikelihood(V), 1e-12);
  });

  for (const method of ['em', 'variational'] as const) {
    it(`fit by ${method} never lowers its bound`, () => {
      const truth = randomModel(9, 7, 3);
      const { V } = truth.sample(200, 4);
      const lg = new LinearGaussian({ nComponents: 3, seed: 1 }).fit(V, { method, maxIter: 60, tol: 0 });
      const h = lg.lowerBoundHistory;
      expect(h.length).toBe(60);
      for (let i = 1; i < h.length; i++) expect(h[i]).toBeGreaterThanOrEqual(h[i - 1] - 1e-10 * Math.abs(h[i - 1]));
      expect(h[59]).toBeGreaterThan(h[0]);
      if (method === 'em') {
        const ll = lg.logLikelihood(V).reduce((s, v) => s + v, 0) / 200;
        // The bound of the last E-step is the log-likelihood before the last M-step, which can only raise it.
        expect(ll).toBeGreaterThanOrEqual(h[59]);
        expect(ll - h[59]).toBeLessThan(1e-3);
      }
    });
  }

  it('EM reaches a log-likelihood at least the variational fit\'s (its bound is tight)', () => {
    const truth = randomModel(10, 6, 2);
    const { V } = truth.sample(150, 5);
    const em = new LinearGaussian({ nComponents: 2, seed: 3 }).fit(V, { maxIter: 300 });
    const vem = new LinearGaussian({ nComponents: 2, seed: 3 }).fit(V, { method: 'variational', maxIter: 300 });
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(em.logLikelihood(V))).toBeGreaterThanOrEqual(mean(vem.logLikelihood(V)) - 1e-6);
  });
});
