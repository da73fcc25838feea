// Missing values (missing: 'marginalize'): the scores are the marginal densities of the observed
// features, EM for incomplete data never lowers the observed-data log-likelihood, complete data
// fit as without the option, and impute returns the conditional means.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, Random, ShapeError, ValueError, type CovarianceType } from '../../src/index.js';
import { variationalLogWeights } from '../../src/mixture/bayesian.js';
import { MissingEngine } from '../../src/mixture/engine-missing.js';
import { ReferenceEngine } from '../../src/mixture/engine-reference.js';
import { WasmEngine } from '../../src/mixture/engine-wasm.js';
import { missingPatterns, observedColumnMeans } from '../../src/mixture/missing.js';
import type { GaussianParams } from '../../src/mixture/types.js';
import { blobs } from './data.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const quiet = { onWarning: () => {} };
type M = { data: Float64Array; rows: number; cols: number };

/** A copy of X with each entry NaN with probability p (never a whole row). */
function withHoles(X: M, p: number, seed: number): M {
  const rng = new Random(seed);
  const data = X.data.slice();
  const D = X.cols;
  for (let i = 0; i < X.rows; i++) {
    let holes = 0;
    for (let d = 0; d < D; d++) {
      if (rng.random() < p && holes < D - 1) {
        data[i * D + d] = NaN;
        holes++;
      }
    }
  }
  return { data, rows: X.rows, cols: D };
}

/** Component k's covariance as a dense D × D array of rows, from the model's flat layout. */
function covOf(cov: Float64Array, type: CovarianceType, k: number, D: number): number[][] {
  return Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => {
    if (type === 'full') return cov[k * D * D + i * D + j];
    if (type === 'tied') return cov[i * D + j];
    if (i !== j) return 0;
    return type === 'diag' ? cov[k * D + i] : cov[k];
  }));
}

/** Inverse and log-determinant by Gauss–Jordan elimination with partial pivoting (independent of the library's Cholesky). */
function invLogDet(a: number[][]): { inv: number[][]; logDet: number } {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c];
    logDet += Math.log(Math.abs(piv));
    for (let j = 0; j < 2 * n; j++) m[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return { inv: m.map((r) => r.slice(n)), logDet };
}

const sub = (a: number[][], rows: number[], cols: number[]) => rows.map((i) => cols.map((j) => a[i][j]));

/** log w_k N(x_o | μ_k,o, Σ_k,oo) for every k, by the textbook formula. */
function componentLogDensities(model: GaussianMixture | BayesianGaussianMixture, x: number[]): number[] {
  const D = x.length, K = model.nComponents;
  const obs = x.flatMap((v, d) => (Number.isNaN(v) ? [] : [d]));
  return Array.from({ length: K }, (_, k) => {
    const S = sub(covOf(model.covariances, model.covarianceType, k, D), obs, obs);
    const { inv, logDet } = invLogDet(S);
    const r = obs.map((d) => x[d] - model.means.data[k * D + d]);
    let q = 0;
    for (let i = 0; i < obs.length; i++) for (let j = 0; j < obs.length; j++) q += r[i] * inv[i][j] * r[j];
    return Math.log(model.weights[k]) - 0.5 * (obs.length * Math.log(2 * Math.PI) + logDet + q);
  });
}

const logSumExp = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
};

function rowsOf(X: M): number[][] {
  return Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
}

