/**
 * A seeded uniform sample of rows drawn across shards that no one process holds (for a model's
 * initialisation): every row gets a pseudo-random key from (seed, shard index, row index), each
 * shard keeps its `size` rows of smallest key, and the driver keeps the `size` smallest of those
 * (bottom-k sampling). The result is a uniform sample without replacement that depends on the
 * seed and the shards' order and contents only, never on how an engine groups the work.
 */
import type { Matrix } from '../runtime/matrix.js';
import { Random } from '../runtime/random.js';

/** One shard's candidates: its rows of smallest key, their keys, and the shard's row count. */
export interface ShardSample {
  /** The shard's position in the list of shards. */
  index: number;
  /** Rows in the shard. */
  rows: number;
  /** Features. */
  cols: number;
  /** The kept rows' keys, ascending. */
  keys: number[];
  /** The kept rows, row-major (keys.length × cols). */
  data: number[];
  /** The largest |x| in the shard (a model's scale, e.g. MiniBatchDictionaryLearning's frame). */
  maxAbs: number;
}

/** The sample across all shards, with what the driver learns of the whole data on the way. */
export interface DataSample {
  /** The sampled rows (at most the size asked for). */
  X: Matrix<Float64Array>;
  /** Rows in all shards together. */
  nRows: number;
  /** The largest |x| over all shards. */
  maxAbs: number;
}

/** The seed of shard `index`'s keys: distinct per shard, fixed by `seed`. */
function shardSeed(seed: number, index: number): number {
  return new Random(seed).int(2 ** 31) + index * 7919;
}

/**
 * The `size` rows of smallest key of shard number `index` (its part of a sample of `size` rows
 * across all shards), in plain JSON.
 */
export function sampleShard(X: Matrix, index: number, size: number, seed: number): ShardSample {
  const rng = new Random(shardSeed(seed, index));
  const keys = Array.from({ length: X.rows }, (_, i) => ({ key: rng.random(), i }));
  keys.sort((a, b) => a.key - b.key || a.i - b.i);
  const kept = keys.slice(0, size);
  const data: number[] = [];
  for (const { i } of kept) for (let j = 0; j < X.cols; j++) data.push(X.data[i * X.cols + j]);
  let maxAbs = 0;
  for (let i = 0; i < X.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(X.data[i]));
  return { index, rows: X.rows, cols: X.cols, keys: kept.map((k) => k.key), data, maxAbs };
}

/** The `size` rows of smallest key over all shards' candidates (ties by shard, then rank), the total row count and max |x|. */
export function mergeSamples(parts: readonly ShardSample[], size: number): DataSample {
  const cols = parts[0]?.cols ?? 0;
  const all: { key: number; index: number; rank: number; part: ShardSample }[] = [];
  for (const part of parts) part.keys.forEach((key, rank) => all.push({ key, index: part.index, rank, part }));
  all.sort((a, b) => a.key - b.key || a.index - b.index || a.rank - b.rank);
  const kept = all.slice(0, size);
  const data = new Float64Array(kept.length * cols);
  kept.forEach((k, r) => data.set(k.part.data.slice(k.rank * cols, (k.rank + 1) * cols), r * cols));
  let nRows = 0, maxAbs = 0;
  for (const part of parts) { nRows += part.rows; maxAbs = Math.max(maxAbs, part.maxAbs); }
  return { X: { data, rows: kept.length, cols }, nRows, maxAbs };
}
