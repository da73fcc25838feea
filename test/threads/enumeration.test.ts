// Exact enumeration runs over fixed ranges of the Gray-code sequence, one block each, combined
// in range order: BinarySparseCoding's log p(v) and exact posterior, BoltzmannMachine's and
// IsingGrid's log Z and marginals give the same bytes for 1, 2 and 3 threads.
import { describe, expect, it } from 'vitest';
import { BinarySparseCoding, BoltzmannMachine, IsingGrid, Random } from '../../src/index.js';
import { currentPool } from '../../src/runtime/threads/parallel.js';
import { grayRangeBits } from '../../src/reference/enumerate.js';
import { bytesOf, expectSameBytesForAnyThreadCount, useThreads } from './with-threads.js';

/** Latent units enough for many ranges (2^16 states in 64 ranges of 1024). */
const n = 16;
const m = 12;

function bsc(): BinarySparseCoding {
  const rng = new Random(21);
  const W = rng.fillNormal(new Float64Array(m * n), 0, 0.5);
  return new BinarySparseCoding({ W: { data: W, rows: m, cols: n }, b: new Float64Array(n).fill(-1), beta: new Float64Array(m).fill(2) });
}

function boltzmann(units: number, seed: number): BoltzmannMachine {
  const rng = new Random(seed);
  const W = new Float64Array(units * units);
  for (let i = 0; i < units; i++) for (let j = 0; j < i; j++) W[i * units + j] = W[j * units + i] = 0.4 * rng.normal();
  return new BoltzmannMachine({ W: { data: W, rows: units, cols: units }, b: rng.fillNormal(new Float64Array(units), 0, 0.5) });
}

describe('exact enumeration with threads', () => {
  it('BinarySparseCoding exactLogLikelihood and exactPosterior (rows past one job of 256): the same bytes for 1, 2 and 3 threads', async () => {
    const model = bsc();
    const V = model.sample(300, 1).V;
    await expectSameBytesForAnyThreadCount(() => {
      const post = model.exactPosterior(V);
      return bytesOf(model.exactLogLikelihood(V), post.logLikelihood, post.marginals.data);
    });
  });

  it('BoltzmannMachine exactLogPartition and exactMarginals, free and clamped: the same bytes for 1, 2 and 3 threads', async () => {
    const bm = boltzmann(18, 22);
    const clamp = Float64Array.from({ length: 18 }, (_, i) => (i < 3 ? i % 2 : NaN));
    await expectSameBytesForAnyThreadCount(() => bytesOf(bm.exactLogPartition(), bm.exactMarginals(), bm.exactLogPartition(clamp), bm.exactMarginals(clamp)));
  });

  it('IsingGrid (4 × 5) log Z by enumeration: the same bytes for 1, 2 and 3 threads', async () => {
    const field = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i));
    const grid = IsingGrid.fromSpins({ height: 4, width: 5, coupling: 0.6, field });
    await expectSameBytesForAnyThreadCount(() => {
      const bm = grid.toBoltzmannMachine();
      return bytesOf(bm.exactLogPartition(), bm.exactMarginals());
    });
  });

  it('runs its ranges as blocks on the pool: 2^16 states are 64 ranges', async () => {
    expect(2 ** (n - grayRangeBits(n))).toBe(64);
    await useThreads(2);
    const blocks = () => currentPool()!.blocksRun().reduce((s, b) => s + b, 0);
    const before = blocks();
    boltzmann(n, 23).exactLogPartition();
    expect(blocks()).toBe(before + 64);
  });
});
