// Faults in the pool: a worker that throws, or ends, fails the current call with a WorkerError
// naming what happened; the pool replaces it and the next call gives the right bytes; nothing hangs.
import { describe, expect, it } from 'vitest';
import { GaussianMixture, WorkerError } from '../../src/node.js';
import { currentPool } from '../../src/runtime/threads/parallel.js';
import type { Pool } from '../../src/runtime/threads/pool.js';
import { blobs } from '../mixture/data.js';
import { bytesOf, onPoolOfThreeAfterOneThread } from './with-threads.js';

/** 20 E-step blocks (1024 rows each at K = D = 8), so that every worker claims some. */
const { X } = blobs(20_000, 8, 8, 9);
const fit = (onIteration?: (iteration: number) => void) =>
  new GaussianMixture({ nComponents: 8, maxIter: 6, tol: 0, seed: 3, onIteration: onIteration && ((info) => onIteration(info.iteration)) }).fit(X);
const bytes = (gm: GaussianMixture) => bytesOf(gm.weights, gm.means.data, gm.covariances, gm.lowerBound);

function pool(): Pool {
  const p = currentPool();
  if (!p) throw new Error('no pool');
  return p;
}

/** Fits until worker `t` has computed blocks again (its replacement starts in the background). */
async function untilWorkerComputes(t: number): Promise<void> {
  const before = pool().blocksRun()[t];
  for (let attempt = 0; attempt < 200 && pool().blocksRun()[t] === before; attempt++) {
    await new Promise((r) => setTimeout(r, 20));
    fit();
  }
  expect(pool().blocksRun()[t]).toBeGreaterThan(before);
}

describe('worker faults', () => {
  const expected = onPoolOfThreeAfterOneThread(() => bytes(fit()));

  it('computes with every worker', () => {
    fit();
    const runs = pool().blocksRun();
    expect(runs.length).toBe(3);
    for (const r of runs) expect(r).toBeGreaterThan(0);
  });

  it('a worker that throws fails the fit with a WorkerError naming it; the next fit gives the right bytes', async () => {
    const gm = fit();
    pool().injectFault(1, 'throw');
    const err = (() => { try { gm.fit(X); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(WorkerError);
    expect((err as WorkerError).thread).toBe(1);
    // The fault strikes the first block the worker claims: in the k-means start or in EM (whose
    // E-step and statistics run as one job when unweighted).
    expect((err as Error).message).toMatch(/^worker thread 1 threw in the (Gaussian-mixture (E-step and statistics|E-step|statistics)|k-means[^:]*): Error: a fault injected for testing \(block \d+\); it was replaced/);
    // The fit that threw left the model as it was.
    expect(bytes(gm)).toEqual(expected());
    expect(bytes(fit())).toEqual(expected());
    await untilWorkerComputes(1);
    expect(bytes(fit())).toEqual(expected());
  });

  it('a worker that ends mid-fit fails the fit with a WorkerError; the pool replaces it and the next fit gives the right bytes', async () => {
    let thrown: unknown = null;
    try {
      fit((iteration) => { if (iteration === 3) pool().injectFault(2, 'exit'); });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WorkerError);
    expect((thrown as Error).message).toMatch(/^worker thread 2 ended while computing block \d+ of the Gaussian-mixture (E-step|statistics|E-step and statistics); it was replaced/);
    expect(bytes(fit())).toEqual(expected());
    await untilWorkerComputes(2);
    expect(bytes(fit())).toEqual(expected());
  });

  it('a worker terminated between two iterations of a fit changes nothing: the next job replaces it', async () => {
    const gm = fit((iteration) => { if (iteration === 2) pool().terminateWorker(1); });
    expect(bytes(gm)).toEqual(expected());
    await untilWorkerComputes(1);
  });
});