describe("GaussianMixture with missing: 'marginalize'", () => {
  const { X } = blobs(400, 4, 3, 7, 2);
  const holes = withHoles(X, 0.2, 3);

  for (const covarianceType of TYPES) {
    it(`${covarianceType}: scoreSamples of a row with NaN is log Σ_k w_k N(x_obs | μ_k,obs, Σ_k,obs,obs) (to 1e-10)`, () => {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 1, missing: 'marginalize', ...quiet }).fit(holes);
      const probe = [[NaN, 1, 2, 0.5], [0.3, NaN, NaN, -1], [1, 2, 3, 4], [NaN, NaN, NaN, 2], [-1, 0.5, NaN, 0]];
      const got = gm.scoreSamples(probe);
      const proba = gm.predictProba(probe);
      probe.forEach((x, i) => {
        const lp = componentLogDensities(gm, x);
        const lse = logSumExp(lp);
        expect(Math.abs(got[i] - lse)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(lse)));
        lp.forEach((v, k) => expect(proba.data[i * 3 + k]).toBeCloseTo(Math.exp(v - lse), 10));
      });
    });

    it(`${covarianceType}: with no NaN the fit is the same to the byte`, () => {
      const opts = { nComponents: 3, covarianceType, seed: 2, ...quiet };
      const a = new GaussianMixture(opts).fit(X);
      const b = new GaussianMixture({ ...opts, missing: 'marginalize' }).fit(X);
      expect(b.means.data).toEqual(a.means.data);
      expect(b.covariances).toEqual(a.covariances);
      expect(b.weights).toEqual(a.weights);
      expect(b.lowerBoundHistory).toEqual(a.lowerBoundHistory);
      expect(b.scoreSamples(X)).toEqual(a.scoreSamples(X));
    });

    for (const engine of ['wasm', 'reference'] as const) {
      it(`${engine} ${covarianceType}: the observed-data log-likelihood never decreases over the iterations`, () => {
        const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 5, tol: 0, maxIter: 40, engine, missing: 'marginalize', ...quiet }).fit(holes);
        const h = gm.lowerBoundHistory;
        expect(h.length).toBe(40);
        for (let i = 1; i < h.length; i++) expect(h[i] - h[i - 1]).toBeGreaterThanOrEqual(-1e-12 * Math.abs(h[i]));
        // The bound is the mean observed-data log-likelihood of the fitted parameters' E-step.
        expect(gm.score(holes)).toBeGreaterThanOrEqual(h[h.length - 1] - 1e-12);
      });
    }

    it(`${covarianceType}: the wasm and reference engines give the same fit`, () => {
      const opts = { nComponents: 3, covarianceType, seed: 5, tol: 0, maxIter: 10, missing: 'marginalize' as const, ...quiet };
      const a = new GaussianMixture(opts).fit(holes);
      const b = new GaussianMixture({ ...opts, engine: 'reference' }).fit(holes);
      a.means.data.forEach((v, i) => expect(v).toBeCloseTo(b.means.data[i], 9));
      a.covariances.forEach((v, i) => expect(v).toBeCloseTo(b.covariances[i], 9));
      expect(a.lowerBound).toBeCloseTo(b.lowerBound, 9);
    });

    it(`${covarianceType}: integer sample weights with NaN fit as duplicated rows`, () => {
      const small = withHoles(blobs(60, 3, 2, 9, 2).X, 0.2, 4);
      const w = Float64Array.from({ length: small.rows }, (_, i) => i % 3);
      const dup: number[][] = [];
      rowsOf(small).forEach((r, i) => { for (let c = 0; c < w[i]; c++) dup.push(r); });
      const opts = { nComponents: 2, covarianceType, initParams: 'random_from_data' as const, maxIter: 5, tol: 0, missing: 'marginalize' as const, ...quiet };
      const start = new GaussianMixture({ ...opts, maxIter: 1 }).fit(dup);
      const init = { weightsInit: start.weights, meansInit: start.means, precisionsInit: start.precisions };
      const a = new GaussianMixture({ ...opts, ...init }).fit(small, { sampleWeight: w });
      const b = new GaussianMixture({ ...opts, ...init }).fit(dup);
      a.means.data.forEach((v, i) => expect(v).toBeCloseTo(b.means.data[i], 10));
      a.covariances.forEach((v, i) => expect(v).toBeCloseTo(b.covariances[i], 10));
    });
  }

  it('recovers the means closer to the truth than mean imputation, with 20% of the entries removed at random', () => {
    const K = 3, D = 4;
    const rng = new Random(11);
    const truth = [[0, 0, 0, 0], [6, 6, 0, 3], [0, 6, 6, -3]];
    const N = 1500;
    const data = new Float64Array(N * D);
    for (let i = 0; i < N; i++) {
      const k = i % K;
      const z = rng.normal();
      // Correlated features: the observed ones say much about the missing ones.
      for (let d = 0; d < D; d++) data[i * D + d] = truth[k][d] + 0.8 * z + 0.6 * rng.normal();
    }
    const holed = withHoles({ data, rows: N, cols: D }, 0.2, 12);
    const colMean = Array.from({ length: D }, (_, d) => {
      let s = 0, c = 0;
      for (let i = 0; i < N; i++) if (!Number.isNaN(holed.data[i * D + d])) { s += holed.data[i * D + d]; c++; }
      return s / c;
    });
    const imputed = { ...holed, data: holed.data.map((v, i) => (Number.isNaN(v) ? colMean[i % D] : v)) };
    const opts = { nComponents: K, seed: 3, ...quiet };
    const marg = new GaussianMixture({ ...opts, missing: 'marginalize' }).fit(holed);
    const naive = new GaussianMixture(opts).fit(imputed);
    const error = (gm: GaussianMixture) => truth.reduce((s, t) => s + Math.min(...Array.from({ length: K }, (_, k) =>
      Math.hypot(...t.map((v, d) => v - gm.means.data[k * D + d])))), 0);
    expect(error(marg)).toBeLessThan(error(naive));
    expect(error(marg)).toBeLessThan(0.15 * K);
  });

  it('impute equals the closed-form conditional mean Σ_k p(k | x_o)(μ_k,m + Σ_k,mo Σ_k,oo⁻¹ (x_o − μ_k,o))', () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 1, missing: 'marginalize', ...quiet }).fit(holes);
    const probe = [[NaN, 1, 2, 0.5], [0.3, NaN, NaN, -1], [1, 2, 3, 4], [NaN, NaN, NaN, NaN]];
    const got = gm.impute(probe);
    const D = 4;
    probe.forEach((x, i) => {
      const obs = x.flatMap((v, d) => (Number.isNaN(v) ? [] : [d]));
      const mis = x.flatMap((v, d) => (Number.isNaN(v) ? [d] : []));
      const lp = componentLogDensities(gm, x);
      const lse = logSumExp(lp);
      const expected = x.slice();
      for (const d of mis) expected[d] = 0;
      for (let k = 0; k < 3; k++) {
        const S = covOf(gm.covariances, 'full', k, D);
        const { inv } = invLogDet(sub(S, obs, obs));
        const mu = Array.from(gm.means.data.subarray(k * D, (k + 1) * D));
        const z = obs.map((_, a) => obs.reduce((s, d, b) => s + inv[a][b] * (x[d] - mu[d]), 0));
        for (const m of mis) expected[m] += Math.exp(lp[k] - lse) * (mu[m] + obs.reduce((s, d, a) => s + S[m][d] * z[a], 0));
      }
      for (let d = 0; d < D; d++) expect(got.data[i * D + d]).toBeCloseTo(expected[d], 10);
    });
    // Observed entries come back unchanged, bit for bit.
    expect(got.data[1]).toBe(1);
    expect(got.data[2 * D + 3]).toBe(4);
  });

  for (const covarianceType of TYPES) {
    it(`${covarianceType}: impute and scoreSamples on the wasm kernels equal the reference engine's row-by-row TypeScript (to 1e-10)`, () => {
      const opts = { nComponents: 3, covarianceType, seed: 1, missing: 'marginalize' as const, ...quiet };
      const gm = new GaussianMixture(opts).fit(holes);
      const ref = GaussianMixture.fromJSON(gm.toJSON(), { engine: 'reference' });
      // Every row of `holes` with a pattern of its own or a few rows, a complete row and a row with nothing observed.
      const probe = { data: Float64Array.of(...holes.data, 1, 2, 3, 4, NaN, NaN, NaN, NaN), rows: holes.rows + 2, cols: 4 };
      const a = gm.impute(probe), b = ref.impute(probe);
      a.data.forEach((v, i) => expect(Math.abs(v - b.data[i])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(b.data[i]))));
      const sa = gm.scoreSamples(probe), sb = ref.scoreSamples(probe);
      sa.forEach((v, i) => expect(Math.abs(v - sb[i])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(sb[i]))));
    });
  }

  it('predict, predictProba and scoreSamples take a row with no observed value: the prior weights and log 1 = 0', () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 1, missing: 'marginalize', ...quiet }).fit(holes);
    const row = [[NaN, NaN, NaN, NaN]];
    expect(gm.scoreSamples(row)[0]).toBeCloseTo(0, 14);
    Array.from(gm.predictProba(row).data).forEach((p, k) => expect(p).toBeCloseTo(gm.weights[k], 12));
    const w = Array.from(gm.weights);
    expect(gm.predict(row)[0]).toBe(w.indexOf(Math.max(...w)));
  });

  it('f32 data with NaN fit close to the same data in f64', () => {
    const f32 = { data: Float32Array.from(holes.data), rows: holes.rows, cols: holes.cols };
    const f64 = { ...holes, data: Float64Array.from(f32.data) };
    const opts = { nComponents: 3, seed: 1, missing: 'marginalize' as const, ...quiet };
    const a = new GaussianMixture(opts).fit(f32), b = new GaussianMixture(opts).fit(f64);
    a.means.data.forEach((v, i) => expect(v).toBeCloseTo(b.means.data[i], 3));
  });

  it('partialFit streams batches with NaN', () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 1, missing: 'marginalize', ...quiet });
    for (let s = 0; s < holes.rows; s += 100) gm.partialFit({ data: holes.data.slice(s * 4, (s + 100) * 4), rows: 100, cols: 4 });
    const batch = new GaussianMixture({ nComponents: 3, seed: 1, missing: 'marginalize', ...quiet }).fit(holes);
    expect(Math.abs(gm.score(holes) - batch.score(holes))).toBeLessThan(0.05);
  });
});

