// Large GEMMs split over the thread pool (panels of C, or depth chunks of the kernel's depth
// block when C is small) give the bytes of one kernel call: for NN, NT and TN, f64 and f32, below
// and above the size from which they split, with beta 0, 1 and another value; and a dictionary
// learning fit, whose statistics UᵀU and UᵀX are such products, and LISTA's training, whose
// batches go through 256 × 256 × 256 products, give the same bytes too.
import { afterAll, describe, expect, it } from 'vitest';
import { DictionaryLearning, LISTA, MiniBatchDictionaryLearning, Random, dispose, init, withWorkspace } from '../../src/node.js';
import { PARALLEL_GEMM_WORK, gemm, type GemmForm } from '../../src/runtime/gemm.js';
import { currentPool } from '../../src/runtime/threads/parallel.js';
import { bytesOf, expectSameBytesForAnyThreadCount, useThreads } from './with-threads.js';

type Shape = { m: number; n: number; k: number; what: string };

/** Shapes for each way of cutting the product, and one below the size from which it is cut. */
const SHAPES: Shape[] = [
  { m: 40, n: 30, k: 50, what: 'below the threshold: one call' },
  { m: 300, n: 70, k: 300, what: 'row panels' },
  { m: 70, n: 600, k: 150, what: 'column panels' },
  { m: 20, n: 36, k: 7000, what: 'depth chunks (C small, k long)' },
];

/** C after C ← op(A)·op(B) + beta·C from seeded A, B and C. */
function product(form: GemmForm, dtype: 'f64' | 'f32', { m, n, k }: Shape, beta: number): Uint8Array {
  const rng = new Random(m * 7 + n * 3 + k);
  const make = (len: number) => { const v = Array.from({ length: len }, () => rng.normal()); return dtype === 'f32' ? Float32Array.from(v) : Float64Array.from(v); };
  const A = make(m * k), B = make(k * n), C = make(m * n);
  return withWorkspace((ws) => {
    const a = ws.copyIn(A), b = ws.copyIn(B), c = ws.copyIn(C);
    gemm(form, dtype, a.ptr, b.ptr, c.ptr, m, n, k, beta);
    return new Uint8Array(c.view().slice().buffer);
  });
}

describe('GEMM on the thread pool', () => {
  afterAll(async () => {
    dispose();
    await init();
  });

  it('the test shapes sit where they should: one below the threshold, the others above it', () => {
    expect(SHAPES.map(({ m, n, k }) => m * n * k >= PARALLEL_GEMM_WORK)).toEqual([false, true, true, true]);
  });

  for (const form of ['NN', 'NT', 'TN'] as const) {
    for (const dtype of ['f64', 'f32'] as const) {
      it(`${form}, ${dtype}: the same bytes for 1, 2 and 3 threads as one kernel call, below and above the threshold, beta = 0, 1, 0.5`, async () => {
        await expectSameBytesForAnyThreadCount(() => bytesOf(...SHAPES.flatMap((s) => [0, 1, 0.5].map((beta) => new Float64Array(product(form, dtype, s, beta).buffer)))));
      });
    }
  }

  it('a product above the threshold runs as blocks on the pool, one below it does not', async () => {
    await useThreads(2);
    const blocks = () => currentPool()!.blocksRun().reduce((s, b) => s + b, 0);
    const before = blocks();
    product('NN', 'f64', SHAPES[0], 0);
    expect(blocks()).toBe(before);
    product('NN', 'f64', SHAPES[2], 0);
    // 600 columns in panels of 128.
    expect(blocks()).toBe(before + 5);
    product('TN', 'f64', SHAPES[3], 0);
    // 7000 rows of depth in chunks of 256.
    expect(blocks()).toBe(before + 5 + 28);
  });

  it('DictionaryLearning and MiniBatchDictionaryLearning on 4000 signals: the same bytes for 1, 2 and 3 threads', async () => {
    const rng = new Random(9);
    const F = 32, N = 4000;
    const X = { data: rng.fillNormal(new Float64Array(N * F)), rows: N, cols: F };
    await expectSameBytesForAnyThreadCount(() => {
      const dl = new DictionaryLearning({ nComponents: 40, alpha: 0.5, maxIter: 3, seed: 3 }).fit(X);
      const mb = new MiniBatchDictionaryLearning({ nComponents: 40, alpha: 0.5, maxIter: 1, batchSize: 2048, seed: 3 }).fit(X);
      return bytesOf(dl.components.data, dl.objectiveHistory, mb.components.data);
    });
  });

  it('LISTA trained in batches of 256 signals over 256 atoms: the same bytes for 1, 2 and 3 threads', async () => {
    const rng = new Random(10);
    const A = 256, F = 64, N = 512;
    const D = rng.fillNormal(new Float64Array(A * F));
    const X = { data: rng.fillNormal(new Float64Array(N * F)), rows: N, cols: F };
    await expectSameBytesForAnyThreadCount(() => {
      const lista = new LISTA({ dictionary: { data: D, rows: A, cols: F }, alpha: 2, batchSize: 256, epochs: 2, onWarning: () => {} }).fit(X);
      return bytesOf(lista.transform(X).data);
    });
  });
});
