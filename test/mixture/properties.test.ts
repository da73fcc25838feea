import { describe, expect, it } from 'vitest';
import { GaussianMixture, Random, bytesInUse, wasmMemory, type CovarianceType } from '../../src/index.js';
import { blobs } from './data.js';
import { WasmEngine } from '../../src/mixture/engine-wasm.js';
import { ReferenceEngine } from '../../src/mixture/engine-reference.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const quiet = { onWarning: () => {} };

describe('GaussianMixture: properties of EM', () => {
  for (const covarianceType of TYPES) {
    it(`${covarianceType}: never decreases the bound (beyond 1e-9 relative) from random starts`, () => {
      const { X } = blobs(400, 3, 4, 7, 1.5);
      for (const seed of [0, 1, 2]) {
        // regCovar = 0: with it, the M-step is the exact maximiser and EM is exactly monotone
        // (regCovar > 0 adds a ridge to each covariance that can lower the likelihood by ~regCovar).
        const gm = new GaussianMixture({ nComponents: 4, covarianceType, tol: 0, maxIter: 40, initParams: 'random', regCovar: 0, seed, ...quiet }).fit(X);
        const h = gm.lowerBoundHistory;
        expect(h.length).toBe(40);
        for (let t = 1; t < h.length; t++) expect(h[t]).toBeGreaterThanOrEqual(h[t - 1] - 1e-9 * Math.abs(h[t - 1]));
      }
    });

    it(`${covarianceType}: responsibilities sum to 1 and scoreSamples equals a direct log-density`, () => {
      const { X } = blobs(200, 3, 3, 3);
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 1, ...quiet }).fit(X);
      const p = gm.predictProba(X);
      for (let i = 0; i < p.rows; i++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += p.data[i * 3 + k];
        expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      }
      const ss = gm.scoreSamples(X);
      const direct = directLogDensity(gm, X.data, X.rows, 3);
      for (let i = 0; i < X.rows; i++) expect(Math.abs(ss[i] - direct[i])).toBeLessThan(1e-9 * Math.max(1, Math.abs(direct[i])));
    });

    it(`${covarianceType}: sample() reproduces the model's mean and covariance`, () => {
      const { X } = blobs(300, 2, 2, 5);
      const gm = new GaussianMixture({ nComponents: 2, covarianceType, seed: 2, ...quiet }).fit(X);
      const { X: S, labels } = gm.sample(40_000, 11);
      expect(S.rows).toBe(40_000);
      // mean of the mixture: Σ w_k μ_k; per-component sample covariance vs the model's
      const w = gm.weights, mu = gm.means.data;
      const m = [0, 0];
      for (let k = 0; k < 2; k++) for (let d = 0; d < 2; d++) m[d] += w[k] * mu[k * 2 + d];
      const sm = [0, 0];
      for (let i = 0; i < S.rows; i++) for (let d = 0; d < 2; d++) sm[d] += S.data[i * 2 + d] / S.rows;
      for (let d = 0; d < 2; d++) expect(Math.abs(sm[d] - m[d])).toBeLessThan(0.1);
      const counts = [0, 0];
      for (const l of labels) counts[l]++;
      for (let k = 0; k < 2; k++) expect(Math.abs(counts[k] / S.rows - w[k])).toBeLessThan(0.015);
      const cov = covOfComponent(S.data, labels, 0);
      const model = fullCovariance(gm, 0);
      for (let i = 0; i < 4; i++) expect(Math.abs(cov[i] - model[i])).toBeLessThan(0.06 * Math.max(1, Math.abs(model[i])));
    });
  }

  it('recovers well-separated clusters with k-means initialisation', () => {
    const { X, labels } = blobs(600, 4, 3, 9);
    const pred = new GaussianMixture({ nComponents: 3, seed: 0 }).fitPredict(X);
    // a permutation of the true labels
    const map = new Map<number, number>();
    let agree = 0;
    for (let i = 0; i < labels.length; i++) {
      if (!map.has(pred[i])) map.set(pred[i], labels[i]);
      if (map.get(pred[i]) === labels[i]) agree++;
    }
    expect(agree / labels.length).toBeGreaterThan(0.99);
  });

  for (const initParams of ['kmeans', 'k-means++', 'random', 'random_from_data'] as const) {
    it(`initParams '${initParams}' is seeded: the same seed gives the same fit, nInit keeps the best bound`, () => {
      const { X } = blobs(300, 2, 3, 4, 2);
      const a = new GaussianMixture({ nComponents: 3, initParams, seed: 5, ...quiet }).fit(X);
      const b = new GaussianMixture({ nComponents: 3, initParams, seed: 5, ...quiet }).fit(X);
      expect(Array.from(a.means.data)).toEqual(Array.from(b.means.data));
      const best = new GaussianMixture({ nComponents: 3, initParams, seed: 5, nInit: 3, ...quiet }).fit(X);
      expect(best.lowerBound).toBeGreaterThanOrEqual(a.lowerBound - 1e-12);
    });
  }

  it('merged statistics of shards give the same next parameters as one full iteration (1e-12)', () => {
    for (const covarianceType of TYPES) {
      const { X } = blobs(500, 3, 3, 8, 2);
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, maxIter: 3, seed: 1, ...quiet }).fit(X);
      const full = GaussianMixture.fromJSON(gm.toJSON());
      full.mStep(full.partialStats(X));
      const cuts = [0, 120, 121, 400, 500];
      const shards = cuts.slice(1).map((end, i) => ({ data: X.data.slice(cuts[i] * 3, end * 3), rows: end - cuts[i], cols: 3 }));
      const merged = shards.map((s) => gm.partialStats(s)).reduce((a, b) => GaussianMixture.mergeStats(a, b));
      const sharded = GaussianMixture.fromJSON(gm.toJSON()).mStep(merged);
      for (const [a, b] of [[sharded.weights, full.weights], [sharded.means.data, full.means.data], [sharded.covariances, full.covariances]]) {
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i])));
      }
      const whole = gm.partialStats(X);
      expect(merged.n).toBe(500);
      expect(Math.abs(merged.logLik - whole.logLik)).toBeLessThanOrEqual(1e-12 * Math.abs(whole.logLik));
    }
  });

  it('onIteration sees every iteration and can stop the fit', () => {
    const { X } = blobs(200, 2, 2, 1);
    const seen: number[] = [];
    const gm = new GaussianMixture({ nComponents: 2, tol: 0, maxIter: 50, onIteration: ({ iteration }) => { seen.push(iteration); return iteration < 5; } }).fit(X);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(gm.nIter).toBe(5);
    expect(gm.converged).toBe(false);
  });

  it('warns through onWarning when the fit does not converge', () => {
    const { X } = blobs(200, 2, 2, 1);
    const warnings: string[] = [];
    const gm = new GaussianMixture({ nComponents: 2, tol: 0, maxIter: 3, onWarning: (m) => warnings.push(m) }).fit(X);
    expect(gm.converged).toBe(false);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/did not converge in 3 iterations/);
  });

  it('warm start continues from the fitted parameters', () => {
    const { X } = blobs(300, 2, 3, 2, 1.5);
    const gm = new GaussianMixture({ nComponents: 3, maxIter: 2, tol: 0, warmStart: true, ...quiet }).fit(X);
    const first = gm.lowerBoundHistory;
    gm.fit(X);
    const cold = new GaussianMixture({ nComponents: 3, maxIter: 4, tol: 0, ...quiet }).fit(X);
    expect(gm.lowerBoundHistory[1]).toBeCloseTo(cold.lowerBoundHistory[3], 10);
    expect(first.length).toBe(2);
  });

  it('round-trips through toJSON / fromJSON exactly', () => {
    const { X } = blobs(200, 3, 2, 6);
    const gm = new GaussianMixture({ nComponents: 2, covarianceType: 'diag', seed: 3 }).fit(X);
    const back = GaussianMixture.fromJSON(JSON.parse(JSON.stringify(gm.toJSON())));
    expect(Array.from(back.scoreSamples(X))).toEqual(Array.from(gm.scoreSamples(X)));
    expect(back.lowerBoundHistory).toEqual(gm.lowerBoundHistory);
    expect(Array.from(back.precisionsCholesky)).toEqual(Array.from(gm.precisionsCholesky));
  });

  it('leaves wasm memory flat across repeated fits', () => {
    const { X } = blobs(2000, 4, 3, 6);
    const fit = () => new GaussianMixture({ nComponents: 3, seed: 1 }).fit(X).score(X);
    fit();
    const size = wasmMemory().buffer.byteLength;
    const inUse = bytesInUse();
    for (let i = 0; i < 30; i++) fit();
    expect(wasmMemory().buffer.byteLength).toBe(size);
    expect(bytesInUse()).toBe(inUse);
  });

  it('the wasm and reference engines agree to 1e-10 on random data', () => {
    const rng = new Random(12);
    for (const covarianceType of TYPES) {
      const X = { data: rng.fillNormal(new Float64Array(333 * 5)), rows: 333, cols: 5 };
      const a = new GaussianMixture({ nComponents: 4, covarianceType, tol: 0, maxIter: 8, initParams: 'random', ...quiet }).fit(X);
      const b = new GaussianMixture({ nComponents: 4, covarianceType, tol: 0, maxIter: 8, initParams: 'random', engine: 'reference', ...quiet }).fit(X);
      for (let t = 0; t < 8; t++) expect(Math.abs(a.lowerBoundHistory[t] - b.lowerBoundHistory[t])).toBeLessThan(1e-10 * Math.abs(b.lowerBoundHistory[t]));
    }
  });
});

