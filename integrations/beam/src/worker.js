// The functions that run where the shards are (Beam workers). They are registered with
// requireForSerialization under this module's name, so Beam ships a reference to them rather
// than their source: they may use this module's imports, which a serialised closure could not.
// Everything that crosses to or from them is plain JSON (shard paths, matrices as number
// arrays, the model snapshot, encoded statistics).
import { requireForSerialization } from 'apache-beam/serialization';
import { init, mergeStatsInOrder, sampleShard, statisticsOf } from 'elbo-wasm';
import { readMatrixFile } from 'elbo-wasm/io';

// A worker process loads the wasm kernels once, on import.
await init();

/** The shard's rows: read from its file here, on the worker, or rebuilt from the JSON matrix the driver sent. */
export function shardMatrix(shard) {
  if (typeof shard === 'string') return readMatrixFile(shard);
  return { data: Float64Array.from(shard.data), rows: shard.rows, cols: shard.cols };
}

/** What names a shard in an error: its path, or its position for an in-memory matrix. */
function shardName(element) {
  return typeof element.shard === 'string' ? element.shard : `shards[${element.index}] (a matrix)`;
}

/**
 * Runs fn on the shard's matrix; any failure becomes an Error whose message starts with the
 * shard's name and says which step failed (the driver finds it again behind Beam's wrapping).
 */
function onShard(element, step, fn) {
  let X;
  try {
    X = shardMatrix(element.shard);
  } catch (e) {
    throw new Error(`elbo-wasm-beam: shard ${shardName(element)} could not be read: ${e.message}`);
  }
  try {
    return fn(X);
  } catch (e) {
    throw new Error(`elbo-wasm-beam: ${step} failed on shard ${shardName(element)}: ${e.message}`);
  }
}

/** E-step: the shard's statistics under the broadcast parameters (context.snapshot). */
export function eStep(element, context) {
  return { index: element.index, kind: context.snapshot.kind, stats: onShard(element, 'partialStats', (X) => statisticsOf(context.snapshot, X)) };
}

/** The shard's candidates for the seeded sample across shards. */
export function sampleStep(element, context) {
  return onShard(element, 'sampling', (X) => sampleShard(X, element.index, context.size, context.seed));
}

/**
 * The CombineFn over mergeStats: accumulators are lists of (shard index, statistics), and the
 * output merges them in ascending shard index, so Beam's grouping of bundles and its order of
 * accumulator merges cannot change a bit of the result.
 */
export const statsCombineFn = {
  createAccumulator: () => [],
  addInput: (acc, part) => { acc.push(part); return acc; },
  mergeAccumulators: (accs) => accs.flat(),
  extractOutput: (acc) => (acc.length === 0 ? null : { kind: acc[0].kind, shards: acc.length, stats: mergeStatsInOrder(acc[0].kind, acc) }),
};

/** The shards' sample candidates, gathered into one list (the driver sorts and merges them). */
export const collectCombineFn = {
  createAccumulator: () => [],
  addInput: (acc, part) => { acc.push(part); return acc; },
  mergeAccumulators: (accs) => accs.flat(),
  extractOutput: (acc) => acc,
};

/** The driver's end of a pipeline: results land in the registered sink (in this process: the direct runner). */
export const sink = { results: new Map() };

/** Puts a pipeline's one result in the sink under its run id. */
export function collect(result, context) {
  sink.results.set(context.runId, result);
  return context.runId;
}

requireForSerialization('elbo-wasm-beam/worker', { eStep, sampleStep, statsCombineFn, collectCombineFn, collect, sink, shardMatrix });
