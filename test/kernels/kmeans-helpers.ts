// Shared by the k-means kernel tests: one pass's outputs, and the check that two passes agree.
import { expect } from 'vitest';

/** One pass's outputs: labels, distances, per-cluster sums and counts, and out (inertia, changed labels, …). */
export interface PassResult { labels: Int32Array; dist: Float64Array; sums: Float64Array; counts: Float64Array; out: Float64Array }

/** Expects the same labels, distances, sums, counts, inertia (out[0]) and changed labels (out[1]), exactly. */
export function expectSamePass(got: PassResult, want: PassResult): void {
  expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
  expect(Array.from(got.dist)).toEqual(Array.from(want.dist));
  expect(Array.from(got.sums)).toEqual(Array.from(want.sums));
  expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
  expect(got.out[0]).toBe(want.out[0]);
  expect(got.out[1]).toBe(want.out[1]);
}