/** log Σ_k w_k N(x | μ_k, Σ_k) computed from the covariances by a plain Cholesky, in TS. */
function directLogDensity(gm: GaussianMixture, X: Float64Array, N: number, K: number): Float64Array {
  const D = gm.means.cols;
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const terms: number[] = [];
    for (let k = 0; k < K; k++) {
      const S = fullCovariance(gm, k);
      const L = cholesky(S, D);
      // solve L z = x − μ
      const z = new Float64Array(D);
      for (let a = 0; a < D; a++) {
        let s = X[i * D + a] - gm.means.data[k * D + a];
        for (let b = 0; b < a; b++) s -= L[a * D + b] * z[b];
        z[a] = s / L[a * D + a];
      }
      let q = 0, logDet = 0;
      for (let a = 0; a < D; a++) { q += z[a] * z[a]; logDet += 2 * Math.log(L[a * D + a]); }
      terms.push(Math.log(gm.weights[k]) - 0.5 * (D * Math.log(2 * Math.PI) + logDet + q));
    }
    const m = Math.max(...terms);
    out[i] = m + Math.log(terms.reduce((s, t) => s + Math.exp(t - m), 0));
  }
  return out;
}

function fullCovariance(gm: GaussianMixture, k: number): Float64Array {
  const D = gm.means.cols;
  const c = gm.covariances;
  const S = new Float64Array(D * D);
  for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) {
    switch (gm.covarianceType) {
      case 'full': S[a * D + b] = c[k * D * D + a * D + b]; break;
      case 'tied': S[a * D + b] = c[a * D + b]; break;
      case 'diag': S[a * D + b] = a === b ? c[k * D + a] : 0; break;
      case 'spherical': S[a * D + b] = a === b ? c[k] : 0; break;
    }
  }
  return S;
}

