/**
 * The statistics protocol's driver: EM (and its relatives) over data that no one process holds.
 * Every model here whose E-step reduces to statistics that add has three methods —
 * `partialStats(X)` (an E-step on a shard under the current parameters), static
 * `mergeStats(a, b)` (exact, associative), `mStep(stats)` — and `fitWithStatistics` runs the
 * fit's loop (runEMAsync: the bound per iteration, onIteration, maxIter, tol, converged, as in
 * `fit`) over any engine that can run `statisticsOf` where the shards are and merge the results
 * in shard order. An engine is two functions (a {@link StatisticsEngine}); Apache Beam is one
 * (the elbo-wasm-beam package), {@link inProcessEngine} the simplest.
 */
import { runEMAsync } from '../em.js';
import { ValueError } from '../runtime/errors.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { toMatrix, type MatrixLike } from '../runtime/matrix.js';
import { checkInteger } from '../runtime/validate.js';
import type { Adapter, AdapterFitOptions, ModelSnapshot } from './adapter.js';
import { bayesianMixtureAdapter, gaussianMixtureAdapter } from './adapters-mixture.js';
import { binarySparseCodingAdapter, dictionaryAdapter } from './adapters-learn.js';
import { decodeStats, encodeStats, type EncodedStats } from './encode.js';
import { mergeSamples, sampleShard, type DataSample, type ShardSample } from './sample.js';
import type { IterationInfo } from '../em.js';
import type { GaussianMixture } from '../mixture/GaussianMixture.js';
import type { BayesianGaussianMixture } from '../mixture/BayesianGaussianMixture.js';
import type { MiniBatchDictionaryLearning } from '../sparse/MiniBatchDictionaryLearning.js';
import type { BinarySparseCoding } from '../meanfield/BinarySparseCoding.js';

export type { ModelSnapshot } from './adapter.js';

/** The models {@link fitWithStatistics} fits. */
export type StatisticsModel = GaussianMixture | BayesianGaussianMixture | MiniBatchDictionaryLearning | BinarySparseCoding;

const ADAPTERS: readonly Adapter<any, any>[] = [gaussianMixtureAdapter, bayesianMixtureAdapter, dictionaryAdapter, binarySparseCodingAdapter];

function adapterOf(model: unknown): Adapter<any, any> {
  const a = ADAPTERS.find((x) => x.owns(model));
  if (!a) throw new ValueError(`model must be one of ${ADAPTERS.map((x) => x.kind).join(', ')}; got ${(model as object)?.constructor?.name ?? typeof model}`);
  return a;
}

function adapterByKind(kind: string): Adapter<any, any> {
  const a = ADAPTERS.find((x) => x.kind === kind);
  if (!a) throw new ValueError(`snapshot.kind must be one of ${ADAPTERS.map((x) => x.kind).join(', ')}; got ${JSON.stringify(kind)}`);
  return a;
}

/**
 * An engine that runs the protocol's map and reduce where the data are (a cluster, a pool of
 * workers, a queue). Both calls return plain JSON, which is what crosses process boundaries.
 */
export interface StatisticsEngine {
  /**
   * Shard candidates for a seeded sample of `size` rows: `sampleShard(X_i, i, size, seed)` run on
   * each shard i, returned in any order. Called once, only when the model needs data to start.
   */
  sample(size: number, seed: number): Promise<ShardSample[]>;
  /**
   * The statistics of every shard under the snapshot's parameters: `statisticsOf(snapshot, X_i)`
   * on each shard i, merged in shard order (`mergeStatsInOrder`), so the result does not depend
   * on how the engine grouped the work.
   */
  statistics(snapshot: ModelSnapshot): Promise<EncodedStats>;
}

/** Options of {@link fitWithStatistics}. */
export interface StatisticsFitOptions {
  /** Rows of the seeded sample a model starts from when it needs data to start (default 10000). */
  sampleSize?: number;
  /** BinarySparseCoding: its fit options (the mixtures and the dictionary learner take theirs from the constructor). */
  maxIter?: number;
  /** BinarySparseCoding: stop when the mean bound changes by less than this (default 1e-6). */
  tol?: number;
  /** BinarySparseCoding: sweeps per E-step (default 20). */
  inferMaxIter?: number;
  /** BinarySparseCoding: tolerance of the sweeps (default 1e-6). */
  inferTol?: number;
  /** BinarySparseCoding: called after each iteration. */
  onIteration?: (info: IterationInfo) => boolean | void;
}

const DEFAULT_SAMPLE_SIZE = 10_000;
const OPTION_KEYS = optionKeys<StatisticsFitOptions>()(['sampleSize', 'maxIter', 'tol', 'inferMaxIter', 'inferTol', 'onIteration']);