describe("BayesianGaussianMixture with missing: 'marginalize'", () => {
  const { X } = blobs(400, 3, 3, 8, 2);
  const holes = withHoles(X, 0.2, 5);

  for (const covarianceType of TYPES) {
    it(`${covarianceType}: the lower bound never decreases, also when the patterns run on the wasm engine`, () => {
      // 2,400 rows with one NaN in a quarter of them: each pattern has hundreds of rows (PatternEngine).
      const big = withHoles(blobs(2400, 3, 3, 9, 2).X, 0.1, 6);
      const bgm = new BayesianGaussianMixture({ nComponents: 4, covarianceType, seed: 2, tol: 0, maxIter: 25, missing: 'marginalize', ...quiet }).fit(big);
      const h = bgm.lowerBoundHistory;
      for (let i = 1; i < h.length; i++) expect(h[i] - h[i - 1]).toBeGreaterThanOrEqual(-1e-9 * Math.abs(h[i]));
      const ref = new BayesianGaussianMixture({ nComponents: 4, covarianceType, seed: 2, tol: 0, maxIter: 25, missing: 'marginalize', engine: 'reference', ...quiet }).fit(big);
      ref.lowerBoundHistory.forEach((v, i) => expect(v).toBeCloseTo(h[i], 7));
    });

    it(`${covarianceType}: the lower bound never decreases`, () => {
      const bgm = new BayesianGaussianMixture({ nComponents: 4, covarianceType, seed: 2, tol: 0, maxIter: 40, missing: 'marginalize', ...quiet }).fit(holes);
      const h = bgm.lowerBoundHistory;
      for (let i = 1; i < h.length; i++) expect(h[i] - h[i - 1]).toBeGreaterThanOrEqual(-1e-9 * Math.abs(h[i]));
    });

    it(`${covarianceType}: with no NaN the fit is the same to the byte`, () => {
      const opts = { nComponents: 3, covarianceType, seed: 2, ...quiet };
      const a = new BayesianGaussianMixture(opts).fit(X);
      const b = new BayesianGaussianMixture({ ...opts, missing: 'marginalize' }).fit(X);
      expect(b.means.data).toEqual(a.means.data);
      expect(b.covariances).toEqual(a.covariances);
      expect(b.lowerBoundHistory).toEqual(a.lowerBoundHistory);
    });
  }

  for (const covarianceType of TYPES) {
    it(`${covarianceType}: scores a row with NaN by E_q[log π_k] + E_q[log N(x_obs | μ_k,obs, Λ_k⁻¹ restricted to obs)] (to 1e-10)`, () => {
      const bgm = new BayesianGaussianMixture({ nComponents: 3, covarianceType, seed: 2, missing: 'marginalize', ...quiet }).fit(holes);
      // q(x_m | z) integrated out: the Gaussian's log-density with log w_k replaced by the
      // variational per-component terms, on the observed block of the covariances W⁻¹/ν.
      const logW = variationalLogWeights({
        weightConcentration: bgm.weightConcentration, meanPrecision: bgm.meanPrecision, degreesOfFreedom: bgm.degreesOfFreedom, means: bgm.means,
      }, bgm.weightConcentrationPriorType);
      const probe = [[NaN, 1, 2], [0, NaN, 1], [NaN, NaN, -3]];
      const got = bgm.scoreSamples(probe);
      probe.forEach((x, i) => {
        const lp = componentLogDensities(bgm, x).map((v, k) => v - Math.log(bgm.weights[k]) + logW[k]);
        expect(Math.abs(got[i] - logSumExp(lp))).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(got[i])));
      });
    });
  }
});

