// partialFit's per-batch machinery: the engine kept between batches (memory.ts keep), the copy
// of each batch into wasm memory with its column sums, and the stepwise update written into
// spare arrays. None of it may change a result: every test here compares bytes.
import { describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture, GaussianMixture, InitError, bytesInUse, dispose, wasmMemory, type CovarianceType, type SufficientStats,
} from '../../src/index.js';
import { init } from '../../src/node.js';
import { centreInto, columnMeans } from '../../src/mixture/centre.js';
import { WasmEngine } from '../../src/mixture/engine-wasm.js';
import { scaleStats, stepwiseUpdate, stepwiseUpdateInto } from '../../src/mixture/online.js';
import { blobs } from './data.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
const quiet = { onWarning: () => {} };
type M = { data: Float64Array | Float32Array; rows: number; cols: number };

function rows(X: M, start: number, end: number): M {
  return { data: X.data.slice(start * X.cols, end * X.cols), rows: end - start, cols: X.cols };
}

/** The bytes of the values as f64, so that −0 and +0 or two NaN payloads differ. */
function bytes(...arrays: ArrayLike<number>[]): string {
  return arrays.map((a) => Buffer.from(Float64Array.from(a).buffer).toString('hex')).join('|');
}

function paramBytes(m: GaussianMixture | BayesianGaussianMixture): string {
  return bytes(m.weights, m.means.data, m.covariances, m.precisionsCholesky, [m.lowerBound]);
}

function statBytes(s: SufficientStats): string {
  return bytes([s.n, s.logLik], s.sumResp, s.sumX, s.sumXX);
}

/** Batches of 150 rows (one shape: the kept engine is reloaded), then a short one (a new engine). */
function batches(X: M): M[] {
  return [rows(X, 0, 150), rows(X, 150, 300), rows(X, 300, 450), rows(X, 450, 600), rows(X, 600, 680)];
}

