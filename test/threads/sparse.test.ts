// Sparse coding gives the same bytes for 1, 2 and 3 threads: sparseEncode (cd, fista, ista),
// SparseCoder, DictionaryLearning and MiniBatchDictionaryLearning, in f64 and f32.
import { describe, it } from 'vitest';
import { DictionaryLearning, MiniBatchDictionaryLearning, Random, SparseCoder, sparseEncode } from '../../src/index.js';
import { bytesOf, expectSameBytesForAnyThreadCount } from './with-threads.js';

/** Signals enough for three blocks (256 rows a block at 256 atoms). */
const N = 600;
const F = 32;
const A = 256;

function problem(dtype: 'f64' | 'f32') {
  const rng = new Random(7);
  const make = (n: number) => { const v = Array.from({ length: n }, () => rng.normal()); return dtype === 'f32' ? Float32Array.from(v) : Float64Array.from(v); };
  const dict = make(A * F);
  for (let a = 0; a < A; a++) {
    let s = 0;
    for (let f = 0; f < F; f++) s += dict[a * F + f] ** 2;
    for (let f = 0; f < F; f++) dict[a * F + f] /= Math.sqrt(s);
  }
  return { X: { data: make(N * F), rows: N, cols: F }, D: { data: dict, rows: A, cols: F } };
}

describe('sparse coding with threads', () => {
  for (const algorithm of ['cd', 'fista', 'ista'] as const) {
    for (const dtype of ['f64', 'f32'] as const) {
      it(`sparseEncode ${algorithm}, ${dtype}: the same bytes for 1, 2 and 3 threads`, async () => {
        const { X, D } = problem(dtype);
        await expectSameBytesForAnyThreadCount(() => {
          const r = sparseEncode(X, D, { algorithm, alpha: 0.2, maxIter: algorithm === 'cd' ? 1000 : 40 });
          return bytesOf(r.codes.data, r.nIter, r.dualityGap, r.objective);
        });
      });
    }
  }

  it('SparseCoder.transform: the same bytes for 1, 2 and 3 threads', async () => {
    const { X, D } = problem('f64');
    await expectSameBytesForAnyThreadCount(() => bytesOf(new SparseCoder({ dictionary: D, transformAlpha: 0.2 }).transform(X).data));
  });

  it('DictionaryLearning and MiniBatchDictionaryLearning: the same bytes for 1, 2 and 3 threads', async () => {
    const { X } = problem('f64');
    await expectSameBytesForAnyThreadCount(() => {
      const dl = new DictionaryLearning({ nComponents: 24, alpha: 0.3, maxIter: 4, seed: 1 }).fit(X);
      const mb = new MiniBatchDictionaryLearning({ nComponents: 24, alpha: 0.3, maxIter: 2, batchSize: 256, seed: 1 }).fit(X);
      return bytesOf(dl.components.data, dl.objectiveHistory, mb.components.data, dl.transform(X).data);
    });
  });
});