describe('missing values: errors', () => {
  const { X } = blobs(50, 3, 2, 1, 2);
  const withNaN = { ...X, data: X.data.slice() };
  withNaN.data[7] = NaN;

  it('by default, a NaN is a ValueError naming the first one', () => {
    expect(() => new GaussianMixture({ nComponents: 2 }).fit(withNaN)).toThrow(/X\[2\]\[1\] is NaN/);
    const gm = new GaussianMixture({ nComponents: 2, ...quiet }).fit(X);
    expect(() => gm.predict(withNaN)).toThrow(ValueError);
    expect(() => gm.scoreSamples(withNaN)).toThrow(/X\[2\]\[1\] is NaN/);
  });

  it('an unknown missing option is a ValueError naming the option', () => {
    expect(() => new GaussianMixture({ missing: 'drop' as never })).toThrow(/missing/);
  });

  it('±Infinity stays a ValueError naming the entry', () => {
    const bad = { ...X, data: X.data.slice() };
    bad.data[4] = Infinity;
    expect(() => new GaussianMixture({ nComponents: 2, missing: 'marginalize' }).fit(bad)).toThrow(/X\[1\]\[1\] is Infinity/);
  });

  it('a fit refuses a row or a column without any observed value, naming it', () => {
    const row = { ...X, data: X.data.slice() };
    row.data.fill(NaN, 9, 12);
    expect(() => new GaussianMixture({ nComponents: 2, missing: 'marginalize' }).fit(row)).toThrow(/X\[3\] is missing \(NaN\) in every feature/);
    const col = { ...X, data: X.data.map((v, i) => (i % 3 === 2 ? NaN : v)) };
    expect(() => new BayesianGaussianMixture({ nComponents: 2, missing: 'marginalize' }).fit(col)).toThrow(/column 2 of X/);
  });

  it('a failed fit leaves the model as it was', () => {
    const gm = new GaussianMixture({ nComponents: 2, missing: 'marginalize', ...quiet }).fit(withNaN);
    const before = gm.means.data;
    const row = { ...X, data: X.data.slice() };
    row.data.fill(NaN, 0, 3);
    expect(() => gm.fit(row)).toThrow(ValueError);
    expect(gm.means.data).toEqual(before);
  });

  it('impute checks the number of columns', () => {
    const gm = new GaussianMixture({ nComponents: 2, ...quiet }).fit(X);
    expect(() => gm.impute([[1, NaN]])).toThrow(ShapeError);
  });
});

