// The hidden Markov models give the same bytes for 1, 2 and 3 threads: GaussianHMM (full, diag,
// f32 data), CategoricalHMM and FactorialHMM (structured and exact), fits and every query, on many
// sequences of unequal lengths (the recursions in blocks of whole sequences) and on one long
// sequence (one block of recursion, the per-row steps in blocks of rows); the pool's threads
// share the work, and a worker that throws during a fit fails it with the model left as it was.
import { describe, expect, it } from 'vitest';
import { CategoricalHMM, FactorialHMM, GaussianHMM, Random, WorkerError, type Matrix } from '../../src/index.js';
import { rowBlockRows, sequenceBlockSize } from '../../src/hmm/chain.js';
import { densityBlockRows } from '../../src/mixture/log-density.js';
import { currentPool } from '../../src/runtime/threads/parallel.js';
import { bytesOf, expectSameBytesForAnyThreadCount, onPoolOfThreeAfterOneThread } from './with-threads.js';

const D = 3;
const K = 4;
/** 80 sequences of 1 to 149 rows, in no order. */
const LENGTHS = Array.from({ length: 80 }, (_, s) => 1 + ((s * 53) % 149));
const N = LENGTHS.reduce((a, b) => a + b, 0);

/** Rows of a sticky K-state chain with Gaussian emissions around K well-separated means, and the states (restarted at each sequence). */
function chainData(lengths: number[], seed: number): { X: Matrix<Float64Array>; states: Int32Array } {
  const rng = new Random(seed);
  const rows = lengths.reduce((a, b) => a + b, 0);
  const X = new Float64Array(rows * D), states = new Int32Array(rows);
  let t = 0;
  for (const T of lengths) {
    let z = rng.int(K);
    for (let i = 0; i < T; i++, t++) {
      if (i > 0 && rng.random() < 0.15) z = rng.int(K);
      states[t] = z;
      for (let d = 0; d < D; d++) X[t * D + d] = 2.5 * (((z + d) % K) - 1.5) + rng.normal();
    }
  }
  return { X: { data: X, rows, cols: D }, states };
}

const MANY = chainData(LENGTHS, 1);
/** One sequence as long as all of MANY's. */
const ONE = chainData([N], 2);

function gaussianBytes(type: 'full' | 'diag', X: Matrix, lengths: number[] | undefined): Uint8Array {
  const opts = lengths ? { lengths } : {};
  const hmm = new GaussianHMM({ nComponents: K, covarianceType: type, nIter: 6, tol: 0, seed: 3, onWarning: () => {} }).fit(X, opts);
  return bytesOf(hmm.startProb, hmm.transMat.data, hmm.means.data, hmm.covars, hmm.lowerBoundHistory,
    hmm.score(X, opts), hmm.predict(X, opts), hmm.predictProba(X, opts).data, hmm.decode(X, { ...opts, algorithm: 'map' }).logProb,
    hmm.decode(X, opts).logProb);
}

describe('GaussianHMM with threads', () => {
  it('runs every pass in several blocks at these sizes (so the threads share them)', () => {
    for (const counts of [true, false]) expect(Math.ceil(LENGTHS.length / sequenceBlockSize(LENGTHS.length, N, K, counts))).toBeGreaterThan(3);
    expect(Math.ceil(N / rowBlockRows(N, K))).toBeGreaterThan(3);
    for (const type of ['full', 'diag'] as const) expect(Math.ceil(N / densityBlockRows(N, type, K, D))).toBeGreaterThan(3);
    // One sequence: one block of recursion, but the per-row steps still in several.
    expect(sequenceBlockSize(1, N, K, true)).toBe(1);
  });

  for (const type of ['full', 'diag'] as const) {
    it(`${type}, ${LENGTHS.length} sequences of unequal lengths: fit, score, predict, predictProba and decode give the same bytes for 1, 2 and 3 threads`, async () => {
      await expectSameBytesForAnyThreadCount(() => gaussianBytes(type, MANY.X, LENGTHS));
    });
  }

  it('full, one long sequence: the same bytes for 1, 2 and 3 threads', async () => {
    await expectSameBytesForAnyThreadCount(() => gaussianBytes('full', ONE.X, undefined));
  });

  it('diag, f32 data: the same bytes for 1, 2 and 3 threads', async () => {
    const X32 = { ...MANY.X, data: Float32Array.from(MANY.X.data) };
    await expectSameBytesForAnyThreadCount(() => gaussianBytes('diag', X32, LENGTHS));
  });
});

