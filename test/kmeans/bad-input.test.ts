import { beforeAll, describe, expect, it } from 'vitest';
import { KMeans, NotFittedError, ShapeError, ValueError, type KMeansJSON } from '../../src/index.js';
import { blobs, quiet } from './data.js';

describe('KMeans rejects bad options and input with typed errors', () => {
  it('checks every option in the constructor, naming it', () => {
    expect(() => new KMeans({ nClusters: 0 })).toThrow(/nClusters must be an integer ≥ 1; got 0/);
    expect(() => new KMeans({ nInit: 1.5 })).toThrow(ValueError);
    expect(() => new KMeans({ maxIter: 0 })).toThrow(/maxIter/);
    expect(() => new KMeans({ tol: -1 })).toThrow(/tol/);
    expect(() => new KMeans({ algorithm: 'full' as never })).toThrow(/algorithm must be one of 'lloyd', 'elkan'/);
    expect(() => new KMeans({ engine: 'gpu' as never })).toThrow(/engine/);
    expect(() => new KMeans({ init: 'kmeans' as never })).toThrow(/init must be 'k-means\+\+', 'random' or a K × D matrix/);
    expect(() => new KMeans({ nClusters: 3, init: [[0, 1], [1, 0]] })).toThrow(/init must have nClusters = 3 rows; got 2/);
    expect(() => new KMeans({ nClusters: 1, init: [[0, NaN]] })).toThrow(/init\[0\]\[1\]/);
    expect(() => new KMeans({ onIteration: 3 as never })).toThrow(/onIteration must be a function/);
  });

  it('checks X, init against X, and sampleWeight at fit', () => {
    const X = blobs(20, 2, 2);
    expect(() => new KMeans({ nClusters: 21, ...quiet }).fit(X)).toThrow(/X must have at least nClusters = 21 rows; got 20/);
    expect(() => new KMeans({ nClusters: 2, ...quiet }).fit([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => new KMeans({ nClusters: 2, ...quiet }).fit([[1, 2], [3, Infinity]])).toThrow(/X\[1\]\[1\]/);
    expect(() => new KMeans({ nClusters: 2, init: [[0, 0, 0], [1, 1, 1]], ...quiet }).fit(X)).toThrow(/init must have 2 columns/);
    const km = new KMeans({ nClusters: 2, ...quiet });
    expect(() => km.fit(X, { sampleWeight: [1, 2] })).toThrow(/sampleWeight must have one value per row of X \(20\); got 2/);
    expect(() => km.fit(X, { sampleWeight: new Array(20).fill(1).map((v, i) => (i === 3 ? -1 : v)) })).toThrow(/sampleWeight\[3\] must be a finite number ≥ 0; got -1/);
    expect(() => km.fit(X, { sampleWeight: new Array(20).fill(0) })).toThrow(/sampleWeight must not be all 0/);
  });

  it('needs a fit before predicting, and data of the fitted width', () => {
    const km = new KMeans({ nClusters: 2, ...quiet });
    expect(() => km.predict([[1, 2]])).toThrow(NotFittedError);
    expect(() => km.labels).toThrow(NotFittedError);
    km.fit(blobs(30, 2, 2));
    expect(() => km.predict([[1, 2, 3]])).toThrow(/X must have 2 columns \(the model was fitted on 2\); got 3/);
    expect(() => km.mStep({ ...km.partialStats([[1, 2]]), nFeatures: 3 })).toThrow(ShapeError);
  });

  it('leaves the model as it was when a fit throws, also from inside onIteration', () => {
    const X = blobs(100, 3, 3);
    let fail = false;
    const km = new KMeans({ nClusters: 3, ...quiet, onIteration: () => { if (fail) throw new Error('stop'); } }).fit(X);
    const before = km.toJSON();
    fail = true;
    expect(() => km.fit(blobs(100, 3, 3, 9))).toThrow('stop');
    expect(km.toJSON()).toEqual(before);
    expect(() => km.fit(X, { sampleWeight: [1] })).toThrow(ShapeError);
    expect(km.toJSON()).toEqual(before);
    const fresh = new KMeans({ nClusters: 3, ...quiet, onIteration: () => { throw new Error('stop'); } });
    expect(() => fresh.fit(X)).toThrow('stop');
    expect(fresh.isFitted).toBe(false);
  });
});

describe('KMeans JSON', () => {
  const X = blobs(120, 3, 4, 5);
  let km: KMeans;
  beforeAll(() => { km = new KMeans({ nClusters: 4, seed: 2, ...quiet }).fit(X); });

  it('round-trips exactly, through a string too', () => {
    const back = KMeans.fromJSON(JSON.parse(JSON.stringify(km.toJSON())) as KMeansJSON);
    expect(back.clusterCenters).toEqual(km.clusterCenters);
    expect(Array.from(back.labels)).toEqual(Array.from(km.labels));
    expect(back.inertia).toBe(km.inertia);
    expect(back.nIter).toBe(km.nIter);
    expect(back.converged).toBe(km.converged);
    expect(Array.from(back.predict(X))).toEqual(Array.from(km.labels));
    const given = new KMeans({ nClusters: 4, init: km.clusterCenters, ...quiet }).fit(X);
    expect(KMeans.fromJSON(given.toJSON()).toJSON()).toEqual(given.toJSON());
  });

  it('rejects a damaged file, naming the field path', () => {
    const bad = (edit: (j: any) => void) => {
      const j = JSON.parse(JSON.stringify(km.toJSON()));
      edit(j);
      return () => KMeans.fromJSON(j);
    };
    expect(() => KMeans.fromJSON(null as never)).toThrow(/json must be an object/);
    expect(bad((j) => { j.kind = 'GaussianMixture'; })).toThrow(/json.kind must be 'KMeans'/);
    expect(bad((j) => { j.version = 2; })).toThrow(/json.version must be 1/);
    expect(bad((j) => { j.clusterCenters.data[5] = null; })).toThrow(/json.clusterCenters.data\[5\] must be a finite number; got null/);
    expect(bad((j) => { j.clusterCenters.data.pop(); })).toThrow(/json.clusterCenters.data must have length 12; got 11/);
    expect(bad((j) => { j.clusterCenters.cols = 2; })).toThrow(/json.clusterCenters.cols must be 3/);
    expect(bad((j) => { j.labels[7] = 4; })).toThrow(/json.labels\[7\] must be an integer in \[0, 3\]; got 4/);
    expect(bad((j) => { j.inertia = 'x'; })).toThrow(/json.inertia must be a finite number/);
    expect(bad((j) => { j.options.nClusters = 0; })).toThrow(/json.options.nClusters must be an integer ≥ 1/);
    expect(bad((j) => { j.options.algorithm = 'auto'; })).toThrow(/json.options.algorithm/);
    expect(bad((j) => { j.options.init = { rows: 4, cols: 3, data: [1] }; })).toThrow(/json.options.init.data must have length 12/);
    expect(bad((j) => { j.converged = 1; })).toThrow(/json.converged must be a boolean/);
    expect(bad((j) => { delete j.nIter; })).toThrow(/json.nIter must be an integer ≥ 0; got undefined/);
  });
});
