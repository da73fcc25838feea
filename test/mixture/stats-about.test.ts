// statsAbout: the statistics of stored responsibilities about given centres (the pooled statistics
// job of eStepStats, for responsibilities that are not an E-step's, such as Baum-Welch's state
// posteriors) are those of the two-pass stats(): to rounding when the centres are near the new
// means, and exactly stats() when the one-pass shift would lose too many digits.
import { describe, expect, it } from 'vitest';
import { Random, ShapeError, ValueError, type CovarianceType } from '../../src/index.js';
import type { MixtureEngine } from '../../src/mixture/engine.js';
import { MissingEngine } from '../../src/mixture/engine-missing.js';
import { ReferenceEngine } from '../../src/mixture/engine-reference.js';
import { WasmEngine } from '../../src/mixture/engine-wasm.js';
import { observedColumnMeans } from '../../src/mixture/missing.js';
import { componentMeans } from '../../src/mixture/scatter.js';
import type { SufficientStats } from '../../src/mixture/types.js';
import { blobs } from './data.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const K = 4, D = 5;
/** Rows enough for several statistics blocks (their partial sums added in block order). */
const N = 6000;
/** Where the data sit: far from 0, so the engine's frame (x − o) matters. */
const OFFSET = 1000;

/** Soft responsibilities (rows summing to 1), some entries exactly 0, as posteriors have. */
function softResponsibilities(rng: Random, n: number): Float64Array {
  const r = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (r[i * K + k] = rng.random() < 0.2 ? 0 : rng.random() ** 3);
    if (s === 0) r[i * K + (i % K)] = s = 1;
    for (let k = 0; k < K; k++) r[i * K + k] /= s;
  }
  return r;
}

function data(f32: boolean): { data: Float64Array | Float32Array; rows: number; cols: number } {
  const { X } = blobs(N, D, K, 3);
  const shifted = X.data.map((v) => v + OFFSET);
  return { data: f32 ? Float32Array.from(shifted) : shifted, rows: N, cols: D };
}

/** Every entry of a within `rel` of b's, relative to b's largest magnitude (an array's scale). */
function expectClose(a: Float64Array, b: Float64Array, rel: number): void {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(rel * scale);
}

function expectSameStats(a: SufficientStats, b: SufficientStats, rel: number): void {
  expect([a.covarianceType, a.nComponents, a.nFeatures, a.n, a.logLik]).toEqual([b.covarianceType, b.nComponents, b.nFeatures, b.n, b.logLik]);
  expectClose(a.sumResp, b.sumResp, rel);
  expectClose(a.sumX, b.sumX, rel);
  // Per component for full (each its own scale); one matrix or K·D values otherwise.
  if (a.covarianceType === 'full') {
    for (let k = 0; k < K; k++) expectClose(a.sumXX.subarray(k * D * D, (k + 1) * D * D), b.sumXX.subarray(k * D * D, (k + 1) * D * D), rel);
  } else expectClose(a.sumXX, b.sumXX, rel);
}

/** The means of the stored responsibilities (user's coordinates), each moved by `shift`·N(0, 1) per entry. */
function centresNear(engine: MixtureEngine, rng: Random, shift: number): Float64Array {
  const s = engine.stats(0);
  return componentMeans(s.sumX, s.sumResp, D).map((m) => m + shift * rng.normal());
}