describe('missingPatterns', () => {
  it('groups the rows by NaN mask in order of first appearance, for D on both sides of each 16 features of a key unit', () => {
    const rng = new Random(12);
    for (const D of [1, 15, 16, 17, 32, 33, 40]) {
      const N = 400;
      // Few distinct masks (rows often share one), every entry of a row NaN, none, and the rest at random.
      const masks = Array.from({ length: 6 }, (_, m) => Array.from({ length: D }, () => (m === 0 ? false : m === 1 ? true : rng.random() < 0.3)));
      const data = new Float64Array(N * D);
      const chosen: boolean[][] = [];
      for (let i = 0; i < N; i++) {
        const mask = rng.random() < 0.5 ? masks[Math.floor(rng.random() * masks.length)] : Array.from({ length: D }, () => rng.random() < 0.1);
        chosen.push(mask);
        for (let d = 0; d < D; d++) data[i * D + d] = mask[d] ? NaN : rng.normal();
      }
      // The definition: a string key per row, groups in order of first appearance.
      const want = new Map<string, number[]>();
      chosen.forEach((mask, i) => {
        const key = mask.map((m) => (m ? 'm' : 'o')).join('');
        (want.get(key) ?? want.set(key, []).get(key)!).push(i);
      });
      const got = missingPatterns({ data, rows: N, cols: D });
      expect(got.length, `D = ${D}`).toBe(want.size);
      [...want].forEach(([key, rows], p) => {
        expect(Array.from(got[p].rows)).toEqual(rows);
        expect(Array.from(got[p].mis)).toEqual([...key].flatMap((c, d) => (c === 'm' ? [d] : [])));
        expect(Array.from(got[p].obs)).toEqual([...key].flatMap((c, d) => (c === 'o' ? [d] : [])));
      });
    }
  });
});

