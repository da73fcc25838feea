import { describe, expect, it } from 'vitest';
import { KMeans, type KMeansIterationInfo } from '../../src/index.js';
import { blobs, quiet } from './data.js';

function nearest(X: { data: ArrayLike<number>; rows: number; cols: number }, C: { data: ArrayLike<number>; rows: number }): Int32Array {
  const D = X.cols, out = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let best = Infinity;
    for (let k = 0; k < C.rows; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (X.data[i * D + d] - C.data[k * D + d]) ** 2;
      if (s < best) { best = s; out[i] = k; }
    }
  }
  return out;
}

describe('KMeans properties', () => {
  for (const engine of ['wasm', 'reference'] as const) {
    it(`never increases the inertia over Lloyd iterations (${engine})`, () => {
      const X = blobs(600, 5, 6, 2, 2.5);
      const seen: KMeansIterationInfo[] = [];
      const km = new KMeans({ nClusters: 9, tol: 0, engine, onIteration: (s) => { seen.push(s); }, ...quiet }).fit(X);
      expect(seen.length).toBeGreaterThan(2);
      for (let t = 1; t < seen.length; t++) expect(seen[t].inertia).toBeLessThanOrEqual(seen[t - 1].inertia * (1 + 1e-12));
      expect(km.inertia).toBeLessThanOrEqual(seen[seen.length - 1].inertia * (1 + 1e-12));
    });
  }

  it('labels every row with its nearest centre, for training and new data', () => {
    const X = blobs(700, 7, 5, 3, 3);
    const km = new KMeans({ nClusters: 6, seed: 4, ...quiet }).fit(X);
    expect(Array.from(km.labels)).toEqual(Array.from(nearest(X, km.clusterCenters)));
    const Y = blobs(300, 7, 5, 9, 5);
    expect(Array.from(km.predict(Y))).toEqual(Array.from(nearest(Y, km.clusterCenters)));
  });

  it('treats an integer sampleWeight as that many copies of the row', () => {
    const X = blobs(200, 3, 4, 5, 2);
    const w = Array.from({ length: X.rows }, (_, i) => i % 4);
    const rows: number[] = [];
    w.forEach((c, i) => { for (let j = 0; j < c; j++) rows.push(i); });
    const dup = { data: Float64Array.from(rows.flatMap((i) => Array.from(X.data.subarray(i * 3, i * 3 + 3)))), rows: rows.length, cols: 3 };
    const init = { data: X.data.slice(3, 15), rows: 4, cols: 3 };
    // Duplicates change the mean variance (tol's scale): tol = 0 runs both to strict convergence.
    const a = new KMeans({ nClusters: 4, init, tol: 0, ...quiet }).fit(X, { sampleWeight: w });
    const b = new KMeans({ nClusters: 4, init, tol: 0, ...quiet }).fit(dup);
    for (let i = 0; i < a.clusterCenters.data.length; i++) expect(a.clusterCenters.data[i]).toBeCloseTo(b.clusterCenters.data[i], 10);
    expect(a.inertia).toBeCloseTo(b.inertia, 8);
    expect(a.nIter).toBe(b.nIter);
  });

  it('gives the same fit on the wasm and reference engines, k-means++ included', () => {
    const X = blobs(900, 6, 8, 6, 2);
    const a = new KMeans({ nClusters: 8, seed: 3, nInit: 2, ...quiet }).fit(X);
    const b = new KMeans({ nClusters: 8, seed: 3, nInit: 2, engine: 'reference', ...quiet }).fit(X);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.nIter).toBe(b.nIter);
    expect(Math.abs(a.inertia - b.inertia)).toBeLessThan(1e-10 * a.inertia);
  });

  for (const engine of ['wasm', 'reference'] as const) {
    for (const dtype of ['f64', 'f32'] as const) {
      it(`gives with 'elkan' (Hamerly's bounds) the same labels, centres, inertia and iterations as 'lloyd' (${engine}, ${dtype})`, () => {
        for (const [n, D, k, K, spread] of [[400, 4, 5, 5, 1], [1500, 2, 3, 12, 2], [900, 9, 8, 6, 3]] as const) {
          const X0 = blobs(n, D, k, 7, spread);
          const X = dtype === 'f32' ? { ...X0, data: Float32Array.from(X0.data) } : X0;
          const seen: { lloyd: number[]; elkan: number[] } = { lloyd: [], elkan: [] };
          const fit = (algorithm: 'lloyd' | 'elkan') => new KMeans({
            nClusters: K, seed: 1, tol: 0, algorithm, engine, ...quiet, onIteration: (s) => { seen[algorithm].push(s.inertia); },
          }).fit(X);
          const a = fit('lloyd'), b = fit('elkan');
          expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
          expect(b.clusterCenters).toEqual(a.clusterCenters);
          expect(b.inertia).toBe(a.inertia);
          expect(b.nIter).toBe(a.nIter);
          // Per iteration, Lloyd reports the argmin's expanded-form distances, the bounds exact ones.
          expect(seen.elkan.length).toBe(seen.lloyd.length);
          seen.elkan.forEach((v, t) => expect(Math.abs(v - seen.lloyd[t])).toBeLessThanOrEqual((dtype === 'f32' ? 1e-5 : 1e-9) * v));
        }
      });
    }
  }

  it('repeats a fit bit for bit from the same seed, and keeps the best of nInit runs', () => {
    const X = blobs(500, 3, 7, 8, 3);
    const a = new KMeans({ nClusters: 7, seed: 5, ...quiet }).fit(X);
    const b = new KMeans({ nClusters: 7, seed: 5, ...quiet }).fit(X);
    expect(b.clusterCenters).toEqual(a.clusterCenters);
    const runs: number[] = [];
    let last = { init: -1, inertia: 0 };
    const many = new KMeans({
      nClusters: 7, seed: 5, nInit: 4, ...quiet,
      onIteration: (s) => { if (s.init !== last.init && last.init >= 0) runs.push(last.inertia); last = s; },
    }).fit(X);
    runs.push(last.inertia);
    expect(runs.length).toBe(4);
    expect(many.inertia).toBeLessThanOrEqual(Math.min(...runs) * (1 + 1e-12));
    expect(many.inertia).toBeLessThanOrEqual(a.inertia * (1 + 1e-12));
  });

  it('clusters Float32Array input with the f32 kernels, close to the f64 fit', () => {
    const X = blobs(800, 5, 4, 10, 1);
    const X32 = { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols };
    const a = new KMeans({ nClusters: 4, seed: 2, ...quiet }).fit(X);
    const b = new KMeans({ nClusters: 4, seed: 2, ...quiet }).fit(X32);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Math.abs(b.inertia - a.inertia) / a.inertia).toBeLessThan(1e-5);
    for (const v of b.clusterCenters.data) expect(Math.fround(v)).toBe(v);
  });

  it('reports initialisation time and the centre shift in onIteration', () => {
    const X = blobs(300, 3, 3, 11);
    const seen: KMeansIterationInfo[] = [];
    new KMeans({ nClusters: 3, onIteration: (s) => { seen.push(s); }, ...quiet }).fit(X);
    expect(seen[0].iteration).toBe(1);
    expect(seen[0].initSeconds).toBeGreaterThanOrEqual(0);
    expect(seen[0].centerShift).toBeGreaterThanOrEqual(0);
  });

  it('takes one Lloyd step through partialStats, mergeStats and mStep on shards', () => {
    const X = blobs(500, 4, 5, 12, 2);
    const km = new KMeans({ nClusters: 5, seed: 0, maxIter: 1, ...quiet }).fit(X);
    const half = 200 * 4;
    const a = km.partialStats({ data: X.data.subarray(0, half), rows: 200, cols: 4 });
    const b = km.partialStats({ data: X.data.subarray(half), rows: 300, cols: 4 });
    const whole = km.partialStats(X);
    const merged = KMeans.mergeStats(a, b);
    expect(merged.nSamples).toBe(500);
    for (let i = 0; i < merged.sums.length; i++) expect(merged.sums[i]).toBeCloseTo(whole.sums[i], 9);
    expect(merged.inertia).toBeCloseTo(-km.score(X), 6);
    const next = new KMeans({ nClusters: 5, init: km.clusterCenters, maxIter: 1, ...quiet }).fit(X);
    km.mStep(merged);
    for (let i = 0; i < 20; i++) expect(km.clusterCenters.data[i]).toBeCloseTo(next.clusterCenters.data[i], 9);
  });

  it('warns when it did not converge and when fewer clusters than K are distinct', () => {
    const warnings: string[] = [];
    new KMeans({ nClusters: 5, maxIter: 1, tol: 0, onWarning: (m) => warnings.push(m) }).fit(blobs(300, 2, 5, 13, 3));
    expect(warnings.some((m) => /did not converge in 1 iterations/.test(m))).toBe(true);
    const same = { data: new Float64Array(20).fill(2), rows: 10, cols: 2 };
    const w2: string[] = [];
    new KMeans({ nClusters: 3, onWarning: (m) => w2.push(m) }).fit(same);
    expect(w2.some((m) => /1 distinct clusters, fewer than nClusters = 3/.test(m))).toBe(true);
  });
});
