import type { BayesianGaussianMixture, BinarySparseCoding, GaussianMixture, MatrixLike, MiniBatchDictionaryLearning, StatisticsFitOptions } from 'elbo-wasm';

/** The models fitOnBeam fits: those with the statistics protocol (partialStats, mergeStats, mStep). */
export type BeamModel = GaussianMixture | BayesianGaussianMixture | MiniBatchDictionaryLearning | BinarySparseCoding;

/** Options of {@link fitOnBeam}. */
export interface FitOnBeamOptions extends StatisticsFitOptions {
  /** 'direct' (default: in this process, offline), or a Beam runner's name ('flink', 'dataflow', 'universal'). */
  runner?: 'direct' | 'flink' | 'dataflow' | 'universal' | string;
  /** Passed to Beam's createRunner and to each run (e.g. { flinkMaster: 'host:8081' }, Dataflow's project/region/tempLocation). */
  pipelineOptions?: Record<string, unknown>;
}

/** A fit over shards failed: the message names the shard and the step; the model is unchanged. */
export declare class BeamFitError extends Error {
  constructor(message: string, cause?: unknown);
}

/**
 * Fits `model` by EM over `shards` (file paths — .npy, CSV/TSV, JSON, optionally .gz, each read
 * by the worker that processes it — or matrices), one Beam pipeline per iteration, and resolves
 * to the same model, fitted as `model.fit` on the concatenated shards would be (from the same
 * start). Explicit initial parameters are used as given; otherwise the model starts from a
 * seeded sample drawn across the shards.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'elbo-wasm';
 * import { fitOnBeam } from 'elbo-wasm-beam';
 * const gm = await fitOnBeam(new GaussianMixture({ nComponents: 3, seed: 1 }), ['part-0.npy', 'part-1.npy']);
 * ```
 */
export declare function fitOnBeam<M extends BeamModel>(model: M, shards: readonly (string | MatrixLike)[], options?: FitOnBeamOptions): Promise<M>;
