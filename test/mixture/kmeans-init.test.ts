// The mixtures' k-means initialisation runs the wasm KMeans: the same seed starts EM from the
// same clusters as `new KMeans({ nClusters: K, seed })`.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, KMeans, type IterationInfo } from '../../src/index.js';
import { ReferenceKMeansData } from '../../src/kmeans/data-reference.js';
import { WasmKMeansData } from '../../src/kmeans/data-wasm.js';
import { centreInto, columnMeans } from '../../src/mixture/centre.js';
import { WasmEngine } from '../../src/mixture/engine-wasm.js';
import { blobs, quiet } from '../kmeans/data.js';

describe("initParams 'kmeans'", () => {
  it('starts GaussianMixture from the centres KMeans finds with the same seed', () => {
    const X = blobs(600, 4, 5, 21, 1.5);
    for (const seed of [0, 7]) {
      const gm = new GaussianMixture({ nComponents: 5, maxIter: 0, seed, ...quiet }).fit(X);
      const km = new KMeans({ nClusters: 5, seed, ...quiet }).fit(X);
      const a = gm.means.data, b = km.clusterCenters.data;
      for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-12 * (1 + Math.abs(b[i])));
    }
  });

  it('reports the time spent initialising in onIteration', () => {
    const X = blobs(300, 3, 3, 22);
    const seen: IterationInfo[] = [];
    new BayesianGaussianMixture({ nComponents: 3, maxIter: 3, onIteration: (i) => { seen.push(i); }, ...quiet }).fit(X);
    expect(seen.length).toBeGreaterThan(0);
    for (const i of seen) {
      expect(i.initSeconds).toBeGreaterThanOrEqual(0);
      expect(i.initSeconds).toBe(seen[0].initSeconds);
    }
  });

  it('does not matter when weightsInit, meansInit and precisionsInit are all given', () => {
    const X = blobs(300, 2, 3, 23);
    const inits = {
      weightsInit: [0.3, 0.3, 0.4], meansInit: [[0, 0], [3, 3], [-3, 2]],
      precisionsInit: [1, 0, 0, 1, 2, 0, 0, 2, 1, 0.2, 0.2, 1],
    };
    const fits = (['kmeans', 'k-means++', 'random'] as const).map((initParams) =>
      new GaussianMixture({ nComponents: 3, maxIter: 5, initParams, ...inits, ...quiet }).fit(X).toJSON());
    expect({ ...fits[1], options: null }).toEqual({ ...fits[0], options: null });
    expect({ ...fits[2], options: null }).toEqual({ ...fits[0], options: null });
  });
});

describe('the k-means start without the centred copy', () => {
  const X = blobs(700, 5, 4, 24, 2);
  // Far from the origin, in f32 and f64: the shift by the origin must happen in f64.
  const far = { ...X, data: X.data.map((v, i) => v + 1e4 * (1 + (i % 5))) };
  const far32 = { ...far, data: Float32Array.from(far.data) };

  it('copies X − origin and its column-centring into wasm as the centred f64 matrix would be', () => {
    for (const x of [far, far32]) {
      const origin = columnMeans(x);
      const copy = centreInto(x, origin, new Float64Array(x.rows * x.cols));
      const centred = { data: copy, rows: x.rows, cols: x.cols };
      const datas = [
        new WasmKMeansData(x, { origin }, null), new ReferenceKMeansData(x, { origin }, null),
        new WasmKMeansData(centred, 'mean', null), new ReferenceKMeansData(centred, 'mean', null),
      ];
      try {
        for (const d of datas) {
          expect(d.dtype).toBe('f64');
          expect(d.sumSquares).toBe(datas[2].sumSquares);
          for (const i of [0, 1, 350, 699]) expect(Array.from(d.row(i))).toEqual(Array.from(datas[2].row(i)));
        }
        // The shift is the whole of it: origin plus the centred copy's means.
        for (let d = 0; d < x.cols; d++) expect(datas[0].shift[d]).toBeCloseTo(origin[d] + datas[2].shift[d], 6);
      } finally {
        for (const d of datas) d.release();
      }
    }
  });

  it('stores k-means labels as the same responsibilities and scatters as their one-hot rows', () => {
    const K = 4, n = X.rows;
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 7 + (i >> 3)) % K);
    const w = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 0.5 + (i % 3)));
    for (const type of ['full', 'tied', 'diag', 'spherical'] as const) {
      for (const sampleWeight of [undefined, w]) {
        const a = new WasmEngine({ X, covarianceType: type, nComponents: K, sampleWeight });
        const b = new WasmEngine({ X, covarianceType: type, nComponents: K, sampleWeight });
        try {
          a.setLabels(labels);
          const oneHot = new Float64Array(n * K);
          labels.forEach((k, i) => (oneHot[i * K + k] = 1));
          b.setResponsibilities(oneHot);
          expect(a.responsibilities()).toEqual(b.responsibilities());
          expect(a.stats(0)).toEqual(b.stats(0));
        } finally {
          a.release();
          b.release();
        }
      }
    }
  });

  it('refuses labels of the wrong length or outside the components', () => {
    const e = new WasmEngine({ X, covarianceType: 'full', nComponents: 3 });
    try {
      expect(() => e.setLabels(new Int32Array(5))).toThrow(/one entry per row/);
      expect(() => e.setLabels(new Int32Array(X.rows).fill(3))).toThrow(/labels\[0\] must be a component index in \[0, 3\)/);
    } finally {
      e.release();
    }
  });
});