/**
 * Fits `model` by EM over data held in shards, with `engine` computing the statistics: the
 * same loop as `model.fit` (one initialisation). Where it starts: explicit initial parameters
 * (GaussianMixture's weightsInit + meansInit + precisionsInit, BinarySparseCoding's W, b, β, a
 * mixture's warm start) are used as given; otherwise the model initialises as `fit` would,
 * on a seeded uniform sample of `sampleSize` rows drawn across the shards (sample.ts), so it
 * starts where `fit` on that sample would. A fit that throws (a shard that cannot be read,
 * non-finite statistics) leaves the model as it was.
 *
 * @example
 * ```ts
 * const gm = new GaussianMixture({ nComponents: 3, seed: 1 });
 * await fitWithStatistics(gm, inProcessEngine([shardA, shardB, shardC]));
 * gm.lowerBoundHistory;   // as gm.fit(all rows) reports it
 * ```
 */
export async function fitWithStatistics<M extends StatisticsModel>(model: M, engine: StatisticsEngine, options: StatisticsFitOptions = {}): Promise<M> {
  options = checkOptions(options, OPTION_KEYS, 'fitWithStatistics');
  const sampleSize = checkInteger(options.sampleSize ?? DEFAULT_SAMPLE_SIZE, 'sampleSize', 1);
  const a = adapterOf(model);
  const saved = a.save(model);
  try {
    const sample = a.needsSample(model) ? await drawSample(engine, sampleSize, seedOf(model)) : null;
    a.start(model, sample);
    const loop = a.loop(model, options);
    const result = await runEMAsync<null>({
      initialize: () => null,
      iterate: async () => {
        const stats = decodeStats(await engine.statistics(a.snapshot(model, options)));
        const lowerBound = a.mStep(model, stats);
        if (!Number.isFinite(lowerBound)) throw new ValueError(`${a.kind}: the bound became ${lowerBound}; check the data's scale and the initial parameters`);
        return { params: null, lowerBound };
      },
    }, { nInit: 1, maxIter: loop.maxIter, tol: loop.tol, onIteration: loop.onIteration, warm: loop.warm && { params: null, lowerBound: loop.warm.lowerBound } });
    if (!result.converged && !result.stopped && loop.notConverged) loop.warn(loop.notConverged);
    a.commit(model, { nIter: result.nIter, converged: result.converged, lowerBound: result.lowerBound, lowerBoundHistory: result.lowerBoundHistory });
    return model;
  } catch (e) {
    a.restore(model, saved);
    throw e;
  }
}

function seedOf(model: StatisticsModel): number {
  const m = model as { seed?: number; o?: { seed: number } };
  return m.seed ?? m['o']?.seed ?? 0;
}

async function drawSample(engine: StatisticsEngine, size: number, seed: number): Promise<DataSample> {
  const parts = await engine.sample(size, seed);
  if (parts.length === 0) throw new ValueError('shards must hold at least one shard; got none');
  parts.sort((p, q) => p.index - q.index);
  return mergeSamples(parts, size);
}

/**
 * The worker's half of an iteration: `partialStats` of the shard X under the snapshot's
 * parameters, as plain JSON.
 */
export function statisticsOf(snapshot: ModelSnapshot, X: MatrixLike): EncodedStats {
  return encodeStats(adapterByKind(snapshot.kind).partialStats(snapshot, X));
}

/**
 * Merges the shards' statistics (plain JSON, as `statisticsOf` returns them) by the model's
 * `mergeStats`, in ascending shard index whatever order they arrive in: a left fold in a fixed
 * order, so the result is the same for any grouping of the shards.
 */
export function mergeStatsInOrder(kind: string, parts: readonly { index: number; stats: EncodedStats }[]): EncodedStats {
  if (parts.length === 0) throw new ValueError('parts must hold the statistics of at least one shard; got none');
  const a = adapterByKind(kind);
  const sorted = [...parts].sort((p, q) => p.index - q.index);
  let acc = decodeStats(sorted[0].stats);
  for (let i = 1; i < sorted.length; i++) acc = a.mergeStats(acc, decodeStats(sorted[i].stats));
  return encodeStats(acc as object);
}

/**
 * The protocol's simplest engine: shards that are matrices in this process, mapped one after
 * the other. What a distributed engine must reproduce, and a template for writing one.
 *
 * @example
 * ```ts
 * await fitWithStatistics(new GaussianMixture({ nComponents: 2 }), inProcessEngine([A, B]));
 * ```
 */
export function inProcessEngine(shards: readonly MatrixLike[]): StatisticsEngine {
  const matrices = shards.map((s, i) => toMatrix(s, `shards[${i}]`));
  return {
    sample: async (size, seed) => matrices.map((X, i) => sampleShard(X, i, size, seed)),
    statistics: async (snapshot) => mergeStatsInOrder(snapshot.kind, matrices.map((X, index) => ({ index, stats: statisticsOf(snapshot, X) }))),
  };
}
