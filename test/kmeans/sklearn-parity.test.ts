// KMeans against scikit-learn 1.2.1 (test/fixtures/kmeans.json, made by scripts/fixtures/kmeans.py):
// from the same initial centres, the same labels and n_iter, centres and inertia to 1e-10.
import { describe, expect, it } from 'vitest';
import { KMeans, type Matrix } from '../../src/index.js';
import { passBlockRows, passPartialSize } from '../../src/kmeans/data.js';
import { expectRel, loadFixture, mat, type Arr } from '../fixtures.js';

interface Case {
  name: string; description: string; dtype: 'f64' | 'f32'; tol: number; max_iter: number;
  X: Arr; init: Arr; sample_weight: Arr | null; checksum_X: number;
  labels: Arr; cluster_centers: Arr; inertia: number; n_iter: number;
  X_test: Arr; predict: Arr; transform: Arr; score: number;
}

const { cases } = loadFixture<{ cases: Case[] }>('kmeans.json');
/** f64: centres and inertia to 1e-10 relative (the bar). */
const RTOL_F64 = 1e-10;
/**
 * f32: scikit-learn sums the clusters and the inertia in float32 (elbo in f64), so results
 * agree to a few float32 ulps of the largest value, not to f64 rounding.
 */
const RTOL_F32 = 2e-5;

function input(a: Arr, dtype: 'f64' | 'f32'): Matrix {
  const m = mat(a);
  return dtype === 'f32' ? { ...m, data: Float32Array.from(m.data) } : m;
}

describe('KMeans matches scikit-learn from the same initial centres', () => {
  it('has a case whose passes run in several blocks (their partial sums added in block order)', () => {
    const c = cases.find((x) => x.name === 'blocks')!;
    const [N, D] = c.X.shape, K = c.init.shape[0];
    expect(Math.ceil(N / passBlockRows(N, K, D, passPartialSize(K, D, true)))).toBeGreaterThan(2);
  });

  for (const c of cases) {
    for (const [engine, algorithm] of [['wasm', 'lloyd'], ['reference', 'lloyd'], ['wasm', 'elkan'], ['reference', 'elkan']] as const) {
      it(`${c.name} (${c.description}), ${engine} engine, ${algorithm}`, () => {
        const X = input(c.X, c.dtype);
        // The data arrived intact (numpy sums pairwise, so compare to rounding).
        expectRel([Array.from(X.data).reduce((s, v) => s + v, 0)], [c.checksum_X], 1e-12, 'checksum of X');
        const km = new KMeans({
          nClusters: c.init.shape[0], init: mat(c.init), tol: c.tol, maxIter: c.max_iter, engine, algorithm, onWarning: () => {},
        }).fit(X, c.sample_weight ? { sampleWeight: c.sample_weight.data } : {});
        const rtol = c.dtype === 'f32' ? RTOL_F32 : RTOL_F64;
        expect(Array.from(km.labels)).toEqual(c.labels.data);
        expect(km.nIter).toBe(c.n_iter);
        expectRel(km.clusterCenters.data, c.cluster_centers.data, rtol, 'clusterCenters', 1);
        expectRel([km.inertia], [c.inertia], rtol, 'inertia');
        const Xt = input(c.X_test, c.dtype);
        expect(Array.from(km.predict(Xt))).toEqual(c.predict.data);
        expectRel(km.transform(Xt).data, c.transform.data, c.dtype === 'f32' ? 1e-3 : 1e-8, 'transform', 1e-3);
        expectRel([km.score(Xt)], [c.score], c.dtype === 'f32' ? 1e-4 : 1e-9, 'score');
      });
    }
  }
});
