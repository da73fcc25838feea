// The mixtures' k-means initialisation runs the wasm KMeans: the same seed starts EM from the
// same clusters as `new KMeans({ nClusters: K, seed })`.
import { describe, expect, it } from 'vitest';
import { BayesianGaussianMixture, GaussianMixture, KMeans, type IterationInfo } from '../../src/index.js';
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