describe('the missing-value engine', () => {
  const { X } = blobs(900, 4, 3, 13, 2);
  const holes = withHoles(X, 0.25, 6);
  const K = 3;

  for (const type of TYPES) {
    it(`${type}: patterns on the wasm engine over their observed features give the row-by-row statistics`, () => {
      const gm = new GaussianMixture({ nComponents: K, covarianceType: type, seed: 1, missing: 'marginalize', ...quiet }).fit(holes);
      const params = (gm as unknown as { state: { params: GaussianParams } }).state.params;
      const origin = observedColumnMeans(holes);
      const spec = { X: holes, covarianceType: type, nComponents: K, origin };
      const byPattern = new MissingEngine(spec, (s) => new WasmEngine(s), 1);
      const byRow = new MissingEngine(spec, (s) => new ReferenceEngine(s), Infinity);
      try {
        const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).forEach((v, i) => expect(v).toBeCloseTo(b[i], 9));
        const a = byPattern.eStepStats(params, true), b = byRow.eStepStats(params, true);
        close(a.stats.sumResp, b.stats.sumResp);
        close(a.stats.sumX, b.stats.sumX);
        close(a.stats.sumXX, b.stats.sumXX);
        expect(a.stats.logLik).toBeCloseTo(b.stats.logLik, 8);
        expect(a.sumRespLogResp).toBeCloseTo(b.sumRespLogResp, 8);
        close(byPattern.responsibilities(), byRow.responsibilities());
        const lpA = new Float64Array(holes.rows), lpB = new Float64Array(holes.rows);
        byPattern.eStep(params, lpA);
        byRow.eStep(params, lpB);
        close(lpA, lpB);
        // The initialisation path: statistics of given responsibilities, rows completed by the column means.
        const resp = byRow.responsibilities();
        byPattern.setResponsibilities(resp);
        byRow.setResponsibilities(resp);
        const sa = byPattern.stats(0), sb = byRow.stats(0);
        close(sa.sumX, sb.sumX);
        close(sa.sumXX, sb.sumXX);
      } finally {
        byRow.release();
        byPattern.release();
      }
    });
  }
});