describe('CategoricalHMM with threads', () => {
  // The symbols: each state's row of MANY's states mapped to one of 6 symbols, noisily.
  const rng = new Random(5);
  const symbols = Float64Array.from(MANY.states, (z) => (rng.random() < 0.7 ? z : 4 + rng.int(2)));
  const X = { data: symbols, rows: N, cols: 1 };

  for (const lengths of [LENGTHS, undefined]) {
    it(`${lengths ? `${lengths.length} sequences` : 'one sequence'}: fit, score, predict and predictProba give the same bytes for 1, 2 and 3 threads`, async () => {
      const opts = lengths ? { lengths } : {};
      await expectSameBytesForAnyThreadCount(() => {
        const hmm = new CategoricalHMM({ nComponents: K, nIter: 6, tol: 0, seed: 2, onWarning: () => {} }).fit(X, opts);
        return bytesOf(hmm.startProb, hmm.transMat.data, hmm.emissionProb.data, hmm.lowerBoundHistory,
          hmm.score(X, opts), hmm.predict(X, opts), hmm.predictProba(X, opts).data);
      });
    });
  }
});

describe('FactorialHMM with threads', () => {
  for (const inference of ['structured', 'exact'] as const) {
    it(`${inference}, ${LENGTHS.length} sequences: fit, infer and the exact log-likelihood give the same bytes for 1, 2 and 3 threads`, async () => {
      await expectSameBytesForAnyThreadCount(() => {
        const f = new FactorialHMM({ nChains: 3, nStates: 2, inference, nIter: 4, tol: 0, maxSweeps: 5, seed: 1, onWarning: () => {} })
          .fit(MANY.X, { lengths: LENGTHS });
        const q = f.infer(MANY.X, { lengths: LENGTHS });
        return bytesOf(f.weights.data, f.covariance, f.startProb.data, f.transMat, f.lowerBoundHistory,
          q.logProb, ...q.marginals.map((m) => m.data), f.exactLogLikelihood(MANY.X, { lengths: LENGTHS }));
      });
    });
  }
});

describe('the HMMs on a pool of three', () => {
  // Means given (rows of the data): no k-means start, so that every job of a fit is Baum-Welch's.
  const meansInit = { data: MANY.X.data.slice(0, K * D), rows: K, cols: D };
  const make = () => new GaussianHMM({ nComponents: K, covarianceType: 'full', meansInit, nIter: 6, tol: 0, seed: 3, onWarning: () => {} });
  const fit = (hmm = make()) => hmm.fit(MANY.X, { lengths: LENGTHS });
  const bytes = (hmm: GaussianHMM) => bytesOf(hmm.means.data, hmm.covars, hmm.transMat.data, hmm.lowerBoundHistory);
  const expected = onPoolOfThreeAfterOneThread(() => bytes(fit()));

  it('computes a GaussianHMM fit with every thread, and the same bytes as one thread', () => {
    const pool = currentPool();
    if (!pool) throw new Error('no pool');
    const before = pool.blocksRun();
    const got = bytes(fit());
    const after = pool.blocksRun();
    expect(after.length).toBe(3);
    after.forEach((r, t) => expect(r, `thread ${t}`).toBeGreaterThan(before[t]));
    expect(got).toEqual(expected());
  });

  it('a worker that throws during a fit fails it with a WorkerError naming it; the model is unchanged and the next fit gives the right bytes', () => {
    const hmm = fit();
    const pool = currentPool();
    if (!pool) throw new Error('no pool');
    pool.injectFault(1, 'throw');
    let err: unknown = null;
    try {
      hmm.fit(ONE.X);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorkerError);
    expect((err as WorkerError).thread).toBe(1);
    // The fault strikes the first block the worker claims: in the chain, the emissions, or the
    // emission M-step's statistics (the mixture engine's statistics job).
    expect((err as Error).message).toMatch(/^worker thread 1 threw in the (GaussianHMM [^:]*|HMM [^:]*|Gaussian-mixture statistics): Error: a fault injected for testing \(block \d+\); it was replaced/);
    expect(bytes(hmm)).toEqual(expected());
    expect(bytes(fit(hmm))).toEqual(expected());
  });
});