describe('partialFit and its definition agree to the byte', () => {
  const { X } = blobs(680, 3, 3, 5, 2);
  const w = Float64Array.from({ length: 680 }, (_, i) => (i % 7) / 3);
  const X32 = { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols };

  for (const covarianceType of TYPES) {
    for (const variant of ['f64', 'f32', 'weighted'] as const) {
      it(`${covarianceType}, ${variant}: each step is partialStats of the batch, the stepwise rule of scaleStats and mergeStats, then mStep`, () => {
        // κ = 1, t0 = 0: γ_t = 1/t, so the first update (γ = 1) is the batch's statistics alone.
        const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 2, stepDecay: 1, stepOffset: 0, ...quiet });
        const data = variant === 'f32' ? X32 : X;
        const list = batches(data);
        const weightsOf = (b: number) => {
          const start = list.slice(0, b).reduce((s, m) => s + m.rows, 0);
          return variant === 'weighted' ? { sampleWeight: w.slice(start, start + list[b].rows) } : {};
        };
        gm.partialFit(list[0], weightsOf(0));
        const firstCount = gm.partialStats(list[0], weightsOf(0)).n; // Σw of the first batch, as the engine sums it
        let running: SufficientStats | null = null;
        for (let b = 1; b < list.length; b++) {
          const batch = gm.partialStats(list[b], weightsOf(b)); // a fresh engine under the current parameters
          running = running ? stepwiseUpdate(running, batch, 1 / b) : scaleStats(batch, firstCount / batch.n);
          const expected = GaussianMixture.fromJSON(gm.toJSON()).mStep(running);
          gm.partialFit(list[b], weightsOf(b));
          expect(bytes(gm.weights, gm.means.data, gm.covariances, gm.precisionsCholesky)).toBe(
            bytes(expected.weights, expected.means.data, expected.covariances, expected.precisionsCholesky),
          );
          expect(bytes([gm.lowerBound])).toBe(bytes([batch.logLik / batch.n]));
        }
      });
    }

    it(`${covarianceType}: the Bayesian mixture's step is partialStats, the stepwise rule, then mStep`, () => {
      const bgm = new BayesianGaussianMixture({ nComponents: 3, covarianceType, seed: 2, stepDecay: 1, stepOffset: 0, ...quiet });
      const list = batches(X);
      bgm.partialFit(list[0]);
      let running: SufficientStats | null = null;
      for (let b = 1; b < list.length; b++) {
        const batch = bgm.partialStats(list[b]);
        running = running ? stepwiseUpdate(running, batch, 1 / b) : scaleStats(batch, list[0].rows / batch.n);
        const expected = BayesianGaussianMixture.fromJSON(bgm.toJSON()).mStep({ ...running, sumRespLogResp: 0 });
        bgm.partialFit(list[b]);
        expect(bytes(bgm.weights, bgm.means.data, bgm.covariances, bgm.precisionsCholesky, bgm.degreesOfFreedom, bgm.weightConcentration))
          .toBe(bytes(expected.weights, expected.means.data, expected.covariances, expected.precisionsCholesky, expected.degreesOfFreedom, expected.weightConcentration));
      }
    });
  }

  for (const covarianceType of TYPES) {
    it(`${covarianceType}: stepwiseUpdateInto writes what stepwiseUpdate returns, empty components included`, () => {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType, seed: 1, ...quiet }).fit(X);
      const a = gm.partialStats(rows(X, 0, 200));
      const b = gm.partialStats(rows(X, 200, 500));
      const empty = { ...b, sumResp: b.sumResp.slice(), sumX: b.sumX.slice() };
      empty.sumResp[1] = 0; // Chan's term skips a component without weight on either side
      empty.sumX.fill(0, 3, 6);
      const out = () => ({ ...a, sumResp: new Float64Array(a.sumResp.length), sumX: new Float64Array(a.sumX.length), sumXX: new Float64Array(a.sumXX.length) });
      for (const [r, s] of [[a, b], [b, a], [a, empty], [empty, a]]) {
        for (const gamma of [1, 0.37, 1e-3]) {
          expect(statBytes(stepwiseUpdateInto(r, s, gamma, out()))).toBe(statBytes(stepwiseUpdate(r, s, gamma)));
        }
      }
    });
  }

  it('the engine centres a batch on its column means summed in wasm, as columnMeans and centreInto do in JavaScript', () => {
    // Far from the origin, with negative zeros and f32 values: the column sums and differences
    // must be the same IEEE operations in the same order.
    const D = 5;
    const raw = Float64Array.from({ length: 401 * D }, (_, i) => (i % 13 === 0 ? -0 : 1e6 + Math.sin(i) * 1e-3 * (i % 3)));
    for (const data of [raw, Float32Array.from(raw)]) {
      const Xb = { data, rows: 401, cols: D };
      const own = new WasmEngine({ X: Xb, covarianceType: 'full', nComponents: 2 });
      const given = new WasmEngine({ X: Xb, covarianceType: 'full', nComponents: 2, origin: columnMeans(Xb) });
      try {
        const fitted = new GaussianMixture({ nComponents: 2, seed: 1, ...quiet }).fit(Xb) as unknown as { state: { params: Parameters<WasmEngine['eStepStats']>[0] } };
        expect(statBytes(own.eStepStats(fitted.state.params).stats)).toBe(statBytes(given.eStepStats(fitted.state.params).stats));
      } finally {
        given.release();
        own.release();
      }
      // And the centred rows the E-step reads equal centreInto's.
      const engine = new WasmEngine({ X: Xb, covarianceType: 'diag', nComponents: 2 }) as unknown as { x64: { readF64(): Float64Array }; release(): void };
      try {
        expect(bytes(engine.x64.readF64())).toBe(bytes(centreInto(Xb, columnMeans(Xb), new Float64Array(401 * D))));
      } finally {
        engine.release();
      }
    }
  });

  it('a later batch with NaN or ±Infinity is refused naming the entry, and the stream goes on as if it had not been sent', () => {
    const list = batches(X);
    const gm = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(list[0]).partialFit(list[1]);
    const twin = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(list[0]).partialFit(list[1]);
    const bad = rows(X, 150, 300);
    bad.data[2 * 3 + 1] = NaN;
    expect(() => gm.partialFit(bad)).toThrow('X must contain only finite values; X[2][1] is NaN');
    const inf = { data: Float32Array.from(bad.data), rows: bad.rows, cols: 3 };
    inf.data[2 * 3 + 1] = 1;
    inf.data[140 * 3] = -Infinity;
    expect(() => gm.partialFit(inf)).toThrow('X must contain only finite values; X[140][0] is -Infinity');
    expect(() => gm.scoreSamples(inf)).toThrow('X[140][0] is -Infinity');
    expect(() => new GaussianMixture({ nComponents: 3, engine: 'reference', ...quiet }).fit(X).predict(inf)).toThrow('X[140][0] is -Infinity');
    expect(gm.nIter).toBe(2);
    gm.partialFit(list[2]);
    twin.partialFit(list[2]);
    expect(paramBytes(gm)).toBe(paramBytes(twin));
  });
});

