/**
 * What the statistics-protocol loop (fit.ts) needs of a model beyond the protocol's three public
 * methods: where it starts, the bound of an iteration, a broadcastable snapshot of its
 * parameters, and how a finished loop is recorded. One adapter per model class; they reach the
 * classes' private state (`model['fitted']`), as the classes' own fit would, so that the models
 * keep one public surface and the loop lives once, here.
 */
import type { IterationInfo } from '../em.js';
import type { Matrix, MatrixLike } from '../runtime/matrix.js';
import type { DataSample } from './sample.js';

/** A model's parameters for the workers: JSON, rebuilt by `statisticsOf` on the other side. */
export interface ModelSnapshot {
  /** The model's class name. */
  kind: string;
  /** Its plain-JSON parameters and options. */
  model: unknown;
  /** Options of its partialStats (BinarySparseCoding's sweeps), if any. */
  stats?: Record<string, unknown>;
}

/** How the loop runs for one model: the fit's options. */
export interface LoopOptions {
  maxIter: number;
  tol: number;
  onIteration?: (info: IterationInfo) => boolean | void;
  /** The message when maxIter ran out without meeting tol (null: no warning). */
  notConverged: string | null;
  warn: (message: string) => void;
  /** Continue from the model's parameters (warm start) with this as the previous bound. */
  warm?: { lowerBound: number };
}

/** The options of fitWithStatistics that reach a model's adapter (BinarySparseCoding takes its fit options here). */
export interface AdapterFitOptions {
  maxIter?: number;
  tol?: number;
  inferMaxIter?: number;
  inferTol?: number;
  onIteration?: (info: IterationInfo) => boolean | void;
}

export interface Adapter<M, S> {
  kind: string;
  owns(model: unknown): model is M;
  /** Whether `start` needs a sample of the data (false when explicit parameters or a warm start give everything). */
  needsSample(model: M): boolean;
  /** Sets the parameters the loop starts from. */
  start(model: M, sample: DataSample | null): void;
  loop(model: M, options: AdapterFitOptions): LoopOptions;
  snapshot(model: M, options: AdapterFitOptions): ModelSnapshot;
  /** Worker side: statistics of X under the snapshot's parameters. */
  partialStats(snapshot: ModelSnapshot, X: MatrixLike): S;
  mergeStats(a: S, b: S): S;
  /** The M-step on the model; returns the iteration's bound (that of the E-step's statistics, as fit reports it). */
  mStep(model: M, stats: S): number;
  save(model: M): unknown;
  restore(model: M, saved: unknown): void;
  /** Records the finished loop on the model as fit would. */
  commit(model: M, result: { nIter: number; converged: boolean; lowerBound: number; lowerBoundHistory: number[] }): void;
}

/** Every row of a sample as a matrix; throws when the loop needs one and there is none. */
export function requireSample(sample: DataSample | null, kind: string): Matrix<Float64Array> {
  if (!sample) throw new Error(`${kind}: a sample of the data is needed to start`);
  return sample.X;
}
