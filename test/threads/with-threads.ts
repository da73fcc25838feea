// Runs a computation under each thread configuration and collects the bytes it produced.
import { afterAll, beforeAll, expect } from 'vitest';
import { dispose, init } from '../../src/node.js';

/** The configurations every parallel entry point is held to: 1 is the single-threaded build. */
export const THREAD_COUNTS = [1, 2, 3] as const;

/** Every number a result holds, flattened into one Float64Array (labels and counts included). */
export function bytesOf(...parts: (ArrayLike<number> | number)[]): Uint8Array {
  const values: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') values.push(p);
    else for (let i = 0; i < p.length; i++) values.push(p[i]);
  }
  return new Uint8Array(Float64Array.from(values).buffer);
}

/** Re-initialises elbo with `threads` threads (the previous instance is disposed). */
export async function useThreads(threads: number): Promise<void> {
  dispose();
  const r = await init({ threads });
  expect(r).toEqual({ threads });
}

/**
 * Runs `compute` once per thread count and expects the same bytes from every one. Leaves elbo
 * initialised with the default options afterwards.
 */
export async function expectSameBytesForAnyThreadCount(compute: () => Uint8Array): Promise<void> {
  const results: Uint8Array[] = [];
  try {
    for (const t of THREAD_COUNTS) {
      await useThreads(t);
      results.push(compute());
    }
  } finally {
    dispose();
    await init();
  }
  for (let i = 1; i < results.length; i++) {
    expect(results[i].length, `threads = ${THREAD_COUNTS[i]}`).toBe(results[0].length);
    const first = results[i].findIndex((b, j) => b !== results[0][j]);
    expect(first, `threads = ${THREAD_COUNTS[i]} differs from threads = 1 at byte ${first}`).toBe(-1);
  }
}

/**
 * For fault suites: registers a beforeAll that takes `compute`'s bytes on one thread, then leaves
 * a pool of 3 running, and an afterAll that restores the default setup. Returns a getter of
 * those one-thread bytes (the answer every call after a fault must give again).
 */
export function onPoolOfThreeAfterOneThread(compute: () => Uint8Array): () => Uint8Array {
  let expected: Uint8Array | null = null;
  beforeAll(async () => {
    await useThreads(1);
    expected = compute();
    await useThreads(3);
  });
  afterAll(async () => {
    dispose();
    await init();
  });
  return () => {
    if (!expected) throw new Error('the one-thread bytes are taken in beforeAll');
    return expected;
  };
}
