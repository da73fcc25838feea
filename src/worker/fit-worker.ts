/**
 * What FitWorker and fitInWorker are on every platform: a FitSession over the platform's kind of
 * thread. Each `elbo-wasm/worker` entry (browser.ts, node.ts) subclasses FitWorkerBase with the
 * thread it starts, and its fitInWorker is fitOnce over its own FitWorker.
 */
import type { MatrixLike } from '../runtime/matrix.js';
import { FitSession, type FitInWorkerOptions, type FitWorkerOptions, type Thread } from './client.js';
import type { WorkerModel } from './kinds.js';

/**
 * A worker that fits elbo's models off the calling thread, kept between fits (the module is
 * loaded once per worker). Fits run one at a time, in the order they were asked for. Use the
 * entry's {@link FitWorker}, which starts a Web Worker in browsers and a worker thread in Node.
 */
export abstract class FitWorkerBase {
  private readonly session: FitSession;

  /** @param options where the worker loads elbo.wasm from; @param start starts the platform's thread */
  protected constructor(options: FitWorkerOptions, start: () => Thread) {
    this.session = new FitSession(options, start);
  }

  /**
   * Fits `model` to X in the worker and resolves to the fitted model: a new instance,
   * `fromJSON` of the worker's `toJSON()`, with `model`'s onWarning and engine. `model` itself is
   * never modified (so a fit that fails leaves it as it was). Same options, same data, same
   * bytes as `model.fit(X, options)` on the calling thread.
   *
   * @param model a GaussianMixture, BayesianGaussianMixture, KMeans, GaussianHMM, CategoricalHMM,
   *   BinarySparseCoding or LISTA, fitted or not (a warm start sends its fitted state along)
   * @param X the data, as `fit` takes it; copied to the worker unless `transfer` is true
   * @param options `fit`'s own options (sampleWeight, lengths, ...) plus onProgress, signal and transfer
   * @throws OptionError (rejects) for a callback option other than onWarning: functions cannot
   *   cross threads, use onProgress and signal; FitAbortedError when `signal` aborts;
   *   FitWorkerError when the worker fails; otherwise the error `fit` throws, as the same class
   */
  fit<M extends WorkerModel>(model: M, X: MatrixLike, options?: FitInWorkerOptions<M>): Promise<M> {
    return this.session.fit(model, X, options);
  }

  /** Ends the worker; a fit in progress rejects with a FitAbortedError. A later `fit` starts a new worker. */
  terminate(): void {
    this.session.terminate();
  }
}

/** One fit in `worker`, which is terminated when the fit ends, however it ends. */
export async function fitOnce<M extends WorkerModel>(worker: FitWorkerBase, model: M, X: MatrixLike, options?: FitInWorkerOptions<M>): Promise<M> {
  try {
    return await worker.fit(model, X, options);
  } finally {
    worker.terminate();
  }
}