describe('the missing-value engine, far-apart clusters', () => {
  it('tied: clusters 10⁵ apart with unit spread (the Gram matrix would lose too many digits) fit as on the reference engine', () => {
    const rng = new Random(17);
    const N = 600, D = 4;
    const data = new Float64Array(N * D);
    for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) data[i * D + d] = ((i % 3) - 1) * 1e5 * (d % 2 ? -1 : 1) + rng.normal();
    const holes = withHoles({ data, rows: N, cols: D }, 0.1, 18);
    const opts = { nComponents: 3, covarianceType: 'tied' as const, seed: 1, tol: 0, maxIter: 8, missing: 'marginalize' as const, ...quiet };
    const a = new GaussianMixture(opts).fit(holes), b = new GaussianMixture({ ...opts, engine: 'reference' }).fit(holes);
    a.means.data.forEach((v, i) => expect(Math.abs(v - b.means.data[i])).toBeLessThanOrEqual(1e-9 * 1e5));
    // The Gram matrix of rows of size 10⁵ is ~10¹⁰ per row against a scatter of ~16: from it the
    // covariances keep ~6 digits (1e-6 apart from the reference's here), about the centres ~10 (2e-10).
    a.covariances.forEach((v, i) => expect(Math.abs(v - b.covariances[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(b.covariances[i]))));
  });
});

describe('saving the missing and online options (format version 2)', () => {
  const holes = withHoles(blobs(200, 3, 2, 3, 2).X, 0.2, 8);

  it('GaussianMixture keeps missing, stepDecay and stepOffset through toJSON/fromJSON, and the loaded model scores rows with NaN', () => {
    const gm = new GaussianMixture({ nComponents: 2, seed: 1, missing: 'marginalize', stepDecay: 0.8, stepOffset: 5, ...quiet }).fit(holes);
    const json = JSON.parse(JSON.stringify(gm.toJSON()));
    expect(json.version).toBe(2);
    expect(json.options).toMatchObject({ missing: 'marginalize', stepDecay: 0.8, stepOffset: 5 });
    const back = GaussianMixture.fromJSON(json);
    expect([back.missing, back.stepDecay, back.stepOffset]).toEqual(['marginalize', 0.8, 5]);
    expect(back.scoreSamples([[NaN, 1, 2]])).toEqual(gm.scoreSamples([[NaN, 1, 2]]));
  });

  it('BayesianGaussianMixture keeps streamSize (null when unset) and the other options', () => {
    const a = new BayesianGaussianMixture({ nComponents: 2, seed: 1, missing: 'marginalize', streamSize: 5000, stepOffset: 3, ...quiet }).fit(holes);
    const back = BayesianGaussianMixture.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect([back.missing, back.streamSize, back.stepDecay, back.stepOffset]).toEqual(['marginalize', 5000, 0.7, 3]);
    const b = new BayesianGaussianMixture({ nComponents: 2, seed: 1, ...quiet }).fit(blobs(50, 3, 2, 3, 2).X);
    expect(b.toJSON().options.streamSize).toBeNull();
    expect(BayesianGaussianMixture.fromJSON(b.toJSON()).streamSize).toBeUndefined();
  });

  it('a version-1 file with a version-2 option is refused naming its version', () => {
    const gm = new GaussianMixture({ nComponents: 2, seed: 1, ...quiet }).fit(blobs(50, 3, 2, 3, 2).X);
    const json = { ...gm.toJSON(), version: 1 };
    expect(() => GaussianMixture.fromJSON(json as never)).toThrow(/version is 1 \(or absent\), but options.missing exists only from format version 2/);
  });
});