describe('statsAbout equals stats()', () => {
  for (const covarianceType of TYPES) {
    for (const f32 of [false, true]) {
      for (const weighted of [false, true]) {
        const name = `${covarianceType}, ${f32 ? 'f32' : 'f64'}${weighted ? ', weighted' : ''}`;
        it(`${name}: to 1e-12 about centres near the means, and (but tied) stats() itself about centres 1e8 spreads away`, () => {
          const rng = new Random(covarianceType.length + (f32 ? 10 : 0) + (weighted ? 20 : 0));
          const X = data(f32);
          const sampleWeight = weighted ? Float64Array.from({ length: N }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + rng.random())) : undefined;
          const engine = new WasmEngine({ X, covarianceType, nComponents: K, sampleWeight });
          try {
            engine.setResponsibilities(softResponsibilities(rng, N));
            const want = engine.stats(-12.5);
            // The previous EM step's means: a fraction of the clusters' spread (about 1) away.
            expectSameStats(engine.statsAbout(centresNear(engine, rng, 0.3), -12.5), want, 1e-12);
            // The one-pass shift would keep nothing: the two passes of stats() instead, the same
            // bytes. Tied has no centres (its scatter comes from the Gram matrix, as stats()'s
            // does), so it stays the pooled job's, to rounding.
            const spread = engine.spread();
            const far = centresNear(engine, rng, 0).map((c) => c + 1e8 * spread);
            expectSameStats(engine.statsAbout(far, -12.5), want, covarianceType === 'tied' ? 1e-12 : 0);
            // The stored responsibilities are untouched, so stats() is as before.
            expectSameStats(engine.stats(-12.5), want, 0);
          } finally {
            engine.release();
          }
        });
      }
    }
  }

  it('after an E-step, and between E-steps, statsAbout leaves eStepStats as it was', () => {
    const X = data(false);
    const engine = new WasmEngine({ X, covarianceType: 'full', nComponents: K });
    const reference = new ReferenceEngine({ X, covarianceType: 'full', nComponents: K });
    try {
      const rng = new Random(5);
      engine.setResponsibilities(softResponsibilities(rng, N));
      reference.setResponsibilities(engine.responsibilities());
      const s = engine.stats(0);
      const means = componentMeans(s.sumX, s.sumResp, D);
      const covariances = new Float64Array(K * D * D), precisionsCholesky = new Float64Array(K * D * D);
      for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) covariances[k * D * D + d * D + d] = precisionsCholesky[k * D * D + d * D + d] = 1;
      const params = { weights: new Float64Array(K).fill(1 / K), means: { data: means, rows: K, cols: D }, covariances, precisionsCholesky };
      const first = engine.eStepStats(params).stats;
      engine.statsAbout(means.map((m) => m + 1), 0);
      const again = engine.eStepStats(params).stats;
      expectSameStats(again, first, 0);
      reference.eStep(params);
      expectSameStats(engine.statsAbout(means, first.logLik), reference.stats(first.logLik), 1e-12);
    } finally {
      engine.release();
    }
  });

  it('the reference engine returns stats() itself', () => {
    const X = data(false);
    for (const covarianceType of TYPES) {
      const engine = new ReferenceEngine({ X, covarianceType, nComponents: K });
      engine.setResponsibilities(softResponsibilities(new Random(1), N));
      expectSameStats(engine.statsAbout(new Float64Array(K * D).fill(OFFSET + 3), 2), engine.stats(2), 0);
    }
  });

  it('the missing-values engine merges its parts statsAbout to stats() to 1e-12', () => {
    const rng = new Random(9);
    const X = data(false);
    const holes = { ...X, data: Float64Array.from(X.data, (v, i) => (i % D !== 0 && rng.random() < 0.05 ? NaN : v)) };
    for (const covarianceType of TYPES) {
      const spec = { X: holes, covarianceType, nComponents: K, origin: observedColumnMeans(holes) };
      const engine = new MissingEngine(spec, (s) => new WasmEngine(s), 16);
      try {
        engine.setResponsibilities(softResponsibilities(rng, N));
        const want = engine.stats(1);
        const s = want.sumX.map((v, j) => v / want.sumResp[Math.floor(j / D)] + 0.2 * rng.normal());
        expectSameStats(engine.statsAbout(s, 1), want, 1e-12);
      } finally {
        engine.release();
      }
    }
  });

  it('refuses centres of the wrong length or not finite, naming them', () => {
    const X = data(false);
    const engine = new WasmEngine({ X, covarianceType: 'diag', nComponents: K });
    const reference = new ReferenceEngine({ X, covarianceType: 'diag', nComponents: K });
    try {
      for (const e of [engine, reference]) {
        expect(() => e.statsAbout(new Float64Array(K * D - 1), 0)).toThrow(ShapeError);
        expect(() => e.statsAbout(new Float64Array(K * D - 1), 0)).toThrow(/centres must hold K × D = 4 × 5 values; got 19/);
        const bad = new Float64Array(K * D);
        bad[7] = NaN;
        expect(() => e.statsAbout(bad, 0)).toThrow(ValueError);
        expect(() => e.statsAbout(bad, 0)).toThrow(/centres\[1\]\[2\] is NaN/);
      }
    } finally {
      engine.release();
    }
  });
});