describe('the engine partialFit keeps between batches', () => {
  const { X } = blobs(680, 3, 3, 5, 2);

  it('keeps wasm memory flat over 10,000 batches, and fit gives it back', () => {
    const { X: small } = blobs(40, 2, 2, 3, 2);
    const gm = new GaussianMixture({ nComponents: 2, seed: 1, ...quiet }).partialFit(small).partialFit(small);
    const inUse = bytesInUse();
    const size = wasmMemory().buffer.byteLength;
    expect(inUse).toBeGreaterThan(0); // the kept engine
    for (let i = 0; i < 10_000; i++) gm.partialFit(small);
    expect(bytesInUse()).toBe(inUse);
    expect(wasmMemory().buffer.byteLength).toBe(size);
    expect(gm.nIter).toBe(10_002);
    gm.fit(small);
    expect(bytesInUse()).toBe(0);
  });

  it('gives the memory back to a batch of another shape, and to another stream', () => {
    const list = batches(X);
    const a = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(list[0]).partialFit(list[1]);
    const one = bytesInUse();
    a.partialFit(list[4]); // 80 rows: a new, smaller engine in place of the 150-row one
    expect(bytesInUse()).toBeLessThan(one);
    // One kept engine at a time, at the bottom of memory: b's takes the place of a's, then the
    // other way round, and the memory in use never grows.
    const b = new BayesianGaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(list[0]).partialFit(list[1]);
    expect(bytesInUse()).toBe(one);
    a.partialFit(list[2]);
    expect(bytesInUse()).toBe(one);
    b.partialFit(list[2]);
    expect(bytesInUse()).toBe(one);
  });

  it('two interleaved streams, and fits of other models between batches, change no result', () => {
    const list = batches(X);
    const { X: other } = blobs(300, 4, 2, 9, 3);
    const a = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet });
    const b = new BayesianGaussianMixture({ nComponents: 3, covarianceType: 'diag', seed: 2, ...quiet });
    for (const batch of list) {
      a.partialFit(batch);
      new GaussianMixture({ nComponents: 2, seed: 3, ...quiet }).fit(other); // another shape, in the memory above a's engine
      b.partialFit(batch);
      new BayesianGaussianMixture({ nComponents: 2, seed: 3, ...quiet }).partialFit(other).partialFit(other).predict(other);
    }
    const soloA = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet });
    const soloB = new BayesianGaussianMixture({ nComponents: 3, covarianceType: 'diag', seed: 2, ...quiet });
    for (const batch of list) soloA.partialFit(batch);
    for (const batch of list) soloB.partialFit(batch);
    expect(paramBytes(a)).toBe(paramBytes(soloA));
    expect(paramBytes(b)).toBe(paramBytes(soloB));
  });

  it('a stream open across dispose() goes on after init() as if nothing had happened', async () => {
    const list = batches(X);
    const gm = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet }).partialFit(list[0]).partialFit(list[1]);
    expect(bytesInUse()).toBeGreaterThan(0);
    dispose(); // releases the kept engine with the memory
    expect(() => gm.partialFit(list[2])).toThrow(InitError);
    expect(gm.nIter).toBe(2);
    await init();
    expect(bytesInUse()).toBe(0);
    gm.partialFit(list[2]).partialFit(list[3]);
    const twin = new GaussianMixture({ nComponents: 3, seed: 2, ...quiet });
    for (const batch of list.slice(0, 4)) twin.partialFit(batch);
    expect(paramBytes(gm)).toBe(paramBytes(twin));
  });
});
