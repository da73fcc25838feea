/**
 * `elbo-wasm/worker` in browsers (the "browser" and "default" conditions): fits in a module Web
 * Worker, so that the page's main thread never waits for one. The worker script is
 * dist/worker-main.js, named in the one form Vite and webpack 5 bundle by themselves:
 * `new Worker(new URL('./worker-main.js', import.meta.url), { type: 'module' })`.
 */
import type { MatrixLike } from '../runtime/matrix.js';
import { FitSession, type FitInWorkerOptions, type FitWorkerOptions, type Thread } from './client.js';
import { FitWorkerError } from './errors.js';
import type { FitReply, WorkerModel } from './kinds.js';

export * from './api.js';

/**
 * A Web Worker that fits elbo's models off the main thread, kept between fits (the module is
 * loaded once per worker). Fits run one at a time, in the order they were asked for.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'elbo-wasm';
 * import { FitWorker } from 'elbo-wasm/worker';
 * const worker = new FitWorker();
 * let gm = new GaussianMixture({ nComponents: 3, maxIter: 1, warmStart: true });
 * for (let i = 0; i < 20; i++) gm = await worker.fit(gm, X); // one EM iteration per call, page stays live
 * worker.terminate();
 * ```
 */
export class FitWorker {
  private readonly session: FitSession;

  /** @param options where the worker loads elbo.wasm from (default: beside the bundle) */
  constructor(options: FitWorkerOptions = {}) {
    this.session = new FitSession(options, startWebWorker);
  }

  /**
   * Fits `model` to X in the worker and resolves to the fitted model: a new instance,
   * `fromJSON` of the worker's `toJSON()`, with `model`'s onWarning and engine. `model` itself is
   * never modified (so a fit that fails leaves it as it was). Same options, same data, same
   * bytes as `model.fit(X, options)` on this thread.
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

/**
 * Fits `model` to X in a new Web Worker, ended when the fit is: {@link FitWorker.fit} once.
 *
 * @example
 * ```ts
 * import { GaussianMixture } from 'elbo-wasm';
 * import { fitInWorker } from 'elbo-wasm/worker';
 * const gm = await fitInWorker(new GaussianMixture({ nComponents: 4 }), X, {
 *   onProgress: ({ iteration, lowerBound }) => console.log(iteration, lowerBound),
 * });
 * ```
 */
export async function fitInWorker<M extends WorkerModel>(model: M, X: MatrixLike, options?: FitInWorkerOptions<M>): Promise<M> {
  const worker = new FitWorker();
  try {
    return await worker.fit(model, X, options);
  } finally {
    worker.terminate();
  }
}

/** A module Web Worker running dist/worker-main.js. */
function startWebWorker(): Thread {
  const worker = new Worker(new URL('./worker-main.js', import.meta.url), { type: 'module' });
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(onReply, onFailure) {
      worker.onmessage = (event: MessageEvent<FitReply>) => onReply(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        onFailure(new FitWorkerError(event.message
          ? `the fit worker failed: ${event.message}`
          : 'the fit worker could not start: its script worker-main.js (beside the worker entry) did not load; serve it with the package\'s other dist/ files, or let the bundler bundle it'));
      };
      worker.onmessageerror = () => onFailure(new FitWorkerError('a message from the fit worker could not be read'));
    },
    hold: () => {},
    terminate: () => worker.terminate(),
  };
}