function cholesky(S: Float64Array, D: number): Float64Array {
  const L = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j <= i; j++) {
    let s = S[i * D + j];
    for (let t = 0; t < j; t++) s -= L[i * D + t] * L[j * D + t];
    L[i * D + j] = i === j ? Math.sqrt(s) : s / L[j * D + j];
  }
  return L;
}

function covOfComponent(X: Float64Array, labels: Int32Array, k: number): number[] {
  let n = 0;
  const m = [0, 0];
  for (let i = 0; i < labels.length; i++) if (labels[i] === k) { n++; m[0] += X[i * 2]; m[1] += X[i * 2 + 1]; }
  m[0] /= n; m[1] /= n;
  const c = [0, 0, 0, 0];
  for (let i = 0; i < labels.length; i++) if (labels[i] === k) {
    const a = X[i * 2] - m[0], b = X[i * 2 + 1] - m[1];
    c[0] += a * a / n; c[1] += a * b / n; c[2] += a * b / n; c[3] += b * b / n;
  }
  return c;
}

describe('the wasm engine with a non-triangular precision factor', () => {
  it('takes the general GEMM path and agrees with the reference engine', () => {
    const { X } = blobs(300, 3, 2, 4);
    const gm = new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X);
    const D = 3, a = 0.7, c = Math.cos(a), s = Math.sin(a);
    const P = gm.precisionsCholesky;
    // P Q with Q a rotation in the (0, 1) plane: not triangular, so the fused triangular kernel is not used.
    const rotated = P.slice();
    for (let k = 0; k < 2; k++) for (let i = 0; i < D; i++) {
      const p0 = P[k * 9 + i * 3], p1 = P[k * 9 + i * 3 + 1];
      rotated[k * 9 + i * 3] = c * p0 + s * p1;
      rotated[k * 9 + i * 3 + 1] = -s * p0 + c * p1;
    }
    const params = { weights: gm.weights, means: gm.means, covariances: gm.covariances, precisionsCholesky: rotated };
    const spec = { X, covarianceType: 'full' as const, nComponents: 2 };
    const wasm = new WasmEngine(spec), reference = new ReferenceEngine(spec);
    const got = new Float64Array(X.rows), want = new Float64Array(X.rows);
    try {
      wasm.eStep(params, got);
      reference.eStep(params, want);
    } finally {
      wasm.release();
    }
    for (let i = 0; i < X.rows; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-10 * Math.max(1, Math.abs(want[i])));
  });
});
