/**
 * The models a worker can fit: every estimator with `fit` that saves itself with `toJSON` and
 * comes back with `fromJSON`. For each, where its progress callback goes (a constructor option
 * or a fit option, and under which name), which options `fromJSON` takes beside a file, and
 * whether its next fit starts from its fitted state (which then has to reach the worker too).
 * Both sides of the thread boundary read this one table.
 */
import { KMeans } from '../kmeans/KMeans.js';
import { LISTA } from '../learned/LISTA.js';
import { BinarySparseCoding } from '../meanfield/BinarySparseCoding.js';
import { BayesianGaussianMixture } from '../mixture/BayesianGaussianMixture.js';
import { GaussianMixture } from '../mixture/GaussianMixture.js';
import { CategoricalHMM } from '../hmm/CategoricalHMM.js';
import { GaussianHMM } from '../hmm/GaussianHMM.js';
import type { IterationInfo } from '../em.js';
import type { KMeansIterationInfo } from '../kmeans/types.js';
import type { FitIterationInfo } from '../meanfield/types.js';
import type { MatrixLike } from '../runtime/matrix.js';

/** The models `fitInWorker` and `FitWorker.fit` accept. */
export type WorkerModel = GaussianMixture | BayesianGaussianMixture | KMeans | GaussianHMM | CategoricalHMM | BinarySparseCoding | LISTA;

/** LISTA's progress: what its onEpoch callback receives, as one object. */
export interface EpochProgress {
  /** The epoch just trained, from 1. */
  epoch: number;
  /** That epoch's mean batch loss. */
  loss: number;
}

/** What a model's own progress callback would receive, which `onProgress` receives instead. */
export type ProgressOf<M extends WorkerModel> =
  M extends LISTA ? EpochProgress
    : M extends BinarySparseCoding ? FitIterationInfo
      : M extends KMeans ? KMeansIterationInfo
        : IterationInfo;

/** The options of M's `fit` (its second argument). */
export type FitOptionsOf<M extends WorkerModel> = NonNullable<Parameters<M['fit']>[1]>;

/** A model's class, as the table uses it. */
interface ModelClass {
  new (options: never): WorkerModel;
  fromJSON(json: never, runtime?: Record<string, unknown>): WorkerModel;
}

/** How the worker fits one kind of model. */
export interface Kind {
  /** The class name, which is also `toJSON().kind`. */
  name: string;
  cls: ModelClass;
  /** Where the progress callback goes: a constructor option or a fit option. */
  progressIn: 'constructor' | 'fit';
  /** Its name: onIteration (info) or onEpoch (epoch, loss). */
  progressKey: 'onIteration' | 'onEpoch';
  /** The options `fromJSON` takes beside the file (callbacks and the engine). */
  runtimeKeys: readonly string[];
  /** Whether the next fit of this (fitted) model starts from its fitted state. */
  continuesFromState(model: WorkerModel): boolean;
}

const MIXTURE_LIKE = { progressIn: 'constructor', progressKey: 'onIteration', runtimeKeys: ['onIteration', 'onWarning', 'engine'] } as const;

/** Every kind, by class name. */
export const KINDS: Record<string, Kind> = Object.fromEntries([
  { name: 'GaussianMixture', cls: GaussianMixture, ...MIXTURE_LIKE, continuesFromState: (m: WorkerModel) => (m as GaussianMixture).warmStart },
  { name: 'BayesianGaussianMixture', cls: BayesianGaussianMixture, ...MIXTURE_LIKE, continuesFromState: (m: WorkerModel) => (m as BayesianGaussianMixture).warmStart },
  { name: 'KMeans', cls: KMeans, ...MIXTURE_LIKE, continuesFromState: () => false },
  // Baum-Welch keeps the fitted values of the parameters its initParams leave out.
  { name: 'GaussianHMM', cls: GaussianHMM, ...MIXTURE_LIKE, continuesFromState: () => true },
  { name: 'CategoricalHMM', cls: CategoricalHMM, ...MIXTURE_LIKE, continuesFromState: () => true },
  // Variational EM starts from the current W, b and β.
  { name: 'BinarySparseCoding', cls: BinarySparseCoding, progressIn: 'fit', progressKey: 'onIteration', runtimeKeys: ['onWarning'], continuesFromState: () => true },
  // Training starts from ISTA's parameters every time.
  { name: 'LISTA', cls: LISTA, progressIn: 'constructor', progressKey: 'onEpoch', runtimeKeys: ['onEpoch', 'onWarning', 'engine'], continuesFromState: () => false },
].map((k) => [k.name, k as unknown as Kind]));

/** The kind of `model`, or undefined when it is not one a worker can fit. */
export function kindOf(model: unknown): Kind | undefined {
  return Object.values(KINDS).find((k) => model instanceof (k.cls as unknown as abstract new () => unknown));
}

/** One fit for the worker: everything in it survives a structured clone. */
export interface FitRequest {
  type: 'fit';
  kind: string;
  /** The constructor options without callbacks (used when `state` is null). */
  options: Record<string, unknown>;
  /** The model's file (toJSON) when its fit starts from its fitted state, else null. */
  state: unknown;
  /** Options passed to fromJSON beside `state`: the engine (callbacks are the worker's own). */
  runtime: Record<string, unknown>;
  X: MatrixLike;
  fitOptions: Record<string, unknown>;
  /** Whether the caller listens to progress (otherwise none is posted). */
  progress: boolean;
  /** init() options for the worker's own copy of the module. */
  init: { wasmUrl?: string; wasm?: ArrayBuffer | Uint8Array | WebAssembly.Module };
}

/** What the worker posts back for a fit: progress and warnings, then done or failed. */
export type FitReply =
  | { type: 'progress'; info: unknown }
  | { type: 'warning'; message: string }
  | { type: 'done'; json: unknown }
  | { type: 'failed'; error: import('./errors-wire.js').WireError };
