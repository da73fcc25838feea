/**
 * What both `elbo-wasm/worker` entries export besides FitWorker and fitInWorker, which each
 * entry defines over its own kind of thread (browser.ts, node.ts).
 */
export { FitAbortedError, FitWorkerError } from './errors.js';
export type { WorkerModel, ProgressOf, FitOptionsOf, EpochProgress } from './kinds.js';
export type { FitInWorkerOptions, WorkerFitControls, FitWorkerOptions } from './client.js';
export { FitWorkerBase } from './fit-worker.js';
