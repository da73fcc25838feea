// Mean-field sweeps give the same bytes for 1, 2 and 3 threads: BinarySparseCoding.infer with
// sequential and parallel sweeps, in f64 and f32, and a BinarySparseCoding fit.
import { describe, it } from 'vitest';
import { BinarySparseCoding, Random } from '../../src/index.js';
import { bytesOf, expectSameBytesForAnyThreadCount } from './with-threads.js';

/** Rows enough for several sweep blocks (256 rows each), and a remainder not a multiple of 16. */
const N = 1000;
const m = 24;
const n = 40;

function model(): BinarySparseCoding {
  const rng = new Random(5);
  const W = rng.fillNormal(new Float64Array(m * n), 0, 0.4);
  return new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b: new Float64Array(n).fill(-1.5), beta: new Float64Array(m).fill(3) });
}

describe('mean-field with threads', () => {
  for (const schedule of ['sequential', 'parallel'] as const) {
    for (const dtype of ['f64', 'f32'] as const) {
      it(`BinarySparseCoding.infer, ${schedule} sweeps, ${dtype}: the same bytes for 1, 2 and 3 threads`, async () => {
        const bsc = model();
        const V = bsc.sample(N, 3).V;
        const data = dtype === 'f32' ? { ...V, data: Float32Array.from(V.data) } : V;
        await expectSameBytesForAnyThreadCount(() => {
          const r = bsc.infer(data, { schedule, maxIter: 30, tol: 0 });
          return bytesOf(r.hHat.data, r.elbo, r.nIter);
        });
      });
    }
  }

  it('a BinarySparseCoding fit: the same bytes for 1, 2 and 3 threads', async () => {
    const V = model().sample(N, 4).V;
    await expectSameBytesForAnyThreadCount(() => {
      const fit = new BinarySparseCoding({ nHidden: n, seed: 2 }).fit(V, { maxIter: 4, tol: 0 });
      return bytesOf(fit.W.data, fit.b, fit.beta, fit.lowerBoundHistory);
    });
  });
});
